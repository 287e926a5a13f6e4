"""Service areas drawn as shapes (GeoJSON): kept valid, found by searches near a place on
every engine, refused or left out when they hold no area, and kept by import and export.

The shape is the real boundary of Manchester local authority district (ONS, Open Government
Licence; tests/fixtures/geo/SOURCE.md).
"""

import json
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from shapely.geometry import shape

from core.geo import geocode
from directory.models import SearchArea, Service, ServiceArea
from directory.search import SearchQuery, search
from directory.search.engines.database import DatabaseEngine
from tests.directory import factories
from tests.directory.conftest import ENGINES, engine_holding
from tests.directory.test_import_hsds import ids, report_of, service

pytestmark = pytest.mark.django_db

BOUNDARY = Path(__file__).resolve().parent.parent / "fixtures" / "geo" / "manchester.geojson"
MANCHESTER = BOUNDARY.read_text()
MANCHESTER_SHAPE = shape(json.loads(MANCHESTER)["geometry"])
# Salford's centre: inside Manchester's bounding box, outside Manchester itself.
SALFORD = (53.4875, -2.2901)
# An L: its bounding box holds both places below, the shape only the first.
ELL = json.dumps(
    {
        "type": "Polygon",
        "coordinates": [
            [[-0.05, 51.38], [0.0, 51.38], [0.0, 51.45], [0.05, 51.45], [0.05, 51.50]]
            + [[-0.05, 51.50], [-0.05, 51.38]]
        ],
    }
)
NOT_AREAS = {
    "not json": "Manchester and around",
    "a line": json.dumps({"type": "LineString", "coordinates": [[-2.3, 53.4], [-2.2, 53.5]]}),
    "a point": json.dumps(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}
    ),
    "latitude first": json.dumps(
        {
            "type": "Polygon",
            "coordinates": [[[53.4, -2.3], [53.5, -2.3], [53.5, 200], [53.4, -2.3]]],
        }
    ),
    "no coordinates": json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1]]]}),
}


def near(postcode, **kwargs):
    place = geocode(postcode)
    return SearchQuery(
        latitude=place.latitude,
        longitude=place.longitude,
        district=place.district,
        radius_km=5,
        **kwargs,
    )


@pytest.fixture
def shaped(taxonomy):
    """A service whose only area is Manchester, and one at a place in Manchester."""
    visitors = factories.ServiceFactory(
        name="Bereavement Visitors",
        description="Volunteers who visit people at home after a death.",
        categories=[taxonomy["befriending"]],
    )
    factories.ServiceAreaFactory(
        service=visitors, name="Manchester", extent_type="geojson", extent=MANCHESTER
    )
    ell = factories.ServiceFactory(name="Ell Carers", categories=[taxonomy["carers-groups"]])
    factories.ServiceAreaFactory(service=ell, name="An L", extent_type="geojson", extent=ELL)
    services = {"visitors": visitors, "ell": ell}
    for one in services.values():
        one.refresh_from_db()
    return services


@pytest.fixture(params=ENGINES)
def shape_engine(request, shaped):
    return engine_holding(request, shaped.values())


def test_a_shape_is_stored_with_its_bounding_box(shaped):
    area = shaped["visitors"].service_areas.get()
    assert shape(json.loads(area.extent)).equals(MANCHESTER_SHAPE)  # the Feature's geometry
    south, west, north, east = (
        MANCHESTER_SHAPE.bounds[1],
        MANCHESTER_SHAPE.bounds[0],
        MANCHESTER_SHAPE.bounds[3],
        MANCHESTER_SHAPE.bounds[2],
    )
    assert (area.min_latitude, area.max_latitude) == (south, north)
    assert (area.min_longitude, area.max_longitude) == (west, east)
    indexed = SearchArea.objects.get(service=shaped["visitors"])
    assert (indexed.kind, indexed.min_latitude, indexed.max_longitude) == ("geojson", south, east)
    assert indexed.extent == ""  # the shape is read from the service's area when needed


