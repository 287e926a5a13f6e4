"""The demo's records for the two months the hourly refresh recomputes: last month and this
month so far, at the scale of the generated months before them (insight/demo.py).

The refresh counts requests, offers, tasks and volunteers from the site's own records, so the
generated figures of those two months would be replaced within the hour by the demo's handful
of requests. These records are what it counts instead: volunteers in each district, active,
most with their training and DBS check current; help requests received through the months
with their offers and timings, most matched and closed with hours given, some withdrawn and
some expired unmatched with the step that left nobody. Everyone invited to a survey when their
request or task closed has their invitation, and a share of them answered it, counted as the
survey counts an answer (insight/surveys.py: a tally by month and district, nothing linking it
to the request or the person). Searches of those months are the generated daily counts the
refresh reads already, and community events the communities demo's own, held and booked.

The people are fictional (names paired at random from insight/demo.yaml, addresses marked
fictional, phone numbers in the range kept for drama). The generated volunteers give no
weekly availability, so matching offers new requests to the demo's named volunteers as
before. What a coordinator is shown stays small: past requests are closed, withdrawn or
over, and only a few recent ones still wait for a volunteer, as on a real site. Consent is
honoured: only a person who agreed to the feedback email and gave an address is marked as
invited once their request closed, and every finished task's volunteer as sent their check.
"""

import datetime as dt
import math
import random
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.models import PostcodeDistrict
from volunteers.contact import CURRENT_CONSENT_VERSION
from volunteers.models import (
    ContactConsent,
    DBSCheck,
    HelpRequest,
    HelpSeekerContact,
    Offer,
    TaskType,
    TermsConsent,
    TermsVersion,
    TrainingModule,
    TrainingRecord,
    Volunteer,
)
from volunteers.models.people import coarse

from .areas import Locator
from .figures import NO_MATCH_STEPS, month_bounds, month_start
from .models import SurveyInvitation
from .surveys import QUESTIONS, record_answers

# The codes volunteers.matching.no_match_counts stores, in the order of NO_MATCH_STEPS.
MATCHING_STEPS = ["qualified", "in_reach", "free", "room", "not_asked"]
# Shares of the volunteers of a district, and of the requests, as the generated months have.
VOLUNTEERS_PER_SIZE = 30
NOT_CURRENT = 0.2
MATCHED = 0.78
OFFERED_UNMATCHED = 0.6
WITHDRAWN = 0.3
AGREED_TO_FEEDBACK = 0.4
HOURS = [1, 1.5, 2, 2, 3, 4]
# Shares of the people invited to each survey who answer it.
ANSWERED = {SurveyInvitation.Survey.HELPED: 0.85, SurveyInvitation.Survey.WELLBEING: 0.3}


class Made(NamedTuple):
    volunteers: int
    requests: int
    answers: int


def _hours(value):
    return dt.timedelta(hours=value)


def _weighted(rng, shares):
    names, weights = zip(*shares, strict=True)
    return rng.choices(names, weights)[0]


