"""TaskEligibility follows every change to training, DBS checks and task types, and the
shortlist read from it agrees with the rules applied to the records themselves."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from tests.volunteers.factories import (
    DBSCheckFactory,
    HelpRequestFactory,
    TaskTypeFactory,
    TrainingModuleFactory,
    TrainingRecordFactory,
    VolunteerFactory,
)
from volunteers import eligibility, matching, offers, retention
from volunteers.models import (
    DBSCheck,
    Offer,
    TaskEligibility,
    TermsConsent,
    TermsVersion,
    TrainingRecord,
    Volunteer,
)

pytestmark = pytest.mark.django_db

D = dt.date


def names(help_request):
    return sorted(c.volunteer.display_name for c in matching.shortlist(help_request))


def test_periods_take_one_record_per_need():
    # Two overlapping induction records (a renewal) and one DBS check.
    records = {1: [(D(2024, 1, 1), D(2026, 1, 31)), (D(2026, 1, 15), D(2027, 12, 1))]}
    checks = [(3, True, D(2025, 6, 1), D(2028, 6, 1)), (2, False, D(2020, 1, 1), D(2030, 1, 1))]
    assert eligibility.periods((frozenset([1]), 3, True), records, checks) == [
        (D(2025, 6, 1), D(2026, 1, 31)),
        (D(2026, 1, 15), D(2027, 12, 1)),
    ]
    # Neither record alone covers 1 January to 10 February 2026, so no period does.
    found = eligibility.periods((frozenset([1]), 0, False), records, [])
    assert found == records[1]
    assert not any(s <= D(2026, 1, 1) and e >= D(2026, 2, 10) for s, e in found)
    # A level-2 check without the barred list serves a level-2 need only.
    assert eligibility.periods((frozenset(), 2, False), {}, checks) == [
        (D(2020, 1, 1), D(2030, 1, 1))
    ]
    assert eligibility.periods((frozenset(), 2, True), {}, checks[1:]) == []
    assert eligibility.periods((frozenset([1, 2]), 0, False), records, checks) == []


@pytest.fixture
def sitting(terms):
    """A task needing induction and an enhanced check with the barred list, and a request."""
    induction = TrainingModuleFactory(name="Induction")
    task = TaskTypeFactory(required_dbs=3, requires_barred_list=True)
    task.required_training.add(induction)
    return task, induction, HelpRequestFactory(task_type=task)


def test_training_and_checks_saved_edited_and_deleted_change_the_shortlist(sitting):
    task, induction, request = sitting
    ada = VolunteerFactory(display_name="ada")
    assert names(request) == []
    record = TrainingRecordFactory(volunteer=ada, module=induction)
    assert names(request) == []  # no DBS check yet
    check = DBSCheckFactory(volunteer=ada)
    assert names(request) == ["ada"]

    record.expires_on = request.starts_at.date() - dt.timedelta(days=1)  # before the task
    record.save()
    assert names(request) == []
    record.expires_on = timezone.localdate() + dt.timedelta(days=400)
    record.save()
    assert names(request) == ["ada"]

    check.barred_list = False
    check.save()
    assert names(request) == []
    check.delete()
    DBSCheckFactory(volunteer=ada)
    assert names(request) == ["ada"]

    # Deleted one by one, or as a list (the admin's bulk delete).
    record.delete()
    assert names(request) == []
    TrainingRecordFactory(volunteer=ada, module=induction)
    assert names(request) == ["ada"]
    DBSCheck.objects.filter(volunteer=ada).delete()
    assert names(request) == []
    assert not TaskEligibility.objects.filter(volunteer=ada).exists()


def test_a_record_moved_to_another_volunteer_moves_their_eligibility(sitting):
    task, induction, request = sitting
    ada, bo = VolunteerFactory(display_name="ada"), VolunteerFactory(display_name="bo")
    DBSCheckFactory(volunteer=ada)
    DBSCheckFactory(volunteer=bo)
    record = TrainingRecordFactory(volunteer=ada, module=induction)
    assert names(request) == ["ada"]
    record.volunteer = bo
    record.save()
    assert names(request) == ["bo"]


def test_changing_what_a_task_type_needs_changes_the_shortlist(sitting):
    task, induction, request = sitting
    ada = VolunteerFactory(display_name="ada")
    TrainingRecordFactory(volunteer=ada, module=induction)
    DBSCheckFactory(volunteer=ada, level=2, barred_list=False)
    assert names(request) == []
    task.required_dbs, task.requires_barred_list = 2, False
    task.save()
    assert names(request) == ["ada"]

    bereavement = TrainingModuleFactory(name="Bereavement")
    task.required_training.add(bereavement)
    assert names(request) == []
    task.required_training.remove(bereavement)
    assert names(request) == ["ada"]
    bereavement.task_types.add(task)  # from the module's side
    assert names(request) == []
    # A module nobody holds, deleted: the task type no longer needs it.
    bereavement.delete()
    assert names(request) == ["ada"]

    task.required_training.clear()
    task.required_dbs = 0
    task.save()
    assert not TaskEligibility.objects.filter(task_type=task).exists()
    assert names(request) == [
        "ada",
    ] and names(HelpRequestFactory(task_type=task)) == ["ada"]


def test_terms_offers_and_rest_change_the_shortlist(sitting):
    task, induction, request = sitting
    ada = VolunteerFactory(display_name="ada", max_active_tasks=1, rest_hours=1)
    TrainingRecordFactory(volunteer=ada, module=induction)
    DBSCheckFactory(volunteer=ada)
    assert names(request) == ["ada"]

    new_terms = TermsVersion.objects.create(version="v2", text="New", published_at=timezone.now())
    assert names(request) == []
    TermsConsent.objects.create(volunteer=ada, terms=new_terms)
    assert names(request) == ["ada"]

    earlier = HelpRequestFactory(task_type=task)
    offer = Offer.objects.create(
        request=earlier, volunteer=ada, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    offers.accept(offer.pk, ada)
    assert names(request) == []  # at the limit of one task
    offers.hand_back(offer.pk, ada)
    assert names(request) == ["ada"]
    again = Offer.objects.create(
        request=HelpRequestFactory(task_type=task),
        volunteer=ada,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    offers.accept(again.pk, ada)
    offers.complete(again.pk, ada, hours=1, outcome="done", now=request.starts_at)
    assert names(request) == []  # resting for an hour after the task
    Volunteer.objects.filter(pk=ada.pk).update(resting_until=None)
    shortlist = matching.shortlist(request)
    assert [c.volunteer.display_name for c in shortlist] == ["ada"]
    assert "1 task in the last 30 days" in shortlist[0].reason


def test_erasing_a_volunteer_with_training_and_checks(sitting):
    task, induction, request = sitting
    ada = VolunteerFactory(display_name="ada")
    TrainingRecordFactory(volunteer=ada, module=induction)
    DBSCheckFactory(volunteer=ada)
    assert names(request) == ["ada"]
    retention.erase_volunteer(ada)
    assert names(request) == []
    assert not TaskEligibility.objects.exists()


def _random_corpus(rng, task, modules, request):
    """Volunteers around the request with overlapping, expired and future records."""
    day = request.starts_at.date()
    for i in range(40):
        volunteer = VolunteerFactory(
            display_name=f"v{i:02d}",
            latitude=request.latitude + rng.uniform(-0.05, 0.05),
            longitude=request.longitude + rng.uniform(-0.08, 0.08),
            travel_radius_km=rng.choice([3, 5, 10]),
            languages=rng.choice(["en", "en pl", "pl"]),
        )
        records = []
        for module in modules:
            for _ in range(rng.choice([0, 1, 1, 2])):
                start = day + dt.timedelta(days=rng.randint(-400, 3))
                records.append(
                    TrainingRecord(
                        volunteer=volunteer,
                        module=module,
                        completed_on=start,
                        expires_on=start + dt.timedelta(days=rng.randint(1, 500)),
                    )
                )
        checks = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            issued = day + dt.timedelta(days=rng.randint(-900, 3))
            checks.append(
                DBSCheck(
                    volunteer=volunteer,
                    level=rng.choice([1, 2, 3]),
                    barred_list=rng.random() < 0.6,
                    issued_on=issued,
                    recheck_due=issued + dt.timedelta(days=rng.randint(1, 1000)),
                )
            )
        TrainingRecord.objects.bulk_create(records)
        DBSCheck.objects.bulk_create(checks)
        eligibility.refresh([volunteer.pk])  # bulk_create sends no signals


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shortlist_agrees_with_the_rules_applied_to_the_records(terms, seed):
    rng = random.Random(seed)
    modules = [TrainingModuleFactory(name=f"Module {n}") for n in range(2)]
    task = TaskTypeFactory(required_dbs=rng.choice([0, 2, 3]), requires_barred_list=seed != 2)
    task.required_training.add(*modules[: rng.choice([1, 2])])
    request = HelpRequestFactory(task_type=task, radius_km=8, language="pl")
    _random_corpus(rng, task, modules, request)
    now = timezone.now()
    # The ORM queryset probes the training records and DBS checks themselves.
    expected = list(
        matching._scored(matching.candidates(request), request, now).values_list("pk", flat=True)
    )
    assert 0 < len(expected) < 40
    got = [c.volunteer.pk for c in matching.shortlist(request, limit=100, now=now)]
    assert got == expected
    # Rebuilt from nothing, the rows are the same.
    before = set(TaskEligibility.objects.values_list("volunteer", "valid_from", "valid_until"))
    TaskEligibility.objects.all().delete()
    eligibility.refresh()
    after = set(TaskEligibility.objects.values_list("volunteer", "valid_from", "valid_until"))
    assert after == before
