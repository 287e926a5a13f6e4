"""Terms of other taxonomies (a council feed's LGA service types, say) are kept with their
taxonomy and, once an editor says which of this site's categories each belongs under, their
services are found and counted under it by every engine."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from directory.models import Service, Taxonomy, TaxonomyTerm
from directory.search import SearchQuery, search
from tests.directory.conftest import LEWISHAM
from tests.directory.test_import_hsds import ids, service

pytestmark = pytest.mark.django_db

# A term in the shape councils publish LGA (esd) service types: its taxonomy named and
# identified by URI, the term by its code and URI there. Written for these tests.
LGA = {"id": ids(13100), "name": "LGA service types", "uri": "http://id.esd.org.uk/list/services"}
LOSS_SUPPORT = {
    "id": ids(12100),
    "code": "esd-service-1001",
    "name": "Support after a death",
    "description": "",
    "term_uri": "http://id.esd.org.uk/service/1001",
    "taxonomy_detail": LGA,
}


def council_feed():
    record = service(
        1,
        name="Lewisham Loss Café",
        description="A monthly café for people living with loss.",
        service_areas=[],
    )
    record["service_at_locations"][0]["location"].update(
        latitude=LEWISHAM[0], longitude=LEWISHAM[1]
    )
    record["attributes"] = [{"id": ids(11100), "taxonomy_term": LOSS_SUPPORT}]
    return [record]


def import_feed(tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "council.json"
    path.write_text(json.dumps(council_feed()), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_hsds", str(path), "--no-progress", stdout=StringIO())
    return Service.objects.get(pk=ids(1001))


def near_lewisham(**kwargs):
    return SearchQuery(latitude=LEWISHAM[0], longitude=LEWISHAM[1], district="SE13", **kwargs)


def found(engine, **kwargs):
    return [hit.service_id for hit in search(near_lewisham(radius_km=5, **kwargs), engine).hits]


def map_term(django_capture_on_commit_callbacks, code):
    term = TaxonomyTerm.objects.get(pk=LOSS_SUPPORT["id"])
    term.maps_to = TaxonomyTerm.objects.get(code=code, taxonomy__name__startswith="Compassionate")
    term.full_clean()
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    return term


def test_the_imported_term_is_kept_with_its_own_taxonomy(
    tmp_path, taxonomy, django_capture_on_commit_callbacks
):
    cafe = import_feed(tmp_path, django_capture_on_commit_callbacks)
    term = cafe.categories.get()
    assert (term.code, term.term_uri, term.taxonomy.name, term.taxonomy.uri) == (
        "esd-service-1001",
        "http://id.esd.org.uk/service/1001",
        "LGA service types",
        "http://id.esd.org.uk/list/services",
    )
    assert term.maps_to is None


def test_a_mapped_term_files_its_services_under_our_category_and_its_parents(
    tmp_path, engine, corpus, django_capture_on_commit_callbacks
):
    cafe = import_feed(tmp_path, django_capture_on_commit_callbacks)
    if hasattr(engine, "prepare_for_tests"):
        engine.prepare_for_tests([*corpus.values(), cafe])
    before = search(near_lewisham(radius_km=5), engine)
    assert cafe.pk in [hit.service_id for hit in before.hits]
    assert cafe.pk not in found(engine, categories=["bereavement"])
    assert "bereavement-counselling" in before.facets
    counted_before = before.facets.get("bereavement", 0)

    map_term(django_capture_on_commit_callbacks, "bereavement-counselling")
    if hasattr(engine, "prepare_for_tests"):
        engine.prepare_for_tests([*corpus.values(), cafe])

    # Found under the category it maps to and under that category's parent.
    assert cafe.pk in found(engine, categories=["bereavement-counselling"])
    assert cafe.pk in found(engine, categories=["bereavement"])
    assert cafe.pk not in found(engine, categories=["carers-groups"])
    after = search(near_lewisham(radius_km=5), engine)
    assert after.facets["bereavement"] == counted_before + 1
    # Still found under its own term too.
    assert cafe.pk in found(engine, categories=["esd-service-1001"])


def test_unmapping_takes_the_services_out_again(
    tmp_path, taxonomy, django_capture_on_commit_callbacks
):
    cafe = import_feed(tmp_path, django_capture_on_commit_callbacks)
    term = map_term(django_capture_on_commit_callbacks, "bereavement-counselling")
    assert cafe.pk in found(None, categories=["bereavement"])
    term.maps_to = None
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    assert cafe.pk not in found(None, categories=["bereavement"])


def test_a_reimport_keeps_the_mapping_and_the_export_keeps_the_feeds_own_term(
    tmp_path, taxonomy, client, django_capture_on_commit_callbacks
):
    import_feed(tmp_path, django_capture_on_commit_callbacks)
    map_term(django_capture_on_commit_callbacks, "bereavement-counselling")
    cafe = import_feed(tmp_path, django_capture_on_commit_callbacks)
    assert TaxonomyTerm.objects.get(pk=LOSS_SUPPORT["id"]).maps_to.code == "bereavement-counselling"
    assert cafe.pk in found(None, categories=["bereavement"])

    body = client.get(f"/api/hsds/services/{cafe.pk}").json()
    terms = [a["taxonomy_term"] for a in body["attributes"] if a.get("taxonomy_term")]
    assert [(t["id"], t["code"]) for t in terms] == [(LOSS_SUPPORT["id"], "esd-service-1001")]


def test_a_term_cannot_map_into_its_own_taxonomy_or_onto_a_mapped_term(
    tmp_path, taxonomy, django_capture_on_commit_callbacks
):
    import_feed(tmp_path, django_capture_on_commit_callbacks)
    term = TaxonomyTerm.objects.get(pk=LOSS_SUPPORT["id"])
    sibling = TaxonomyTerm.objects.create(taxonomy=term.taxonomy, code="esd-2", name="Other")
    term.maps_to = sibling
    with pytest.raises(ValidationError, match="another taxonomy"):
        term.full_clean()

    ours = taxonomy["bereavement-counselling"]
    needs = Taxonomy.objects.create(name="LGA needs")
    need = TaxonomyTerm.objects.create(taxonomy=needs, code="need-1", name="Grief", maps_to=ours)
    term.maps_to = need
    with pytest.raises(ValidationError, match="itself found under another"):
        term.full_clean()
    ours.maps_to = term
    with pytest.raises(ValidationError, match="found under this one already"):
        ours.full_clean()


def test_editors_map_a_term_in_the_admin(
    tmp_path, admin_client, taxonomy, django_capture_on_commit_callbacks
):
    import_feed(tmp_path, django_capture_on_commit_callbacks)
    term = TaxonomyTerm.objects.get(pk=LOSS_SUPPORT["id"])
    url = reverse("wagtailsnippets_directory_taxonomyterm:edit", args=[term.pk])
    page = admin_client.get(url).content.decode()
    # The choices are grouped by taxonomy and leave out the term's own.
    assert '<optgroup label="Compassionate Communities services">' in page
    assert '<optgroup label="LGA service types">' not in page

    target = taxonomy["bereavement-counselling"]
    form = {
        "taxonomy": term.taxonomy_id,
        "name": term.name,
        "code": term.code,
        "description": "",
        "parent": "",
        "maps_to": target.pk,
        "term_uri": term.term_uri,
        "language": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, form)
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.maps_to == target
    assert ids(1001) in [str(pk) for pk in found(None, categories=["bereavement"])]

    # A term of the site's own taxonomy may not be put under another of its own.
    mine = taxonomy["hospice"]
    response = admin_client.post(
        reverse("wagtailsnippets_directory_taxonomyterm:edit", args=[mine.pk]),
        {
            **form,
            "taxonomy": mine.taxonomy_id,
            "name": mine.name,
            "code": mine.code,
            "term_uri": "",
            "maps_to": target.pk,
        },
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.maps_to is None
