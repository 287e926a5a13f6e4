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

`candidates` and `_scored` say all this with the ORM, reading the training records and DBS
checks themselves; `why_no_match` and the coordinators' page use them, and the tests hold
`shortlist` to them. `shortlist` runs the same rules as one SQL statement written once per
database, because compiling the ORM query took longer than running it.
"""

import datetime as dt
import functools
import math
import sys
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least
from django.utils import timezone
from django.utils.translation import get_language_info, gettext, ngettext
from taggit.models import TaggedItem

from core.geo import bounding_box, distance_km
from core.geo.distance import EARTH_RADIUS_KM

from . import standing
from .models import (
    HelpRequest,
    Offer,
    TaskEligibility,
    TaskType,
    TermsConsent,
    TermsVersion,
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


def _window(help_request):
    """The request's local weekday, start and end times, and the dates it starts and ends."""
    starts = timezone.localtime(help_request.starts_at)
    ends = timezone.localtime(help_request.ends_at)
    end_time = ends.time() if ends.date() == starts.date() else dt.time.max
    return (starts.weekday(), starts.time(), end_time, *standing.task_dates(help_request))


# Each hard filter is a list of conditions, so that `candidates` can build the whole query
# in one filter() call (every extra call clones the query, which costs more than the SQL)
# and `why_no_match` can count what is left after each one.


def _rested(help_request):
    return [Q(resting_until__isnull=True) | Q(resting_until__lte=help_request.starts_at)]


def chord2_for_km(km):
    """The squared chord on the unit sphere for a great-circle distance in km."""
    return (2 * math.sin(km / (2 * EARTH_RADIUS_KM))) ** 2


def _chord2_sql(latitude, longitude):
    x, y, z = unit_vector(latitude, longitude)
    dx, dy, dz = F("unit_x") - Value(x), F("unit_y") - Value(y), F("unit_z") - Value(z)
    return ExpressionWrapper(dx * dx + dy * dy + dz * dz, output_field=FloatField())


def _reach_chord2_sql():
    """chord2_for_km(travel_radius_km) in plain arithmetic: 2 sin(a / 2) = a - a^3 / 24 + ...,
    and the next term is below 1e-12 of the whole for any radius a volunteer may set."""
    angle = Cast(F("travel_radius_km"), FloatField()) / Value(EARTH_RADIUS_KM)
    chord = angle - angle * angle * angle / Value(24.0)
    return ExpressionWrapper(chord * chord, output_field=FloatField())


def _reach_annotations(help_request):
    return {
        "chord2": _chord2_sql(help_request.latitude, help_request.longitude),
        "reach2": Least(_reach_chord2_sql(), Value(chord2_for_km(help_request.radius_km))),
    }


def _box(help_request):
    """The indexed bounding box around the request, as wide as its radius."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(
        help_request.latitude, help_request.longitude, help_request.radius_km
    )
    return [Q(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))]


# Within both radii by the exact distance, compared as chords on the unit sphere (which
# order exactly as great-circle distance does); needs _reach_annotations.
_WITHIN_REACH = [Q(chord2__lte=F("reach2"))]


def _available(help_request):
    weekday, start_time, end_time, _start, _end = _window(help_request)
    return [
        Exists(
            WeeklyAvailability.objects.filter(
                volunteer=OuterRef("pk"),
                weekday=weekday,
                starts__lte=start_time,
                ends__gte=end_time,
            )
        )
    ]


def _count(queryset):
    """A correlated COUNT(*) subquery over `queryset`, 0 when there are no rows."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("volunteer").annotate(n=Count("pk")).values("n")[:1],
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


def _not_asked(help_request):
    return [~Exists(Offer.objects.filter(request=help_request, volunteer=OuterRef("pk")))]


