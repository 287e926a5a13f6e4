"""The database engine's search index (directory.indexing) stays in step with the data:
saves, deletes, status changes, moved locations and category changes; a full rebuild writes
exactly what incremental upkeep wrote."""

import math
import random
import uuid
from collections import Counter

import pytest
from django.db import connection
from django.db.models import F

from core.geo import distance_km
from directory import indexing
from directory.hsds.importer import fast_delete
from directory.models import (
    IndexVersion,
    Location,
    SearchArea,
    SearchCategorySet,
    SearchCell,
    SearchPoint,
    Service,
    ServiceCategory,
)
from directory.search import SearchQuery, search
from directory.search.fulltext import indexed_terms
from directory.search.points import cell_of
from directory.search.text import weighted_terms
from tests.concurrency import needs_postgresql
from tests.directory import factories
from tests.directory.conftest import DEPTFORD, LEEDS, LEWISHAM

pytestmark = pytest.mark.django_db


def index_rows():
    """Every row of the index tables, without their own ids."""
    return {
        "terms": {(key, frozenset(terms.items())) for key, terms in indexed_terms().items()},
        "categories": set(ServiceCategory.objects.values_list("service_id", "term_id", "name")),
        "points": set(
            SearchPoint.objects.values_list(
                "service_id",
                "location_id",
                "latitude",
                "longitude",
                "categories",
                "service_key",
                "step_free",
                "accessible_toilet",
                "hearing_loop",
                "parking",
                "shared",
                "category_set",
            )
        ),
        "areas": set(
            SearchArea.objects.values_list(
                "service_id", "kind", "extent", "name", "categories", "service_key", "located"
            )
        ),
    }


def near(latitude, longitude, **kwargs):
    return SearchQuery(latitude=latitude, longitude=longitude, **kwargs)


def test_located_active_services_have_points_and_remote_ones_areas(corpus):
    counselling = corpus["counselling"]
    point = SearchPoint.objects.get(service=counselling)
    assert (point.latitude, point.longitude) == LEWISHAM
    filed = set(ServiceCategory.objects.filter(service=counselling).values_list("term__code"))
    assert filed == {("bereavement-counselling",), ("bereavement",)}  # the parent is filed too
    for term_id in ServiceCategory.objects.filter(service=counselling).values_list(
        "term_id", flat=True
    ):
        assert f",{term_id.hex}," in point.categories
    assert not SearchPoint.objects.filter(service=corpus["closed"]).exists()
    assert not ServiceCategory.objects.filter(service=corpus["closed"]).exists()
    helpline_kinds = set(
        SearchArea.objects.filter(service=corpus["helpline"]).values_list("kind", flat=True)
    )
    assert helpline_kinds == {"anywhere"}  # its national area makes it reachable from anywhere
    district = SearchArea.objects.get(service=corpus["district"])
    assert (district.kind, district.extent, district.name) == (
        "districts",
        "SE13, SE6",
        "SE13 Befriending",
    )


def test_status_changes_take_a_service_out_of_the_index_and_back(corpus):
    counselling = corpus["counselling"]
    counselling.status = "temporarily closed"
    counselling.save()
    assert not SearchPoint.objects.filter(service=counselling).exists()
    assert not ServiceCategory.objects.filter(service=counselling).exists()
    key = Service.objects.get(pk=counselling.pk).search_key
    assert key in indexed_terms()  # terms stay, unlisted
    assert counselling.pk not in search(near(*LEWISHAM, radius_km=5)).ids
    counselling.status = "active"
    counselling.save()
    assert SearchPoint.objects.filter(service=counselling).count() == 1
    assert search(near(*LEWISHAM, radius_km=5)).ids[0] == counselling.pk


def test_a_renamed_service_is_reordered_and_a_deleted_one_leaves_no_rows(corpus):
    helpline = corpus["helpline"]
    helpline.name = "Aaa Grief Helpline"
    helpline.save()
    assert set(SearchArea.objects.filter(service=helpline).values_list("name", flat=True)) == {
        "Aaa Grief Helpline"
    }
    assert ServiceCategory.objects.filter(service=helpline, name="Aaa Grief Helpline").exists()
    pk = corpus["counselling"].pk
    key = Service.objects.get(pk=pk).search_key
    assert key in indexed_terms()
    corpus["counselling"].delete()
    for model in (SearchPoint, ServiceCategory, SearchArea):
        assert not model.objects.filter(service_id=pk).exists()
    assert key not in indexed_terms()  # filed under its key


