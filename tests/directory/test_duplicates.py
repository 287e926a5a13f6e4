"""A warning before creating a service that duplicates another: same name, same postcode."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from directory.models import Service
from directory.roles import ensure_group
from tests.directory import factories

pytestmark = pytest.mark.django_db


def add_data(organisation, location, name, **extra):
    return nested_form_data(
        {
            "organization": organisation.pk,
            "name": name,
            "description": "Support for people who are grieving.",
            "status": "active",
            "cost_options": inline_formset([]),
            "phones": inline_formset([]),
            "contacts": inline_formset([]),
            "service_at_locations": inline_formset([{"location": location.pk}]),
            "schedules": inline_formset([]),
            "service_areas": inline_formset([]),
            "languages": inline_formset([]),
            "required_documents": inline_formset([]),
            "funding": inline_formset([]),
            **extra,
        }
    )


@pytest.fixture
def editor(client, django_user_model, taxonomy):
    organisation = factories.OrganizationFactory(name="Lewisham Hospice")
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    ensure_group()
    organisation.editors.add(user)
    client.force_login(user)
    return organisation


def test_a_service_with_the_same_name_at_the_same_postcode_is_warned_about(client, editor):
    other_org = factories.OrganizationFactory(name="Grief Matters")
    there = factories.LocationFactory(organization=other_org)
    factories.AddressFactory(location=there, postal_code="se13 6lh")
    factories.ServiceFactory(organization=other_org, name="Bereavement Café", at=[there])
    ours = factories.LocationFactory(organization=editor)
    factories.AddressFactory(location=ours, postal_code="SE13 6LH")
    url = reverse("wagtailsnippets_directory_service:add")

    response = client.post(url, add_data(editor, ours, "bereavement café"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bereavement Café (Grief Matters) already has this name at SE13 6LH" in page
    assert "This is a different service: save it anyway" in page
    assert Service.objects.filter(name__iexact="bereavement café").count() == 1

    response = client.post(
        url, add_data(editor, ours, "bereavement café", confirm_not_duplicate="on")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Service.objects.filter(name__iexact="bereavement café").count() == 2


def test_no_warning_for_a_different_postcode_or_name(client, editor):
    there = factories.LocationFactory()
    factories.AddressFactory(location=there, postal_code="LS1 1AA")
    factories.ServiceFactory(name="Bereavement Café", at=[there])
    ours = factories.LocationFactory(organization=editor)
    factories.AddressFactory(location=ours, postal_code="SE13 6LH")
    url = reverse("wagtailsnippets_directory_service:add")
    assert "different service" not in client.get(url).content.decode()
    response = client.post(url, add_data(editor, ours, "Bereavement Café"))
    assert response.status_code == 302, response.content.decode()[:3000]