def test_a_service_whose_shape_holds_the_place_reaches_it(gazetteer, shaped, shape_engine):
    results = search(near("M1 1AE"), shape_engine)
    assert results.ids == [shaped["visitors"].pk]
    assert results.hits[0].remote and results.hits[0].distance_km is None
    assert results.total == 1
    assert results.facets["befriending"] == 1 and "carers-groups" not in results.facets
    with_text = search(near("M1 1AE", text="visitors"), shape_engine)
    assert with_text.ids == [shaped["visitors"].pk]
    assert search(near("M1 1AE", text="carers"), shape_engine).total == 0
    assert search(near("M1 1AE", include_remote=False), shape_engine).total == 0


def test_a_shape_does_not_reach_places_outside_it(gazetteer, shaped, shape_engine):
    london = search(near("SW1A 1AA"), shape_engine)
    assert shaped["visitors"].pk not in london.ids and london.total == 0
    salford = SearchQuery(latitude=SALFORD[0], longitude=SALFORD[1], radius_km=5)
    assert search(salford, shape_engine).total == 0  # in the box, not in the shape


def test_the_shape_decides_not_its_bounding_box(shaped, shape_engine):
    inside = SearchQuery(latitude=51.4615, longitude=-0.0106, radius_km=2)
    in_the_notch = SearchQuery(latitude=51.40, longitude=0.02, radius_km=2)
    assert search(inside, shape_engine).ids == [shaped["ell"].pk]
    assert search(in_the_notch, shape_engine).total == 0


def test_both_engines_agree_on_shapes(gazetteer, shaped, search_settings):
    from directory.search.engines.elasticsearch import ElasticsearchEngine

    engine = ElasticsearchEngine()
    engine.prepare_for_tests(list(shaped.values()))
    for query in (
        near("M1 1AE"),
        near("M1 1AE", categories=("befriending",)),
        near("SW1A 1AA"),
        SearchQuery(latitude=51.4615, longitude=-0.0106, radius_km=2),
        SearchQuery(latitude=51.40, longitude=0.02, radius_km=2),
    ):
        expected, got = search(query, DatabaseEngine()), search(query, engine)
        assert (got.hits, got.total, got.facets) == (expected.hits, expected.total, expected.facets)


# -- made valid, or refused ------------------------------------------------------------------


def test_a_shape_that_crosses_itself_is_made_valid():
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 50], [1, 51], [1, 50], [0, 51], [0, 50]]]}
    area = factories.ServiceAreaFactory(extent_type="geojson", extent=json.dumps(bow_tie))
    area.full_clean()
    stored = shape(json.loads(area.extent))
    assert stored.is_valid and stored.geom_type == "MultiPolygon"
    assert stored.area == pytest.approx(0.5)


@pytest.mark.parametrize("extent", NOT_AREAS.values(), ids=NOT_AREAS.keys())
def test_the_admin_form_refuses_what_is_not_an_area(admin_user, taxonomy, extent):
    from directory.wagtail_hooks import ServiceViewSet

    organization = factories.OrganizationFactory()
    form_class = ServiceViewSet(name="test").get_form_class()
    data = {
        "organization": organization.pk,
        "name": "Visitors",
        "description": "We visit.",
        "status": "active",
    }
    blank = form_class(for_user=admin_user)
    for prefix in blank.formsets:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(
        {
            "service_areas-TOTAL_FORMS": "1",
            "service_areas-0-name": "Manchester",
            "service_areas-0-extent_type": "geojson",
            "service_areas-0-extent": extent,
            "service_areas-0-ORDER": "1",
        }
    )
    form = form_class(data=data, for_user=admin_user)
    assert not form.is_valid()
    errors = form.formsets["service_areas"].errors[0]
    assert list(errors) == ["extent"], errors
    assert any(
        words in errors["extent"][0]
        for words in ("not GeoJSON", "covers no area", "outside the map", "cannot be read")
    )

    data["service_areas-0-extent"] = MANCHESTER
    form = form_class(data=data, for_user=admin_user)
    assert form.is_valid(), (form.errors, form.formsets["service_areas"].errors)


