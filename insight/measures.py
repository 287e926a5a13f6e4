"""What each published figure means: the data dictionary, in one place.

Every measure has a kind, which decides how `insight.publish` makes it safe to show:
`count` (people, requests, searches, places), `hours` (volunteer hours given), `share`
(`part` as a percentage of `basis`, two counts of the same month and area) and `duration`
(hours from asking to an offer or an acceptance, a median or 90th percentile of the
requests counted by `basis`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

COUNT, HOURS, SHARE, DURATION = "count", "hours", "share", "duration"


@dataclass(frozen=True)
class Measure:
    code: str
    kind: str
    label: object
    description: object
    group: str
    basis: str = ""
    part: str = ""  # a share's numerator (its denominator is `basis`)


REQUESTS = "help"
VOLUNTEERING = "volunteering"
DIRECTORY = "directory"
EVENTS = "events"
OUTCOMES = "outcomes"

GROUPS = {
    REQUESTS: _("Help asked for"),
    VOLUNTEERING: _("Volunteering"),
    DIRECTORY: _("Directory searches and services"),
    EVENTS: _("Community events"),
    OUTCOMES: _("How people felt"),
}

MEASURES = [
    Measure(
        "requests",
        COUNT,
        _("Help requests"),
        _(
            "Requests for practical help received in the month. Breakdowns: 'kind:' the type "
            "of help, 'by:' who asked (the person, a carer, a professional)."
        ),
        REQUESTS,
    ),
    Measure(
        "requests_matched",
        COUNT,
        _("Requests a volunteer took on"),
        _("Requests received in the month that a volunteer accepted."),
        REQUESTS,
    ),
    Measure(
        "share_matched",
        SHARE,
        _("Share of requests matched (%)"),
        _("Requests a volunteer took on, as a percentage of requests received."),
        REQUESTS,
        basis="requests",
        part="requests_matched",
    ),
    Measure(
        "first_offer_median",
        DURATION,
        _("Hours to first offer (median)"),
        _("Half the requests were offered to a volunteer within this many hours of asking."),
        REQUESTS,
        basis="requests_offered",
    ),
    Measure(
        "first_offer_p90",
        DURATION,
        _("Hours to first offer (90th percentile)"),
        _("Nine in ten requests were offered to a volunteer within this many hours."),
        REQUESTS,
        basis="requests_offered",
    ),
    Measure(
        "acceptance_median",
        DURATION,
        _("Hours to acceptance (median)"),
        _("Half the matched requests were accepted within this many hours of asking."),
        REQUESTS,
        basis="requests_matched",
    ),
    Measure(
        "acceptance_p90",
        DURATION,
        _("Hours to acceptance (90th percentile)"),
        _("Nine in ten matched requests were accepted within this many hours of asking."),
        REQUESTS,
        basis="requests_matched",
    ),
    Measure(
        "requests_offered",
        COUNT,
        _("Requests offered to a volunteer"),
        _("Requests received in the month that were offered to at least one volunteer."),
        REQUESTS,
    ),
    Measure(
        "requests_unmatched",
        COUNT,
        _("Requests that ended with nobody matched"),
        _(
            "Requests that ended without a volunteer. Breakdowns: 'ended:' expired (the time "
            "passed) or withdrawn; 'why:' the first matching step that left nobody (no "
            "volunteer trained and checked, none within reach, none free then, none with room, "
            "everyone already asked)."
        ),
        REQUESTS,
    ),
    Measure(
        "volunteers_active",
        COUNT,
        _("Active volunteers"),
        _("Approved, active volunteers on the last day of the month, by their home area."),
        VOLUNTEERING,
    ),
    Measure(
        "volunteers_current",
        COUNT,
        _("Volunteers with training and checks current"),
        _(
            "Active volunteers whose every training module and DBS check held was still valid "
            "on the last day of the month."
        ),
        VOLUNTEERING,
    ),
    Measure(
        "tasks_closed",
        COUNT,
        _("Tasks completed"),
        _("Help requests closed in the month with the help given, by the request's area."),
        VOLUNTEERING,
    ),
    Measure(
        "volunteer_hours",
        HOURS,
        _("Volunteer hours given"),
        _("Hours volunteers recorded on the tasks completed in the month."),
        VOLUNTEERING,
        basis="tasks_closed",
    ),
    Measure(
        "searches",
        COUNT,
        _("Directory searches"),
        _(
            "Searches of the directory with a place, by the district searched near. "
            "Breakdowns: 'category:' the category chosen. The words typed and the place are "
            "never kept."
        ),
        DIRECTORY,
    ),
    Measure(
        "searches_nothing_near",
        COUNT,
        _("Searches that found nothing near"),
        _("Searches near a place that found no service with a location within the distance."),
        DIRECTORY,
    ),
    Measure(
        "services_listed",
        COUNT,
        _("Services listed"),
        _("Active directory services with a location in the area, at the end of the month."),
        DIRECTORY,
    ),
    Measure(
        "services_stale",
        COUNT,
        _("Services not checked for a year"),
        _("Active services with a location in the area not verified within the stale period."),
        DIRECTORY,
    ),
    Measure(
        "events_held",
        COUNT,
        _("Community events held"),
        _("Occurrences of published community events that took place in the month."),
        EVENTS,
    ),
    Measure(
        "places_booked",
        COUNT,
        _("Places booked at events"),
        _("Places taken at the events held in the month."),
        EVENTS,
    ),
    Measure(
        "places_offered",
        COUNT,
        _("Places offered at events"),
        _("Places available at the events held in the month that limit numbers."),
        EVENTS,
    ),
    Measure(
        "registers_taken",
        COUNT,
        _("Event dates with a register taken"),
        _(
            "Dates of events held in the month for which the group recorded who of the people "
            "booked came."
        ),
        EVENTS,
    ),
    Measure(
        "places_booked_registered",
        COUNT,
        _("Places booked at dates with a register"),
        _("Places taken at the dates held in the month for which a register was taken."),
        EVENTS,
    ),
    Measure(
        "places_used",
        COUNT,
        _("Places used at events"),
        _(
            "Places at the dates held in the month whose booker came, from the registers the "
            "groups took. Dates without a register are not counted."
        ),
        EVENTS,
    ),
    Measure(
        "share_used",
        SHARE,
        _("Share of booked places used (%)"),
        _("Places used as a percentage of the places booked at dates with a register taken."),
        EVENTS,
        basis="places_booked_registered",
        part="places_used",
    ),
    Measure(
        "survey_helped",
        COUNT,
        _("Answers from people helped"),
        _(
            "Answers to the three-question survey after help. Breakdowns: the question "
            "('supported', 'needed', 'ask_again') and the answer ('yes', 'partly', 'no')."
        ),
        OUTCOMES,
    ),
    Measure(
        "survey_wellbeing",
        COUNT,
        _("Volunteer wellbeing answers"),
        _(
            "Answers to the wellbeing check after a task. Breakdowns: the question "
            "('wellbeing', 'volunteer_supported') and the answer ('yes', 'partly', 'no')."
        ),
        OUTCOMES,
    ),
]

BY_CODE = {measure.code: measure for measure in MEASURES}
SHARES = [measure for measure in MEASURES if measure.kind == SHARE]
