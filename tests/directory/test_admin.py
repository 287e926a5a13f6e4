"""Organisation editors change only their own organisation's records in the Wagtail admin."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from directory import roles
from directory.models import Service
from tests.directory import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors_group(db):
    """The directory editors' role as migrations make it."""
    return roles.ensure_group()


@pytest.fixture
def two_organisations(taxonomy):
    ours = factories.OrganizationFactory(name="Lewisham Hospice")
    theirs = factories.OrganizationFactory(name="Leeds Carers")
    return {
        "ours": ours,
        "theirs": theirs,
        "our_service": factories.ServiceFactory(organization=ours, name="Our counselling"),
        "their_service": factories.ServiceFactory(organization=theirs, name="Their café"),
    }


@pytest.fixture
def editor(django_user_model, editors_group, two_organisations):
    user = django_user_model.objects.create_user("editor", "editor@hospice.example", "pw")
    # Being made an organisation's editor is the whole of giving the role.
    two_organisations["ours"].editors.add(user)
    return user


def test_editor_lists_only_their_organisations_services(client, editor, two_organisations):
    client.force_login(editor)
    response = client.get(reverse("wagtailsnippets_directory_service:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Our counselling" in html
    assert "Their café" not in html


def test_editor_cannot_open_or_change_another_organisations_service(
    client, editor, two_organisations
):
    client.force_login(editor)
    theirs = two_organisations["their_service"]
    url = reverse("wagtailsnippets_directory_service:edit", args=[theirs.pk])
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, {"name": "Hijacked"})
    assert response.status_code in (302, 403)
    theirs.refresh_from_db()
    assert theirs.name == "Their café"
    delete = reverse("wagtailsnippets_directory_service:delete", args=[theirs.pk])
    client.post(delete)
    assert Service.objects.filter(pk=theirs.pk).exists()


def test_editor_can_edit_their_own_service(client, editor, two_organisations):
    client.force_login(editor)
    ours = two_organisations["our_service"]
    url = reverse("wagtailsnippets_directory_service:edit", args=[ours.pk])
    response = client.get(url)
    assert response.status_code == 200
    # The organisation choice offers only their own organisation.
    html = response.content.decode()
    assert "Lewisham Hospice" in html and "Leeds Carers" not in html


def test_superuser_sees_every_organisation(client, admin_user, two_organisations):
    client.force_login(admin_user)
    html = client.get(reverse("wagtailsnippets_directory_service:list")).content.decode()
    assert "Our counselling" in html and "Their café" in html


def test_policy_and_form_refuse_a_forged_organisation(editor, two_organisations):
    from directory.admin_forms import ServiceAdminForm
    from directory.permissions import OrganizationScopedPolicy
    from directory.wagtail_hooks import ServiceViewSet

    policy = OrganizationScopedPolicy(Service, "organization")
    assert policy.user_has_permission_for_instance(
        editor, "change", two_organisations["our_service"]
    )
    assert not policy.user_has_permission_for_instance(
        editor, "change", two_organisations["their_service"]
    )
    form_class = ServiceViewSet(name="test").get_form_class()
    assert issubclass(form_class, ServiceAdminForm)
    form = form_class(
        data={
            "organization": two_organisations["theirs"].pk,
            "name": "x",
            "description": "y",
            "status": "active",
        },
        for_user=editor,
    )
    assert not form.is_valid()
    assert "organization" in form.errors


def test_dashboard_and_command_flag_stale_services(client, editor, two_organisations, settings):
    settings.DIRECTORY_STALE_AFTER_MONTHS = 12
    ours = two_organisations["our_service"]
    ours.assured_date = dt.date.today() - dt.timedelta(days=500)
    ours.save()
    theirs = two_organisations["their_service"]
    theirs.assured_date = None
    theirs.save()

    client.force_login(editor)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Services to check" in dashboard
    assert "Our counselling" in dashboard
    assert "Their café" not in dashboard  # not theirs to see

    call_command("flag_stale_services")
    recipients = {tuple(message.to) for message in mail.outbox}
    assert ("editor@hospice.example",) in recipients
    ours_mail = next(m for m in mail.outbox if m.to == ["editor@hospice.example"])
    assert "Our counselling" in ours_mail.body
    assert "Their café" not in ours_mail.body


def test_editor_sees_only_feedback_about_their_services(client, editor, two_organisations):
    from directory.models import ServiceFeedback

    editor.groups.first().permissions.add(
        *Permission.objects.filter(codename__in=["change_servicefeedback", "view_servicefeedback"])
    )
    ServiceFeedback.objects.create(
        service=two_organisations["our_service"], kind="edit", message="Our phone is wrong"
    )
    theirs = ServiceFeedback.objects.create(
        service=two_organisations["their_service"], kind="closed", message="Their café closed"
    )
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_directory_servicefeedback:list"))
    html = listing.content.decode()
    assert "Our counselling" in html and "Their café" not in html
    url = reverse("wagtailsnippets_directory_servicefeedback:edit", args=[theirs.pk])
    assert client.get(url).status_code in (302, 403)


def test_location_form_explains_a_postcode_it_cannot_place(admin_user):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from directory.wagtail_hooks import LocationViewSet

    form_class = LocationViewSet(name="test-locations").get_form_class()
    data = nested_form_data(
        {
            "location_type": "physical",
            "name": "Community hall",
            "addresses": inline_formset(
                [
                    {
                        "address_type": "physical",
                        "address_1": "1 Road",
                        "city": "Atlantis",
                        "postal_code": "ZZ99 9ZZ",
                        "country": "GB",
                    }
                ]
            ),
            "accessibility": inline_formset([]),
        }
    )
    form = form_class(data=data, for_user=admin_user)
    assert not form.is_valid()
    address_errors = form.formsets["addresses"].forms[0].errors
    assert "We could not find" in address_errors["postal_code"][0]
    from directory.models import Location

    assert not Location.objects.filter(name="Community hall").exists()


@pytest.mark.parametrize("view", ["history", "usage", "edit"])
@pytest.mark.parametrize("model", ["service", "location", "organization"])
def test_every_object_view_of_a_scoped_snippet_opens_for_its_editor(
    client, editor, two_organisations, view, model
):
    service = two_organisations["our_service"]
    instance = {
        "service": service,
        "organization": two_organisations["ours"],
        "location": factories.LocationFactory(organization=two_organisations["ours"]),
    }[model]
    client.force_login(editor)
    if model == "organization":
        editor.groups.first().permissions.add(
            *Permission.objects.filter(codename__in=["change_organization", "delete_organization"])
        )
    response = client.get(reverse(f"wagtailsnippets_directory_{model}:{view}", args=[instance.pk]))
    assert response.status_code == 200
