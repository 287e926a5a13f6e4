"""The open Open Referral API at /api/hsds/: schema-valid answers, filters, paging and errors."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from tests.directory import factories
from tests.directory.conftest import LEWISHAM
from tests.directory.test_hsds_serialize import assert_valid, build_full_service

pytestmark = pytest.mark.django_db

API = "/api/hsds"


@pytest.fixture
def full_service(corpus):
    return build_full_service()


def get(client, path, status=200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def ids(page):
    return [item["id"] for item in page["contents"]]


def assert_page(page, item_schema, profiles=("hsds", "oruk")):
    assert set(page) == {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    for item in page["contents"]:
        assert_valid(item, item_schema, profiles)


def test_root_says_which_version_and_profile(client):
    data = get(client, "/")
    assert data == {
        "version": "3.0",
        "profile": "https://open-referral-uk-profile.readthedocs.io/en/latest/",
        "openapi_url": "http://testserver/api/hsds/openapi.json",
    }


def test_openapi_document_and_docs_page(client):
    document = get(client, "/openapi.json")
    assert {"/services", "/services/{id}", "/taxonomy_terms"} <= set(document["paths"])
    response = client.get(API + "/docs")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_openapi_document_gives_each_parameter_its_type_and_bounds(client):
    document = get(client, "/openapi.json")
    operation = document["paths"]["/services"]["get"]
    schemas = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
    assert {"page", "per_page", "text", "postcode", "day", "minimal"} <= set(schemas)
    assert (schemas["page"]["minimum"], schemas["page"]["maximum"]) == (1, 10000)
    assert {"type": "string", "format": "uuid"} in schemas["organization_id"]["anyOf"]
    [lat, _null] = schemas["lat"]["anyOf"]
    assert (lat["minimum"], lat["maximum"]) == (-90, 90)


def test_services_list_is_valid_and_lists_only_active_services(client, corpus):
    page = get(client, "/services")
    assert_page(page, "compiled/service_list.json")
    assert corpus["closed"].name not in [s["name"] for s in page["contents"]]
    assert page["total_items"] == 6
    assert all(s["status"] == "active" for s in page["contents"])
    # Lists hold one-to-one fields and the organisation only.
    assert "schedules" not in page["contents"][0]
    assert "organization" in page["contents"][0]


def test_full_and_minimal_lists(client, corpus):
    full = get(client, "/services", full="true")
    assert_page(full, "compiled/service.json")
    assert "schedules" in full["contents"][0]
    minimal = get(client, "/services", minimal="true")
    assert [set(item) for item in minimal["contents"]] == [{"id", "last_modified"}] * 6
    assert ids(minimal) == ids(full)


def test_pagination_maths(client, corpus):
    first = get(client, "/services", per_page=4)
    assert (first["total_items"], first["total_pages"], first["page_number"]) == (6, 2, 1)
    assert (first["size"], first["first_page"], first["last_page"], first["empty"]) == (
        4,
        True,
        False,
        False,
    )
    second = get(client, "/services", per_page=4, page=2)
    assert (second["size"], second["first_page"], second["last_page"]) == (2, False, True)
    assert not set(ids(first)) & set(ids(second))
    beyond = get(client, "/services", per_page=4, page=3)
    assert (beyond["size"], beyond["empty"], beyond["last_page"], beyond["contents"]) == (
        0,
        True,
        True,
        [],
    )
    nothing = get(client, "/services", text="zebra")
    assert (nothing["total_items"], nothing["total_pages"], nothing["empty"]) == (0, 1, True)


def test_service_detail_is_fully_nested_and_valid(client, full_service):
    data = get(client, f"/services/{full_service.pk}")
    assert_valid(data, "compiled/service.json")
    assert data["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "SE13 6LH"
    assert data["organization"]["organization_identifiers"][0]["identifier"] == "1012345"
    assert {a["taxonomy_term"]["code"] for a in data["attributes"] if "taxonomy_term" in a} == {
        "grief"
    }


def test_the_api_publishes_no_people(client, full_service, django_user_model):
    editor = django_user_model.objects.create_user("editor", "editor@stexample.org.uk", "x")
    full_service.organization.editors.add(editor)
    factories.ServiceFactory(organization=full_service.organization)
    urls = [
        f"/services/{full_service.pk}",
        "/services?full=true",
        f"/organizations/{full_service.organization_id}?full_service=true",
        "/organizations?full=true",
        "/service_at_locations?full=true",
        f"/service_at_locations/{ServiceAtLocation.objects.get(service=full_service).pk}",
    ]
    for url in urls:
        response = client.get(API + url)
        assert response.status_code == 200
        text = response.content.decode()
        assert "editor" not in text
        assert "verifier@stexample.org.uk" not in text and "assurer_email" not in text


def test_filters_combine_with_and(client, corpus, taxonomy):
    counselling = str(taxonomy["bereavement-counselling"].pk)
    by_term = get(client, "/services", taxonomy_term_id=counselling)
    assert set(ids(by_term)) == {str(corpus["counselling"].pk), str(corpus["helpline"].pk)}
    narrowed = get(client, "/services", taxonomy_term_id=counselling, language="ur")
    assert ids(narrowed) == [str(corpus["counselling"].pk)]
    still = get(client, "/services", taxonomy_term_id=counselling, language="ur", free="true")
    assert ids(still) == [str(corpus["counselling"].pk)]
    too_young = get(client, "/services", taxonomy_term_id=counselling, language="ur", age=10)
    assert too_young["total_items"] == 0
    text_and_free = get(client, "/services", text="carers")
    assert ids(text_and_free) == [str(corpus["carers"].pk)]
    assert get(client, "/services", text="carers", free="true")["total_items"] == 0
    # The UK profile's name for the text parameter works too.
    assert ids(get(client, "/services", search="carers")) == [str(corpus["carers"].pk)]


def test_taxonomy_filters(client, corpus, taxonomy):
    starter = taxonomy["bereavement-counselling"].taxonomy_id
    assert get(client, "/services", taxonomy_id=str(starter))["total_items"] == 6
    empty = Taxonomy.objects.create(name="Unused")
    assert get(client, "/services", taxonomy_id=str(empty.pk))["total_items"] == 0
    unknown = "00000000-0000-4000-8000-000000000000"
    assert get(client, "/services", taxonomy_term_id=unknown)["total_items"] == 0
    term = str(taxonomy["hospice"].pk)
    assert ids(get(client, "/services", taxonomy_term_id=term, taxonomy_id=str(starter))) == [
        str(corpus["hospice"].pk)
    ]
    assert (
        get(client, "/services", taxonomy_term_id=term, taxonomy_id=str(empty.pk))["total_items"]
        == 0
    )


def test_organization_filter(client, corpus):
    org = corpus["carers"].organization_id
    assert ids(get(client, "/services", organization_id=str(org))) == [str(corpus["carers"].pk)]


def test_modified_after_includes_the_moment_itself(client, corpus):
    old = timezone.now() - dt.timedelta(days=30)
    Service.objects.exclude(pk=corpus["hospice"].pk).update(last_modified=old)
    hospice = Service.objects.get(pk=corpus["hospice"].pk)
    since = hospice.last_modified.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    assert ids(get(client, "/services", modified_after=since)) == [str(hospice.pk)]
    day_before = (old - dt.timedelta(days=1)).date().isoformat()
    assert get(client, "/services", modified_after=day_before)["total_items"] == 6
    a_second_later = (hospice.last_modified + dt.timedelta(seconds=1)).isoformat()
    assert get(client, "/services", modified_after=a_second_later)["total_items"] == 0


def test_services_near_a_postcode_are_ordered_as_the_site_orders_them(client, corpus, gazetteer):
    page = get(client, "/services", postcode="SE13", proximity=5000)
    order = ["counselling", "children", "helpline", "district"]
    assert ids(page) == [str(corpus[name].pk) for name in order]
    wider = get(client, "/services", postcode="SE13", proximity=15000)
    assert str(corpus["carers"].pk) in ids(wider)


def test_service_at_locations_nearest_first(client, corpus):
    params = {"lat": LEWISHAM[0], "lon": LEWISHAM[1]}
    near = get(client, "/service_at_locations", radius=5, **params)
    assert_page(near, "compiled/service_at_location_list.json")
    assert [sal["service_id"] for sal in near["contents"]] == [
        str(corpus["counselling"].pk),
        str(corpus["children"].pk),
    ]
    wider = get(client, "/service_at_locations", proximity=15000, **params)
    assert [sal["service_id"] for sal in wider["contents"]] == [
        str(corpus[name].pk) for name in ("counselling", "children", "carers")
    ]
    everywhere = get(client, "/service_at_locations", per_page=2)
    assert everywhere["total_items"] == 4  # every active service's location, Leeds included
    assert everywhere["total_pages"] == 2
    inactive = str(corpus["closed"].service_at_locations.get().pk)
    assert inactive not in ids(everywhere) + ids(
        get(client, "/service_at_locations", page=2, per_page=2)
    )
    filtered = get(client, "/service_at_locations", text="hospice")
    assert [sal["service_id"] for sal in filtered["contents"]] == [str(corpus["hospice"].pk)]


def test_service_at_location_detail(client, full_service):
    sal = ServiceAtLocation.objects.get(service=full_service)
    data = get(client, f"/service_at_locations/{sal.pk}")
    assert_valid(data, "compiled/service_at_location.json")
    assert data["service"]["id"] == str(full_service.pk)
    assert data["location"]["accessibility"]
    listed = get(
        client,
        "/service_at_locations",
        full="true",
        organization_id=str(full_service.organization_id),
    )
    assert_page(listed, "compiled/service_at_location.json")


def test_taxonomies_and_terms(client, taxonomy):
    taxonomies = get(client, "/taxonomies")
    assert_page(taxonomies, "taxonomy.json")
    [starter] = taxonomies["contents"]
    one = get(client, f"/taxonomies/{starter['id']}")
    assert_valid(one, "taxonomy.json")
    assert len(one["taxonomy_terms"]) == TaxonomyTerm.objects.count()

    terms = get(client, "/taxonomy_terms", per_page=100)
    assert_page(terms, "taxonomy_term.json")
    assert terms["total_items"] == TaxonomyTerm.objects.count()
    top = get(client, "/taxonomy_terms", top_only="true", per_page=100)
    assert top["total_items"] == TaxonomyTerm.objects.filter(parent__isnull=True).count()
    assert all("parent_id" not in term for term in top["contents"])
    parent = taxonomy["childrens-grief"].parent
    children = get(client, "/taxonomy_terms", parent_id=str(parent.pk), per_page=100)
    assert {t["code"] for t in children["contents"]} == set(
        parent.children.values_list("code", flat=True)
    )
    other = Taxonomy.objects.create(name="Other")
    TaxonomyTerm.objects.create(taxonomy=other, code="x", name="X")
    assert ids(get(client, "/taxonomy_terms", taxonomy_id=str(other.pk))) == [
        str(other.terms.get().pk)
    ]
    term = get(client, f"/taxonomy_terms/{taxonomy['hospice'].pk}")
    assert_valid(term, "taxonomy_term.json")
    assert term["taxonomy_detail"]["id"] == starter["id"]


def test_organizations(client, corpus, full_service):
    inactive_only = corpus["closed"].organization
    listed = get(client, "/organizations", per_page=100)
    assert_page(listed, "compiled/organization_list.json")
    assert str(inactive_only.pk) not in ids(listed)
    assert str(full_service.organization_id) in ids(listed)
    nested = get(client, "/organizations", full="true", text="Example")
    assert_page(nested, "compiled/organization.json")
    one = get(client, f"/organizations/{full_service.organization_id}")
    assert_valid(one, "compiled/organization.json")
    assert [s["id"] for s in one["services"]] == [str(full_service.pk)]
    assert "schedules" not in one["services"][0]
    full = get(client, f"/organizations/{full_service.organization_id}", full_service="true")
    assert_valid(full, "compiled/organization.json")
    assert full["services"][0]["schedules"]
    get(client, f"/organizations/{inactive_only.pk}", status=404)


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("/services", {"postcode": "ZZ99 9ZZ"}, ""),
        ("/services", {"lat": 100, "lon": 0}, "lat must be between"),
        ("/services", {"lat": 51.5}, "both lat and lon"),
        ("/services", {"page": 0}, "page must be 1 or more"),
        ("/services", {"page": "two"}, "page"),
        ("/services", {"organization_id": "not-a-uuid"}, "organization_id must be a UUID"),
        ("/services", {"taxonomy_term_id": "123"}, "taxonomy_term_id must be a UUID"),
        ("/services", {"modified_after": "yesterday"}, "modified_after must be an ISO 8601"),
        ("/services", {"modified_after": "2025-13-45"}, "modified_after must be an ISO 8601"),
        ("/services", {"minimal": "true", "full": "true"}, "either minimal or full"),
        ("/services", {"proximity": 1000}, "need a postcode"),
        ("/services", {"lat": 51.5, "lon": 0, "radius": 500}, "radius is in kilometres"),
        ("/services", {"age": 200}, "age must be between"),
        ("/service_at_locations", {"postcode": "SE13", "proximity": -5}, "proximity is in metres"),
        ("/taxonomy_terms", {"parent_id": "x"}, "parent_id must be a UUID"),
        ("/organizations", {"page": -1}, "page must be 1 or more"),
    ],
)
def test_bad_input_gets_400_with_a_clear_message(client, gazetteer, path, params, words):
    data = get(client, path, status=400, **params)
    assert isinstance(data["detail"], str) and data["detail"]
    assert words in data["detail"]


def test_unknown_postcode_suggests_alternatives(client, gazetteer):
    data = get(client, "/services", status=400, postcode="SE133")
    assert data["detail"]
    assert isinstance(data["suggestions"], list)


@pytest.mark.parametrize(
    "path",
    ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms", "/organizations"],
)
@pytest.mark.parametrize("bad_id", ["00000000-0000-4000-8000-000000000000", "not-a-uuid"])
def test_unknown_ids_get_404_json(client, taxonomy, path, bad_id):
    data = get(client, f"{path}/{bad_id}", status=404)
    assert isinstance(data["detail"], str)


def test_inactive_service_is_not_found(client, corpus):
    get(client, f"/services/{corpus['closed'].pk}", status=404)
    sal = corpus["closed"].service_at_locations.get()
    get(client, f"/service_at_locations/{sal.pk}", status=404)


def test_unknown_api_path_is_404_json_not_a_language_redirect(client):
    assert get(client, "/nothing/here", status=404)["detail"]


def test_preflight_requests_are_answered(client):
    response = client.options(
        API + "/services",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_only_the_api_is_shared_across_origins(client, db):
    api = client.get(API + "/", HTTP_ORIGIN="https://example.org")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "origin" in api["Vary"].lower()
    for url in ("/en/", "/healthz", "/sitemap.xml"):
        response = client.get(url, HTTP_ORIGIN="https://example.org")
        assert "Access-Control-Allow-Origin" not in response, url
    preflight = client.options(
        "/en/", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_a_full_page_of_services_takes_a_constant_number_of_queries(
    client, corpus, django_assert_max_num_queries
):
    with factories.indexed_at_the_end():
        for n in range(30):
            factories.ServiceFactory(name=f"Extra {n}", at=[LEWISHAM])
    with django_assert_max_num_queries(26):
        page = get(client, "/services", full="true", per_page=50)
    assert page["size"] == 36
    sal_count = ServiceAtLocation.objects.filter(service__status="active").count()
    with django_assert_max_num_queries(30):
        sals = get(client, "/service_at_locations", full="true", per_page=50)
    assert sals["size"] == sal_count


def test_responses_are_json_documents(client, corpus):
    body = client.get(API + "/services").content
    assert json.loads(body)["contents"]


def names(page):
    return sorted(item["name"] for item in page["contents"])


def sal_names(page):
    return sorted(item["service"]["name"] for item in page["contents"])


def test_uk_profile_age_filters(client, corpus):
    counselling, children = corpus["counselling"].name, corpus["children"].name
    assert names(get(client, "/services", minimum_age=5)) == sorted([counselling, children])
    assert names(get(client, "/services", minimum_age=10)) == [counselling]
    assert names(get(client, "/services", maximum_age=16)) == [children]
    assert get(client, "/services", maximum_age=15)["total_items"] == 0
    both = get(client, "/services", minimum_age=5, maximum_age=16, full="true")
    assert names(both) == [children]
    assert_page(both, "compiled/service.json")


def test_uk_profile_day_and_time_filters(client, corpus):
    counselling, children = corpus["counselling"].name, corpus["children"].name
    hospice = corpus["hospice"].name
    assert names(get(client, "/services", day="SA")) == sorted([children, hospice])
    assert names(get(client, "/services", day="saturday")) == sorted([children, hospice])
    assert names(get(client, "/services", day="mo")) == sorted([counselling, hospice])
    # One schedule must match the day and the times together.
    assert names(get(client, "/services", day="MO", start_time="08:00")) == [counselling]
    assert names(get(client, "/services", end_time="12:00")) == [children]
    assert get(client, "/services", day="SA", start_time="11:00")["total_items"] == 0
    # Paging counts only what passes the filters.
    first = get(client, "/services", day="SA", per_page=1)
    second = get(client, "/services", day="SA", per_page=1, page=2)
    assert (first["total_items"], first["total_pages"], second["last_page"]) == (2, 2, True)
    assert sorted(names(first) + names(second)) == sorted([children, hospice])
    assert_page(first, "compiled/service_list.json")
    minimal = get(client, "/services", day="SA", minimal="true")
    assert len(minimal["contents"]) == 2 and "last_modified" in minimal["contents"][0]


def test_uk_profile_filters_ask_the_engine_for_one_page(client, corpus, monkeypatch):
    """The engine answers the age, day and time filters: the API asks it for the page
    shown and nothing more, and the total is the engine's."""
    import directory.api
    from directory.search import search

    asked = []

    def counted(query, engine=None):
        asked.append(query)
        return search(query, engine)

    monkeypatch.setattr(directory.api, "search", counted)
    page = get(client, "/services", day="SA", minimum_age=5, per_page=1, page=1)
    assert names(page) == [corpus["children"].name]
    assert (page["total_items"], page["total_pages"]) == (1, 1)
    assert [(q.page, q.page_size) for q in asked] == [(1, 1)]
    assert asked[0].minimum_age == 5 and asked[0].schedule.day == "SA"
    asked.clear()
    second = get(client, "/services", maximum_age=16, start_time="09:30", per_page=2, page=2)
    # Only the Saturday group opens at or after 09:30: one service, and page 2 is empty.
    assert second["total_items"] == 1 and second["contents"] == []
    assert [(q.page, q.page_size) for q in asked] == [(2, 2)]