def test_search_keys_are_handed_out_in_order_once_and_kept(corpus):
    keys = dict(Service.objects.values_list("pk", "search_key"))
    assert sorted(keys.values()) == list(range(1, len(keys) + 1))
    # Every service's terms are filed under its key.
    assert set(indexed_terms()) == set(keys.values())
    indexing.rebuild()
    indexing.index_services(list(keys))
    assert dict(Service.objects.values_list("pk", "search_key")) == keys
    # A service indexed for the first time takes the next number, even after the last one's
    # service has gone; the gone service's terms went with it, so none carry over.
    last = Service.objects.get(search_key=len(keys))
    last.delete()
    assert len(keys) not in indexed_terms()
    new = factories.ServiceFactory(name="Quiet Garden Befriending")
    new_key = Service.objects.get(pk=new.pk).search_key
    assert new_key == len(keys)  # the highest number in use, plus one
    filed = set(indexed_terms()[new_key])
    assert filed == set(weighted_terms(Service.objects.get(pk=new.pk)))
    assert {"quiet", "garden", "befriend"} <= filed
    # The factory's instance was read before its key was handed out: saving it keeps the key.
    assert new.search_key is None
    new.name = "Quiet Garden Walks"
    new.save()
    assert Service.objects.get(pk=new.pk).search_key == new_key
    assert set(indexed_terms()) == set(Service.objects.values_list("search_key", flat=True))
    assert search(SearchQuery(text="quiet garden")).ids == [new.pk]


def test_a_moved_location_moves_its_points(corpus):
    counselling = corpus["counselling"]
    location = counselling.service_at_locations.get().location
    location.latitude, location.longitude = LEEDS
    location.save()
    point = SearchPoint.objects.get(service=counselling)
    assert (point.latitude, point.longitude) == LEEDS
    assert counselling.pk not in search(near(*LEWISHAM, radius_km=5)).ids
    leeds = search(near(*LEEDS, radius_km=5))
    assert counselling.pk in leeds.ids
    assert leeds.facets["bereavement-counselling"] == 2  # counselling, and the helpline


def test_a_deleted_location_takes_its_points(corpus):
    counselling = corpus["counselling"]
    location = counselling.service_at_locations.get().location
    Location.objects.filter(pk=location.pk).delete()
    assert not SearchPoint.objects.filter(service=counselling).exists()


def test_index_rows_go_with_a_deleted_term_or_organisation(corpus, taxonomy):
    """The index tables have no database constraints: Django's cascade removes their rows."""
    term = taxonomy["carers-groups"]
    assert ServiceCategory.objects.filter(term=term).exists()
    term.delete()
    assert not ServiceCategory.objects.filter(term_id=term.pk).exists()
    carers = corpus["carers"]
    carers.organization.delete()
    for model in (SearchPoint, ServiceCategory, SearchArea):
        assert not model.objects.filter(service_id=carers.pk).exists()


def test_category_changes_reach_points_facets_and_filters(corpus, taxonomy):
    carers = corpus["carers"]
    croydon = near(51.3762, -0.0982, radius_km=2, include_remote=False)
    assert search(croydon).facets == {"carers-groups": 1, "carers": 1}
    carers.categories.add(taxonomy["befriending"])
    carers.save()  # parental categories are stored when the service is, as in the admin
    point = SearchPoint.objects.get(service=carers)
    assert f",{taxonomy['befriending'].pk.hex}," in point.categories
    results = search(croydon)
    assert results.facets["befriending"] == 1
    assert search(near(51.3762, -0.0982, radius_km=2, categories=("befriending",))).ids == [
        carers.pk
    ]
    carers.categories.remove(taxonomy["befriending"])
    carers.save()
    assert "befriending" not in search(croydon).facets


