import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from insight.figures import month_start
from tests.volunteers.factories import HelpRequestFactory, TaskTypeFactory


@pytest.fixture
def last_month():
    return (month_start(timezone.localdate()) - dt.timedelta(days=1)).replace(day=1)


def at(month, day, hour=10):
    return timezone.make_aware(dt.datetime.combine(month.replace(day=day), dt.time(hour)))


@pytest.fixture
def make_request(db):
    """A help request received at a given time (created_at is otherwise 'now')."""
    from volunteers.models import HelpRequest

    task_types = {}

    def make(received, task="Shopping", **fields):
        if task not in task_types:
            task_types[task] = TaskTypeFactory(name=task)
        help_request = HelpRequestFactory(
            task_type=task_types[task],
            starts_at=received + dt.timedelta(days=2),
            ends_at=received + dt.timedelta(days=2, hours=2),
            **fields,
        )
        HelpRequest.objects.filter(pk=help_request.pk).update(created_at=received)
        help_request.refresh_from_db()
        return help_request

    return make


@pytest.fixture
def commissioner(db, django_user_model):
    from insight.roles import ensure_groups

    ensure_groups()
    user = django_user_model.objects.create_user("commissioner", "c@example.org", "pw-123456789")
    user.groups.add(Group.objects.get(name="Commissioners"))
    return user
