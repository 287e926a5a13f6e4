"""How volunteers are matched to a help request: `shortlist(request)`.

Hard filters run in the database, so that a volunteer who may not do the task is never
scored at all:

- the volunteer is active (so approved by a coordinator), has verified their email and has
  agreed to the current volunteering terms;
- every training module the task type needs is completed and still valid on the day, and a
  DBS check of the level needed (with the barred list if needed) is not due for recheck
  (`shortlist` reads this from TaskEligibility, kept by `volunteers.eligibility`);
- the distance between their home area and the request's area is within both their travel
  radius and the request's: an indexed latitude/longitude box first, then the exact
  great-circle test, done as squared chords between unit vectors stored with each volunteer
  (the same order as the haversine distance, in arithmetic SQLite runs natively);
- they said they are usually free on that weekday for the whole of the time asked for;
- they hold fewer accepted tasks than the most they take at once, and are not resting
  after their last task;
- they have not already been offered this request (a decline or a time-out moves on).

The score, also computed in SQL so only the top few rows leave the database, weighs:
closeness 40% (1 - (distance / reach)^2, measured in chords: 1 at their door, 0 at the
edge of the nearer radius), skills 25% (share of the task type's useful skills they have),
language 20% (they speak the request's language), and recent load 15% (1 / (1 + tasks
accepted in the last 30 days), so the same people are not always asked). Each candidate
carries a short reason a coordinator can read.

Each filter and the score are written once, as ORM expressions over the request's values
(`Param`). `candidates` and `_scored` apply them reading the training records and DBS
checks themselves; `why_no_match` and the coordinators' page (`excluded_nearby`) use the
same filters, and the tests hold `shortlist` to them. `shortlist` runs the same expressions
as one SQL statement compiled once per database, because compiling the ORM query took
longer than running it.
"""

import datetime as dt
import functools
import math
import re
import sys
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TimeField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Greatest, Least, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import get_language_info, gettext, gettext_lazy, ngettext
from taggit.models import TaggedItem

from core.geo import bounding_box, distance_km
from core.geo.distance import EARTH_RADIUS_KM

from . import standing
from .models import (
    HelpRequest,
    Offer,
    TaskEligibility,
    TaskType,
    Volunteer,
    WeeklyAvailability,
)
from .models.people import unit_vector

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
    # The reason as numbers and a language code, for storing (`reason_from` words it).
    reason_parts: dict


def _window(help_request):
    """The request's local weekday, start and end times, and the dates it starts and ends."""
    starts = timezone.localtime(help_request.starts_at)
    ends = timezone.localtime(help_request.ends_at)
    end_time = ends.time() if ends.date() == starts.date() else dt.time.max
    return (starts.weekday(), starts.time(), end_time, *standing.task_dates(help_request))


# Every value of a request that the rules below read, with its type in the database.
_PARAM_FIELDS = {
    **dict.fromkeys(
        ["x", "y", "z", "reach2", "min_lat", "max_lat", "min_lon", "max_lon"], FloatField()
    ),
    **dict.fromkeys(["starts_at", "recent_since", "terms_at"], DateTimeField()),
    **dict.fromkeys(["starts_on", "ends_on"], DateField()),
    **dict.fromkeys(["start_time", "end_time"], TimeField()),
    **dict.fromkeys(
        ["weekday", "task", "request", "volunteer_type", "task_type_type"], IntegerField()
    ),
    "language": CharField(),
}
_NAMED = object()