def test_a_shape_is_checked_by_the_models_clean():
    area = factories.ServiceAreaFactory(extent_type=ServiceArea.NATIONAL)
    area.extent_type, area.extent = "geojson", NOT_AREAS["a line"]
    with pytest.raises(ValidationError) as refused:
        area.full_clean()
    assert "covers no area" in str(refused.value.message_dict["extent"])


# -- in and out ------------------------------------------------------------------------------


def manchester_area(extent=MANCHESTER):
    return {"id": ids(4001), "name": "Manchester", "extent_type": "geojson", "extent": extent}


def test_an_imported_shape_is_kept_and_searched(gazetteer, tmp_path):
    report = report_of(tmp_path, [service(1, service_areas=[manchester_area()])])
    assert (report["created"], report["skipped"]) == (1, 0)
    stored = Service.objects.get(pk=ids(1001))
    area = stored.service_areas.get()
    assert area.extent_type == ServiceArea.POLYGON
    assert shape(json.loads(area.extent)).equals(MANCHESTER_SHAPE)
    assert area.min_latitude == MANCHESTER_SHAPE.bounds[1]
    # The service is at a place in Lewisham; in Manchester its area reaches.
    hits = search(near("M1 1AE")).hits
    assert [(hit.service_id, hit.remote) for hit in hits] == [(stored.pk, True)]


@pytest.mark.parametrize("extent", NOT_AREAS.values(), ids=NOT_AREAS.keys())
def test_an_imported_shape_that_is_no_area_is_left_out_with_a_warning(db, tmp_path, extent):
    report = report_of(tmp_path, [service(1, service_areas=[manchester_area(extent)])])
    assert (report["created"], report["skipped"]) == (1, 0)
    warnings = [w for w in report["warnings"] if w["field"] == "service_areas[0].extent"]
    assert len(warnings) == 1 and "left out" in warnings[0]["message"], report["warnings"]
    assert warnings[0]["id"] == ids(1001)
    assert not ServiceArea.objects.exists()
    assert Service.objects.filter(pk=ids(1001)).exists()


def test_a_geojson_area_without_a_shape_is_kept_as_a_named_region(db, tmp_path):
    report = report_of(tmp_path, [service(1, service_areas=[manchester_area("")])])
    assert (report["created"], report["skipped"]) == (1, 0)
    area = ServiceArea.objects.get()
    assert (area.name, area.extent_type, area.extent) == ("Manchester", ServiceArea.REGION, "")


def test_a_shape_given_as_a_json_object_is_read(db, tmp_path):
    extent = json.loads(MANCHESTER)
    report_of(tmp_path, [service(1, service_areas=[manchester_area(extent)])])
    area = ServiceArea.objects.get()
    assert area.extent_type == ServiceArea.POLYGON
    assert shape(json.loads(area.extent)).equals(MANCHESTER_SHAPE)


def test_the_api_gives_the_shape_back_and_it_imports_again(client, shaped, tmp_path):
    visitors = shaped["visitors"]
    data = client.get(f"/api/hsds/services/{visitors.pk}").json()
    (area,) = data["service_areas"]
    assert area["extent_type"] == "geojson"
    assert shape(json.loads(area["extent"])).equals(MANCHESTER_SHAPE)
    ServiceArea.objects.all().delete()
    Service.objects.all().delete()
    report = report_of(tmp_path, [data])
    assert (report["created"], report["errors"]) == (1, [])
    again = ServiceArea.objects.get(service_id=uuid.UUID(data["id"]))
    assert again.extent_type == ServiceArea.POLYGON
    assert again.extent == area["extent"]
    assert shape(json.loads(again.extent)).equals(MANCHESTER_SHAPE)
