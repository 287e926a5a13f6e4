"""Saving what a public form sends exactly once, whatever the number of times it is sent."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

ALREADY_RECEIVED = _(
    "We had already received this form from you, so we have kept it only once. "
    "There is nothing more you need to do."
)


def received(key):
    """The result page of the submission with this key, if it has already been saved."""
    return FormSubmission.objects.filter(key=key).values_list("result_url", flat=True).first()


def once(key, save):
    """Call `save()` (which saves the submission and returns the URL of its result page)
    unless a submission with this key has already been saved.

    Returns (result URL, True) the first time, and (the first one's result URL, False) for
    each later or concurrent one: the key's unique constraint lets one transaction record it,
    and the others wait for that one to commit, then find its record.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = FormSubmission.objects.create(key=key)
        except IntegrityError:
            return FormSubmission.objects.get(key=key).result_url, False
        record.result_url = save()
        record.save(update_fields=["result_url"])
    return record.result_url, True
