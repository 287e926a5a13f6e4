"""An organisation's editor gets the directory editors' role in one step: being added to the
organisation's editors."""

import pytest
from django.urls import reverse

from directory.roles import DIRECTORY_EDITORS
from tests.directory import factories

pytestmark = pytest.mark.django_db


def test_adding_an_editor_to_an_organisation_opens_the_admin_for_them(
    client, django_user_model, taxonomy
):
    ours = factories.OrganizationFactory(name="Lewisham Hospice")
    factories.ServiceFactory(organization=ours, name="Our counselling")
    factories.ServiceFactory(name="Their café")
    user = django_user_model.objects.create_user("newed", "newed@hospice.example", "pw")
    client.force_login(user)
    assert client.get("/admin/").status_code == 302

    ours.editors.add(user)
    assert user.groups.filter(name=DIRECTORY_EDITORS).exists()
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    listing = client.get(reverse("wagtailsnippets_directory_service:list")).content.decode()
    assert "Our counselling" in listing and "Their café" not in listing
    assert client.get(reverse("wagtailsnippets_directory_service:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_directory_location:add")).status_code == 200

    # Taken off their only organisation, they lose the role (from either side of the link).
    user.directory_organizations.remove(ours)
    assert not user.groups.filter(name=DIRECTORY_EDITORS).exists()
    assert client.get("/admin/").status_code == 302
