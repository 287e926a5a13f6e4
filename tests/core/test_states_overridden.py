"""A module's own fixture of a state's name is its own: the database is not prepared with
the state it hides (`tests.states.wanted`)."""

import pytest

from core.models import StandardPage
from tests import states
from tests.core.factories import StandardPageFactory
from tests.pages import publish


@pytest.fixture
def about(home):
    return publish(StandardPageFactory(parent=home, title="About this module", slug="ours"))


def test_a_fixture_a_module_defines_is_not_replaced_by_the_state(request, about):
    assert states.wanted(request.node) == ("locales", "home")
    assert about.title == "About this module"
    assert not StandardPage.objects.filter(slug="about-us").exists()