def test_uk_profile_ages_are_whole_years(client, corpus):
    counselling, children = corpus["counselling"].name, corpus["children"].name
    assert names(get(client, "/services", minimum_age=4.5)) == sorted([counselling, children])
    assert names(get(client, "/services", minimum_age=5.5)) == [counselling]
    assert names(get(client, "/services", maximum_age=16.5)) == [children]
    assert get(client, "/services", maximum_age=15.9)["total_items"] == 0


def test_uk_profile_filters_on_service_at_locations(client, corpus):
    children, hospice = corpus["children"].name, corpus["hospice"].name
    page = get(client, "/service_at_locations", day="SA", full="true")
    assert sal_names(page) == sorted([children, hospice])
    assert_page(page, "compiled/service_at_location.json")
    listed = get(client, "/service_at_locations", minimum_age=5, maximum_age=16)
    assert sal_names(listed) == [children] and listed["total_items"] == 1
    assert_page(listed, "compiled/service_at_location_list.json")


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"day": "funday"}, "day must be one of MO, TU, WE, TH, FR, SA, SU"),
        ({"start_time": "25:00"}, "start_time must be a time such as 09:30"),
        ({"end_time": "teatime"}, "end_time must be a time such as 09:30"),
        ({"minimum_age": 200}, "minimum_age must be between 0 and 130"),
        ({"maximum_age": -1}, "maximum_age must be between 0 and 130"),
        ({"minimum_age": "old"}, "minimum_age is not a valid value"),
    ],
)
def test_bad_uk_profile_filters_get_400(client, taxonomy, params, words):
    for path in ("/services", "/service_at_locations"):
        assert words in get(client, path, status=400, **params)["detail"]


