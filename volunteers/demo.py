"""Demo volunteering for `manage.py load_demo`: volunteers, training, requests in every state.

The people here are fictional. Two logins are printed on the terminal: a volunteer with
offers, an accepted task and a finished one, and a coordinator who sees the admin screens.
Their passwords are random, kept in var/ (like the demo admin's) and never committed.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from wagtail.rich_text import RichText

from core.demo.registry import register
from core.localization import is_translated
from core.models import StandardPage

from . import eligibility, offers, roles, safeguarding
from .contact import CURRENT_CONSENT_VERSION, record_consent, withdraw_consent
from .models import (
    DBSCheck,
    HelpRequest,
    HelpSeekerContact,
    Offer,
    TaskType,
    TermsVersion,
    TrainingModule,
    TrainingRecord,
    Volunteer,
    WeeklyAvailability,
)

VOLUNTEER_USERNAME = "volunteer@compassionate-communities.example"
COORDINATOR_USERNAME = "coordinator"
TERMS = (
    "Volunteers are kind, reliable and discreet. Keep what you hear private; use a person's "
    "details only for the task you accepted; never handle their money or medicines; tell a "
    "coordinator at once if you are worried about anyone's safety, and call 999 if someone is "
    "in danger."
)
MODULES = [
    ("Compassionate Neighbours induction", 36, 42),
    ("Safeguarding adults", 24, 42),
    ("Bereavement awareness", 36, 30),
]
# (name, training needed, DBS level, barred list, useful skills, radius km)
# Task-type names are shown in the reader's language (TaskType.__str__), so the demo's are
# in the catalogues.
TASK_TYPES = [
    (
        gettext_noop("A lift to an appointment"),
        ["Compassionate Neighbours induction"],
        0,
        False,
        ["driving"],
        10,
    ),
    (
        gettext_noop("Shopping or collecting prescriptions"),
        ["Compassionate Neighbours induction"],
        0,
        False,
        ["shopping"],
        5,
    ),
    (
        gettext_noop("Sitting with someone so a carer can rest"),
        ["Compassionate Neighbours induction", "Safeguarding adults"],
        3,
        True,
        ["listening"],
        8,
    ),
    (
        gettext_noop("Help with paperwork after a death"),
        ["Compassionate Neighbours induction", "Bereavement awareness"],
        2,
        False,
        ["paperwork"],
        10,
    ),
    (gettext_noop("Walking the dog"), [], 0, False, ["dogs"], 3),
]
# (name, district, latitude, longitude, languages, skills)
VOLUNTEERS = [
    ("Priya Shah", "SE13", 51.4615, -0.0106, "en bn", ["driving", "paperwork"]),
    ("Tomasz Nowak", "SE8", 51.4787, -0.0262, "en pl", ["driving", "shopping"]),
    ("Gwen Price", "SE6", 51.4380, -0.0180, "en cy", ["listening", "dogs"]),
    ("Amina Yusuf", "SE4", 51.4630, -0.0370, "en ar ur", ["shopping", "listening"]),
    ("David Okafor", "SE10", 51.4800, -0.0050, "en", ["paperwork"]),
    ("Ruth Levy", "SE12", 51.4460, 0.0200, "en", ["driving", "listening"]),
    ("Sean Murphy", "SE3", 51.4680, 0.0170, "en", ["dogs", "shopping"]),
    ("Mei Chen", "SE14", 51.4770, -0.0430, "en zh-hans", ["paperwork", "shopping"]),
]


def _password(name):
    path = settings.VAR_DIR / f"demo-{name}-password.txt"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(12)
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


def _user(username, email, password, **extra):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(username, email, password, **extra)
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _coordinator():
    # The group and its permissions are kept by volunteers.roles after every migrate.
    roles.ensure_groups()
    group = Group.objects.get(name=roles.COORDINATORS)
    password = _password("coordinator")
    user = _user(COORDINATOR_USERNAME, "coordinator@compassionate-communities.example", password)
    user.groups.add(group)
    return password


def _volunteer(user, name, district, lat, lon, languages, skills, modules, terms, today):
    volunteer = Volunteer.objects.create(
        user=user,
        display_name=name,
        status=Volunteer.Status.ACTIVE,
        email_verified_at=timezone.now(),
        approved_at=timezone.now(),
        home_area=district,
        latitude=lat,
        longitude=lon,
        travel_radius_km=8,
        languages=languages,
        max_active_tasks=3,
    )
    volunteer.skills.add(*skills)
    volunteer.terms_consents.create(terms=terms)
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(volunteer=volunteer, weekday=day, starts=dt.time(8), ends=dt.time(21))
        for day in range(7)
    )
    for module in modules.values():
        TrainingRecord.objects.create(
            volunteer=volunteer,
            module=module,
            completed_on=today - dt.timedelta(days=200),
            expires_on=today + dt.timedelta(days=500),
        )
    DBSCheck.objects.create(
        volunteer=volunteer,
        level=3,
        barred_list=True,
        issued_on=today - dt.timedelta(days=300),
        update_service=True,
        recheck_due=today + dt.timedelta(days=800),
    )
    return volunteer


def _request(task_type, area, lat, lon, day, hour, name, language="en", notes=""):
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    request = HelpRequest.objects.create(
        task_type=task_type,
        area=area,
        latitude=lat,
        longitude=lon,
        radius_km=task_type.default_radius_km,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        language=language,
    )
    HelpSeekerContact.objects.create(
        request=request,
        name=name,
        phone="020 7946 0" + str(100 + request.pk)[-3:],
        email="",
        address=f"{10 + request.pk} Example Road, {area} (fictional)",
        notes=notes,
    )
    record_consent(request, "phone", role="carer", version=CURRENT_CONSENT_VERSION)
    return request


@transaction.atomic
def _load(today):
    terms = TermsVersion.objects.create(version="2026-1", text=TERMS)
    modules = {
        name: TrainingModule.objects.create(
            name=name, valid_for_months=months, renewal_warning_days=warn
        )
        for name, months, warn in MODULES
    }
    types = {}
    for name, training, dbs, barred, skills, radius in TASK_TYPES:
        task_type = TaskType.objects.create(
            name=name, required_dbs=dbs, requires_barred_list=barred, default_radius_km=radius
        )
        task_type.required_training.add(*(modules[m] for m in training))
        task_type.skills.add(*skills)
        types[name] = task_type
    password = _password("volunteer")
    people = []
    for index, (name, district, lat, lon, languages, skills) in enumerate(VOLUNTEERS):
        if index == 0:
            user = _user(VOLUNTEER_USERNAME, VOLUNTEER_USERNAME, password)
        else:
            email = f"{name.split()[0].lower()}@volunteers.example"
            user = _user(email, email, secrets.token_urlsafe(16))
        people.append(
            _volunteer(user, name, district, lat, lon, languages, skills, modules, terms, today)
        )
    demo = people[0]
    # One volunteer whose safeguarding training has lapsed, and an applicant to approve.
    lapsed = people[2].training.get(module=modules["Safeguarding adults"])
    lapsed.completed_on = today - dt.timedelta(days=800)
    lapsed.expires_on = today - dt.timedelta(days=5)
    lapsed.save()
    people[3].training.filter(module=modules["Bereavement awareness"]).update(
        expires_on=today + dt.timedelta(days=20)
    )
    eligibility.refresh([people[3].pk])  # update() sends no signals
    applicant_user = _user(
        "sam@volunteers.example", "sam@volunteers.example", secrets.token_urlsafe(16)
    )
    Volunteer.objects.create(
        user=applicant_user,
        display_name="Sam Taylor",
        home_area="SE13",
        latitude=51.46,
        longitude=-0.01,
        email_verified_at=timezone.now(),
    ).terms_consents.create(terms=terms)

    soon = today + dt.timedelta(days=2)
    # Open, offered to the demo volunteer among others.
    lift = _request(
        types["A lift to an appointment"],
        "SE13",
        51.4615,
        -0.0106,
        soon,
        10,
        "Margaret Ellis",
        notes="Hospice appointment at 10:30; uses a walking frame.",
    )
    offers.make_offers(lift)
    shopping = _request(
        types["Shopping or collecting prescriptions"],
        "SE8",
        51.4787,
        -0.0262,
        soon,
        14,
        "Jan Kowalski",
        language="pl",
    )
    offers.make_offers(shopping)
    if not shopping.offers.filter(volunteer=demo).exists():
        Offer.objects.create(
            request=shopping,
            volunteer=demo,
            expires_at=timezone.now() + dt.timedelta(hours=12),
            reason="demo",
        )
    # Accepted by the demo volunteer: the contact details show on their page.
    paperwork = _request(
        types["Help with paperwork after a death"],
        "SE13",
        51.4615,
        -0.0106,
        today + dt.timedelta(days=4),
        11,
        "Arthur Bell",
        notes="His wife died last month; the forms are on the kitchen table.",
    )
    offer = Offer.objects.filter(request=paperwork, volunteer=demo).first() or Offer.objects.create(
        request=paperwork,
        volunteer=demo,
        expires_at=timezone.now() + dt.timedelta(hours=12),
        reason="demo",
    )
    offers.accept(offer.pk, demo)
    # Finished last week, with hours.
    done = _request(
        types["Walking the dog"],
        "SE13",
        51.4615,
        -0.0106,
        today + dt.timedelta(days=1),
        9,
        "Olive Grant",
    )
    done_offer = Offer.objects.create(
        request=done,
        volunteer=people[6],
        expires_at=timezone.now() + dt.timedelta(hours=12),
        reason="demo",
    )
    offers.accept(done_offer.pk, people[6])
    offers.complete(
        done_offer.pk, people[6], hours=1.5, outcome="A good walk; Olive was glad of the company."
    )
    Volunteer.objects.filter(pk=people[6].pk).update(resting_until=None)
    # Nobody can take this one: it is too far from every volunteer.
    far = _request(
        types["Sitting with someone so a carer can rest"],
        "LS1",
        53.7984,
        -1.5456,
        soon,
        13,
        "Brenda Hall",
    )
    offers.make_offers(far)
    # Withdrawn by the person.
    withdrawn = _request(
        types["Shopping or collecting prescriptions"],
        "SE4",
        51.4630,
        -0.0370,
        soon,
        16,
        "Ken Adams",
    )
    withdraw_consent(withdrawn)
    safeguarding.raise_concern(
        "Olive mentioned she has not eaten properly for days. Demo concern.",
        raised_by=people[6].user,
        volunteer=people[6],
        help_request=done,
    )
    return password


def load(log):
    """Load the demo volunteering once; print the demo logins every time."""
    coordinator_password = _coordinator()
    if TermsVersion.objects.exists():
        log("Volunteering: demo content already loaded")
        password = _password("volunteer")
        _user(VOLUNTEER_USERNAME, VOLUNTEER_USERNAME, password)
    else:
        password = _load(timezone.localdate())
        log(
            f"Volunteering: {Volunteer.objects.count()} volunteers, "
            f"{HelpRequest.objects.count()} help requests, {Offer.objects.count()} offers"
        )
    base = settings.SITE_URL
    log(f"Volunteer login:   {base}/en/volunteer/")
    log(f"                   username {VOLUNTEER_USERNAME}, password {password}")
    log(f"Coordinator login: {base}/admin/")
    log(f"                   username {COORDINATOR_USERNAME}, password {coordinator_password}")
    log(f"Ask for help:      {base}/en/ask-for-help/")


HELP_PAGE_TITLE = "Get or give practical help"
HELP_PAGE_INTRODUCTION = (
    "Trained local volunteers help with lifts, shopping, company and paperwork."
)
ASK_LINK = '<a id="a1">Ask for a volunteer\'s help</a>, for yourself or for someone you care for.'
VOLUNTEER_LINKS = '<a id="a1">Volunteer with us</a>, or <a id="a2">go to your volunteer page</a>.'
# The page's translations, keyed by its segments as wagtail-localize extracts them (links
# become <a id="a1">; their addresses follow the language, see core.demo.site.translate).
HELP_PAGE_TRANSLATIONS = {
    "cy": {
        HELP_PAGE_TITLE: "Cael neu roi help ymarferol",
        HELP_PAGE_INTRODUCTION: (
            "Mae gwirfoddolwyr lleol hyfforddedig yn helpu gyda lifftiau, siopa, cwmni a "
            "gwaith papur."
        ),
        ASK_LINK: (
            '<a id="a1">Gofynnwch am help gwirfoddolwr</a>, i chi eich hun neu i rywun rydych '
            "yn gofalu amdano."
        ),
        VOLUNTEER_LINKS: (
            '<a id="a1">Gwirfoddolwch gyda ni</a>, neu <a id="a2">ewch i\'ch tudalen '
            "gwirfoddolwr</a>."
        ),
    },
    "pl": {
        HELP_PAGE_TITLE: "Uzyskaj lub zaoferuj praktyczną pomoc",
        HELP_PAGE_INTRODUCTION: (
            "Przeszkoleni lokalni wolontariusze pomagają w dojazdach, zakupach, dotrzymują "
            "towarzystwa i pomagają w formalnościach."
        ),
        ASK_LINK: (
            '<a id="a1">Poproś o pomoc wolontariusza</a> dla siebie lub dla osoby, którą się '
            "opiekujesz."
        ),
        VOLUNTEER_LINKS: (
            '<a id="a1">Zostań wolontariuszem</a> albo <a id="a2">przejdź do swojej strony '
            "wolontariusza</a>."
        ),
    },
    "bn": {
        HELP_PAGE_TITLE: "ব্যবহারিক সাহায্য নিন বা দিন",
        HELP_PAGE_INTRODUCTION: (
            "প্রশিক্ষিত স্থানীয় স্বেচ্ছাসেবকেরা যাতায়াত, কেনাকাটা, সঙ্গ দেওয়া ও কাগজপত্রে সাহায্য করেন।"
        ),
        ASK_LINK: ('<a id="a1">একজন স্বেচ্ছাসেবকের সাহায্য চান</a>, নিজের জন্য বা যাঁর যত্ন নেন তাঁর জন্য।'),
        VOLUNTEER_LINKS: (
            '<a id="a1">আমাদের সঙ্গে স্বেচ্ছাসেবক হোন</a>, অথবা <a id="a2">আপনার স্বেচ্ছাসেবক পাতায় যান</a>।'
        ),
    },
    "ur": {
        HELP_PAGE_TITLE: "عملی مدد لیں یا دیں",
        HELP_PAGE_INTRODUCTION: (
            "تربیت یافتہ مقامی رضاکار سواری، خریداری، ساتھ دینے اور کاغذی کارروائی میں مدد "
            "کرتے ہیں۔"
        ),
        ASK_LINK: (
            '<a id="a1">کسی رضاکار سے مدد مانگیں</a>، اپنے لیے یا اس کے لیے جس کی آپ دیکھ '
            "بھال کرتے ہیں۔"
        ),
        VOLUNTEER_LINKS: (
            '<a id="a1">ہمارے ساتھ رضاکار بنیں</a>، یا <a id="a2">اپنے رضاکار صفحے پر جائیں</a>۔'
        ),
    },
    "ar": {
        HELP_PAGE_TITLE: "احصل على مساعدة عملية أو قدّمها",
        HELP_PAGE_INTRODUCTION: (
            "يساعد متطوعون محليون مدرَّبون في التوصيل والتسوق والمؤانسة والأوراق الرسمية."
        ),
        ASK_LINK: ('<a id="a1">اطلب مساعدة متطوع</a>، لنفسك أو لشخص ترعاه.'),
        VOLUNTEER_LINKS: ('<a id="a1">تطوّع معنا</a>، أو <a id="a2">اذهب إلى صفحتك كمتطوع</a>.'),
    },
}


def ensure_page(home, translate, locales):
    """A page in the menu that leads to asking for help and to volunteering, translated."""
    page = StandardPage.objects.child_of(home).filter(slug="get-or-give-help").first()
    if page is None:
        page = _help_page(home)
    for code, strings in HELP_PAGE_TRANSLATIONS.items():
        if not is_translated(page, locales[code]):
            translate(page, locales[code], strings)


def _help_page(home):
    page = StandardPage(
        title=HELP_PAGE_TITLE,
        slug="get-or-give-help",
        introduction=HELP_PAGE_INTRODUCTION,
        body=[
            (
                "paragraph",
                RichText(
                    '<p><a href="/en/ask-for-help/">Ask for a volunteer\'s help</a>, for yourself '
                    "or for someone you care for.</p>"
                    '<p><a href="/en/volunteer/sign-up/">Volunteer with us</a>, or '
                    '<a href="/en/volunteer/">go to your volunteer page</a>.</p>'
                ),
            )
        ],
        show_in_menus=True,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@register(order=50)
def demo_volunteering(context):
    """Volunteers, requests and matches, and the page that leads to them."""
    load(context.log)
    ensure_page(context.home, context.translate, context.locales)
