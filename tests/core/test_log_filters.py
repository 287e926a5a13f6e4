"""Signed tokens in paths never reach a log; ordinary paths stay readable."""

import logging

import pytest
from django.core import signing
from django.test import Client

from core.log_filters import RedactTokens, redact_path

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/en/find-help/",
        "/en/groups/hackney-death-cafe/event-4/",
        "/api/hsds/services/3f2b8c1e-5d4a-4c3b-9a1f-0e2d7c6b5a49",
        "/static/css/site.3c9e1f2a4b5d.css",
        "/en/volunteer/tasks/12/log/",
    ],
)
def test_ordinary_paths_are_kept(path):
    assert redact_path(path) == path


@pytest.mark.parametrize(
    "token",
    [
        "MTIz:1xYkd1:SgAVn8V62Kggy0Vr-VAMAB78vTKHMkaGPb6TGnTzmHM",  # django.core.signing
        "eyJiIjoyLCJrIjoiZWM2ODA5ODQ3ZjNhZDBhZDc2ZmFkMzlkIn0",
        "OqHG3TRYG8PC7jJWuju_B9qsEfSYapgvsFLIXZ52mHg",
    ],
    ids=["signed", "booking payload", "booking signature"],
)
def test_tokens_are_replaced(token):
    assert redact_path(f"/en/ask-for-help/withdraw/{token}/") == (
        "/en/ask-for-help/withdraw/[token]/"
    )


def test_djangos_own_404_line_carries_no_token(home, caplog):
    token = signing.dumps(99, salt="volunteers.withdraw-request")
    logger = logging.getLogger("django.request")
    redact = RedactTokens()
    logger.addFilter(redact)
    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            assert Client().get(f"/en/ask-for-help/withdraw/{token}x/").status_code == 404
    finally:
        logger.removeFilter(redact)
    lines = [record.getMessage() for record in caplog.records]
    assert any("/en/ask-for-help/withdraw/[token]/" in line for line in lines), lines
    assert not any(token in line for line in lines)
