"""The HSDS API as harvesters use it: big pages, HEAD, compression, conditional requests,
an OpenAPI document whose server and paths can be called as published, and bulk downloads."""

import gzip
import json
import zipfile
from io import BytesIO

import pytest
from django.utils import timezone
from django.utils.http import http_date

from directory.hsds import exporter
from directory.models import Service

pytestmark = pytest.mark.django_db

API = "/api/hsds"


def test_a_page_of_more_than_the_maximum_is_clamped_never_refused(client, corpus):
    response = client.get(API + "/services", {"per_page": 5000})
    assert response.status_code == 200
    page = response.json()
    assert (page["total_items"], page["size"], page["total_pages"]) == (6, 6, 1)
    for path in ("/service_at_locations", "/organizations", "/taxonomy_terms", "/taxonomies"):
        assert client.get(API + path, {"per_page": 100000}).status_code == 200, path


def test_a_thousand_per_page_is_served_as_asked(client, corpus):
    from directory import api

    assert api.MAX_PER_PAGE >= 1000
    assert client.get(API + "/services", {"per_page": 1000}).status_code == 200


def test_head_answers_like_get_without_a_body(client, corpus):
    get = client.get(API + "/services")
    head = client.head(API + "/services")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    assert head["ETag"] == get["ETag"]
    missing = client.get(API + "/services/not-a-uuid")
    assert client.head(API + "/services/not-a-uuid").status_code == missing.status_code == 404


def test_responses_are_compressed_for_clients_that_accept_gzip(client, corpus):
    plain = client.get(API + "/services", {"full": "true"})
    packed = client.get(API + "/services", {"full": "true"}, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content)


def test_etag_and_last_modified_give_304_until_something_changes(client, corpus):
    first = client.get(API + "/services")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(API + "/services", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    since = client.get(API + "/services", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    service = Service.objects.filter(status="active").first()
    # Two seconds on: HTTP dates count whole seconds.
    later_time = timezone.now() + timezone.timedelta(seconds=2)
    Service.objects.filter(pk=service.pk).update(name="Renamed", last_modified=later_time)
    changed = client.get(API + "/services", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    later = client.get(API + "/services", HTTP_IF_MODIFIED_SINCE=modified)
    assert later.status_code == 200


def test_an_old_if_modified_since_gets_the_page(client, corpus):
    response = client.get(API + "/services", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert response.status_code == 200


def test_full_service_on_the_organisations_list_nests_full_services(client, corpus):
    page = client.get(API + "/organizations", {"full_service": "true", "per_page": 100}).json()
    services = [s for org in page["contents"] for s in org.get("services", [])]
    assert services and all("schedules" in s and "phones" in s for s in services)
    plain = client.get(API + "/organizations", {"per_page": 100}).json()
    assert not any("schedules" in s for org in plain["contents"] for s in org.get("services", []))


def test_the_openapi_server_and_paths_reach_the_endpoints_as_published(client, corpus):
    document = client.get(API + "/openapi.json").json()
    [server] = document["servers"]
    assert server["url"] == "http://testserver/api/hsds"
    assert "/services" in document["paths"] and "/services/{id}" in document["paths"]
    assert not any(path.startswith("/api/hsds") for path in document["paths"])
    for path in document["paths"]:
        if "{" not in path:
            url = server["url"].removeprefix("http://testserver") + path
            assert client.get(url).status_code == 200, url


def test_bulk_downloads_hold_the_whole_directory(client, corpus, tmp_path, settings):
    settings.HSDS_DOWNLOAD_DIR = tmp_path
    exporter.write_bulk_downloads()
    active = Service.objects.filter(status="active").count()
    listed = client.get(API + "/download/services.json")
    assert listed.status_code == 200 and listed["Content-Type"].startswith("application/json")
    services = json.loads(b"".join(listed.streaming_content))
    # What the API publishes: active services only.
    assert len(services) == active < Service.objects.count()
    lines = client.get(API + "/download/services.ndjson")
    assert lines["Content-Type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in b"".join(lines.streaming_content).splitlines()]
    assert [row["id"] for row in rows] == [s["id"] for s in services]
    package = client.get(API + "/download/datapackage.zip")
    assert package["Content-Type"] == "application/zip"
    with zipfile.ZipFile(BytesIO(b"".join(package.streaming_content))) as archive:
        assert {"datapackage.json", "services.csv"} <= set(archive.namelist())
    assert client.get(API + "/download/nothing.txt").status_code == 404


def test_a_download_not_yet_written_is_a_clear_404(client, db, tmp_path, settings):
    settings.HSDS_DOWNLOAD_DIR = tmp_path
    response = client.get(API + "/download/services.json")
    assert response.status_code == 404
    assert "not been written yet" in response.json()["detail"]
