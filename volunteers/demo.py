"""Demo volunteering for `manage.py load_demo`: volunteers, training, requests in every state,
from volunteers/demo.yaml.

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

from core.demo.data import by_language, read, stream
from core.demo.registry import register
from core.localization import is_translated, publish
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
CONTENT = read("volunteers")
# The demo's task types are shown in the reader's language (their names are looked up in the
# interface catalogue); marked here so that `make messages` keeps their translations.
TASK_TYPE_NAMES = [
    gettext_noop("A lift to an appointment"),
    gettext_noop("Help with paperwork after a death"),
    gettext_noop("Shopping or collecting prescriptions"),
    gettext_noop("Sitting with someone so a carer can rest"),
    gettext_noop("Walking the dog"),
]
VOLUNTEERS = CONTENT["volunteers"]
REQUESTS = CONTENT["requests"]


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


def _volunteer(user, spec, modules, terms, today):
    volunteer = Volunteer.objects.create(
        user=user,
        display_name=spec["name"],
        status=Volunteer.Status.ACTIVE,
        email_verified_at=timezone.now(),
        approved_at=timezone.now(),
        home_area=spec["district"],
        latitude=spec["latitude"],
        longitude=spec["longitude"],
        travel_radius_km=8,
        languages=spec["languages"],
        max_active_tasks=3,
    )
    volunteer.skills.add(*spec["skills"])
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


def _request(types, today, spec):
    """The help request described by `spec` (one of REQUESTS), with the person's contact."""
    task_type = types[spec["task_type"]]
    day = today + dt.timedelta(days=spec["in_days"])
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(spec["hour"])))
    request = HelpRequest.objects.create(
        task_type=task_type,
        area=spec["area"],
        latitude=spec["latitude"],
        longitude=spec["longitude"],
        radius_km=task_type.default_radius_km,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        language=spec["language"],
    )
    HelpSeekerContact.objects.create(
        request=request,
        name=spec["name"],
        phone="020 7946 0" + str(100 + request.pk)[-3:],
        email="",
        address=f"{10 + request.pk} Example Road, {spec['area']} (fictional)",
        notes=spec["notes"],
    )
    record_consent(request, "phone", role="carer", version=CURRENT_CONSENT_VERSION)
    return request


@transaction.atomic
def _load(today):
    terms = TermsVersion.objects.create(**CONTENT["terms"])
    modules = {
        spec["name"]: TrainingModule.objects.create(**spec) for spec in CONTENT["training_modules"]
    }
    types = {}
    for spec in CONTENT["task_types"]:
        task_type = TaskType.objects.create(
            name=spec["name"],
            required_dbs=spec["dbs_level"],
            requires_barred_list=spec["barred_list"],
            default_radius_km=spec["radius_km"],
        )
        task_type.required_training.add(*(modules[name] for name in spec["training"]))
        task_type.skills.add(*spec["skills"])
        types[task_type.name] = task_type
    password = _password("volunteer")
    people = []
    for index, spec in enumerate(VOLUNTEERS):
        if index == 0:
            user = _user(VOLUNTEER_USERNAME, VOLUNTEER_USERNAME, password)
        else:
            email = f"{spec['name'].split()[0].lower()}@volunteers.example"
            user = _user(email, email, secrets.token_urlsafe(16))
        people.append(_volunteer(user, spec, modules, terms, today))
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
    applicant = CONTENT["applicant"]
    applicant_user = _user(applicant["username"], applicant["username"], secrets.token_urlsafe(16))
    Volunteer.objects.create(
        user=applicant_user,
        display_name=applicant["name"],
        home_area=applicant["district"],
        latitude=applicant["latitude"],
        longitude=applicant["longitude"],
        email_verified_at=timezone.now(),
    ).terms_consents.create(terms=terms)

    # Open, offered to the demo volunteer among others.
    lift = _request(types, today, REQUESTS["lift"])
    offers.make_offers(lift)
    shopping = _request(types, today, REQUESTS["shopping"])
    offers.make_offers(shopping)
    if not shopping.offers.filter(volunteer=demo).exists():
        Offer.objects.create(
            request=shopping,
            volunteer=demo,
            expires_at=timezone.now() + dt.timedelta(hours=12),
            reason="demo",
        )
    # Accepted by the demo volunteer: the contact details show on their page.
    paperwork = _request(types, today, REQUESTS["paperwork"])
    offer = Offer.objects.filter(request=paperwork, volunteer=demo).first() or Offer.objects.create(
        request=paperwork,
        volunteer=demo,
        expires_at=timezone.now() + dt.timedelta(hours=12),
        reason="demo",
    )
    offers.accept(offer.pk, demo)
    # Finished last week, with hours.
    finished = REQUESTS["done"]
    done = _request(types, today, finished)
    done_offer = Offer.objects.create(
        request=done,
        volunteer=people[6],
        expires_at=timezone.now() + dt.timedelta(hours=12),
        reason="demo",
    )
    offers.accept(done_offer.pk, people[6])
    offers.complete(done_offer.pk, people[6], hours=finished["hours"], outcome=finished["outcome"])
    Volunteer.objects.filter(pk=people[6].pk).update(resting_until=None)
    # Nobody can take this one: it is too far from every volunteer.
    far = _request(types, today, REQUESTS["far"])
    offers.make_offers(far)
    # Withdrawn by the person.
    withdrawn = _request(types, today, REQUESTS["withdrawn"])
    withdraw_consent(withdrawn)
    safeguarding.raise_concern(
        finished["concern"],
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


def ensure_page(home, translate, locales):
    """A page in the menu that leads to asking for help and to volunteering, translated."""
    page = StandardPage.objects.child_of(home).filter(slug="get-or-give-help").first()
    if page is None:
        page = _help_page(home)
    for code, strings in by_language(CONTENT["translations"]).items():
        if not is_translated(page, locales[code]):
            translate(page, locales[code], strings)


def _help_page(home):
    spec = CONTENT["help_page"]
    page = StandardPage(**{**spec, "body": stream(spec["body"])}, show_in_menus=True)
    home.add_child(instance=page)
    publish(page)
    return page


@register(order=50)
def demo_volunteering(context):
    """Volunteers, requests and matches, and the page that leads to them."""
    load(context.log)
    ensure_page(context.home, context.translate, context.locales)
