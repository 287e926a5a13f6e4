"""shortlist(): the hard filters, the score and the reasons; offers and passing on."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.volunteers.factories import (
    CROYDON,
    DEPTFORD,
    DBSCheckFactory,
    HelpRequestFactory,
    TaskTypeFactory,
    TrainingModuleFactory,
    TrainingRecordFactory,
    VolunteerFactory,
)
from volunteers import matching, offers
from volunteers.models import Offer, TermsVersion, Volunteer

pytestmark = pytest.mark.django_db


def names(help_request, **kwargs):
    return [c.volunteer.display_name for c in matching.shortlist(help_request, **kwargs)]


def test_hard_filters_status_distance_radius_and_availability(terms):
    request = HelpRequestFactory(radius_km=10)
    VolunteerFactory(display_name="near")
    VolunteerFactory(display_name="deptford", latitude=DEPTFORD[0], longitude=DEPTFORD[1])
    VolunteerFactory(display_name="croydon far", latitude=CROYDON[0], longitude=CROYDON[1])
    # Within the request's 10 km, but further than the volunteer will travel.
    VolunteerFactory(
        display_name="short radius",
        latitude=DEPTFORD[0],
        longitude=DEPTFORD[1],
        travel_radius_km=1,
    )
    VolunteerFactory(display_name="applicant", status=Volunteer.Status.APPLICANT, approved_at=None)
    VolunteerFactory(display_name="paused", status=Volunteer.Status.PAUSED)
    VolunteerFactory(display_name="unverified", email_verified_at=None)
    VolunteerFactory(display_name="never free", free=False)
    VolunteerFactory(
        display_name="resting", resting_until=request.starts_at + dt.timedelta(hours=1)
    )
    assert sorted(names(request)) == ["deptford", "near"]


def test_new_terms_need_new_consent(terms):
    request = HelpRequestFactory()
    VolunteerFactory(display_name="consented")
    TermsVersion.objects.create(version="v2", text="New wording", published_at=timezone.now())
    assert names(request) == []


def test_training_and_checks_must_be_valid_for_the_task_and_coordinators_see_why():
    induction = TrainingModuleFactory(name="Compassionate Neighbours induction")
    task = TaskTypeFactory(required_dbs=3, requires_barred_list=True)
    task.required_training.add(induction)
    request = HelpRequestFactory(task_type=task)
    good = VolunteerFactory(display_name="trained")
    TrainingRecordFactory(volunteer=good, module=induction)
    DBSCheckFactory(volunteer=good)
    expired = VolunteerFactory(display_name="expired")
    TrainingRecordFactory(
        volunteer=expired,
        module=induction,
        completed_on=timezone.localdate() - dt.timedelta(days=800),
        expires_on=timezone.localdate() - dt.timedelta(days=1),
    )
    DBSCheckFactory(volunteer=expired)
    no_barred = VolunteerFactory(display_name="no barred list")
    TrainingRecordFactory(volunteer=no_barred, module=induction)
    DBSCheckFactory(volunteer=no_barred, barred_list=False)
    missing = VolunteerFactory(display_name="missing")

    assert names(request) == ["trained"]
    assert matching.exclusions(good, task) == []
    assert any("expired on" in reason for reason in matching.exclusions(expired, task))
    assert matching.exclusions(no_barred, task) == ["no DBS check of the level needed"]
    assert "Compassionate Neighbours induction: not completed" in matching.exclusions(missing, task)


def test_task_limit_counts_accepted_tasks(terms):
    busy = VolunteerFactory(display_name="busy", max_active_tasks=1)
    first = HelpRequestFactory()
    Offer.objects.create(
        request=first, volunteer=busy, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    offers.accept(first.offers.get().pk, busy)
    assert names(HelpRequestFactory()) == []


def test_score_prefers_close_skilled_same_language_and_less_loaded(terms):
    task = TaskTypeFactory(skill_names=["driving"])
    request = HelpRequestFactory(task_type=task, language="pl")
    VolunteerFactory(display_name="far", latitude=DEPTFORD[0], longitude=DEPTFORD[1])
    VolunteerFactory(display_name="polish driver", languages="en pl", skill_names=["driving"])
    VolunteerFactory(display_name="near")
    shortlist = matching.shortlist(request)
    assert [c.volunteer.display_name for c in shortlist] == ["polish driver", "near", "far"]
    best = shortlist[0]
    assert best.speaks_language and best.skills_matched == 1
    assert "speaks Polish" in best.reason and "1 useful skill" in best.reason
    assert "no tasks in the last 30 days" in best.reason
    # Both homes are stored coarse (51.46, -0.01 and 51.48, -0.03): 2.6 km apart.
    assert shortlist[2].reason.startswith("2.6 km away")


def test_recent_load_lowers_the_score(terms):
    loaded = VolunteerFactory(display_name="loaded", max_active_tasks=5)
    VolunteerFactory(display_name="fresh")
    for _ in range(2):
        earlier = HelpRequestFactory()
        offer = Offer.objects.create(
            request=earlier, volunteer=loaded, expires_at=timezone.now() + dt.timedelta(hours=1)
        )
        offers.accept(offer.pk, loaded)
        offers.complete(offer.pk, loaded, hours=1, outcome="done")
    loaded.refresh_from_db()
    loaded.resting_until = None
    loaded.save()
    shortlist = matching.shortlist(HelpRequestFactory())
    assert [c.volunteer.display_name for c in shortlist] == ["fresh", "loaded"]
    assert "2 tasks in the last 30 days" in shortlist[1].reason


def test_offers_go_to_the_top_few_and_pass_on_after_decline_and_timeout(terms, settings):
    settings.VOLUNTEER_OFFERS_AT_ONCE = 2
    request = HelpRequestFactory()
    a = VolunteerFactory(display_name="a")
    b = VolunteerFactory(display_name="b", latitude=DEPTFORD[0], longitude=DEPTFORD[1])
    c = VolunteerFactory(display_name="c", latitude=51.49, longitude=-0.03)
    made = offers.make_offers(request)
    assert {o.volunteer for o in made} == {a, b}
    assert offers.make_offers(request) == []  # already two waiting

    offers.decline(made[0].pk, a)
    waiting = set(request.offers.filter(status="offered").values_list("volunteer", flat=True))
    assert waiting == {b.pk, c.pk}

    later = timezone.now() + dt.timedelta(hours=13)
    assert offers.expire_offers(now=later) == 2
    assert not request.offers.filter(status="offered").exists()
    request.refresh_from_db()
    assert request.no_match_reason[-1] == ["not_asked", 0]
    assert "not already asked: 0" in request.why_no_match_label()


def test_request_with_nobody_says_why(terms):
    VolunteerFactory(latitude=CROYDON[0], longitude=CROYDON[1])
    request = HelpRequestFactory(radius_km=5)
    assert offers.make_offers(request) == []
    request.refresh_from_db()
    assert request.no_match_reason[:2] == [["qualified", 1], ["in_reach", 0]]
    assert "active, with valid training and checks: 1" in request.why_no_match_label()
    assert "within both travel distances: 0" in request.why_no_match_label()
