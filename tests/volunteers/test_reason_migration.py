"""Reasons stored as sentences before they were kept as codes are read back by the migration,
whatever language they were written in."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("volunteers", "0002_survey_invitation_marks")]
AFTER = [("volunteers", "0003_language_neutral_reasons")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_sentences_become_codes_and_numbers():
    from tests.volunteers.factories import HelpRequestFactory, VolunteerFactory

    request = HelpRequestFactory(language="pl")
    volunteer, other, third = VolunteerFactory(), VolunteerFactory(), VolunteerFactory()
    try:
        apps = migrate(BEFORE)
        Offer = apps.get_model("volunteers", "Offer")
        HelpRequest = apps.get_model("volunteers", "HelpRequest")
        soon = timezone.now() + dt.timedelta(hours=12)
        Offer.objects.create(
            request_id=request.pk,
            volunteer_id=volunteer.pk,
            distance_km=2.63,
            expires_at=soon,
            reason="2.6 km away; speaks Polish; 1 useful skill; no tasks in the last 30 days",
        )
        Offer.objects.create(
            request_id=request.pk,
            volunteer_id=other.pk,
            distance_km=4.0,
            expires_at=soon,
            reason="4.0 km i ffwrdd; 2 sgil ddefnyddiol; 3 tasg yn y 30 diwrnod diwethaf",
        )
        Offer.objects.create(
            request_id=request.pk,
            volunteer_id=third.pk,
            distance_km=1.0,
            expires_at=soon,
            reason="1.0 কিমি দূরে; গত ৩০ দিনে 3টি কাজ",
        )
        HelpRequest.objects.filter(pk=request.pk).update(
            no_match_reason="gweithredol, gyda hyfforddiant a gwiriadau dilys: 4; "
            "within both travel distances: 0; usually free at that time: 0"
        )

        apps = migrate(AFTER)
        Offer = apps.get_model("volunteers", "Offer")
        HelpRequest = apps.get_model("volunteers", "HelpRequest")
        assert Offer.objects.get(volunteer_id=volunteer.pk).reason == {
            "distance_km": 2.6,
            "skills_matched": 1,
            "language": "pl",
            "recent_tasks": 0,
        }
        assert Offer.objects.get(volunteer_id=other.pk).reason == {
            "distance_km": 4.0,
            "skills_matched": 2,
            "language": "",
            "recent_tasks": 3,
        }
        assert Offer.objects.get(volunteer_id=third.pk).reason["recent_tasks"] == 3
        assert HelpRequest.objects.get(pk=request.pk).no_match_reason == [
            ["qualified", 4],
            ["in_reach", 0],
            ["free", 0],
        ]
    finally:
        migrate(executor_leaves())


def executor_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