def test_api_errors_follow_accept_language(client, taxonomy):
    from django.utils import translation

    response = client.get(API + "/services", {"page": 0}, HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 400
    with translation.override("cy"):
        expected = translation.gettext("page must be 1 or more.")
    assert expected != "page must be 1 or more."
    assert response.json()["detail"] == expected
    english = client.get(API + "/services", {"page": 0}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "page must be 1 or more."
    welsh_404 = client.get(API + "/services/not-a-uuid", HTTP_ACCEPT_LANGUAGE="cy").json()
    assert welsh_404["detail"] != "Not found: that is not a valid id."


SEARCH_BAD_PARAMS = [
    {"page": "9223372036854775808"},
    {"page": "9" * 40},
    {"modified_after": "0001-01-01T00:00:00+14:00"},
    {"modified_after": "9999-12-31"},
    {"text": "care\x00"},
    {"language": "e\x00n"},
    {"postcode": "SE13\x00"},
    {"text": "\u202eevil"},
]
LIST_BAD_PARAMS = [{"page": "9" * 40}, {"text": "care\x00"}, {"search": "\u202eevil"}]


@pytest.mark.parametrize(
    "path, params",
    [("services", p) for p in SEARCH_BAD_PARAMS]
    + [("service_at_locations", p) for p in SEARCH_BAD_PARAMS]
    + [
        (path, p)
        for path in ("organizations", "taxonomies", "taxonomy_terms")
        for p in LIST_BAD_PARAMS
    ],
)
def test_out_of_range_numbers_dates_and_control_characters_get_a_400(client, corpus, path, params):
    response = client.get(f"/api/hsds/{path}", params, HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail and "Traceback" not in detail
