"""Timed work runs by itself: the scheduler enqueues each job on time, once, and the
worker does it; nobody calls a command."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from core import scheduler
from core.models import ScheduledRun, SchedulerBeat
from tests.volunteers.factories import DEPTFORD, HelpRequestFactory, VolunteerFactory
from volunteers.models import Offer

EXPECTED = {
    "expire_offers": "*/5 * * * *",
    "send_task_reminders": "0 9 * * *",
    "send_expiry_warnings": "0 8 * * *",
    "redact_contacts": "30 2 * * *",
    "flag_stale_services": "0 7 * * 1",
    "refresh_hours_started": "5 0 * * *",
    "harvest_sources": "10 1 * * *",
    "write_bulk_downloads": "20 * * * *",
    "remove_past_bookings": "45 2 * * *",
    "prune_task_results": "15 3 * * *",
    "refresh_insight": "20 * * * *",
    "send_surveys": "40 * * * *",
}


def test_the_schedule_holds_every_job_once(monkeypatch):
    from config.settings import base

    assert {name: spec["cron"] for name, spec in base.SCHEDULE.items()} == EXPECTED
    for spec in base.SCHEDULE.values():
        assert isinstance(import_string(spec["task"]), Task), spec["task"]


def test_a_job_can_be_moved_or_stopped_from_the_environment(settings):
    settings.SCHEDULE = {
        **settings.SCHEDULE,
        "send_task_reminders": {**settings.SCHEDULE["send_task_reminders"], "cron": "0 10 * * *"},
        "flag_stale_services": {**settings.SCHEDULE["flag_stale_services"], "cron": "off"},
    }
    by_name = {job.name: job.cron for job in scheduler.jobs()}
    assert by_name["send_task_reminders"] == "0 10 * * *"
    assert "flag_stale_services" not in by_name


def test_a_bad_cron_expression_names_its_setting(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SCHEDULE = {"expire_offers": {"task": "core.tasks.prune_task_results", "cron": "61"}}
    with pytest.raises(ImproperlyConfigured, match="SCHEDULE_EXPIRE_OFFERS"):
        scheduler.jobs()


def test_due_time_is_the_latest_scheduled_moment_in_local_time():
    job = scheduler.Job("x", "core.tasks.prune_task_results", "30 2 * * *")
    now = timezone.make_aware(dt.datetime(2026, 7, 1, 12, 0))
    assert job.due_at(now) == timezone.make_aware(dt.datetime(2026, 7, 1, 2, 30))
    assert job.due_at(timezone.make_aware(dt.datetime(2026, 7, 1, 2, 30))) == job.due_at(now)


@pytest.mark.django_db
def test_each_run_is_enqueued_once_however_many_schedulers_look(settings):
    settings.SCHEDULE = {
        "remove_past_bookings": {
            "task": "communities.retention.remove_past_bookings_task",
            "cron": "*/5 * * * *",
        }
    }
    first = timezone.make_aware(dt.datetime(2026, 7, 1, 12, 1))
    # The first look only notes where the schedule stands: nothing runs on a fresh start.
    assert scheduler.run_due(first) == []
    later = first + dt.timedelta(minutes=5)
    # Two schedulers, each with its own memory, look at the same moment.
    assert scheduler.run_due(later, {}) == ["remove_past_bookings"]
    assert scheduler.run_due(later, {}) == []
    assert scheduler.run_due(later + dt.timedelta(minutes=2), {}) == []
    runs = ScheduledRun.objects.filter(job="remove_past_bookings").order_by("due_at")
    assert [(r.due_at, bool(r.task_result_id)) for r in runs] == [
        (timezone.make_aware(dt.datetime(2026, 7, 1, 12, 0)), False),
        (timezone.make_aware(dt.datetime(2026, 7, 1, 12, 5)), True),
    ]


@pytest.mark.django_db
def test_a_run_missed_while_stopped_is_made_up_once(settings):
    settings.SCHEDULE = {
        "redact_contacts": {"task": "volunteers.retention.redact_closed_task", "cron": "30 2 * * *"}
    }
    monday = timezone.make_aware(dt.datetime(2026, 7, 6, 3, 0))
    scheduler.run_due(monday)
    # Nothing ran on Tuesday or Wednesday at 02:30; it starts again on Wednesday at noon.
    wednesday = monday + dt.timedelta(days=2, hours=9)
    assert scheduler.run_due(wednesday, {}) == ["redact_contacts"]
    assert scheduler.run_due(wednesday + dt.timedelta(hours=1), {}) == []
    assert ScheduledRun.objects.filter(job="redact_contacts").count() == 2


@pytest.mark.django_db
def test_run_scheduler_once_records_its_heartbeat():
    call_command("run_scheduler", once=True, verbosity=0)
    assert scheduler.last_beat() is not None
    assert SchedulerBeat.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_stops_when_asked(settings):
    settings.SCHEDULER_BEAT_SECONDS = 0
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.run_forever, kwargs={"stop": stop, "tick": 0.05})
    thread.start()
    try:
        from tests.processes import wait_for

        wait_for(lambda: SchedulerBeat.objects.exists(), what="a heartbeat")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.xdist_group("processes")
def test_an_offer_past_its_deadline_moves_on_with_nobody_calling_a_command(
    shared_database, processes, terms
):
    """The real scheduler and the real database worker, as separate processes."""
    help_request = HelpRequestFactory()
    first = VolunteerFactory(display_name="first")
    second = VolunteerFactory(display_name="second", latitude=DEPTFORD[0], longitude=DEPTFORD[1])
    late = Offer.objects.create(
        request=help_request,
        volunteer=first,
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    shared_database.publish()
    db = shared_database.alias
    env = {
        "DATABASE_URL": shared_database.url,
        "TASKS_BACKEND": "database",
        "VOLUNTEER_OFFERS_AT_ONCE": "1",
        "SCHEDULE_EXPIRE_OFFERS": "* * * * * *",  # every second
        "SCHEDULER_BEAT_SECONDS": "1",
    }
    for name in EXPECTED:
        env.setdefault(f"SCHEDULE_{name.upper()}", "off")
    from tests.processes import wait_for

    scheduler_process = processes.start("run_scheduler", "--tick", "0.2", **env)
    processes.start("db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay", **env)

    def moved_on():
        late_now = Offer.objects.using(db).get(pk=late.pk)
        new = Offer.objects.using(db).filter(request_id=help_request.pk, volunteer=second)
        return late_now.status == Offer.Status.EXPIRED and new.exists()

    try:
        wait_for(moved_on, timeout=90, what="the late offer to expire and a new one")
    except AssertionError:
        print(processes.output(scheduler_process))
        raise
    new_offer = Offer.objects.using(db).get(request_id=help_request.pk, volunteer=second)
    assert new_offer.status == Offer.Status.OFFERED
    # The scheduler said it was alive, and the worker sent the new volunteer their offer.
    assert SchedulerBeat.objects.using(db).exists()
    wait_for(lambda: processes.mails(), what="the offer email")
    assert any(second.user.email in message for message in processes.mails())


@pytest.mark.django_db
def test_pruning_deletes_old_task_results_and_scheduler_records(settings):
    from django_tasks_db.models import DBTaskResult

    from core.tasks import prune_task_results
    from volunteers.notifications import send_expiry_warnings

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, new = send_expiry_warnings.enqueue(), send_expiry_warnings.enqueue()
    long_ago = timezone.now() - dt.timedelta(days=60)
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now())
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=long_ago)
    ScheduledRun.objects.create(job="expire_offers", due_at=long_ago)
    ScheduledRun.objects.create(job="expire_offers", due_at=timezone.now())
    prune_task_results.call()
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [new.id]
    assert ScheduledRun.objects.count() == 1
