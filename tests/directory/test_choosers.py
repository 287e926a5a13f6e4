"""Choosers show only what the editor may use, and find it by name, street, town or postcode."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from directory.roles import ensure_group
from tests.directory import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model, taxonomy):
    organisation = factories.OrganizationFactory(name="Lewisham Hospice")
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    ensure_group()
    organisation.editors.add(user)
    client.force_login(user)
    return organisation


def test_the_location_chooser_is_scoped_and_searchable(client, editor):
    ours = factories.LocationFactory(organization=editor, name="Day centre")
    factories.AddressFactory(location=ours, city="Deptford", postal_code="SE8 4AA")
    theirs = factories.LocationFactory(name="Their hall")
    factories.AddressFactory(location=theirs, city="Deptford", postal_code="SE8 4AB")
    choose = reverse("wagtailsnippetchoosers_directory_location:choose")
    listing = client.get(choose).content.decode()
    assert "Day centre" in listing and "Their hall" not in listing
    assert "Lewisham Hospice" in listing  # which organisation, so repeated names are told apart
    results = reverse("wagtailsnippetchoosers_directory_location:choose_results")
    for query in ("Deptford", "se8 4aa", "day"):
        found = client.get(results, {"q": query}).content.decode()
        assert "Day centre" in found and "Their hall" not in found, query
    assert "Day centre" not in client.get(results, {"q": "Leeds"}).content.decode()


def test_only_at_this_location_offers_the_services_own_locations(client, editor):
    here = factories.LocationFactory(organization=editor, name="Day centre")
    elsewhere = factories.LocationFactory(organization=editor, name="Charity shop")
    service = factories.ServiceFactory(organization=editor, name="Café", at=[here])
    factories.ScheduleFactory(service=service)
    # Other services' places: the organisation's own shop, and somebody else's hall.
    factories.ServiceFactory(organization=editor, name="Shop", at=[elsewhere])
    factories.ServiceFactory(name="Lunch club", at=[factories.LocationFactory(name="Their hall")])
    page = client.get(
        reverse("wagtailsnippets_directory_service:edit", args=[service.pk])
    ).content.decode()
    # The opening time already there, and the empty one a new opening time is made from.
    for prefix in ("schedules-0", "schedules-__prefix__"):
        start = page.find(f'name="{prefix}-service_at_location"')
        assert start > 0, prefix
        select = page[start : page.find("</select>", start)]
        assert "Day centre" in select, prefix
        assert "Charity shop" not in select and "Their hall" not in select, prefix


def test_editors_are_added_by_email_not_picked_from_every_account(client, django_user_model):
    from django.contrib.auth.models import Permission

    organisation = factories.OrganizationFactory(name="Lewisham Hospice")
    kept = django_user_model.objects.create_user("kept", "kept@hospice.example", "pw")
    organisation.editors.add(kept)
    newcomer = django_user_model.objects.create_user("new", "New@Hospice.example", "pw")
    django_user_model.objects.create_user("vol", "volunteer@example.org", "pw")
    manager = django_user_model.objects.create_user("boss", "boss@example.org", "pw")
    manager.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "change_organization", "edit_any_organization"]
        )
    )
    client.force_login(manager)
    url = reverse("wagtailsnippets_directory_organization:edit", args=[organisation.pk])
    form = client.get(url).content.decode()
    assert "kept@hospice.example" in form and "volunteer@example.org" not in form
    data = {
        "name": organisation.name,
        "description": "A hospice.",
        "editors": [kept.pk],
        **nested_form_data({"programs": inline_formset([]), "funding": inline_formset([])}),
    }
    refused = client.post(url, {**data, "add_editor": "nobody@example.org"})
    assert "There is no account with this email address." in refused.content.decode()
    response = client.post(url, {**data, "add_editor": "new@hospice.example"})
    assert response.status_code == 302, response.context["form"].errors
    assert set(organisation.editors.all()) == {kept, newcomer}
    client.post(url, {**data, "editors": [newcomer.pk]})
    assert set(organisation.editors.all()) == {newcomer}


def test_a_service_or_location_is_given_only_an_organisation_the_editor_may_use(client, editor):
    factories.OrganizationFactory(name="Somebody else's charity")
    for view in ("add",):
        for model in ("service", "location"):
            form = client.get(reverse(f"wagtailsnippets_directory_{model}:{view}")).content.decode()
            chooser_url = form.split('data-chooser-url="', 1)[1].split('"', 1)[0]
            listing = client.get(chooser_url).content.decode()
            assert "Lewisham Hospice" in listing, model
            assert "Somebody else" not in listing, model
            results = chooser_url.rstrip("/").rsplit("/", 1)[0] + "/results/"
            found = client.get(results, {"q": "charity"}).content.decode()
            assert "Somebody else" not in found, model


def test_an_organisations_parent_may_be_any_organisation(client, editor):
    factories.OrganizationFactory(name="National Bereavement Network")
    form = client.get(
        reverse("wagtailsnippets_directory_organization:edit", args=[editor.pk])
    ).content.decode()
    chooser_url = form.split('data-chooser-url="', 1)[1].split('"', 1)[0]
    assert "National Bereavement Network" in client.get(chooser_url).content.decode()
