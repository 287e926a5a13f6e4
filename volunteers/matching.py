"""How volunteers are matched to a help request: `shortlist(request)`.

Hard filters run in the database, so that a volunteer who may not do the task is never
scored at all:

- the volunteer is active (so approved by a coordinator), has verified their email and has
  agreed to the current volunteering terms;
- every training module the task type needs is completed and still valid on the day, and a
  DBS check of the level needed (with the barred list if needed) is not due for recheck;
- the distance between their home area and the request's area is within both their travel
  radius and the request's (an indexed latitude/longitude box first, then the exact
  haversine distance, computed in SQL as the directory search does);
- they said they are usually free on that weekday for the whole of the time asked for;
- they hold fewer accepted tasks than the most they take at once, and are not resting
  after their last task;
- they have not already been offered this request (a decline or a time-out moves on).

The score, also computed in SQL so only the top few rows leave the database, weighs:
closeness 40% (1 at their door, 0 at the edge of the nearer radius), skills 25% (share of
the task type's useful skills they have), language 20% (they speak the request's language),
and recent load 15% (1 / (1 + tasks accepted in the last 30 days), so the same people are
not always asked). Each candidate carries a short reason a coordinator can read.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ASin, Cast, Coalesce, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone
from django.utils.translation import get_language_info, gettext, ngettext
from taggit.models import TaggedItem

from core.geo import bounding_box
from core.geo.distance import EARTH_RADIUS_KM

from .models import (
    DBSCheck,
    HelpRequest,
    Offer,
    TermsVersion,
    TrainingRecord,
    Volunteer,
    WeeklyAvailability,
)

RECENT_DAYS = 30
WEIGHTS = {"distance": 0.40, "skills": 0.25, "language": 0.20, "load": 0.15}
ACTIVE_OFFER_STATES = [Offer.Status.ACCEPTED]


@dataclass(frozen=True)
class Candidate:
    """One volunteer who passed every hard filter, with their score and the reason."""

    volunteer: Volunteer
    distance_km: float
    score: float
    skills_matched: int
    speaks_language: bool
    recent_tasks: int
    reason: str


def haversine_km(latitude, longitude, lat_field="latitude", lon_field="longitude"):
    """The haversine distance from a point to each row, as a SQL expression."""
    phi1 = math.radians(latitude)
    lat2 = Radians(F(lat_field))
    dphi = lat2 - Value(phi1)
    dlambda = Radians(F(lon_field)) - Value(math.radians(longitude))
    h = Power(Sin(dphi / 2), 2) + Value(math.cos(phi1)) * Cos(lat2) * Power(Sin(dlambda / 2), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(h), Value(1.0)), output_field=FloatField())


def _window(help_request):
    """The request's local weekday, start and end times, and the dates it starts and ends."""
    starts = timezone.localtime(help_request.starts_at)
    ends = timezone.localtime(help_request.ends_at)
    end_time = ends.time() if ends.date() == starts.date() else dt.time.max
    return starts.weekday(), starts.time(), end_time, starts.date(), ends.date()


def qualified(task_type, starts_on, ends_on, queryset=None):
    """Volunteers who are active, consented, and hold valid training and checks for the task."""
    queryset = Volunteer.objects.all() if queryset is None else queryset
    terms = TermsVersion.current()
    queryset = queryset.filter(
        status=Volunteer.Status.ACTIVE,
        email_verified_at__isnull=False,
        terms_consents__terms=terms,
    )
    for module_id in task_type.required_training.values_list("pk", flat=True):
        queryset = queryset.filter(
            Exists(
                TrainingRecord.objects.filter(
                    volunteer=OuterRef("pk"),
                    module_id=module_id,
                    completed_on__lte=starts_on,
                    expires_on__gte=ends_on,
                )
            )
        )
    if task_type.required_dbs or task_type.requires_barred_list:
        checks = DBSCheck.objects.filter(
            volunteer=OuterRef("pk"),
            level__gte=task_type.required_dbs,
            issued_on__lte=starts_on,
            recheck_due__gte=ends_on,
        )
        if task_type.requires_barred_list:
            checks = checks.filter(barred_list=True)
        queryset = queryset.filter(Exists(checks))
    return queryset


