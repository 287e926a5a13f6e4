"""The "Import HSDS" admin page: uploads, the background import and its report, bad input."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import HSDSImport, Location, Service
from tests.directory.test_import_hsds import ids, service

pytestmark = pytest.mark.django_db

IMPORT_URL = "directory_hsds_import"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user("manager", "m@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="edit_any_organization"),
    )
    return user


def upload(client, content, name="feed.json"):
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    return client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, data)}, follow=True)


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_only_directory_managers_can_import(client, django_user_model, manager):
    editor = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    for response in (
        client.get(reverse(IMPORT_URL)),
        client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile("f.json", b"[]")}),
    ):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not HSDSImport.objects.exists()
    assert reverse(IMPORT_URL) not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(manager)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(IMPORT_URL) in page
    assert client.get(reverse(IMPORT_URL)).status_code == 200


def test_a_feed_imports_and_again_updates_without_duplicates(client, manager):
    client.force_login(manager)
    response = upload(client, [service(1), service(2)])
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/admin/directory/import/")
    assert "2 services created" in page and "Finished" in page
    assert Service.objects.count() == 2
    changed = [service(1, name="Support one"), service(2, name="Support two")]
    page = upload(client, changed).content.decode()
    assert "2 services updated" in page and "0 services created" in page
    assert Service.objects.count() == 2
    listing = client.get(reverse(IMPORT_URL)).content.decode()
    assert listing.count("feed.json") == 2
    upload_record = HSDSImport.objects.first()
    assert upload_record.created_by == manager and upload_record.report["updated"] == 2


def test_bad_records_are_reported_and_skipped_whole(client, manager):
    client.force_login(manager)
    missing = service(2)
    del missing["name"]
    far = service(3)
    far["service_at_locations"][0]["location"]["latitude"] = 100
    backwards = service(4)
    backwards["schedules"][0].update(opens_at="17:00", closes_at="09:00")
    unknown_term = service(5, attributes=[{"id": ids(11005), "taxonomy_term_id": ids(99)}])
    html = service(6, description="<p>Talk to <b>us</b><script>alert(1)</script></p>")
    nowhere = service(7)
    nowhere["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "QQ1 1QQ"
    feed = [service(1), missing, far, backwards, unknown_term, html, nowhere]
    page = upload(client, feed).content.decode()

    # A latitude of 100 is left out (the place is found from its address); the record stays.
    assert "4 services created" in page and "3 services skipped" in page
    assert set(Service.objects.values_list("id", flat=True)) == {
        Service.objects.get(pk=ids(1001)).pk,
        Service.objects.get(pk=ids(1003)).pk,
        Service.objects.get(pk=ids(1006)).pk,
        Service.objects.get(pk=ids(1007)).pk,
    }
    # Nothing of a skipped record was written, not even its location.
    assert not Location.objects.filter(pk__in=[ids(9002), ids(9004)]).exists()
    for words in (
        "is required",
        "100 is outside the range -90 to 90",
        "after the opening",
        "neither defined in the feed nor known here",
        "contained HTML",
        "“QQ1 1QQ” is not a UK postcode",
    ):
        assert words in page, words
    assert "<script>alert(1)</script>" not in page
    # Script contents are not text a reader sees.
    assert Service.objects.get(pk=ids(1006)).description == "Talk to us"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'[{"id": "x", "name": "Broken",',
            "This file is not valid JSON, so nothing was imported.",
        ),
        (
            b'[{"id": "x", "name": "Caf\xe9"}]',
            "This file is not UTF-8 text, so nothing was imported.",
        ),
    ],
    ids=["not json", "not utf-8"],
)
def test_a_file_that_is_not_utf_8_json_is_refused_with_a_message(client, manager, content, message):
    client.force_login(manager)
    response = upload(client, content)
    page = response.content.decode()
    assert response.status_code == 200 and not response.redirect_chain
    assert message in page
    assert not HSDSImport.objects.exists() and not Service.objects.exists()


def test_a_file_that_is_neither_json_nor_zip_is_refused_with_a_message(client, manager):
    client.force_login(manager)
    page = upload(client, b"name,description\nA,B\n", name="feed.csv").content.decode()
    assert "neither an HSDS JSON feed nor a zipped CSV datapackage" in page


def test_a_broken_or_foreign_zip_is_refused(client, manager):
    client.force_login(manager)
    page = upload(client, b"PK\x03\x04 not really a zip", name="feed.zip").content.decode()
    assert "damaged or incomplete" in page
    page = upload(client, zipped({"readme.txt": "hello"}), name="feed.zip").content.decode()
    assert "has no services.csv" in page
    assert not HSDSImport.objects.exists()


def test_malformed_csv_fails_the_import_and_writes_nothing(client, manager):
    client.force_login(manager)
    package = zipped(
        {
            "services.csv": "id,name,status,organization_id\n"
            f"{ids(1001)},Support,active,{ids(1)},one too many\n",
            "organizations.csv": f"id,name,description\n{ids(1)},Hospice,A hospice.\n",
        }
    )
    page = upload(client, package, name="feed.zip").content.decode()
    assert "Could not be read" in page
    assert "services.csv line 2: 5 values for 4 columns" in page
    assert not Service.objects.exists()
    assert HSDSImport.objects.get().status == HSDSImport.Status.FAILED


def test_an_upload_over_the_limit_is_refused_in_the_users_language(client, manager, settings):
    from wagtail.users.models import UserProfile

    client.force_login(manager)
    fifty_mb = b"[" + b" " * (50 * 1000 * 1000) + b"]"
    page = upload(client, fifty_mb).content.decode()
    assert "This file is 50.0 MB. The largest file you can import here is 20 MB" in page
    assert not HSDSImport.objects.exists()

    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "cy"
    profile.save()
    settings.DIRECTORY_IMPORT_MAX_UPLOAD_MB = 0.001
    page = upload(client, [service(1)]).content.decode()
    assert "Y ffeil fwyaf y gallwch ei mewnforio yma yw 0.001 MB" in page
    assert not Service.objects.exists()


def test_the_report_page_counts_unchanged_and_retired_services(client, manager):
    client.force_login(manager)
    upload(client, [service(1), service(2)])
    page = upload(client, [service(1), service(2, name="Support two")]).content.decode()
    assert "1 service unchanged" in page and "1 service updated" in page
    # A full feed from a harvested source retires the services it no longer lists.
    harvested = HSDSImport.objects.create(
        original_name="council.json",
        status=HSDSImport.Status.DONE,
        report={"created": 0, "updated": 0, "skipped": 0, "unchanged": 5, "retired": 3},
    )
    page = client.get(reverse("directory_hsds_import_result", args=[harvested.pk])).content
    page = page.decode()
    assert "5 services unchanged" in page and "3 services retired" in page
