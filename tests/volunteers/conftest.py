import pytest
from django.contrib.auth.models import Group

from tests.volunteers.factories import TermsVersionFactory, UserFactory
from volunteers import roles


@pytest.fixture
def terms(db):
    return TermsVersionFactory(version="v1")


@pytest.fixture
def coordinator(client, home, terms):
    """A member of the Coordinators group, signed in to the admin."""
    roles.ensure_groups(plan=[])
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    client.force_login(user)
    return user