def _within_reach(queryset, help_request):
    min_lat, max_lat, min_lon, max_lon = bounding_box(
        help_request.latitude, help_request.longitude, help_request.radius_km
    )
    return (
        queryset.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
        .annotate(km=haversine_km(help_request.latitude, help_request.longitude))
        .filter(km__lte=help_request.radius_km)
        .filter(km__lte=F("travel_radius_km"))
    )


def _available(queryset, help_request):
    weekday, start_time, end_time, _start, _end = _window(help_request)
    return queryset.filter(
        Exists(
            WeeklyAvailability.objects.filter(
                volunteer=OuterRef("pk"),
                weekday=weekday,
                starts__lte=start_time,
                ends__gte=end_time,
            )
        )
    )


def _count(queryset):
    """A correlated COUNT(*) subquery over `queryset`, 0 when there are no rows."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("volunteer").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _with_capacity(queryset, help_request):
    active = _count(
        Offer.objects.filter(
            volunteer=OuterRef("pk"),
            status__in=ACTIVE_OFFER_STATES,
            request__status=HelpRequest.Status.ACCEPTED,
        )
    )
    return (
        queryset.annotate(active_tasks=active)
        .filter(active_tasks__lt=F("max_active_tasks"))
        .filter(Q(resting_until__isnull=True) | Q(resting_until__lte=help_request.starts_at))
    )


def candidates(help_request):
    """The queryset of volunteers passing every hard filter for this request."""
    _weekday, _s, _e, starts_on, ends_on = _window(help_request)
    queryset = qualified(help_request.task_type, starts_on, ends_on)
    queryset = _within_reach(queryset, help_request)
    queryset = _available(queryset, help_request)
    queryset = _with_capacity(queryset, help_request)
    return queryset.exclude(
        Exists(Offer.objects.filter(request=help_request, volunteer=OuterRef("pk")))
    )


def _scored(queryset, help_request, now):
    wanted = list(help_request.task_type.skills.values_list("name", flat=True))
    volunteer_type = ContentType.objects.get_for_model(Volunteer)
    if wanted:
        skills = Coalesce(
            Subquery(
                TaggedItem.objects.filter(
                    content_type=volunteer_type,
                    object_id=OuterRef("pk"),
                    tag__name__in=wanted,
                )
                .order_by()
                .values("object_id")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )
    else:
        skills = Value(0)
    code = help_request.language
    speaks = Case(
        When(
            Q(languages=code)
            | Q(languages__startswith=f"{code} ")
            | Q(languages__endswith=f" {code}")
            | Q(languages__contains=f" {code} "),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    recent = _count(
        Offer.objects.filter(
            volunteer=OuterRef("pk"),
            status__in=[Offer.Status.ACCEPTED, Offer.Status.COMPLETED],
            responded_at__gte=now - dt.timedelta(days=RECENT_DAYS),
        )
    )
    reach = Cast(Least(F("travel_radius_km"), Value(help_request.radius_km)), FloatField())
    skill_share = Cast(F("skills_matched"), FloatField()) / Value(float(max(len(wanted), 1)))
    score = (
        Value(WEIGHTS["distance"]) * (Value(1.0) - F("km") / reach)
        + Value(WEIGHTS["skills"]) * skill_share
        + Value(WEIGHTS["language"]) * Cast(F("speaks"), FloatField())
        + Value(WEIGHTS["load"]) / (Cast(F("recent"), FloatField()) + Value(1.0))
    )
    return (
        queryset.annotate(skills_matched=skills, speaks=speaks, recent=recent)
        .annotate(score=score)
        .order_by("-score", "km", "pk")
    )


def reason(distance_km, skills_matched, speaks_language, language, recent_tasks):
    """A short, translated sentence saying why this volunteer is on the list."""
    parts = [gettext("%(distance)s km away") % {"distance": f"{distance_km:.1f}"}]
    if speaks_language:
        name = get_language_info(language)["name_translated"] if language else language
        parts.append(gettext("speaks %(language)s") % {"language": name})
    if skills_matched:
        parts.append(
            ngettext("%(count)s useful skill", "%(count)s useful skills", skills_matched)
            % {"count": skills_matched}
        )
    if recent_tasks:
        parts.append(
            ngettext(
                "%(count)s task in the last 30 days",
                "%(count)s tasks in the last 30 days",
                recent_tasks,
            )
            % {"count": recent_tasks}
        )
    else:
        parts.append(gettext("no tasks in the last 30 days"))
    return "; ".join(parts)


def shortlist(help_request, limit=10, now=None):
    """The best `limit` volunteers for a request, best first, each with a reason."""
    now = now or timezone.now()
    rows = _scored(candidates(help_request), help_request, now)[:limit]
    return [
        Candidate(
            volunteer=volunteer,
            distance_km=volunteer.km,
            score=round(volunteer.score, 4),
            skills_matched=volunteer.skills_matched,
            speaks_language=bool(volunteer.speaks),
            recent_tasks=volunteer.recent,
            reason=_reason_for(volunteer, help_request.language),
        )
        for volunteer in rows
    ]


def _reason_for(volunteer, language):
    try:
        get_language_info(language)
    except KeyError:
        language = ""
    return reason(
        volunteer.km, volunteer.skills_matched, bool(volunteer.speaks), language, volunteer.recent
    )


def why_no_match(help_request):
    """Why nobody is on the shortlist: how many volunteers remain after each hard filter."""
    _weekday, _s, _e, starts_on, ends_on = _window(help_request)
    steps = []
    queryset = qualified(help_request.task_type, starts_on, ends_on)
    steps.append((gettext("active, with valid training and checks"), queryset.count()))
    queryset = _within_reach(queryset, help_request)
    steps.append((gettext("within both travel distances"), queryset.count()))
    queryset = _available(queryset, help_request)
    steps.append((gettext("usually free at that time"), queryset.count()))
    queryset = _with_capacity(queryset, help_request)
    steps.append((gettext("with room for another task and not resting"), queryset.count()))
    queryset = queryset.exclude(
        Exists(Offer.objects.filter(request=help_request, volunteer=OuterRef("pk")))
    )
    steps.append((gettext("not already asked"), queryset.count()))
    return "; ".join(f"{label}: {count}" for label, count in steps)


def exclusions(volunteer, task_type, on=None):
    """Why a volunteer may not take this type of task on a date (for coordinators); [] if none."""
    on = on or timezone.localdate()
    reasons = []
    if volunteer.status != Volunteer.Status.ACTIVE:
        reasons.append(gettext("status is %(status)s") % {"status": volunteer.get_status_display()})
    if volunteer.email_verified_at is None:
        reasons.append(gettext("email address not verified"))
    if not volunteer.has_current_consent():
        reasons.append(gettext("has not agreed to the current volunteering terms"))
    for module in task_type.required_training.all():
        record = volunteer.training.filter(module=module).order_by("-expires_on").first()
        if record is None:
            reasons.append(gettext("%(module)s: not completed") % {"module": module.name})
        elif record.expires_on < on:
            reasons.append(
                gettext("%(module)s: expired on %(date)s")
                % {"module": module.name, "date": record.expires_on.isoformat()}
            )
    if task_type.required_dbs or task_type.requires_barred_list:
        checks = volunteer.dbs_checks.filter(level__gte=task_type.required_dbs)
        if task_type.requires_barred_list:
            checks = checks.filter(barred_list=True)
        latest = checks.order_by("-recheck_due").first()
        if latest is None:
            reasons.append(gettext("no DBS check of the level needed"))
        elif latest.recheck_due < on:
            reasons.append(
                gettext("DBS check due for recheck since %(date)s")
                % {"date": latest.recheck_due.isoformat()}
            )
    return reasons
