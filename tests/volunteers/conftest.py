import pytest

from tests.volunteers.factories import TermsVersionFactory


@pytest.fixture
def terms(db):
    return TermsVersionFactory(version="v1")