def test_a_new_term_reaches_the_facets_with_the_site_cache_on(corpus, taxonomy, settings):
    """The term codes facets are named by are kept with the site's facts: a term added, or
    its code changed, empties them."""
    settings.SITE_CACHE_SECONDS = 300
    carers = corpus["carers"]
    croydon = near(51.3762, -0.0982, radius_km=2, include_remote=False)
    assert search(croydon).facets == {"carers-groups": 1, "carers": 1}
    term = factories.TaxonomyTermFactory(
        taxonomy=taxonomy["befriending"].taxonomy, code="young-carers", name="Young carers"
    )
    carers.categories.add(term)
    carers.save()
    assert search(croydon).facets["young-carers"] == 1
    term.code = "young-adult-carers"
    term.save()
    assert "young-adult-carers" in search(croydon).facets


def test_rebuild_writes_what_incremental_upkeep_wrote(corpus, taxonomy):
    # Some history first: edits, a move, a new category, a new remote service.
    corpus["children"].categories.add(taxonomy["helplines"])
    corpus["children"].save()
    location = corpus["carers"].service_at_locations.get().location
    location.latitude = 51.39
    location.save()
    factories.ServiceAreaFactory(
        service=corpus["hospice"], extent_type="radius", extent="53.8, -1.55, 20"
    )
    incremental = index_rows()
    assert all(incremental.values())
    indexing.rebuild()
    assert index_rows() == incremental


def test_each_point_carries_the_number_of_its_set_of_categories(corpus, taxonomy):
    before = dict(SearchCategorySet.objects.values_list("pk", "categories"))
    corpus["children"].categories.add(*taxonomy.values())  # a set not met before
    corpus["children"].save()
    sets = dict(SearchCategorySet.objects.values_list("pk", "categories"))
    assert len(sets) == len(set(sets.values())) > len(before)
    assert all(sets[number] == text for number, text in before.items())  # numbers kept
    points = list(SearchPoint.objects.values_list("categories", "category_set"))
    assert points and all(sets[number] == text for text, number in points)


def test_index_services_takes_thousands_of_ids_at_once(corpus):
    """The importer indexes a few thousand services per call (one parameter for all the ids,
    on SQLite too); ids of services that do not exist are ignored."""
    before = index_rows()
    ids = [uuid.uuid4() for _ in range(3000)] + [service.pk for service in corpus.values()]
    indexing.index_services(ids)
    assert index_rows() == before


def test_services_saved_in_a_deferred_block_are_indexed_once_at_its_end(taxonomy):
    """Inside `indexing.deferred()` saves are not indexed (searches lag behind); when the
    block ends, every service saved in it is indexed as the saves would have indexed it, in
    one go. A block inside another waits for the outer one; a block left by an error
    indexes nothing."""
    counselling = taxonomy["bereavement-counselling"]
    with indexing.deferred():
        first = factories.ServiceFactory(
            name="Riverside Walking Group", categories=[counselling], at=[LEWISHAM]
        )
        with indexing.deferred():
            second = factories.ServiceFactory(name="Hilltop Walking Group", at=[DEPTFORD])
        assert Service.objects.get(pk=second.pk).search_key is None
        for _ in range(3):
            first.save()
        assert not SearchPoint.objects.exists() and not indexed_terms()
        assert search(SearchQuery(text="walking")).total == 0
    assert search(near(*LEWISHAM, text="walking", radius_km=5)).ids == [first.pk, second.pk]
    deferred_rows = index_rows()
    indexing.rebuild()
    assert index_rows() == deferred_rows
    # Ten saves in a block: the index written once (one bump of its version).
    version = IndexVersion.objects.get().version
    with factories.indexed_at_the_end():
        for _ in range(5):
            first.save()
            second.save()
        assert IndexVersion.objects.get().version == version
    assert IndexVersion.objects.get().version == version + 1
    assert index_rows() == deferred_rows
    with pytest.raises(RuntimeError), indexing.deferred():
        factories.ServiceFactory(name="Valley Walking Group", at=[LEWISHAM])
        raise RuntimeError
    assert Service.objects.filter(name="Valley Walking Group", search_key=None).exists()


