"""Directory fixtures: a small, known set of services around Lewisham and Leeds."""

import datetime as dt

import pytest

from directory.taxonomy import ensure_starter_taxonomy
from tests.directory import factories

LEWISHAM = (51.4615, -0.0106)
DEPTFORD = (51.4787, -0.0262)  # about 2.2 km from Lewisham
CROYDON = (51.3762, -0.0982)  # about 11.5 km from Lewisham
LEEDS = (53.7965, -1.5478)


@pytest.fixture
def taxonomy(db):
    ensure_starter_taxonomy()
    from directory.models import TaxonomyTerm

    return {term.code: term for term in TaxonomyTerm.objects.all()}


@pytest.fixture
def corpus(taxonomy):
    """Services with known places, words, categories, languages, ages and hours."""
    f = factories
    services = {}
    services["counselling"] = f.ServiceFactory(
        name="Lewisham Bereavement Counselling",
        description="Counselling for adults grieving the death of someone close.",
        minimum_age=18,
        categories=[taxonomy["bereavement-counselling"]],
        at=[LEWISHAM],
    )
    f.ServiceLanguageFactory(service=services["counselling"], code="en")
    f.ServiceLanguageFactory(service=services["counselling"], code="ur")
    f.ScheduleFactory(service=services["counselling"], byday="MO,TU,WE,TH,FR")

    services["children"] = f.ServiceFactory(
        name="Deptford Children's Grief Group",
        description="A group for bereaved children and young people.",
        minimum_age=5,
        maximum_age=16,
        categories=[taxonomy["childrens-grief"]],
        at=[DEPTFORD],
    )
    f.ScheduleFactory(
        service=services["children"],
        freq="MONTHLY",
        byday="1SA",
        opens_at=dt.time(10),
        closes_at=dt.time(12),
    )

    services["carers"] = f.ServiceFactory(
        name="Croydon Carers' Café",
        description="A weekly café for carers, with someone to sit with the person you care for.",
        free=False,
        categories=[taxonomy["carers-groups"]],
        at=[CROYDON],
    )
    f.ServiceLanguageFactory(service=services["carers"], code="pl")

    services["hospice"] = f.ServiceFactory(
        name="Leeds Hospice at Home",
        description="Nurses caring for people at the end of life at home, day and night.",
        categories=[taxonomy["hospice"]],
        at=[LEEDS],
    )
    f.ScheduleFactory(
        service=services["hospice"],
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=dt.time(0, 0),
        closes_at=dt.time(23, 59),
    )

    services["helpline"] = f.ServiceFactory(
        name="National Grief Helpline",
        description="Telephone support for anyone who is grieving.",
        categories=[taxonomy["helplines"], taxonomy["bereavement-counselling"]],
    )
    f.ServiceAreaFactory(service=services["helpline"])
    f.PhoneFactory(service=services["helpline"], number="0808 000 0000")

    services["district"] = f.ServiceFactory(
        name="SE13 Befriending",
        description="Volunteers who visit people living alone after a bereavement.",
        categories=[taxonomy["befriending"]],
    )
    f.ServiceAreaFactory(
        service=services["district"], name="Lewisham", extent_type="districts", extent="SE13, SE6"
    )

    services["closed"] = f.ServiceFactory(
        name="Closed Grief Service",
        status="defunct",
        at=[LEWISHAM],
        categories=[taxonomy["bereavement-counselling"]],
    )
    for service in services.values():
        service.refresh_from_db()
    return services


ENGINES = ["database"]


@pytest.fixture(params=ENGINES)
def engine(request, corpus):
    """Each search engine, holding the corpus (engines with their own index are filled)."""
    from directory.search import get_engine

    engine = get_engine(request.param)
    prepare = getattr(engine, "prepare_for_tests", None)
    if prepare is not None:
        prepare(list(corpus.values()))
    return engine
