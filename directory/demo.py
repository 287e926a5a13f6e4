"""Demo directory for `manage.py load_demo`: local services across England and national lines,
from directory/demo.yaml.

Local organisations and services there are fictional, made for demonstration; every one says
so in its description. The national helplines are real services, listed with their widely
published numbers; check them against each organisation's own website before relying on them.
The places' services, their hours and their details are chosen by a seeded random generator,
so every load makes the same directory.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from core.demo.data import by_language, read
from core.demo.registry import register
from core.localization import is_translated, publish
from directory import indexing
from directory.models import (
    Address,
    DirectoryPage,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
)
from directory.taxonomy import ensure_starter_taxonomy

CONTENT = read("directory")
DEMO_NOTE = CONTENT["note"]
PLACES = CONTENT["places"]
LOCAL_SERVICES = CONTENT["local_services"]
NATIONAL_SERVICES = CONTENT["national_services"]


def _time(text):
    return dt.time.fromisoformat(text)


def _schedules(kind, rng):
    """The opening hours of a kind of schedule; a rule offering several days takes one."""
    return [
        {
            **rule,
            "byday": rng.choice(rule["byday"])
            if isinstance(rule["byday"], list)
            else rule["byday"],
            "opens_at": _time(rule["opens_at"]),
            "closes_at": _time(rule["closes_at"]),
        }
        for rule in CONTENT["schedules"][kind]
    ]


def _closures(today):
    return [
        {
            "closed": True,
            "valid_from": dt.date.fromisoformat(f"{today.year}-{closure['from']}"),
            "valid_to": dt.date.fromisoformat(f"{today.year}-{closure['to']}"),
            "description": closure["description"],
        }
        for closure in CONTENT["closures"]
    ]


@transaction.atomic
def load(log, seed=20261122):
    """Create the demo directory unless it is there already."""
    ensure_starter_taxonomy()
    if Organization.objects.filter(description__startswith=DEMO_NOTE).exists():
        log("Directory: demo services already loaded")
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    terms = {term.code: term for term in TaxonomyTerm.objects.all()}
    today = timezone.localdate()
    # Each service is indexed once, after its last row, not at every row it is given.
    with indexing.deferred():
        created = _local_services(rng, terms, today) + _national_services(rng, terms, today)
    log(f"Directory: {created} demo services")
    return created


def _local_services(rng, terms, today):
    """Services of local organisations in each demo place; how many."""
    created = 0
    organisation, location_text = CONTENT["organisation"], CONTENT["location"]
    for index, place in enumerate(PLACES):
        area, city, district = place["area"], place["city"], place["district"]
        names = {"area": area, "domain": area.lower(), "note": DEMO_NOTE}
        organization = Organization.objects.create(
            **{field: text.format(**names) for field, text in organisation.items()}
        )
        templates = rng.sample(LOCAL_SERVICES, 4 if index < 10 else 3)
        if index == 0:
            templates = LOCAL_SERVICES  # one area shows every kind of service
        for spec in templates:
            location = Location(
                organization=organization,
                name=location_text["name"].format(**names),
                latitude=round(place["latitude"] + rng.uniform(-0.012, 0.012), 6),
                longitude=round(place["longitude"] + rng.uniform(-0.018, 0.018), 6),
                transportation=location_text["transportation"],
                step_free=rng.random() < 0.7,
                accessible_toilet=rng.random() < 0.6,
                hearing_loop=rng.random() < 0.3,
                parking=rng.random() < 0.4,
            )
            location.save()
            Address.objects.create(
                location=location,
                address_1=f"{rng.randint(1, 200)} High Street",
                city=city,
                postal_code=f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            )
            assured = today - dt.timedelta(days=rng.choice([20, 60, 150, 300, 500, 800]))
            service = Service(
                organization=organization,
                name=spec["name"].format(**names),
                description=f"{spec['description']} {DEMO_NOTE}",
                email=organization.email,
                url=organization.website,
                free=spec["free"],
                fees_description="" if spec["free"] else CONTENT["fees"],
                minimum_age=spec["minimum_age"],
                maximum_age=spec["maximum_age"],
                assured_date=assured,
                eligibility_description=CONTENT["eligibility"].format(**names),
            )
            service.save()
            service.categories.set([terms[code] for code in spec["categories"]])
            ServiceAtLocation.objects.create(service=service, location=location)
            prefixes = CONTENT["phone_prefixes"]
            prefix = prefixes.get(city, prefixes["elsewhere"])
            Phone.objects.create(service=service, number=f"{prefix} 0{rng.randint(0, 999):03d}")
            for code in spec["languages"]:
                ServiceLanguage.objects.create(
                    service=service, code=code, name=CONTENT["language_names"][code]
                )
            for rule in _schedules(spec["schedule"], rng):
                Schedule.objects.create(service=service, **rule)
            if spec["schedule"] in {"weekday", "split"}:
                for closure in _closures(today):
                    Schedule.objects.create(service=service, **closure)
            if rng.random() < 0.3:
                ServiceArea.objects.create(
                    service=service,
                    name=CONTENT["service_area"].format(**names),
                    extent_type=ServiceArea.DISTRICTS,
                    extent=district,
                )
            service.save()  # refreshes the derived flags and search terms now rows exist
            created += 1
    return created


def _national_services(rng, terms, today):
    """National helplines and services that reach anywhere; how many."""
    created = 0
    national = CONTENT["national"]
    for spec in NATIONAL_SERVICES:
        organization = Organization.objects.create(
            name=spec["organization"],
            description=national["description"].format(name=spec["organization"]),
        )
        location = Location.objects.create(
            organization=organization,
            location_type="virtual",
            name=national["location"].format(service=spec["name"]),
        )
        service = Service.objects.create(
            organization=organization,
            name=spec["name"],
            description=spec["description"],
            free=True,
            assured_date=today - dt.timedelta(days=30),
        )
        service.categories.set([terms[code] for code in spec["categories"]])
        ServiceAtLocation.objects.create(service=service, location=location)
        Phone.objects.create(service=service, number=spec["phone"], description=national["phone"])
        ServiceArea.objects.create(
            service=service,
            name=national["area"],
            extent_type=ServiceArea.NATIONAL,
            extent=national["area"],
        )
        ServiceLanguage.objects.create(
            service=service, code="en", name=CONTENT["language_names"]["en"]
        )
        for rule in _schedules(spec["schedule"], rng):
            Schedule.objects.create(service=service, **rule)
        service.save()
        created += 1
    return created


def ensure_page(home, translate, locales):
    """The 'Find help near you' page under the English home page, and its translations."""
    page = DirectoryPage.objects.filter(locale=home.locale).first()
    if page is None:
        page = DirectoryPage(**CONTENT["page"], show_in_menus=True)
        home.add_child(instance=page)
        publish(page)
        # Finding help is what most people come for: first in the menu.
        first = home.get_first_child()
        if first.pk != page.pk:
            page.move(first, pos="left")
    for code, strings in by_language(CONTENT["translations"]).items():
        if not is_translated(page, locales[code]):
            translate(page, locales[code], strings)
    return page


@register(order=20)
def demo_directory(context):
    """The directory's services and its search page, which the home page's search leads to."""
    load(context.log)
    ensure_page(context.home, context.translate, context.locales)
