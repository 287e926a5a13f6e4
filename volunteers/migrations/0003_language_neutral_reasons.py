"""Match reasons kept as codes and numbers rather than sentences in one language.

An offer's reason becomes volunteers.matching.reason_parts (distance, useful skills, the
request's language if the volunteer speaks it, recent tasks); a request's "why no match"
becomes no_match_counts ([[step code, volunteers left], ...]). Sentences already stored are
read back: the numbers in them are the same in every language the site ships, and the parts
are always joined by "; ".
"""

import re

from django.db import migrations, models

STEPS = ["qualified", "in_reach", "free", "room", "not_asked"]
NUMBER = re.compile(r"\d+")
COUNT = re.compile(r":\s*(\d+)")


def offer_parts(text, distance_km, language):
    """The parts of a stored reason: '2.6 km away; speaks Polish; 1 useful skill; no tasks
    in the last 30 days' (in any language), with the offer's own distance."""
    parts = [part for part in (text or "").split("; ") if part]
    if len(parts) < 2:
        return {}
    middle, last = parts[1:-1], parts[-1]
    skills = [int(NUMBER.search(part)[0]) for part in middle if NUMBER.search(part)]
    speaks = any(not NUMBER.search(part) for part in middle)
    # "3 tasks in the last 30 days", "no tasks in the last 30 days": the count is the number
    # that is not the 30 days, wherever a language puts it.
    recent = [int(found) for found in NUMBER.findall(last)]
    if 30 in recent:
        recent.remove(30)
    return {
        "distance_km": round(distance_km, 1),
        "skills_matched": skills[0] if skills else 0,
        "language": language if speaks else "",
        "recent_tasks": recent[0] if recent else 0,
    }


def no_match_counts(text):
    counts = [int(found) for found in COUNT.findall(text or "")]
    return [[step, count] for step, count in zip(STEPS, counts, strict=False)]


def to_parts(apps, schema_editor):
    Offer = apps.get_model("volunteers", "Offer")
    HelpRequest = apps.get_model("volunteers", "HelpRequest")
    for offer in Offer.objects.select_related("request").iterator(chunk_size=2000):
        offer.reason = offer_parts(offer.reason_text, offer.distance_km, offer.request.language)
        offer.save(update_fields=["reason"])
    for help_request in HelpRequest.objects.exclude(no_match_text="").iterator(chunk_size=2000):
        help_request.no_match_reason = no_match_counts(help_request.no_match_text)
        help_request.save(update_fields=["no_match_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0002_survey_invitation_marks"),
    ]

    operations = [
        migrations.RenameField("offer", "reason", "reason_text"),
        migrations.AddField(
            model_name="offer",
            name="reason",
            field=models.JSONField(blank=True, default=dict, verbose_name="why this volunteer"),
        ),
        migrations.RenameField("helprequest", "no_match_reason", "no_match_text"),
        migrations.AddField(
            model_name="helprequest",
            name="no_match_reason",
            field=models.JSONField(
                blank=True, default=list, verbose_name="why no volunteer was found"
            ),
        ),
        migrations.RunPython(to_parts, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField("offer", "reason_text"),
        migrations.RemoveField("helprequest", "no_match_text"),
    ]
