"""Survey invitations keep no link to the request or task they were sent for: whether one
was sent is marked on the request (`feedback_invited_at`) or the task (`wellbeing_invited_at`)."""

from django.db import migrations
from django.utils import timezone


def mark_the_invited(apps, schema_editor):
    invitation = apps.get_model("insight", "SurveyInvitation")
    help_request = apps.get_model("volunteers", "HelpRequest")
    offer = apps.get_model("volunteers", "Offer")
    now = timezone.now()
    requests = invitation.objects.filter(request_id__isnull=False).values("request_id")
    help_request.objects.filter(pk__in=requests).update(feedback_invited_at=now)
    tasks = invitation.objects.filter(offer_id__isnull=False).values("offer_id")
    offer.objects.filter(pk__in=tasks).update(wellbeing_invited_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0001_initial"),
        ("volunteers", "0002_survey_invitation_marks"),
    ]

    operations = [
        migrations.RunPython(mark_the_invited, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="surveyinvitation", name="insight_invite_once_per_request"
        ),
        migrations.RemoveConstraint(model_name="surveyinvitation", name="insight_invite_once_per_task"),
        migrations.RemoveField(model_name="surveyinvitation", name="request_id"),
        migrations.RemoveField(model_name="surveyinvitation", name="offer_id"),
    ]
