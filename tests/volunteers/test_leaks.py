"""No help-seeker's details reach anyone but the accepted volunteer and coordinators.

A unique marker goes into the help-seeker's name, phone, email, address and notes; every
page, API and email that a volunteer who did not accept, another volunteer, an anonymous
visitor, a community-group editor, and volunteers whose standing changed after an offer
(paused, left, no longer agreed to the current terms) can reach is fetched, and every
offer action is posted: the marker must not appear. The accepted volunteer and a
coordinator are the positive controls: for them it does.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page

from tests.volunteers.factories import HelpRequestFactory, UserFactory, VolunteerFactory
from volunteers import contact, offers
from volunteers.models import Offer, TermsConsent, Volunteer

pytestmark = pytest.mark.django_db

MARKER = "Zq7MarkerXy"


def marked_request(**kwargs):
    return HelpRequestFactory(
        contact={
            "name": f"Name {MARKER}",
            "phone": f"0207 {MARKER}",
            "email": f"{MARKER.lower()}@example.org",
            "address": f"1 {MARKER} Road",
            "notes": f"Notes {MARKER}",
        },
        **kwargs,
    )


def offer(request, volunteer):
    return Offer.objects.create(
        request=request, volunteer=volunteer, expires_at=timezone.now() + dt.timedelta(hours=3)
    )


@pytest.fixture
def world(home, terms):
    """An open request offered to two volunteers, and one accepted by a third."""
    open_request = marked_request()
    accepted_request = marked_request()
    waiting, bystander, winner, stranger = (VolunteerFactory() for _ in range(4))
    waiting_offer = offer(open_request, waiting)
    lost_offer = offer(accepted_request, waiting)
    win_offer = offer(accepted_request, winner)
    offers.accept(win_offer.pk, winner)
    # Volunteers whose standing changed after an offer was made to them.
    paused, left, no_terms = (VolunteerFactory() for _ in range(3))
    paused_offer = offer(open_request, paused)
    no_terms_offer = offer(open_request, no_terms)
    left_request = marked_request()
    left_offer = offer(left_request, left)
    offers.accept(left_offer.pk, left)
    paused.status = Volunteer.Status.PAUSED
    paused.save()  # stands them down: the offer is withdrawn
    # Changed without the model's save, so nothing is handed back: the checks at accept
    # and reveal must hold on their own.
    Volunteer.objects.filter(pk=left.pk).update(status=Volunteer.Status.LEFT)
    left.refresh_from_db()
    TermsConsent.objects.filter(volunteer=no_terms).delete()
    editor = UserFactory()
    group = Group.objects.create(name="Community group editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=["add_page", "change_page"]
    ):
        GroupPagePermission.objects.create(group=group, page=home, permission=permission)
    editor.groups.add(group)
    coordinator = UserFactory(is_superuser=True, is_staff=True)
    return {
        "requests": [open_request, accepted_request, left_request],
        "offers": [waiting_offer, lost_offer, win_offer, paused_offer, no_terms_offer, left_offer],
        "waiting": waiting,
        "paused": paused,
        "left": left,
        "no_terms": no_terms,
        "bystander": bystander,
        "winner": winner,
        "stranger": stranger,
        "editor": editor,
        "coordinator": coordinator,
    }


def pages(world):
    requests, all_offers = world["requests"], world["offers"]
    urls = [
        "/en/",
        reverse("volunteers:dashboard"),
        reverse("volunteers:sign_up"),
        reverse("volunteers:sign_in"),
        reverse("volunteers:terms"),
        reverse("volunteers:concern"),
        reverse("volunteers:ask_for_help"),
        "/api/hsds/services",
        "/api/hsds/",
        "/sitemap.xml",
        "/admin/",
        "/admin/pages/",
        "/admin/snippets/volunteers/helprequest/",
        "/admin/snippets/volunteers/helprequest/?export=csv",
        "/admin/snippets/volunteers/offer/",
        "/admin/snippets/volunteers/accesslog/",
        reverse("volunteers_phone_intake"),
    ]
    for help_request in requests:
        urls += [
            f"/admin/snippets/volunteers/helprequest/inspect/{help_request.pk}/",
            f"/admin/snippets/volunteers/helprequest/edit/{help_request.pk}/",
            reverse("volunteers_contact", args=[help_request.pk]),
            reverse("volunteers_exclusions", args=[help_request.pk]),
            reverse("volunteers_withdraw_consent", args=[help_request.pk]),
        ]
    for each in all_offers:
        urls += [
            reverse("volunteers:log_hours", args=[each.pk]),
            reverse("volunteers:concern") + f"?task={each.pk}",
            f"/admin/snippets/volunteers/offer/edit/{each.pk}/",
        ]
    return urls


STOOD_DOWN = {"paused", "left", "no_terms"}


def walk(client, world, user=None, who=None):
    """Every page fetched (following redirects) and every form action posted; all bodies."""
    bodies = []
    for url in pages(world):
        response = client.get(url, follow=True)
        bodies.append(response.content.decode(errors="replace"))
    for each in world["offers"]:
        each.refresh_from_db()
        for name in ["accept", "decline", "hand_back", "check_in"]:
            own = each.volunteer.user == user
            if name == "accept" and each.status == "offered" and own and who not in STOOD_DOWN:
                continue  # accepting one's own open offer is the one way in, rightly
            response = client.post(reverse(f"volunteers:{name}", args=[each.pk]), follow=True)
            bodies.append(response.content.decode(errors="replace"))
    for help_request in world["requests"]:
        url = reverse("volunteers_withdraw_consent", args=[help_request.pk])
        bodies.append(client.post(url, follow=True).content.decode(errors="replace"))
    return bodies


@pytest.mark.parametrize(
    "who",
    ["waiting", "bystander", "stranger", "editor", "anonymous", "paused", "left", "no_terms"],
)
def test_marker_never_reaches_anyone_who_did_not_accept(client, world, who):
    user = None
    if who != "anonymous":
        user = world[who] if who == "editor" else world[who].user
        client.force_login(user)
    mail.outbox.clear()
    bodies = walk(client, world, user if who != "anonymous" else None, who)
    leaks = [body for body in bodies if MARKER in body or MARKER.lower() in body]
    assert leaks == []
    for message in mail.outbox:
        assert MARKER not in message.body and MARKER not in message.subject
        assert MARKER.lower() not in message.body


def test_emails_sent_along_the_way_carry_no_details(world):
    assert mail.outbox, "offers and acceptance should have sent emails"
    for message in mail.outbox:
        assert MARKER not in message.body and MARKER.lower() not in message.body


def test_the_accepted_volunteer_and_a_coordinator_do_see_the_details(client, world):
    client.force_login(world["winner"].user)
    assert MARKER in client.get(reverse("volunteers:dashboard")).content.decode()
    client.force_login(world["coordinator"])
    accepted = world["requests"][1]
    page = client.get(reverse("volunteers_contact", args=[accepted.pk])).content.decode()
    assert MARKER in page
    listing = client.get("/admin/snippets/volunteers/helprequest/").content.decode()
    assert accepted.reference in listing and MARKER not in listing


def test_coordinator_pages_refuse_a_page_editor(client, world):
    client.force_login(world["editor"])
    for help_request in world["requests"]:
        for name in ["volunteers_exclusions", "volunteers_withdraw_consent", "volunteers_contact"]:
            url = reverse(name, args=[help_request.pk])
            assert client.get(url).status_code == 403, url
            assert client.post(url).status_code == 403, url
    assert client.post(reverse("volunteers_phone_intake")).status_code == 403


def test_the_coordinator_matching_page_shows_no_details(client, world):
    client.force_login(world["coordinator"])
    for help_request in world["requests"]:
        page = client.get(reverse("volunteers_exclusions", args=[help_request.pk]))
        assert page.status_code == 200 and help_request.reference in page.content.decode()
        assert MARKER not in page.content.decode()
        assert MARKER.lower() not in page.content.decode()


@pytest.mark.parametrize("who", ["waiting", "editor", "paused", "left", "no_terms"])
def test_nothing_changed_by_the_walk(client, world, who):
    user = world[who] if who == "editor" else world[who].user
    client.force_login(user)
    accepted_before = set(Offer.objects.filter(status="accepted").values_list("pk", flat=True))
    walk(client, world, user, who)
    for help_request in world["requests"]:
        assert contact.consent_stands(help_request)
    accepted = world["requests"][1]
    accepted.refresh_from_db()
    assert accepted.accepted_volunteer == world["winner"]
    accepted_after = set(Offer.objects.filter(status="accepted").values_list("pk", flat=True))
    # Nothing newly accepted; a stood-down volunteer may rightly hand their own task back.
    assert world["offers"][2].pk in accepted_after and accepted_after <= accepted_before
    assert Page.objects.count() >= 2


@pytest.mark.django_db(transaction=True)  # the worker closes a connection left in a transaction
def test_the_task_queue_holds_no_details(settings, home, terms):
    """With the database queue (the default outside tests) every email waits as a row; the
    rows carry ids, never the details, before and after the worker has sent them."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": settings.TASKS_BACKENDS["database"]}}
    help_request = marked_request()
    asked, winner = VolunteerFactory(), VolunteerFactory()
    offer(help_request, asked)
    won = offer(help_request, winner)
    offers.make_offers(marked_request())
    offers.accept(won.pk, winner)
    mail.outbox.clear()

    def stored():
        return [str(row) for row in DBTaskResult.objects.values()]

    queued = stored()
    assert queued, "offers and acceptance should have queued emails"
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert mail.outbox, "the worker should have sent them"
    for row in queued + stored():
        assert MARKER not in row and MARKER.lower() not in row


def no_store(response):
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= cache_control


def test_pages_with_contact_details_are_never_stored_by_caches(client, world):
    client.force_login(world["winner"].user)
    dashboard = client.get(reverse("volunteers:dashboard"))
    assert MARKER in dashboard.content.decode()
    assert no_store(dashboard), dashboard.get("Cache-Control")
    client.force_login(world["coordinator"])
    contact = client.get(reverse("volunteers_contact", args=[world["requests"][1].pk]))
    assert MARKER in contact.content.decode()
    assert no_store(contact), contact.get("Cache-Control")


def test_help_request_and_sign_in_pages_are_never_stored_by_caches(client, home):
    from django.core import signing

    from volunteers.views import WITHDRAW_SALT

    token = signing.dumps(HelpRequestFactory().pk, salt=WITHDRAW_SALT)
    for url in [
        reverse("volunteers:help_sent", args=[token]),
        reverse("volunteers:withdraw", args=[token]),
        reverse("volunteers:sign_in"),
        reverse("volunteers:sign_up"),
        reverse("volunteers:ask_for_help"),
        "/admin/login/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), (url, response.get("Cache-Control"))
