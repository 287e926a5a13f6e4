"""Offers: asking the best few volunteers, and what happens when they answer.

The first acceptance wins and the database decides it: `accept` is one conditional UPDATE on
the request (still open, nobody accepted yet, consent standing), never a read followed by a
write. A second volunteer's UPDATE finds no row to change, and the partial unique constraint
on accepted offers stops anything that slipped past.

Only a volunteer in good standing (`volunteers.standing`) may accept: `accept` locks the
volunteer's row and checks their standing in the same transaction, and `stand_down`, run
whenever a volunteer is saved as paused or gone, takes the same lock, so a change of
standing and an acceptance never pass each other.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from . import matching, notifications, standing
from .models import ContactConsent, HelpRequest, Offer, Volunteer


class OfferRefused(Exception):
    """An answer to an offer that cannot be taken; `message` says why, in plain words."""

    def __init__(self, message, code):
        super().__init__(str(message))
        self.message = message
        self.code = code


def make_offers(help_request, now=None):
    """Offer the request to the best volunteers not yet asked, up to the number at once."""
    now = now or timezone.now()
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if help_request.status != HelpRequest.Status.OPEN or not _consent_stands(help_request):
            return []
        waiting = help_request.offers.filter(status=Offer.Status.OFFERED).count()
        room = settings.VOLUNTEER_OFFERS_AT_ONCE - waiting
        if room <= 0:
            return []
        chosen = matching.shortlist(help_request, limit=room, now=now)
        expires = now + dt.timedelta(hours=settings.VOLUNTEER_OFFER_HOURS)
        offers = [
            Offer.objects.create(
                request=help_request,
                volunteer=candidate.volunteer,
                score=candidate.score,
                reason=candidate.reason_parts,
                distance_km=candidate.distance_km,
                offered_at=now,
                expires_at=expires,
            )
            for candidate in chosen
        ]
        no_match = [] if offers or waiting else matching.no_match_counts(help_request)
        if no_match != help_request.no_match_reason:
            HelpRequest.objects.filter(pk=help_request.pk).update(no_match_reason=no_match)
    for offer in offers:
        notifications.offer_made(offer.pk)
    return offers


def offer_to(help_request, volunteer, now=None):
    """A coordinator offers the request to one volunteer: only one who passes every matching
    rule (`matching.candidate`), only while the request is open with consent standing."""
    now = now or timezone.now()
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if help_request.status != HelpRequest.Status.OPEN:
            raise OfferRefused(_("This request is no longer waiting for a volunteer."), "not_open")
        if not _consent_stands(help_request):
            raise OfferRefused(
                _("The person's consent does not stand, so nobody can be offered this request."),
                "no_consent",
            )
        chosen = matching.candidate(help_request, volunteer, now=now)
        if chosen is None:
            raise OfferRefused(
                _(
                    "%(name)s cannot be offered this request: they do not pass every matching "
                    "rule (see why below)."
                )
                % {"name": volunteer.display_name},
                "not_a_candidate",
            )
        offer = Offer.objects.create(
            request=help_request,
            volunteer=chosen.volunteer,
            score=chosen.score,
            reason=chosen.reason_parts,
            distance_km=chosen.distance_km,
            offered_at=now,
            expires_at=now + dt.timedelta(hours=settings.VOLUNTEER_OFFER_HOURS),
        )
    notifications.offer_made(offer.pk)
    return offer


def _consent_stands(help_request):
    return ContactConsent.objects.filter(request=help_request, withdrawn_at__isnull=True).exists()


def _own_offer(offer_pk, volunteer):
    try:
        return Offer.objects.select_related("request").get(pk=offer_pk, volunteer=volunteer)
    except Offer.DoesNotExist:
        raise OfferRefused(_("There is no such offer for you."), "not_yours") from None


def accept(offer_pk, volunteer, now=None):
    """Accept an offer; the first acceptance of a request wins. Raises OfferRefused."""
    now = now or timezone.now()
    offer = _own_offer(offer_pk, volunteer)
    consent = ContactConsent.objects.filter(request=OuterRef("pk"), withdrawn_at__isnull=True)
    try:
        with transaction.atomic():
            # Taken before the standing check, as `stand_down` takes it before withdrawing.
            list(Volunteer.objects.select_for_update().filter(pk=volunteer.pk).values("pk"))
            if refused := standing.problem(volunteer, offer.request):
                raise OfferRefused(refused[1], refused[0])
            won = (
                HelpRequest.objects.filter(
                    pk=offer.request_id,
                    status=HelpRequest.Status.OPEN,
                    accepted_volunteer__isnull=True,
                )
                .filter(Exists(consent))
                .update(
                    status=HelpRequest.Status.ACCEPTED,
                    accepted_volunteer=volunteer,
                    accepted_at=now,
                )
            )
            if not won:
                raise _why_not_open(offer.request_id, volunteer)
            answered = Offer.objects.filter(
                pk=offer.pk, status=Offer.Status.OFFERED, expires_at__gt=now
            ).update(status=Offer.Status.ACCEPTED, responded_at=now)
            if not answered:
                raise OfferRefused(
                    _("This offer is no longer open: it was answered or it timed out."),
                    "not_offered",
                )
            Offer.objects.filter(request_id=offer.request_id, status=Offer.Status.OFFERED).update(
                status=Offer.Status.CLOSED, responded_at=now
            )
    except IntegrityError:
        raise OfferRefused(
            _("Another volunteer has already accepted this request."), "taken"
        ) from None
    notifications.offer_accepted(offer.pk)
    return offer


def _why_not_open(request_pk, volunteer):
    help_request = HelpRequest.objects.get(pk=request_pk)
    if help_request.accepted_volunteer_id == volunteer.pk:
        return OfferRefused(_("You have already accepted this request."), "already_yours")
    if help_request.status == HelpRequest.Status.ACCEPTED:
        return OfferRefused(_("Another volunteer has already accepted this request."), "taken")
    if help_request.status == HelpRequest.Status.OPEN:
        return OfferRefused(
            _("The person has withdrawn their consent, so this request cannot be accepted."),
            "no_consent",
        )
    return OfferRefused(_("This request is closed or was withdrawn."), "closed")


def decline(offer_pk, volunteer, now=None):
    """Decline an offer; the request passes to the next volunteer."""
    now = now or timezone.now()
    offer = _own_offer(offer_pk, volunteer)
    if not Offer.objects.filter(pk=offer.pk, status=Offer.Status.OFFERED).update(
        status=Offer.Status.DECLINED, responded_at=now
    ):
        raise OfferRefused(_("This offer is no longer open."), "not_offered")
    make_offers(offer.request, now=now)
    return offer


def hand_back(offer_pk, volunteer, now=None):
    """Give an accepted task back: the request opens again and goes to the next volunteer."""
    now = now or timezone.now()
    offer = _own_offer(offer_pk, volunteer)
    with transaction.atomic():
        if not Offer.objects.filter(pk=offer.pk, status=Offer.Status.ACCEPTED).update(
            status=Offer.Status.HANDED_BACK, responded_at=now
        ):
            raise OfferRefused(_("This task is not yours to hand back."), "not_accepted")
        HelpRequest.objects.filter(
            pk=offer.request_id, status=HelpRequest.Status.ACCEPTED, accepted_volunteer=volunteer
        ).update(status=HelpRequest.Status.OPEN, accepted_volunteer=None, accepted_at=None)
    make_offers(offer.request, now=now)
    return offer


def check_in(offer_pk, volunteer, now=None):
    """Record that the volunteer is back safely after a visit."""
    now = now or timezone.now()
    offer = _own_offer(offer_pk, volunteer)
    if not Offer.objects.filter(
        pk=offer.pk, status__in=[Offer.Status.ACCEPTED, Offer.Status.COMPLETED]
    ).update(checked_in_at=now):
        raise OfferRefused(_("You can only check in for a task you accepted."), "not_accepted")
    return offer


def complete(offer_pk, volunteer, hours, outcome, now=None):
    """Close an accepted task with the hours given and the outcome; the volunteer then rests."""
    now = now or timezone.now()
    offer = _own_offer(offer_pk, volunteer)
    with transaction.atomic():
        if not Offer.objects.filter(pk=offer.pk, status=Offer.Status.ACCEPTED).update(
            status=Offer.Status.COMPLETED, checked_in_at=offer.checked_in_at or now
        ):
            raise OfferRefused(_("You can only log hours for a task you accepted."), "not_accepted")
        HelpRequest.objects.filter(pk=offer.request_id, accepted_volunteer=volunteer).update(
            status=HelpRequest.Status.CLOSED, closed_at=now, hours=hours, outcome=outcome
        )
        Volunteer.objects.filter(pk=volunteer.pk).update(
            resting_until=now + dt.timedelta(hours=volunteer.rest_hours)
        )
    return offer


def expire_offers(now=None):
    """Time out unanswered offers and pass each request on; returns how many timed out."""
    now = now or timezone.now()
    due = Offer.objects.filter(status=Offer.Status.OFFERED, expires_at__lte=now)
    request_ids = set(due.values_list("request_id", flat=True))
    count = due.update(status=Offer.Status.EXPIRED, responded_at=now)
    for help_request in HelpRequest.objects.filter(pk__in=request_ids):
        make_offers(help_request, now=now)
    return count


@task()
def expire_offers_task():
    """The scheduled job (SCHEDULE["expire_offers"]): `expire_offers` as a task."""
    return expire_offers()


STOOD_DOWN = (Volunteer.Status.PAUSED, Volunteer.Status.LEFT)


def stand_down(volunteer, now=None):
    """A volunteer paused or gone: withdraw their waiting offers, hand back accepted tasks.

    Each request handed back opens again, the coordinators are told, and, like every
    request whose offer ended, it is offered to the next volunteers who may take it.
    Returns (offers withdrawn, requests handed back).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().filter(
            pk=volunteer.pk, status__in=STOOD_DOWN
        )
        if not list(locked.values("pk")):
            return 0, []
        waiting = Offer.objects.filter(volunteer=volunteer, status=Offer.Status.OFFERED)
        waiting_requests = list(waiting.values_list("request_id", flat=True))
        withdrawn = waiting.update(status=Offer.Status.WITHDRAWN, responded_at=now)
        handed = list(
            HelpRequest.objects.filter(
                accepted_volunteer=volunteer, status=HelpRequest.Status.ACCEPTED
            ).values_list("pk", flat=True)
        )
        Offer.objects.filter(
            volunteer=volunteer, request_id__in=handed, status=Offer.Status.ACCEPTED
        ).update(status=Offer.Status.HANDED_BACK, responded_at=now)
        HelpRequest.objects.filter(pk__in=handed).update(
            status=HelpRequest.Status.OPEN, accepted_volunteer=None, accepted_at=None
        )

    for help_request in HelpRequest.objects.filter(pk__in={*waiting_requests, *handed}):
        make_offers(help_request, now=now)
    for pk in handed:
        notifications.handed_back(pk, volunteer.pk)
    return withdrawn, handed


def _volunteer_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.status in STOOD_DOWN:
        stand_down(instance)


def connect():
    """Stand a volunteer down whenever they are saved as paused or gone."""
    post_save.connect(_volunteer_saved, sender=Volunteer, dispatch_uid="offers-stand-down")