class Param(Value):
    """One of the request's values inside the rules: bound as itself, or left as the named
    placeholder `%(name)s` when the shortlist's SQL is compiled once (`_shortlist_sql`)."""

    def __init__(self, name, value, output_field):
        super().__init__(value, output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        if self.value is _NAMED:
            return f"%({self.name})s", []
        return super().as_sql(compiler, connection)


def _request_values(help_request, now):
    """The values of `_PARAM_FIELDS` for one request, by name."""
    weekday, start_time, end_time, starts_on, ends_on = _window(help_request)
    min_lat, max_lat, min_lon, max_lon = bounding_box(
        help_request.latitude, help_request.longitude, help_request.radius_km
    )
    x, y, z = unit_vector(help_request.latitude, help_request.longitude)
    return {
        "x": x,
        "y": y,
        "z": z,
        "reach2": chord2_for_km(help_request.radius_km),
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lon": min_lon,
        "max_lon": max_lon,
        "starts_at": help_request.starts_at,
        "recent_since": now - dt.timedelta(days=RECENT_DAYS),
        "terms_at": timezone.now(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "start_time": start_time,
        "end_time": end_time,
        "weekday": weekday,
        "task": help_request.task_type_id,
        "request": help_request.pk,
        "volunteer_type": ContentType.objects.get_for_model(Volunteer).pk,
        "task_type_type": ContentType.objects.get_for_model(TaskType).pk,
        "language": f" {help_request.language} ",
    }


def _params(help_request, now=None):
    """The request's values as expressions for the rules."""
    values = _request_values(help_request, now or timezone.now())
    return {name: Param(name, values[name], field) for name, field in _PARAM_FIELDS.items()}


class _Probe(Exists):
    """EXISTS that PostgreSQL keeps as a per-row index lookup: without `OFFSET 0` its planner
    may read the whole table into a hash semi-join, which for a few rows costs far more."""

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)", **extra_context
        )


# Each hard filter is a list of conditions on Volunteer rows, written once over the request's
# values `p` (`_params`). `candidates` builds the whole query in one filter() call (every
# extra call clones the query, which costs more than the SQL), `why_no_match` counts what is
# left after each one, and `excluded_nearby` reads each as a yes or no per volunteer.


def _box(p):
    """The indexed bounding box around the request, as wide as its radius."""
    return [
        Q(
            latitude__range=(p["min_lat"], p["max_lat"]),
            longitude__range=(p["min_lon"], p["max_lon"]),
        )
    ]


def _rested(p):
    return [Q(resting_until__isnull=True) | Q(resting_until__lte=p["starts_at"])]


def chord2_for_km(km):
    """The squared chord on the unit sphere for a great-circle distance in km."""
    return (2 * math.sin(km / (2 * EARTH_RADIUS_KM))) ** 2


def _chord2_sql(x, y, z):
    dx, dy, dz = F("unit_x") - x, F("unit_y") - y, F("unit_z") - z
    return ExpressionWrapper(dx * dx + dy * dy + dz * dz, output_field=FloatField())


def _reach_chord2_sql():
    """chord2_for_km(travel_radius_km) in plain arithmetic: 2 sin(a / 2) = a - a^3 / 24 + ...,
    and the next term is below 1e-12 of the whole for any radius a volunteer may set."""
    angle = Cast(F("travel_radius_km"), FloatField()) / Value(EARTH_RADIUS_KM)
    chord = angle - angle * angle * angle / Value(24.0)
    return ExpressionWrapper(chord * chord, output_field=FloatField())


def _reach_annotations(p):
    return {
        "chord2": _chord2_sql(p["x"], p["y"], p["z"]),
        "reach2": Least(_reach_chord2_sql(), p["reach2"]),
    }


# Within both radii by the exact distance, compared as chords on the unit sphere (which
# order exactly as great-circle distance does); needs _reach_annotations.
_WITHIN_REACH = [Q(chord2__lte=F("reach2"))]


def _available(p):
    return [
        _Probe(
            WeeklyAvailability.objects.filter(
                volunteer=OuterRef("pk"),
                weekday=p["weekday"],
                starts__lte=p["start_time"],
                ends__gte=p["end_time"],
            )
        )
    ]


