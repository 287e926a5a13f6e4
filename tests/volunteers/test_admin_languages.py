"""The admin in every shipped language: each can be chosen, and names, the "why no match"
sentence and Polish wording follow the reader."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from tests.volunteers.factories import HelpRequestFactory, TaskTypeFactory
from volunteers.models import HelpRequest

pytestmark = pytest.mark.django_db


def test_every_shipped_language_can_be_chosen_for_the_admin(client, coordinator):
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    for code in ("en", "cy", "pl", "bn", "ur", "ar"):
        assert f'<option value="{code}"' in page, code
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "ur"
    profile.save()
    home = client.get("/admin/").content.decode()
    assert 'dir="rtl"' in home and 'lang="ur"' in home


def test_names_and_the_why_no_match_sentence_follow_the_reader(client, coordinator):
    help_request = HelpRequestFactory(task_type=TaskTypeFactory(name="Walking the dog"))
    from volunteers import matching

    with translation.override("pl"):
        # Worked out while someone using Polish sent it; kept as codes and numbers.
        counts = matching.no_match_counts(help_request)
        reason = matching.why_no_match(help_request)
    HelpRequest.objects.filter(pk=help_request.pk).update(no_match_reason=counts)
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "cy"
    profile.save()
    listing = client.get(reverse("wagtailsnippets_volunteers_helprequest:list")).content.decode()
    listing += client.get(
        reverse("wagtailsnippets_volunteers_helprequest:inspect", args=[help_request.pk])
    ).content.decode()
    assert "Mynd â&#x27;r ci am dro" in listing or "Mynd â'r ci am dro" in listing
    assert reason not in listing
    with translation.override("cy"):
        assert matching.why_no_match(help_request).split(":")[0] in listing


def test_polish_reads_correctly():
    with translation.override("pl"):
        add = translation.gettext("Add %(model_name)s") % {"model_name": "prośba o pomoc"}
        assert add == "Dodaj: prośba o pomoc"
        friday = timezone.make_aware(dt.datetime(2026, 12, 4, 10, 0))
        when = Template('{{ when|date:"l j E" }}').render(Context({"when": friday}))
        assert when == "piątek 4 grudnia" or when == "Piątek 4 grudnia"
        assert "Grudzień" not in when


def test_polish_add_buttons_and_forms_name_the_model_after_a_colon(client, coordinator):
    """ "Dodaj prośba o pomoc" and "Nowy: Usługa" need a case and a gender that a model's name
    in the nominative does not have; after a colon, any name reads correctly."""
    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "pl"
    profile.save()
    listing = client.get(reverse("wagtailsnippets_volunteers_tasktype:list")).content.decode()
    assert "Dodaj: rodzaj zadania" in listing
    form = client.get(reverse("wagtailsnippets_volunteers_tasktype:add")).content.decode()
    title = form[form.index("<title>") : form.index("</title>")]
    assert "Nowy wpis: Rodzaj zadania" in title and "Nowy: " not in title
