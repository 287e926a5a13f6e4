"""Demo directory for `manage.py load_demo`: local services across England and national lines.

Local organisations and services here are fictional, made for demonstration; every one says
so in its description. The national helplines are real services, listed with their widely
published numbers; check them against each organisation's own website before relying on them.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from core.demo.registry import register
from core.localization import is_translated
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

DEMO_NOTE = "Demonstration entry: this organisation is fictional."

# (area name, city, postcode district, latitude, longitude)
PLACES = [
    ("Lewisham", "London", "SE13", 51.4615, -0.0106),
    ("Deptford", "London", "SE8", 51.4787, -0.0262),
    ("Hackney", "London", "E8", 51.5450, -0.0553),
    ("Camden", "London", "NW1", 51.5390, -0.1426),
    ("Whitechapel", "London", "E1", 51.5194, -0.0612),
    ("Brixton", "London", "SW9", 51.4613, -0.1156),
    ("Croydon", "London", "CR0", 51.3762, -0.0982),
    ("Ealing", "London", "W5", 51.5130, -0.3089),
    ("Islington", "London", "N1", 51.5362, -0.1033),
    ("Stratford", "London", "E15", 51.5413, 0.0036),
    ("Manchester", "Manchester", "M1", 53.4808, -2.2426),
    ("Salford", "Salford", "M5", 53.4830, -2.2931),
    ("Birmingham", "Birmingham", "B1", 52.4797, -1.9027),
    ("Leeds", "Leeds", "LS1", 53.7965, -1.5478),
    ("Bristol", "Bristol", "BS1", 51.4545, -2.5879),
    ("Sheffield", "Sheffield", "S1", 53.3811, -1.4701),
    ("Newcastle", "Newcastle upon Tyne", "NE1", 54.9738, -1.6132),
    ("Liverpool", "Liverpool", "L1", 53.4020, -2.9800),
    ("Nottingham", "Nottingham", "NG1", 52.9536, -1.1505),
    ("Leicester", "Leicester", "LE1", 52.6344, -1.1319),
]

# (name pattern, category codes, description, schedule kind, languages, free, ages)
LOCAL_SERVICES = [
    (
        "{area} Bereavement Counselling",
        ["bereavement-counselling"],
        "Free one-to-one counselling for adults after the death of someone close. Up to twelve "
        "sessions with a trained counsellor, in person or by video.",
        "weekday",
        ["en"],
        True,
        (18, None),
    ),
    (
        "{area} Children's Grief Group",
        ["childrens-grief"],
        "A monthly group where bereaved children aged 5 to 16 meet others who understand, with "
        "art, play and a space for parents and carers.",
        "monthly",
        ["en"],
        True,
        (5, 16),
    ),
    (
        "{area} Carers' Café",
        ["carers-groups", "respite"],
        "A friendly weekly café for people caring for someone with a life-limiting illness. "
        "Volunteers can sit with the person you care for so you can come.",
        "weekly-evening",
        ["en", "pl"],
        True,
        (None, None),
    ),
    (
        "{area} Death Café",
        ["bereavement-groups"],
        "An informal conversation over tea and cake about death, dying and what matters to us. "
        "Not a support group or a counselling session; everyone is welcome.",
        "monthly",
        ["en"],
        True,
        (18, None),
    ),
    (
        "{area} Hospice at Home",
        ["hospice", "palliative-care"],
        "Nurses and healthcare assistants who care for people in their last weeks of life at "
        "home, day and night, with support for the family.",
        "always",
        ["en", "ur", "bn"],
        True,
        (18, None),
    ),
    (
        "{area} Compassionate Neighbours",
        ["befriending", "transport"],
        "Trained local volunteers who visit, phone, give lifts to appointments or help with "
        "shopping for people who are dying or caring, and for people who are bereaved.",
        "weekday",
        ["en", "pl", "ur"],
        True,
        (None, None),
    ),
    (
        "{area} Funeral and Paperwork Advice",
        ["funerals", "after-a-death"],
        "Advice on arranging a funeral, help with funeral costs, registering a death and the "
        "benefits and housing questions that follow.",
        "split",
        ["en", "bn"],
        True,
        (None, None),
    ),
    (
        "{area} Faith and Spiritual Care",
        ["faith-support"],
        "Chaplains and faith volunteers from many traditions who offer prayer, ritual and "
        "companionship at the end of life and in grief. People of any faith or none are welcome.",
        "weekday",
        ["en", "ar", "ur"],
        True,
        (None, None),
    ),
    (
        "{area} Planning Ahead Clinic",
        ["advance-care-planning"],
        "Help to think about and write down the care you would want, make a will, or set up a "
        "lasting power of attorney. A small charge applies for will writing.",
        "weekday",
        ["en", "cy"],
        False,
        (18, None),
    ),
    (
        "{area} Suicide Bereavement Group",
        ["suicide-bereavement"],
        "A peer support group for adults bereaved by suicide, run by people who have been "
        "bereaved in the same way.",
        "monthly",
        ["en"],
        True,
        (18, None),
    ),
]

# Real national services and their widely published numbers.
NATIONAL_SERVICES = [
    (
        "Samaritans",
        "Samaritans",
        "116 123",
        ["helplines", "mental-health"],
        "Whatever you are going through, call free any time, day or night, to talk to a "
        "trained volunteer.",
        True,
    ),
    (
        "Cruse Bereavement Support",
        "Cruse Bereavement Support helpline",
        "0808 808 1677",
        ["bereavement-counselling", "helplines"],
        "Telephone support for anyone grieving, from trained bereavement volunteers.",
        False,
    ),
    (
        "Marie Curie",
        "Marie Curie Support Line",
        "0800 090 2309",
        ["palliative-care", "helplines"],
        "Practical and emotional support for anyone with a terminal illness and those close "
        "to them.",
        False,
    ),
    (
        "Winston's Wish",
        "Winston's Wish helpline",
        "08088 020 021",
        ["childrens-grief", "helplines"],
        "Support for bereaved children, young people, and the adults who care for them.",
        False,
    ),
    (
        "Sands",
        "Sands helpline",
        "0808 164 3332",
        ["baby-loss", "helplines"],
        "Support for anyone affected by the death of a baby, before, during or after birth.",
        False,
    ),
    (
        "Carers UK",
        "Carers UK advice line",
        "0808 808 7777",
        ["carers", "helplines"],
        "Expert information and advice for people caring for someone.",
        False,
    ),
]


def _schedules(kind, rng):
    if kind == "always":
        return [
            {
                "byday": "MO,TU,WE,TH,FR,SA,SU",
                "opens_at": dt.time(0, 0),
                "closes_at": dt.time(23, 59),
            }
        ]
    if kind == "weekday":
        return [{"byday": "MO,TU,WE,TH,FR", "opens_at": dt.time(9, 0), "closes_at": dt.time(17, 0)}]
    if kind == "split":
        return [
            {"byday": "MO,TU,WE,TH", "opens_at": dt.time(10, 0), "closes_at": dt.time(13, 0)},
            {"byday": "MO,TU,WE,TH", "opens_at": dt.time(14, 0), "closes_at": dt.time(16, 30)},
        ]
    if kind == "weekly-evening":
        day = rng.choice(["TU", "WE", "TH"])
        return [{"byday": day, "opens_at": dt.time(18, 0), "closes_at": dt.time(20, 0)}]
    if kind == "monthly":
        day = rng.choice(["1SA", "2TU", "3TH", "-1WE"])
        return [
            {
                "freq": "MONTHLY",
                "byday": day,
                "opens_at": dt.time(14, 0),
                "closes_at": dt.time(16, 0),
            }
        ]
    raise ValueError(kind)


def _bank_holiday_closure(today):
    christmas = dt.date(today.year, 12, 25)
    return {
        "closed": True,
        "valid_from": christmas,
        "valid_to": christmas + dt.timedelta(days=1),
        "description": "Closed on Christmas Day and Boxing Day.",
    }


def _language_name(code):
    return {
        "en": "English",
        "cy": "Welsh",
        "pl": "Polish",
        "bn": "Bengali",
        "ur": "Urdu",
        "ar": "Arabic",
    }[code]


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
    created = 0
    for index, (area, city, district, lat, lon) in enumerate(PLACES):
        organization = Organization.objects.create(
            name=f"{area} Compassionate Community",
            description=f"{DEMO_NOTE} A network of local services and volunteers in {area}.",
            email=f"hello@{area.lower()}-cc.example",
            website=f"https://{area.lower()}-cc.example",
        )
        templates = rng.sample(LOCAL_SERVICES, 4 if index < 10 else 3)
        if index == 0:
            templates = LOCAL_SERVICES  # one area shows every kind of service
        for name, codes, description, schedule_kind, languages, free, ages in templates:
            location = Location(
                organization=organization,
                name=f"{area} Community Centre",
                latitude=round(lat + rng.uniform(-0.012, 0.012), 6),
                longitude=round(lon + rng.uniform(-0.018, 0.018), 6),
                transportation="Buses stop outside. Step-free entrance at the side.",
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
                name=name.format(area=area),
                description=f"{description} {DEMO_NOTE}",
                email=organization.email,
                url=organization.website,
                free=free,
                fees_description="" if free else "Will writing costs £50; advice is free.",
                minimum_age=ages[0],
                maximum_age=ages[1],
                assured_date=assured,
                eligibility_description=f"People living in or near {area}.",
            )
            service.save()
            service.categories.set([terms[code] for code in codes])
            ServiceAtLocation.objects.create(service=service, location=location)
            # Ofcom's ranges reserved for drama: these numbers reach nobody.
            prefix = "020 7946" if city == "London" else "0113 496"
            Phone.objects.create(service=service, number=f"{prefix} 0{rng.randint(0, 999):03d}")
            for code in languages:
                ServiceLanguage.objects.create(
                    service=service, code=code, name=_language_name(code)
                )
            for rule in _schedules(schedule_kind, rng):
                Schedule.objects.create(service=service, **rule)
            if schedule_kind in {"weekday", "split"}:
                Schedule.objects.create(service=service, **_bank_holiday_closure(today))
            if rng.random() < 0.3:
                ServiceArea.objects.create(
                    service=service,
                    name=f"{area} and nearby",
                    extent_type=ServiceArea.DISTRICTS,
                    extent=district,
                )
            service.save()  # refreshes the derived flags and search terms now rows exist
            created += 1

    for org_name, service_name, number, codes, description, always_open in NATIONAL_SERVICES:
        organization = Organization.objects.create(
            name=org_name,
            description=f"{org_name}, a national charity: a demonstration copy of its details.",
        )
        location = Location.objects.create(
            organization=organization, location_type="virtual", name=f"{service_name} (phone)"
        )
        service = Service.objects.create(
            organization=organization,
            name=service_name,
            description=description,
            free=True,
            assured_date=today - dt.timedelta(days=30),
        )
        service.categories.set([terms[code] for code in codes])
        ServiceAtLocation.objects.create(service=service, location=location)
        Phone.objects.create(service=service, number=number, description="Free to call")
        ServiceArea.objects.create(
            service=service, name="England", extent_type=ServiceArea.NATIONAL, extent="England"
        )
        ServiceLanguage.objects.create(service=service, code="en", name="English")
        if always_open:
            Schedule.objects.create(
                service=service,
                byday="MO,TU,WE,TH,FR,SA,SU",
                opens_at=dt.time(0, 0),
                closes_at=dt.time(23, 59),
            )
        else:
            Schedule.objects.create(
                service=service,
                byday="MO,TU,WE,TH,FR",
                opens_at=dt.time(9, 0),
                closes_at=dt.time(17, 0),
            )
        service.save()
        created += 1
    log(f"Directory: {created} demo services")
    return created


PAGE_TITLE = "Find help near you"
PAGE_INTRODUCTION = (
    "Bereavement support, hospices, carers' groups, helplines and practical help, near you "
    "and by phone or online."
)
PAGE_TRANSLATIONS = {
    "cy": {
        PAGE_TITLE: "Dod o hyd i gymorth yn agos atoch",
        PAGE_INTRODUCTION: "Cymorth profedigaeth, hosbisau, grwpiau gofalwyr, llinellau "
        "cymorth a help ymarferol, yn agos atoch a dros y ffôn neu ar-lein.",
    },
    "pl": {
        PAGE_TITLE: "Znajdź pomoc w pobliżu",
        PAGE_INTRODUCTION: "Wsparcie w żałobie, hospicja, grupy dla opiekunów, telefony "
        "zaufania i praktyczna pomoc – w pobliżu, telefonicznie lub online.",
    },
    "bn": {
        PAGE_TITLE: "আপনার কাছাকাছি সাহায্য খুঁজুন",
        PAGE_INTRODUCTION: "শোক-সহায়তা, হসপিস, পরিচর্যাকারীদের দল, হেল্পলাইন এবং ব্যবহারিক "
        "সাহায্য — আপনার কাছাকাছি, ফোনে বা অনলাইনে।",
    },
    "ur": {
        PAGE_TITLE: "اپنے قریب مدد تلاش کریں",
        PAGE_INTRODUCTION: "سوگ میں مدد، ہاسپس، دیکھ بھال کرنے والوں کے گروپ، ہیلپ لائنز "
        "اور عملی مدد، آپ کے قریب اور فون یا آن لائن۔",
    },
    "ar": {
        PAGE_TITLE: "ابحث عن مساعدة قريبة منك",
        PAGE_INTRODUCTION: "دعم الفجيعة ودور الرعاية التلطيفية ومجموعات مقدمي الرعاية وخطوط "
        "المساعدة والمساعدة العملية، بالقرب منك وعبر الهاتف أو الإنترنت.",
    },
}


def ensure_page(home, translate, locales):
    """The 'Find help near you' page under the English home page, and its translations."""
    page = DirectoryPage.objects.filter(locale=home.locale).first()
    if page is None:
        page = DirectoryPage(
            title=PAGE_TITLE,
            slug="find-help",
            introduction=PAGE_INTRODUCTION,
            show_in_menus=True,
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        # Finding help is what most people come for: first in the menu.
        first = home.get_first_child()
        if first.pk != page.pk:
            page.move(first, pos="left")
    for code, strings in PAGE_TRANSLATIONS.items():
        if not is_translated(page, locales[code]):
            translate(page, locales[code], strings)
    return page


@register(order=20)
def demo_directory(context):
    """The directory's services and its search page, which the home page's search leads to."""
    load(context.log)
    ensure_page(context.home, context.translate, context.locales)