@pytest.mark.parametrize("nudge", [0.0, -1e-9])
def test_the_exact_distance_decides_at_the_edge_of_the_circle(corpus, nudge):
    """The spatial index and SQL narrow the search down; the haversine of core.geo
    decides, as everywhere."""
    lewisham_to_deptford = distance_km(*LEWISHAM, 51.4787, -0.0262)
    results = search(near(*LEWISHAM, radius_km=lewisham_to_deptford + nudge, include_remote=False))
    assert (corpus["children"].pk in results.ids) is (nudge == 0.0)
    assert results.total == len(results.ids)  # counted as listed, at the edge too
    counselling = {"bereavement-counselling": 1, "bereavement": 1}
    if nudge == 0.0:
        assert results.facets == {**counselling, "childrens-grief": 1, "bereavement": 2}
    else:
        assert results.facets == counselling
    if nudge == 0.0:
        assert results.hits[-1].distance_km == round(lewisham_to_deptford, 3)


def test_service_filters_apply_to_the_index_rows_near_a_place(corpus):
    """Filters on the service (age, languages, cost, accessibility) are checked against the
    services themselves; the index rows only narrow the place down."""
    lewisham = {"latitude": LEWISHAM[0], "longitude": LEWISHAM[1], "radius_km": 5}
    babies = search(SearchQuery(age=0, include_remote=False, **lewisham))
    assert babies.ids == []  # counselling is for adults, the children's group from 5
    ten = search(SearchQuery(age=10, include_remote=False, **lewisham))
    assert ten.ids == [corpus["children"].pk]
    assert search(SearchQuery(languages=("ur",), **lewisham)).ids == [corpus["counselling"].pk]
    location = corpus["children"].service_at_locations.get().location
    location.step_free = True
    location.save()
    step_free = search(SearchQuery(accessibility=("step_free",), include_remote=False, **lewisham))
    assert step_free.ids == [corpus["children"].pk]
    assert step_free.facets == {"childrens-grief": 1, "bereavement": 1}


def _terms_of(service):
    return indexed_terms()[Service.objects.get(pk=service.pk).search_key]


def test_the_text_index_holds_each_term_at_its_best_fields_weight(corpus):
    counselling = corpus["counselling"]
    assert _terms_of(counselling) == weighted_terms(Service.objects.get(pk=counselling.pk))
    assert _terms_of(counselling)["counsel"] == 4  # in the name
    assert _terms_of(counselling)["griev"] == 1  # in the description
    assert _terms_of(corpus["helpline"])["helplin"] == 4
    counselling.name = "Grief walks"
    counselling.save()  # rewritten with the service
    assert _terms_of(counselling)["walk"] == 4
    assert _terms_of(counselling)["counsel"] == 2  # now only in a category


def test_scores_are_the_sum_of_each_terms_best_field_weight(corpus):
    lewisham = {"latitude": LEWISHAM[0], "longitude": LEWISHAM[1], "radius_km": 5}
    lewisham["include_remote"] = False
    found = search(SearchQuery(text="bereavement counselling adults", **lewisham))
    # Both words of the name weigh 4; "adults" is in the description (1).
    assert [(hit.service_id, hit.score) for hit in found.hits] == [(corpus["counselling"].pk, 9.0)]
    anywhere = search(SearchQuery(text="bereavement counselling adults"))
    assert [(hit.service_id, hit.score) for hit in anywhere.hits] == [
        (corpus["counselling"].pk, 9.0)
    ]
    remote = search(SearchQuery(text="helpline", reaches_anywhere=True, **lewisham))
    assert [(hit.service_id, hit.remote, hit.score) for hit in remote.hits] == [
        (corpus["helpline"].pk, True, 4.0)
    ]


def test_only_whole_terms_match(corpus):
    """A term inside another ("counsel" in "counsellor" would be "counsellor") or a part
    of one matches nothing: the index holds whole terms, and scoring looks for them
    between spaces. (A part one edit from a term, such as "counse", is read as that term:
    test_spelling.py.)"""
    lewisham = {"latitude": LEWISHAM[0], "longitude": LEWISHAM[1], "radius_km": 5}
    lewisham["include_remote"] = False
    assert search(SearchQuery(text="counselling", **lewisham)).ids == [corpus["counselling"].pk]
    for text in ("couns", "unsell", "bereavementcounselling"):
        result = search(SearchQuery(text=text, **lewisham))
        assert (result.ids, result.total, result.facets) == ([], 0, {})
        assert search(SearchQuery(text=text)).total == 0