class Activity:
    """Builds the records in memory, then writes each table with one bulk_create."""

    def __init__(self, content, districts, kinds, requesters, why, now, seed):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
        self.content, self.districts = content, districts
        self.kinds, self.requesters, self.why = kinds, requesters, why
        self.now = now
        self.today = timezone.localdate(now)
        self.languages = [(row["name"], row["share"]) for row in content["languages"]]

    def _name(self):
        first = self.rng.choice(self.content["first_names"])
        return f"{first} {self.rng.choice(self.content['last_names'])}"

    def _place(self, district):
        lat, lon = self.centres[district]
        return coarse(lat + self.rng.uniform(-0.01, 0.01)), coarse(
            lon + self.rng.uniform(-0.01, 0.01)
        )

    # Volunteers ---------------------------------------------------------------------------

    def volunteers(self, terms, modules):
        """Active volunteers in each district; about one in five with a lapsed training
        module or DBS check, none running out within the coordinators' warning window."""
        rng, today = self.rng, self.today
        users, people, joined = [], [], []
        for district, size in self.districts:
            for _ in range(round(VOLUNTEERS_PER_SIZE * size)):
                name = self._name()
                number = len(users) + 1
                email = f"{name.replace(' ', '.').lower()}.{number}@volunteers.example"
                users.append(
                    get_user_model()(username=email, email=email, password=make_password(None))
                )
                approved = self.now - dt.timedelta(days=rng.randint(60, 900))
                volunteer = Volunteer(
                    display_name=name,
                    status=Volunteer.Status.ACTIVE,
                    email_verified_at=approved - dt.timedelta(days=3),
                    approved_at=approved,
                    home_area=district,
                    travel_radius_km=rng.choice([3, 5, 8, 10]),
                    languages=rng.choice(["en", "en", "en", "en pl", "en bn", "en ur", "en cy"]),
                )
                volunteer.set_coordinates(*self._place(district))
                people.append(volunteer)
                joined.append(approved - dt.timedelta(days=10))
        get_user_model().objects.bulk_create(users, batch_size=500)
        for user, volunteer in zip(users, people, strict=True):
            volunteer.user = user
        Volunteer.objects.bulk_create(people, batch_size=500)
        for volunteer, created in zip(people, joined, strict=True):
            volunteer.created_at = created
        Volunteer.objects.bulk_update(people, ["created_at"], batch_size=500)
        consents, training, checks = [], [], []
        for volunteer in people:
            consents.append(TermsConsent(volunteer=volunteer, terms=terms))
            lapse = rng.random() < NOT_CURRENT
            lapsed_module = rng.choice(modules) if lapse and rng.random() < 0.5 else None
            for module in modules:
                if module is lapsed_module:
                    expires = today - dt.timedelta(days=rng.randint(40, 300))
                else:
                    expires = today + dt.timedelta(days=rng.randint(60, 700))
                completed = expires - dt.timedelta(days=30 * module.valid_for_months)
                training.append(
                    TrainingRecord(
                        volunteer=volunteer,
                        module=module,
                        completed_on=completed,
                        expires_on=expires,
                    )
                )
            if lapse and lapsed_module is None:
                due = today - dt.timedelta(days=rng.randint(40, 300))
            else:
                due = today + dt.timedelta(days=rng.randint(60, 900))
            checks.append(
                DBSCheck(
                    volunteer=volunteer,
                    level=rng.choice([2, 3, 3]),
                    barred_list=True,
                    issued_on=due - dt.timedelta(days=1095),
                    update_service=rng.random() < 0.6,
                    recheck_due=due,
                )
            )
        TermsConsent.objects.bulk_create(consents, batch_size=1000)
        TrainingRecord.objects.bulk_create(training, batch_size=1000)
        DBSCheck.objects.bulk_create(checks, batch_size=1000)
        by_district = {}
        for volunteer in people:
            by_district.setdefault(volunteer.home_area, []).append(volunteer)
        return by_district

    # Requests -----------------------------------------------------------------------------

    def _why(self):
        """Stored no-match counts whose first empty step is drawn as the generated months draw
        why a request found nobody."""
        step = NO_MATCH_STEPS.index(
            _weighted(self.rng, [(w, 1 / (i + 1)) for i, w in enumerate(self.why)])
        )
        left = self.rng.randint(8, 30)
        counts = []
        for code in MATCHING_STEPS[:step]:
            counts.append([code, left])
            left = max(1, left - self.rng.randint(0, left // 2))
        counts.append([MATCHING_STEPS[step], 0])
        return counts

    def _offer(self, request, volunteer, offered_at, status, responded_at=None):
        expires = offered_at + _hours(settings.VOLUNTEER_OFFER_HOURS)
        return Offer(
            request=request,
            volunteer=volunteer,
            status=status,
            score=round(self.rng.uniform(0.4, 0.95), 2),
            distance_km=round(self.rng.uniform(0.3, 6), 1),
            offered_at=offered_at,
            expires_at=expires,
            responded_at=responded_at,
        )

    def _one(self, district, task_type, created, volunteers):
        """One request received at `created` and what became of it by now, with its offers."""
        rng, now = self.rng, self.now
        latitude, longitude = self._place(district)
        first_offer = created + _hours(rng.lognormvariate(0.8, 0.9))
        accept = max(created + _hours(rng.lognormvariate(2.0, 0.8)), first_offer + _hours(0.1))
        starts = max(created + _hours(rng.uniform(18, 120)), accept + _hours(6))
        starts = starts.replace(minute=0, second=0, microsecond=0)
        request = HelpRequest(
            task_type=task_type,
            requested_by=_weighted(rng, self.requesters),
            area=district,
            latitude=latitude,
            longitude=longitude,
            radius_km=task_type.default_radius_km,
            starts_at=starts,
            ends_at=starts + _hours(2),
            language=_weighted(rng, self.languages),
            may_ask_feedback=rng.random() < AGREED_TO_FEEDBACK,
        )
        offers = []
        matched = rng.random() < MATCHED
        helper, other = rng.sample(volunteers, 2)
        if matched and accept <= now:
            request.accepted_volunteer, request.accepted_at = helper, accept
            request.status = HelpRequest.Status.ACCEPTED
            offer = self._offer(request, helper, first_offer, Offer.Status.ACCEPTED, accept)
            closed = request.ends_at + _hours(rng.uniform(0.5, 8))
            if closed <= now:
                request.status, request.closed_at = HelpRequest.Status.CLOSED, closed
                request.hours = rng.choice(HOURS)
                request.outcome = "Helped as planned (generated demo record)."
                offer.status, offer.wellbeing_invited_at = Offer.Status.COMPLETED, closed
                if request.may_ask_feedback:
                    request.feedback_invited_at = closed
            offers.append(offer)
            if rng.random() < 0.3:
                declined = first_offer + _hours(rng.uniform(0, 0.5))
                offers.append(
                    self._offer(request, other, declined, Offer.Status.DECLINED, declined)
                )
        elif matched:
            # Received in the last day or so: offered, and not answered yet (or timed out).
            if first_offer <= now:
                offer = self._offer(request, helper, first_offer, Offer.Status.OFFERED)
                if offer.expires_at <= now:
                    offer.status, offer.responded_at = Offer.Status.EXPIRED, offer.expires_at
                offers.append(offer)
        else:
            if rng.random() < OFFERED_UNMATCHED and first_offer <= now:
                expires = first_offer + _hours(settings.VOLUNTEER_OFFER_HOURS)
                if expires <= now:
                    status, answered = rng.choice(
                        [(Offer.Status.EXPIRED, expires), (Offer.Status.DECLINED, first_offer)]
                    )
                    offers.append(self._offer(request, helper, first_offer, status, answered))
                else:
                    offers.append(self._offer(request, helper, first_offer, Offer.Status.OFFERED))
            if rng.random() < WITHDRAWN:
                request.status = HelpRequest.Status.WITHDRAWN
                for offer in offers:
                    if offer.status == Offer.Status.OFFERED:
                        offer.status, offer.responded_at = Offer.Status.WITHDRAWN, now
            if offers or request.status == HelpRequest.Status.WITHDRAWN or request.ends_at < now:
                request.no_match_reason = self._why()
        return request, offers

    def requests(self, months, by_district, types):
        """Help requests received in each month up to now, at the generated months' scale."""
        rng, now = self.rng, self.now
        made, offers, created_at = [], [], []
        for month in months:
            start, end = month_bounds(month)
            span = (min(end, now) - start).total_seconds()
            share = span / (end - start).total_seconds()
            if span <= 0:
                continue
            winter = 1 + 0.3 * math.cos((month.month - 1) / 12 * 2 * math.pi)
            for district, size in self.districts:
                count = max(0, round(rng.gauss(14 * size * winter * share, 3 * share)))
                for _ in range(count):
                    created = start + dt.timedelta(seconds=rng.uniform(0, span - 60))
                    task_type = types[_weighted(rng, self.kinds)]
                    request, its_offers = self._one(
                        district, task_type, created, by_district[district]
                    )
                    made.append(request)
                    created_at.append(created)
                    offers += its_offers
        HelpRequest.objects.bulk_create(made, batch_size=500)
        for request, created in zip(made, created_at, strict=True):
            request.created_at = created
        HelpRequest.objects.bulk_update(made, ["created_at"], batch_size=500)
        Offer.objects.bulk_create(offers, batch_size=1000)
        contacts, consents = [], []
        for request, created in zip(made, created_at, strict=True):
            name = self._name()
            email = ""
            if request.may_ask_feedback:
                email = f"{name.replace(' ', '.').lower()}.{request.reference.lower()}@example.org"
            contacts.append(
                HelpSeekerContact(
                    request=request,
                    name=name,
                    phone=f"020 7946 0{rng.randint(0, 999):03d}",
                    email=email,
                    address=f"{rng.randint(1, 200)} Example Road, {request.area} (fictional)",
                )
            )
            withdrawn = request.status == HelpRequest.Status.WITHDRAWN
            consents.append(
                ContactConsent(
                    request=request,
                    wording_version=CURRENT_CONSENT_VERSION,
                    given_at=created,
                    channel=ContactConsent.Channel.WEB
                    if request.requested_by == HelpRequest.Requester.SELF
                    else ContactConsent.Channel.ON_BEHALF,
                    recorded_by_role=request.requested_by,
                    withdrawn_at=min(request.starts_at, now) if withdrawn else None,
                )
            )
        HelpSeekerContact.objects.bulk_create(contacts, batch_size=1000)
        ContactConsent.objects.bulk_create(consents, batch_size=1000)
        self.offers = offers
        return made

    # Surveys ------------------------------------------------------------------------------

    def surveys(self, made, answers):
        """The invitations sent as requests and tasks closed, a share of them answered with
        the answers drawn from `answers` ({survey: [(answer, share)]}); how many answered."""
        rng, locator = self.rng, Locator()
        invited = [
            (SurveyInvitation.Survey.HELPED, request, request.language)
            for request in made
            if request.feedback_invited_at
        ] + [
            (SurveyInvitation.Survey.WELLBEING, offer.request, offer.volunteer.language)
            for offer in self.offers
            if offer.wellbeing_invited_at
        ]
        rng.shuffle(invited)  # their order says nothing about which request each belongs to
        known = {code for code, _name in settings.LANGUAGES}
        invitations = SurveyInvitation.objects.bulk_create(
            [
                SurveyInvitation(
                    survey=survey,
                    language=language if language in known else settings.LANGUAGE_CODE,
                    month=month_start(timezone.localtime(request.closed_at).date()),
                    district=locator.district(request.area, request.latitude, request.longitude),
                )
                for survey, request, language in invited
            ],
            batch_size=1000,
        )
        answered = 0
        for invitation in invitations:
            if rng.random() < ANSWERED[invitation.survey]:
                record_answers(
                    invitation,
                    {
                        question: _weighted(rng, answers[invitation.survey])
                        for question, _label in QUESTIONS[invitation.survey]
                    },
                )
                answered += 1
        return answered

    def make(self, months, answers):
        """Write the records and say how many; None if the volunteering demo they rest on
        (its task types, terms and training) or the sample districts are not loaded."""
        names = [name for name, _share in self.kinds]
        types = {t.name: t for t in TaskType.objects.filter(name__in=names)}
        terms = TermsVersion.current()
        modules = list(TrainingModule.objects.all())
        districts = [district for district, _size in self.districts]
        self.centres = {
            code: (lat, lon)
            for code, lat, lon in PostcodeDistrict.objects.filter(
                district__in=districts
            ).values_list("district", "latitude", "longitude")
        }
        if len(types) < len(names) or terms is None or len(self.centres) < len(districts):
            return None
        by_district = self.volunteers(terms, modules)
        made = self.requests(months, by_district, types)
        answered = self.surveys(made, answers)
        return Made(sum(len(v) for v in by_district.values()), len(made), answered)