def candidates(help_request):
    """The queryset of volunteers passing every hard filter for this request.

    The conditions are written cheapest first (SQLite tests them in that order): the
    indexed box, plain columns, the distance, then the correlated subqueries.
    """
    _weekday, _s, _e, starts_on, ends_on = _window(help_request)
    return Volunteer.objects.annotate(
        **_reach_annotations(help_request), **_capacity_annotations()
    ).filter(
        *_box(help_request),
        *standing.active(),
        *_rested(help_request),
        *_WITHIN_REACH,
        *_available(help_request),
        *standing.trained_and_checked(help_request.task_type, starts_on, ends_on),
        *_UNDER_LIMIT,
        *_not_asked(help_request),
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
    skill_share = Cast(F("skills_matched"), FloatField()) / Value(float(max(len(wanted), 1)))
    score = (
        Value(WEIGHTS["distance"]) * (Value(1.0) - F("chord2") / F("reach2"))
        + Value(WEIGHTS["skills"]) * skill_share
        + Value(WEIGHTS["language"]) * Cast(F("speaks"), FloatField())
        + Value(WEIGHTS["load"]) / (Cast(F("recent"), FloatField()) + Value(1.0))
    )
    return queryset.annotate(
        skills_matched=skills, speaks=speaks, recent=recent, score=score
    ).order_by("-score", "chord2", "pk")


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

    The filters and the score of `candidates` and `_scored`, as one SQL statement written
    once per database (`_shortlist_sql`), with one difference: the training and DBS rules
    read TaskEligibility (see volunteers.eligibility) rather than probing the records.
    """
    now = now or timezone.now()
    rows = _shortlist_rows(help_request, limit, now)
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


def candidate(help_request, volunteer, now=None):
    """This volunteer as a Candidate for the request if they pass every hard filter of
    `candidates` (the rule set, not the fast path), else None."""
    now = now or timezone.now()
    row = _scored(candidates(help_request).filter(pk=volunteer.pk), help_request, now).first()
    if row is None:
        return None
    row.km = distance_km(help_request.latitude, help_request.longitude, row.latitude, row.longitude)
    return Candidate(
        volunteer=row,
        distance_km=row.km,
        score=round(row.score, 4),
        skills_matched=row.skills_matched,
        speaks_language=bool(row.speaks),
        recent_tasks=row.recent,
        reason=_reason_for(row, help_request.language),
    )


_COLUMNS = [field.column for field in Volunteer._meta.concrete_fields]
_ATTNAMES = [field.attname for field in Volunteer._meta.concrete_fields]


@functools.cache
def _shortlist_sql(vendor):
    """The shortlist query for one database vendor; every value in it is a parameter.

    The volunteers in the indexed box are narrowed by their own columns (status, rest, the
    distance within both radii) before anything else is read. Then one probe per row left:
    eligibility for the task type, then free time, terms, task limit and not already asked,
    and only the volunteers passing all of them are scored. PostgreSQL gets the eligibility
    probe as a LATERAL join and every other probe with `OFFSET 0`, so that each stays a
    per-row index lookup: otherwise its planner reads whole tables into hash semi-joins,
    and for a dense city also spends longer compiling the query (JIT) than running it.
    """
    postgres = vendor == "postgresql"
    probe = " OFFSET 0" if postgres else ""
    real = "DOUBLE PRECISION"
    angle = f"(CAST(v.travel_radius_km AS {real}) / %(earth)s)"
    chord = f"({angle} - ((({angle} * {angle}) * {angle}) / 24.0))"
    chord2 = """((((v.unit_x - %(x)s) * (v.unit_x - %(x)s))
      + ((v.unit_y - %(y)s) * (v.unit_y - %(y)s))) + ((v.unit_z - %(z)s) * (v.unit_z - %(z)s)))"""
    reach2 = f"{'LEAST' if postgres else 'MIN'}(({chord} * {chord}), %(reach2)s)"
    # Whether the task type needs any training or DBS check (when not, it has no rows).
    needs = f"""(SELECT CASE WHEN tt.required_dbs > 0 OR tt.requires_barred_list
        OR EXISTS (SELECT 1 FROM {TaskType.required_training.through._meta.db_table} rt
          WHERE rt.tasktype_id = tt.id) THEN 1 ELSE 0 END
      FROM {TaskType._meta.db_table} tt WHERE tt.id = %(task)s)"""  # noqa: S608
    window = f"""SELECT 1 AS ok FROM {TaskEligibility._meta.db_table} e
        WHERE e.volunteer_id = v.id AND e.task_type_id = %(task)s
        AND e.valid_until >= %(ends_on)s AND e.valid_from <= %(starts_on)s"""  # noqa: S608
    if postgres:
        eligible_join = f"LEFT JOIN LATERAL ({window} LIMIT 1) el ON TRUE"
        eligible = "el.ok IS NOT NULL"
    else:
        eligible_join, eligible = "", f"EXISTS ({window})"
    terms = f"""(SELECT t.id FROM {TermsVersion._meta.db_table} t
      WHERE t.published_at <= %(now)s ORDER BY t.published_at DESC LIMIT 1)"""  # noqa: S608
    wanted = f"""{"GREATEST" if postgres else "MAX"}((SELECT COUNT(*) FROM taggit_taggeditem tw
      WHERE tw.content_type_id = %(task_type_type)s AND tw.object_id = %(task)s), 1)"""  # noqa: S608
    offer, request = Offer._meta.db_table, HelpRequest._meta.db_table
    cols = ", ".join(f"v.{connection.ops.quote_name(name)}" for name in _COLUMNS)
    return f"""
WITH c AS {"MATERIALIZED" if postgres else ""} (
  SELECT {cols}, {chord2} AS chord2, {reach2} AS reach2
  FROM {Volunteer._meta.db_table} v
  {eligible_join}
  WHERE v.latitude BETWEEN %(min_lat)s AND %(max_lat)s
    AND v.longitude BETWEEN %(min_lon)s AND %(max_lon)s
    AND v.status = %(active)s AND v.email_verified_at IS NOT NULL
    AND (v.resting_until IS NULL OR v.resting_until <= %(starts_at)s)
    AND {chord2} <= {reach2}
    AND ({eligible} OR {needs} = 0)
)
SELECT s.*, ((((0.4 * (1.0 - (s.chord2 / s.reach2)))
    + (0.25 * (CAST(s.skills_matched AS {real}) / CAST({wanted} AS {real}))))
    + (0.2 * CAST(s.speaks AS {real})))
    + (0.15 / (CAST(s.recent AS {real}) + 1.0))) AS score
FROM (
  SELECT c.*,
    (SELECT COUNT(*) FROM taggit_taggeditem ti
      WHERE ti.content_type_id = %(volunteer_type)s AND ti.object_id = c.id
      AND ti.tag_id IN (SELECT tt.tag_id FROM taggit_taggeditem tt
        WHERE tt.content_type_id = %(task_type_type)s AND tt.object_id = %(task)s)
    ) AS skills_matched,
    CASE WHEN {"STRPOS" if postgres else "INSTR"}(' ' || c.languages || ' ', %(language)s) > 0
      THEN 1 ELSE 0 END AS speaks,
    (SELECT COUNT(*) FROM {offer} ro
      WHERE ro.volunteer_id = c.id AND ro.status IN (%(accepted)s, %(completed)s)
      AND ro.responded_at >= %(recent_since)s) AS recent
  FROM c
  WHERE EXISTS (SELECT 1 FROM {WeeklyAvailability._meta.db_table} a
      WHERE a.volunteer_id = c.id AND a.weekday = %(weekday)s
      AND a.starts <= %(start_time)s AND a.ends >= %(end_time)s{probe})
    AND EXISTS (SELECT 1 FROM {TermsConsent._meta.db_table} tc
      WHERE tc.volunteer_id = c.id AND tc.terms_id = {terms}{probe})
    AND (SELECT COUNT(*) FROM {offer} ao JOIN {request} ar ON ar.id = ao.request_id
      WHERE ao.volunteer_id = c.id AND ao.status = %(accepted)s AND ar.status = %(accepted)s
    ) < c.max_active_tasks
    AND NOT EXISTS (SELECT 1 FROM {offer} so
      WHERE so.volunteer_id = c.id AND so.request_id = %(request)s{probe})
  {"OFFSET 0" if postgres else ""}
) s
ORDER BY score DESC, s.chord2, s.id
LIMIT %(limit)s"""  # noqa: S608


def _shortlist_rows(help_request, limit, now):
    """Volunteer instances carrying score, chord2, km, skills_matched, speaks and recent."""
    ops = connection.ops
    weekday, start_time, end_time, starts_on, ends_on = _window(help_request)
    min_lat, max_lat, min_lon, max_lon = bounding_box(
        help_request.latitude, help_request.longitude, help_request.radius_km
    )
    x, y, z = unit_vector(help_request.latitude, help_request.longitude)
    params = {
        "now": ops.adapt_datetimefield_value(timezone.now()),
        "earth": EARTH_RADIUS_KM,
        "volunteer_type": _content_type_id(Volunteer),
        "task_type_type": _content_type_id(TaskType),
        "task": help_request.task_type_id,
        "language": f" {help_request.language} ",
        "accepted": Offer.Status.ACCEPTED.value,
        "completed": Offer.Status.COMPLETED.value,
        "recent_since": ops.adapt_datetimefield_value(now - dt.timedelta(days=RECENT_DAYS)),
        "x": x,
        "y": y,
        "z": z,
        "reach2": chord2_for_km(help_request.radius_km),
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lon": min_lon,
        "max_lon": max_lon,
        "active": Volunteer.Status.ACTIVE.value,
        "starts_at": ops.adapt_datetimefield_value(help_request.starts_at),
        "starts_on": ops.adapt_datefield_value(starts_on),
        "ends_on": ops.adapt_datefield_value(ends_on),
        "weekday": weekday,
        "start_time": ops.adapt_timefield_value(start_time),
        "end_time": ops.adapt_timefield_value(end_time),
        "request": help_request.pk,
        "limit": limit,
    }
    sql = _shortlist_sql(connection.vendor)
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


def _content_type_id(model):
    return ContentType.objects.get_for_model(model).pk


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
    queryset = standing.qualified(help_request.task_type, starts_on, ends_on)
    steps.append((gettext("active, with valid training and checks"), queryset.count()))
    queryset = queryset.annotate(**_reach_annotations(help_request)).filter(
        *_box(help_request), *_WITHIN_REACH
    )
    steps.append((gettext("within both travel distances"), queryset.count()))
    queryset = queryset.filter(*_available(help_request))
    steps.append((gettext("usually free at that time"), queryset.count()))
    queryset = queryset.annotate(**_capacity_annotations()).filter(
        *_rested(help_request), *_UNDER_LIMIT
    )
    steps.append((gettext("with room for another task and not resting"), queryset.count()))
    queryset = queryset.filter(*_not_asked(help_request))
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


@dataclass(frozen=True)
class Excluded:
    """A volunteer living near a request who is not on its shortlist, and every reason why."""

    volunteer: Volunteer
    distance_km: float
    reasons: list


NEARBY_MARGIN_KM = 15


def excluded_nearby(help_request, limit=50):
    """Volunteers living within the request's radius plus a margin who may not be offered it.

    Nearest first, each with the translated reasons: `exclusions` (status, terms, training,
    DBS) and the request's own filters (distance, free time, task limit, rest, already asked).
    For coordinators; nothing here touches the help-seeker's contact details.
    """
    weekday, start_time, end_time, _starts_on, ends_on = _window(help_request)
    min_lat, max_lat, min_lon, max_lon = bounding_box(
        help_request.latitude, help_request.longitude, help_request.radius_km + NEARBY_MARGIN_KM
    )
    passing = set(candidates(help_request).values_list("pk", flat=True))
    asked = dict(help_request.offers.values_list("volunteer_id", "status"))
    nearby = (
        Volunteer.objects.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
        )
        .exclude(pk__in=passing)
        .exclude(status=Volunteer.Status.LEFT)
        .annotate(
            chord2=_chord2_sql(help_request.latitude, help_request.longitude),
            **_capacity_annotations(),
        )
        .prefetch_related("availability")
        .order_by("chord2", "pk")[:limit]
    )
    rows = []
    for volunteer in nearby:
        km = distance_km(
            help_request.latitude, help_request.longitude, volunteer.latitude, volunteer.longitude
        )
        reasons = exclusions(volunteer, help_request.task_type, on=ends_on)
        reach = min(volunteer.travel_radius_km, help_request.radius_km)
        if km > reach:
            reasons.append(
                gettext("outside the travel distance: %(distance)s km, limit %(limit)s km")
                % {"distance": f"{km:.1f}", "limit": reach}
            )
        if not any(
            slot.weekday == weekday and slot.starts <= start_time and slot.ends >= end_time
            for slot in volunteer.availability.all()
        ):
            reasons.append(gettext("not usually free at that time"))
        if volunteer.active_tasks >= volunteer.max_active_tasks:
            reasons.append(
                ngettext(
                    "at their limit of %(count)s task at once",
                    "at their limit of %(count)s tasks at once",
                    volunteer.max_active_tasks,
                )
                % {"count": volunteer.max_active_tasks}
            )
        if volunteer.resting_until and volunteer.resting_until > help_request.starts_at:
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