def _count(queryset, group="volunteer"):
    """A correlated COUNT(*) subquery over `queryset`, 0 when there are no rows."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _capacity_annotations():
    active = Offer.objects.filter(
        volunteer=OuterRef("pk"),
        status__in=ACTIVE_OFFER_STATES,
        request__status=HelpRequest.Status.ACCEPTED,
    )
    return {"active_tasks": _count(active)}


_UNDER_LIMIT = [Q(active_tasks__lt=F("max_active_tasks"))]


def _not_asked(p):
    return [~_Probe(Offer.objects.filter(request_id=p["request"], volunteer=OuterRef("pk")))]


def _eligible(p):
    """Holds what the task type needs for the whole task, read from TaskEligibility (kept by
    `volunteers.eligibility`); a task type that needs nothing has no rows there."""
    needs = Exists(
        TaskType.objects.filter(
            Q(required_dbs__gt=0)
            | Q(requires_barred_list=True)
            | Q(required_training__isnull=False),
            pk=p["task"],
        )
    )
    window = TaskEligibility.objects.filter(
        volunteer=OuterRef("pk"),
        task_type_id=p["task"],
        valid_until__gte=p["ends_on"],
        valid_from__lte=p["starts_on"],
    )
    return [_Probe(window) | ~needs, standing.agreed_terms(p["terms_at"])]


def _matchable(p, qualified):
    """Volunteers passing every hard filter, `qualified` being the training, checks and terms.

    The conditions are written cheapest first (SQLite tests them in that order): the
    indexed box, plain columns, the distance, then the correlated subqueries.
    """
    return Volunteer.objects.annotate(**_reach_annotations(p), **_capacity_annotations()).filter(
        *_box(p),
        *standing.active(),
        *_rested(p),
        *_WITHIN_REACH,
        *_available(p),
        *qualified,
        *_UNDER_LIMIT,
        *_not_asked(p),
    )


def candidates(help_request):
    """The queryset of volunteers passing every hard filter for this request, reading the
    training records and DBS checks themselves (`standing.trained_and_checked`)."""
    _weekday, _s, _e, starts_on, ends_on = _window(help_request)
    return _matchable(
        _params(help_request),
        standing.trained_and_checked(help_request.task_type, starts_on, ends_on),
    )


def _score_annotations(p):
    """skills_matched, speaks, recent and the score they make with the distance."""
    tagged = TaggedItem.objects.filter(content_type_id=p["volunteer_type"])
    wanted = TaggedItem.objects.filter(content_type_id=p["task_type_type"], object_id=p["task"])
    skills = _count(
        tagged.filter(object_id=OuterRef("pk"), tag_id__in=wanted.values("tag_id")),
        group="object_id",
    )
    wanted_count = Greatest(_count(wanted, group="object_id"), Value(1))
    padded = Concat(Value(" "), F("languages"), Value(" "), output_field=CharField())
    speaks = Case(
        When(GreaterThan(StrIndex(padded, p["language"]), 0), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    recent = _count(
        Offer.objects.filter(
            volunteer=OuterRef("pk"),
            status__in=[Offer.Status.ACCEPTED, Offer.Status.COMPLETED],
            responded_at__gte=p["recent_since"],
        )
    )
    skill_share = Cast(F("skills_matched"), FloatField()) / Cast(wanted_count, FloatField())
    score = (
        Value(WEIGHTS["distance"]) * (Value(1.0) - F("chord2") / F("reach2"))
        + Value(WEIGHTS["skills"]) * skill_share
        + Value(WEIGHTS["language"]) * Cast(F("speaks"), FloatField())
        + Value(WEIGHTS["load"]) / (Cast(F("recent"), FloatField()) + Value(1.0))
    )
    return {"skills_matched": skills, "speaks": speaks, "recent": recent, "score": score}


_ORDER = ("-score", "chord2", "pk")


def _scored(queryset, help_request, now):
    return queryset.annotate(**_score_annotations(_params(help_request, now))).order_by(*_ORDER)


def reason_parts(distance_km, skills_matched, language, recent_tasks):
    """Why this volunteer is on the list, kept in no language: the distance, how many
    useful skills, the request's language if they speak it (else ""), recent tasks."""
    return {
        "distance_km": round(distance_km, 1),
        "skills_matched": skills_matched,
        "language": language or "",
        "recent_tasks": recent_tasks,
    }


