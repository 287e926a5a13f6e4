"""The service page's dates and weekdays in running text, as a native reader writes them."""

import datetime as dt
import re

import pytest

from core.localization import synchronise_locales
from tests.directory import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_page_text(client, home, locales, taxonomy):
    directory_page = factories.DirectoryPageFactory(parent=home)
    directory_page.save_revision().publish()
    synced = synchronise_locales()
    service = factories.ServiceFactory(name="Spacer", assured_date=dt.date(2026, 12, 4))
    factories.ScheduleFactory(service=service, byday="TU", interval=2, dtstart=dt.date(2026, 12, 1))
    factories.ScheduleFactory(
        service=service,
        byday="",
        closed=True,
        valid_from=dt.date(2026, 12, 24),
        valid_to=dt.date(2026, 12, 26),
    )

    def text(code):
        page = directory_page.get_translation(synced[code])
        html = client.get(f"{page.url}{service.pk}/").content.decode()
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    return text


def test_polish_dates_take_the_genitive_and_weekdays_are_lower_case(service_page_text):
    text = service_page_text("pl")
    assert "sprawdzono: 4 grudnia 2026" in text
    assert "od 24 grudnia 2026 do 26 grudnia 2026" in text
    assert "w dni: wtorek, od 1 grudnia 2026" in text
    assert "Grudzień" not in text and "Wtorek, od" not in text


def test_welsh_weekdays_keep_their_capitals(service_page_text):
    assert "Dydd Mawrth" in service_page_text("cy")
    assert "4 Rhagfyr 2026" in service_page_text("cy")