def test_a_service_with_hundreds_of_words_is_found_and_scored(corpus):
    words = " ".join(f"topic{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(400))
    lewisham = {"latitude": LEWISHAM[0], "longitude": LEWISHAM[1], "radius_km": 5}
    lewisham["include_remote"] = False
    before = set(search(SearchQuery(text="bereavement", **lewisham)).ids)
    long = factories.ServiceFactory(
        name="Lewisham Carers Library",
        description=f"Books about bereavement. {words}",
        at=[LEWISHAM],
    )
    found = search(SearchQuery(text="carers library topicpj", **lewisham))
    assert [(hit.service_id, hit.score) for hit in found.hits] == [(long.pk, 9.0)]  # 4 + 4 + 1
    assert search(SearchQuery(text="library nonesuch", **lewisham)).total == 0
    after = search(SearchQuery(text="bereavement", **lewisham))
    assert corpus["counselling"].pk in before
    assert set(after.ids) == before | {long.pk}


def test_a_service_at_several_places_is_counted_once(taxonomy):
    """Near a place, services are counted in SQL per set of categories; the rows of a
    service with several points are marked `shared` and grouped per service instead."""
    f = factories
    twice = f.ServiceFactory(
        name="Two Rooms", categories=[taxonomy["carers-groups"]], at=[LEWISHAM, DEPTFORD]
    )
    once = f.ServiceFactory(name="One Room", categories=[taxonomy["carers-groups"]], at=[LEWISHAM])
    assert set(SearchPoint.objects.filter(service=twice).values_list("shared", flat=True)) == {True}
    assert SearchPoint.objects.get(service=once).shared is False
    results = search(near(*LEWISHAM, radius_km=5, include_remote=False))
    assert results.total == 2
    assert results.ids == [once.pk, twice.pk]  # same distance (0 km): by name
    assert results.facets == {"carers-groups": 2, "carers": 2}  # the group and its parent
    # One of its places within the circle: still one service, at that place's distance.
    results = search(near(*DEPTFORD, radius_km=0.5, include_remote=False))
    assert results.ids == [twice.pk] and results.total == 1
    assert results.hits[0].distance_km == 0.0


def test_a_service_reachable_from_anywhere_with_a_place_nearby_is_listed_as_local(taxonomy):
    f = factories
    helpline = f.ServiceFactory(name="Helpline with a Drop-in", at=[LEWISHAM])
    f.ServiceAreaFactory(service=helpline)  # national
    far = f.ServiceFactory(name="Helpline Elsewhere", at=[LEEDS])
    f.ServiceAreaFactory(service=far)
    assert set(SearchArea.objects.values_list("service_id", "located")) == {
        (helpline.pk, True),
        (far.pk, True),
    }
    results = search(near(*LEWISHAM, radius_km=5))
    assert results.total == 2
    assert [(hit.service_id, hit.remote) for hit in results.hits] == [
        (helpline.pk, False),
        (far.pk, True),
    ]


def _expected_order(services, latitude, longitude, radius_km):
    """(distance shown, name, id) order of the services within the radius: what every engine
    must list, worked out from the places themselves."""
    nearest = {}
    for service, places in services:
        shown = [round(distance_km(latitude, longitude, *place), 3) for place in places]
        within = [
            d
            for d, place in zip(shown, places, strict=True)
            if distance_km(latitude, longitude, *place) <= radius_km
        ]
        if within:
            nearest[service] = min(within)
    return sorted(nearest, key=lambda s: (nearest[s], s.name, str(s.pk))), nearest


def _place_around(centre, rng):
    """A random place: crowding Lewisham, or in a ring 6-9 km out from anywhere else."""
    if centre == LEWISHAM:
        return LEWISHAM[0] + rng.gauss(0, 0.03), LEWISHAM[1] + rng.gauss(0, 0.05)
    angle, km = rng.uniform(0, 6.283), rng.uniform(6, 9)
    lat = centre[0] + km / 111.2 * math.sin(angle)
    lon = centre[1] + km / (111.2 * math.cos(math.radians(centre[0]))) * math.cos(angle)
    return lat, lon


@pytest.mark.parametrize("centre", [LEWISHAM, (51.40, -0.20)])
def test_pages_near_a_place_follow_one_another_in_distance_order(taxonomy, centre):
    """The page's services are read from a small circle around the place, grown until it
    holds them: paging through gives every service once, in distance order, whether the
    services crowd the centre or (second case) leave it empty and lie in a ring."""
    rng = random.Random(7)
    f = factories
    codes = ["carers-groups", "bereavement-counselling", "befriending"]
    services = []
    with factories.indexed_at_the_end():
        for n in range(90):
            lat, lon = _place_around(centre, rng)
            places = [(lat, lon)]
            if n % 9 == 0:  # some at two places
                places.append((lat + 0.01, lon - 0.01))
            service = f.ServiceFactory(
                name=f"Service {n % 30:02d}",  # names repeat: ties go by id
                categories=[taxonomy[codes[n % 3]]],
                at=places,
            )
            services.append((service, places))
    radius = 10
    order, nearest = _expected_order(services, *centre, radius)
    assert len(order) > 40
    page_size = 7
    seen = []
    for page in range(1, len(order) // page_size + 2):
        results = search(
            near(*centre, radius_km=radius, include_remote=False, page=page, page_size=page_size)
        )
        assert results.total == len(order)
        seen += [(hit.service_id, hit.distance_km) for hit in results.hits]
    assert seen == [(s.pk, nearest[s]) for s in order]
    # A category filter: its own total and order; facets still count every category.
    carers = search(
        near(
            *centre,
            radius_km=radius,
            include_remote=False,
            categories=("carers-groups",),
            page_size=500,
        )
    )
    wanted = [s for s in order if s.categories.filter(code="carers-groups").exists()]
    assert carers.ids == [s.pk for s in wanted] and carers.total == len(wanted)
    assert sum(carers.facets[code] for code in codes) == len(order)


@pytest.mark.parametrize("centre", [LEWISHAM, (51.40, -0.20)])
def test_pages_of_text_near_a_place_list_each_match_once_with_its_score(taxonomy, centre):
    """With text, the local services are those holding the words, by distance whatever
    their score, and every hit on every page carries its score (a word in the name weighs
    more than in the description); the services reaching the place from anywhere follow
    the local ones, best match first."""
    rng = random.Random(11)
    f = factories
    codes = ["carers-groups", "bereavement-counselling"]
    services = []
    with factories.indexed_at_the_end():
        for n in range(90):
            name, description = f"Service {n % 30:02d}", "Company on a Sunday afternoon."
            if n % 3 == 0:
                name = f"Walking Group {n % 30:02d}"
            elif n % 3 == 1:
                description = "Short walks after a loss."
            place = _place_around(centre, rng)
            places = [place, (place[0] - 0.01, place[1] + 0.01)] if n % 7 == 0 else [place]
            service = f.ServiceFactory(
                name=name,
                description=description,
                categories=[taxonomy[codes[n % 2]]],
                at=places,
            )
            services.append((service, places))
        anywhere = {
            name: f.ServiceFactory(name=name, description=description)
            for name, description in [
                ("Any Time Line", "Walks by phone."),
                ("Walking Line", "Company by phone."),
                ("Everywhere Line", "Company by phone."),
            ]
        }
        for service in anywhere.values():
            f.ServiceAreaFactory(service=service)
    terms = SearchQuery(text="walking").terms

    def score(service):
        weights = weighted_terms(Service.objects.get(pk=service.pk))
        return float(sum(weights[t] for t in terms)) if set(terms) <= set(weights) else None

    radius = 10
    local = [(s, places) for s, places in services if score(s) is not None]
    order, nearest = _expected_order(local, *centre, radius)
    remote = sorted(
        (s for s in anywhere.values() if score(s) is not None), key=lambda s: (-score(s), s.name)
    )
    expected = [(s.pk, nearest[s], False, score(s)) for s in order]
    expected += [(s.pk, None, True, score(s)) for s in remote]
    assert len(order) > 20 and {hit[3] for hit in expected} == {4.0, 1.0}
    assert [s.name for s in remote] == ["Walking Line", "Any Time Line"]
    page_size = 7
    seen = []
    for page in range(1, len(expected) // page_size + 2):
        results = search(
            near(*centre, text="walking", radius_km=radius, page=page, page_size=page_size)
        )
        assert results.total == len(expected)
        seen += [(hit.service_id, hit.distance_km, hit.remote, hit.score) for hit in results.hits]
    assert seen == expected
    # A category filter: its own total and order; facets still count every category.
    carers = search(
        near(
            *centre, text="walking", radius_km=radius, categories=("carers-groups",), page_size=500
        )
    )
    wanted = [s for s in order if s.categories.filter(code="carers-groups").exists()]
    assert [(hit.service_id, hit.score) for hit in carers.hits] == [
        (s.pk, score(s)) for s in wanted
    ]
    assert carers.total == len(wanted)
    assert sum(carers.facets[code] for code in codes) == len(order)


def test_bulk_inserts_write_every_row_once_whatever_the_count():
    """Index rows go in statements of as many rows as SQLite binds, then in pieces of a power
    of two (COPY on PostgreSQL): counts on either side of a statement's size all arrive."""
    prep = Service._meta.pk.get_db_prep_value
    per_statement = 1 << ((indexing.SQLITE_MAX_PARAMETERS // 3).bit_length() - 1)
    term = uuid.UUID(int=1)

    def rows_of(keys):
        return [(uuid.UUID(int=key + 2), term, f"n{key % 97}") for key in keys]

    def prepared(rows):
        return [(prep(s, connection), prep(t, connection), name) for s, t, name in rows]

    for count in (1, 3, per_statement - 1, per_statement, 2 * per_statement + 7):
        ServiceCategory.objects.all().delete()
        rows = rows_of(range(count))
        indexing.insert_rows(ServiceCategory, indexing.CATEGORY_COLUMNS, prepared(rows))
        stored = set(ServiceCategory.objects.values_list("service_id", "term_id", "name"))
        assert stored == set(rows)
    # Deletes go in the same pieces: more ids than one statement binds, and an odd rest.
    rows = rows_of(range(indexing.SQLITE_MAX_PARAMETERS * 2 + 5))
    ServiceCategory.objects.all().delete()
    indexing.insert_rows(ServiceCategory, indexing.CATEGORY_COLUMNS, prepared(rows))
    fast_delete(ServiceCategory, "service_id", [s for s, _t, _n in rows if s.int % 3])
    assert set(ServiceCategory.objects.values_list("service_id", flat=True)) == {
        s for s, _t, _n in rows if not s.int % 3
    }


def _grid():
    return {
        (cell, category_set, owner): services
        for cell, category_set, owner, services in SearchCell.objects.values_list(
            "cell", "category_set", "owner", "services"
        )
    }


def _grid_of_the_points():
    """The grid's counts worked out from the points as they stand."""
    counts = Counter()
    for cell, category_set, shared, service_id in SearchPoint.objects.values_list(
        "cell", "category_set", "shared", "service_id"
    ):
        if cell is None or category_set is None:
            continue  # a point not yet placed on the grid is not counted
        owner = (str(service_id) if connection.vendor == "postgresql" else service_id.hex) * shared
        counts[(cell, category_set, owner)] += 1
    return dict(counts)


def test_the_grid_counts_every_point_however_the_points_change(corpus, taxonomy):
    """SearchCell is kept by triggers on the points: saves, moves, second places, category
    changes, Django's cascades and a rebuild all leave it equal to a count of the points."""
    f = factories
    assert _grid() == _grid_of_the_points() != {}
    assert all(
        cell == cell_of(lat, lon)
        for cell, lat, lon in SearchPoint.objects.values_list("cell", "latitude", "longitude")
    )
    twice = f.ServiceFactory(name="Two Rooms", at=[LEWISHAM, DEPTFORD, (51.4616, -0.0107)])
    assert _grid() == _grid_of_the_points()
    location = corpus["carers"].service_at_locations.get().location
    location.latitude = 51.39
    location.save()
    corpus["children"].categories.add(taxonomy["helplines"])
    corpus["children"].save()
    assert _grid() == _grid_of_the_points()
    Location.objects.filter(pk=twice.service_at_locations.first().location_id).delete()
    corpus["counselling"].organization.delete()
    assert _grid() == _grid_of_the_points()
    # Statements that change points in place: many points at once, into and out of the
    # same cells, moving between owners, and changing nothing that is counted.
    points = SearchPoint.objects.order_by("pk")
    first, last = points.first(), points.last()
    points.filter(pk__in=[first.pk, last.pk]).update(cell=last.cell, category_set=9)
    assert _grid() == _grid_of_the_points()
    points.update(shared=~F("shared"))
    assert _grid() == _grid_of_the_points()
    points.update(step_free=True)
    points.filter(pk=first.pk).update(cell=None)
    assert _grid() == _grid_of_the_points()
    indexing.rebuild()
    assert _grid() == _grid_of_the_points() != {}


@pytest.mark.parametrize("radius", [2.5, 5, 12, 30])
def test_counts_from_the_grid_equal_counts_of_the_points(taxonomy, radius, monkeypatch):
    """Near a place, the cells wholly inside the circle are counted from the grid and only
    the points of the cells across its edge are read: the same total, facets and page as
    reading every point (services at several places taken once)."""
    rng = random.Random(11)
    f = factories
    codes = ["carers-groups", "bereavement-counselling", "befriending", "childrens-grief"]
    services = []
    with factories.indexed_at_the_end():
        for n in range(160):
            spread = 0.02 if n % 2 else 0.15
            lat, lon = LEWISHAM[0] + rng.gauss(0, spread), LEWISHAM[1] + rng.gauss(0, spread)
            places = [(lat, lon)]
            if n % 5 == 0:  # some at two or three places, in one cell or in several
                places.append((lat + rng.choice([0.0001, 0.03]), lon - 0.0001))
            if n % 15 == 0:
                places.append((lat - 0.05, lon + 0.07))
            service = f.ServiceFactory(
                name=f"Service {n:03d}", categories=[taxonomy[codes[n % 4]]], at=places
            )
            services.append((service, places))
    order, nearest = _expected_order(services, *LEWISHAM, radius)
    query = near(*LEWISHAM, radius_km=radius, include_remote=False, page_size=9)
    from directory.search.engines import database

    used = []
    count_cells = database.DatabaseEngine._count_cells
    monkeypatch.setattr(
        database.DatabaseEngine,
        "_count_cells",
        lambda self, *args: used.append(True) or count_cells(self, *args),
    )
    from_grid = search(query)
    assert used  # the circle holds whole cells
    monkeypatch.setattr(database, "cells_near", lambda *args: ([], []))
    from_points = search(query)
    assert from_grid.total == from_points.total == len(order)
    assert from_grid.facets == from_points.facets
    assert sum(from_grid.facets[code] for code in codes) == len(order)
    assert [(h.service_id, h.distance_km) for h in from_grid.hits] == [
        (s.pk, nearest[s]) for s in order[:9]
    ]
    one = near(*LEWISHAM, radius_km=radius, include_remote=False, categories=("befriending",))
    wanted = [s for s in order if s.categories.filter(code="befriending").exists()]
    assert search(one).total == len(wanted)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_processes_indexing_the_same_cells_take_turns(taxonomy):
    """The grid's count rows are shared by every service in a cell, so two transactions
    writing points (an editor's save while an import runs) must not lock them in opposite
    orders: each takes the index version's row first and holds it until it commits, and the
    second waits instead of deadlocking."""
    import threading
    import time

    from django.db import connections, transaction

    f = factories
    one = f.ServiceFactory(
        name="Lewisham Walk", categories=[taxonomy["befriending"]], at=[LEWISHAM]
    )
    two = f.ServiceFactory(name="Leeds Walk", categories=[taxonomy["befriending"]], at=[LEEDS])
    started, errors = threading.Event(), []

    def run(steps):
        try:
            with transaction.atomic():
                for step in steps:
                    step()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(
        target=run,
        args=(
            [
                lambda: indexing.index_services([one.pk]),
                started.set,
                lambda: time.sleep(0.5),
                lambda: indexing.index_services([two.pk]),
            ],
        ),
    )
    second = threading.Thread(
        target=run, args=([started.wait, lambda: indexing.index_services([two.pk])],)
    )
    first.start()
    second.start()
    first.join(30)
    second.join(30)
    assert errors == []
    assert _grid() == _grid_of_the_points() != {}