def reason_from(parts):
    """A stored reason (`reason_parts`) worded in the active language; "" for none."""
    if not parts:
        return ""
    language = parts.get("language") or ""
    return reason(
        parts["distance_km"],
        parts.get("skills_matched", 0),
        bool(language),
        language,
        parts.get("recent_tasks", 0),
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
    """The best `limit` volunteers for a request, best first, each with a reason.

    The filters and the score of `candidates` and `_scored`, with one difference: the
    training and DBS rules read TaskEligibility (see volunteers.eligibility) rather than
    probing the records. The SQL is compiled from those expressions once per database and
    limit (`_shortlist_sql`), because compiling the ORM query took longer than running it.
    """
    now = now or timezone.now()
    return [_candidate(row, help_request) for row in _shortlist_rows(help_request, limit, now)]


def candidate(help_request, volunteer, now=None):
    """This volunteer as a Candidate for the request if they pass every hard filter of
    `candidates` (the rule set, not the fast path), else None."""
    now = now or timezone.now()
    row = _scored(candidates(help_request).filter(pk=volunteer.pk), help_request, now).first()
    if row is None:
        return None
    row.km = distance_km(help_request.latitude, help_request.longitude, row.latitude, row.longitude)
    return _candidate(row, help_request)


def _candidate(row, help_request):
    parts = _reason_parts_for(row, help_request.language)
    return Candidate(
        volunteer=row,
        distance_km=row.km,
        score=round(row.score, 4),
        skills_matched=row.skills_matched,
        speaks_language=bool(row.speaks),
        recent_tasks=row.recent,
        reason=reason_from(parts),
        reason_parts=parts,
    )


_ATTNAMES = [field.attname for field in Volunteer._meta.concrete_fields]
_PLACEHOLDER = re.compile(r"%%|%\(\w+\)s|%s")


@functools.cache
def _shortlist_sql(vendor, limit):
    """The shortlist query for one database vendor, compiled from `_matchable` and
    `_score_annotations` with every value of the request a named parameter (`Param`).

    The constants the ORM left as positional parameters (weights, states) are named too, so
    that the text is the same on every call and the database plans it once. Returns the SQL
    and the constants' values by name.
    """
    p = {name: Param(name, _NAMED, field) for name, field in _PARAM_FIELDS.items()}
    queryset = _matchable(p, _eligible(p)).annotate(**_score_annotations(p)).order_by(*_ORDER)
    sql, params = queryset[:limit].query.sql_with_params()
    positional = iter(params)
    constants = {}

    def name(match):
        if match.group() != "%s":
            return match.group()
        key = f"const_{len(constants)}"
        constants[key] = next(positional)
        return f"%({key})s"

    return _PLACEHOLDER.sub(name, sql), constants


def _shortlist_rows(help_request, limit, now):
    """Volunteer instances carrying score, chord2, km, skills_matched, speaks and recent."""
    sql, constants = _shortlist_sql(connection.vendor, limit)
    values = _request_values(help_request, now)
    params = {
        **constants,
        **{
            name: field.get_db_prep_value(values[name], connection)
            for name, field in _PARAM_FIELDS.items()
        },
    }
    if connection.vendor == "postgresql":
        rows = _prepared_volunteers(sql, params)
    else:
        rows = list(Volunteer.objects.raw(sql, params))
    for volunteer in rows:
        volunteer.km = distance_km(
            help_request.latitude, help_request.longitude, volunteer.latitude, volunteer.longitude
        )
    return rows


def _prepared_volunteers(sql, params):
    """PostgreSQL: the query bound on the server and prepared once per connection.

    Planning it costs about as much as running it, and its text is the same on every call,
    so it is planned once rather than every time.
    """
    import psycopg

    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns preparing off for the connection; a threshold no query text reaches
        # on its own lets `prepare=True` prepare this one (its client-side cursors never do).
        connection.connection.prepare_threshold = sys.maxsize
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        names = [column.name for column in cursor.description]
        fetched = cursor.fetchall()
    count = len(_ATTNAMES)
    rows = []
    for row in fetched:
        volunteer = Volunteer.from_db(connection.alias, _ATTNAMES, row[:count])
        for name, value in zip(names[count:], row[count:], strict=True):
            setattr(volunteer, name, value)
        rows.append(volunteer)
    return rows


def _reason_parts_for(volunteer, language):
    try:
        get_language_info(language)
    except KeyError:
        language = ""
    return reason_parts(
        volunteer.km,
        volunteer.skills_matched,
        language if volunteer.speaks else "",
        volunteer.recent,
    )


# The hard filters in the order `no_match_counts` applies them: a code kept with each count,
# and the words a reader sees.
NO_MATCH_STEPS = {
    "qualified": gettext_lazy("active, with valid training and checks"),
    "in_reach": gettext_lazy("within both travel distances"),
    "free": gettext_lazy("usually free at that time"),
    "room": gettext_lazy("with room for another task and not resting"),
    "not_asked": gettext_lazy("not already asked"),
}


def no_match_counts(help_request):
    """Why nobody is on the shortlist, kept in no language: [[step code, volunteers left
    after that hard filter], ...] in NO_MATCH_STEPS' order."""
    _weekday, _s, _e, starts_on, ends_on = _window(help_request)
    p = _params(help_request)
    counts = []
    queryset = standing.qualified(help_request.task_type, starts_on, ends_on)
    counts.append(["qualified", queryset.count()])
    queryset = queryset.annotate(**_reach_annotations(p)).filter(*_box(p), *_WITHIN_REACH)
    counts.append(["in_reach", queryset.count()])
    queryset = queryset.filter(*_available(p))
    counts.append(["free", queryset.count()])
    queryset = queryset.annotate(**_capacity_annotations()).filter(*_rested(p), *_UNDER_LIMIT)
    counts.append(["room", queryset.count()])
    queryset = queryset.filter(*_not_asked(p))
    counts.append(["not_asked", queryset.count()])
    return counts


def no_match_text(counts):
    """Stored `no_match_counts` worded in the active language: 'step: count; ...'."""
    return "; ".join(
        f"{NO_MATCH_STEPS[code]}: {count}" for code, count in counts if code in NO_MATCH_STEPS
    )


def why_no_match(help_request):
    """Why nobody is on the shortlist: how many volunteers remain after each hard filter."""
    return no_match_text(no_match_counts(help_request))


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


@dataclass(frozen=True)
class Excluded:
    """A volunteer living near a request who is not on its shortlist, and every reason why."""

    volunteer: Volunteer
    distance_km: float
    reasons: list


NEARBY_MARGIN_KM = 15


def _holds(conditions):
    """Whether a row meets every one of a filter's conditions, as a column."""
    return ExpressionWrapper(Q(*conditions), output_field=BooleanField())


def excluded_nearby(help_request, limit=50):
    """Volunteers living within the request's radius plus a margin who may not be offered it.

    Nearest first, each with the translated reasons: `exclusions` (status, terms, training,
    DBS) and the request's own filters (distance, free time, task limit, rest, already asked).
    For coordinators; nothing here touches the help-seeker's contact details.
    """
    _weekday, _s, _e, _starts_on, ends_on = _window(help_request)
    min_lat, max_lat, min_lon, max_lon = bounding_box(
        help_request.latitude, help_request.longitude, help_request.radius_km + NEARBY_MARGIN_KM
    )
    p = _params(help_request)
    passing = set(candidates(help_request).values_list("pk", flat=True))
    asked = dict(help_request.offers.values_list("volunteer_id", "status"))
    nearby = (
        Volunteer.objects.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
        )
        .exclude(pk__in=passing)
        .exclude(status=Volunteer.Status.LEFT)
        .annotate(**_reach_annotations(p), **_capacity_annotations())
        .annotate(
            within_reach=_holds(_WITHIN_REACH),
            available=_holds(_available(p)),
            under_limit=_holds(_UNDER_LIMIT),
            rested=_holds(_rested(p)),
        )
        .order_by("chord2", "pk")[:limit]
    )
    rows = []
    for volunteer in nearby:
        km = distance_km(
            help_request.latitude, help_request.longitude, volunteer.latitude, volunteer.longitude
        )
        reasons = exclusions(volunteer, help_request.task_type, on=ends_on)
        if not volunteer.within_reach:
            reach = min(volunteer.travel_radius_km, help_request.radius_km)
            reasons.append(
                gettext("outside the travel distance: %(distance)s km, limit %(limit)s km")
                % {"distance": f"{km:.1f}", "limit": reach}
            )
        if not volunteer.available:
            reasons.append(gettext("not usually free at that time"))
        if not volunteer.under_limit:
            reasons.append(
                ngettext(
                    "at their limit of %(count)s task at once",
                    "at their limit of %(count)s tasks at once",
                    volunteer.max_active_tasks,
                )
                % {"count": volunteer.max_active_tasks}
            )
        if not volunteer.rested:
            reasons.append(
                gettext("resting after their last task until %(when)s")
                % {"when": timezone.localtime(volunteer.resting_until).strftime("%Y-%m-%d %H:%M")}
            )
        if volunteer.pk in asked:
            reasons.append(
                gettext("already offered this request (%(status)s)")
                % {"status": Offer.Status(asked[volunteer.pk]).label}
            )
        if not reasons:
            reasons.append(gettext("does not meet another condition of this request"))
        rows.append(Excluded(volunteer=volunteer, distance_km=km, reasons=reasons))
    return rows
