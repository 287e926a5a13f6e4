"""Finding help on a phone: results first after a search, helplines open now before the
list, a way out of an empty search, and a point from "use my location" named in words."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from directory.helplines import open_helplines
from directory.models import Phone
from tests.directory import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory_page(home):
    page = factories.DirectoryPageFactory(parent=home)
    page.save_revision().publish()
    return page


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def national_line(name, *, open_days, number, taxonomy=None, categories=()):
    """A national helpline with a phone, open all day on `open_days` (MO..SU)."""
    service = factories.ServiceFactory(
        name=name,
        description="Someone to talk to, by phone, wherever you are.",
        categories=[taxonomy[code] for code in categories] if taxonomy else [],
    )
    factories.ServiceAreaFactory(service=service)
    factories.PhoneFactory(service=service, number=number)
    if open_days:
        factories.ScheduleFactory(
            service=service,
            byday=",".join(open_days),
            opens_at=dt.time(0, 0),
            closes_at=dt.time(23, 59),
        )
    service.refresh_from_db()
    return service


WEEK = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@pytest.fixture
def lines(corpus, taxonomy):
    today = WEEK[timezone.localdate().weekday()]
    return {
        "open": national_line(
            "Night Listening Line",
            open_days=WEEK,
            number="0800 111 2222",
            taxonomy=taxonomy,
            categories=["helplines", "bereavement-counselling"],
        ),
        "closed": national_line(
            "Weekday Only Line",
            open_days=[day for day in WEEK if day != today],
            number="0800 333 4444",
            taxonomy=taxonomy,
            categories=["helplines", "bereavement-counselling"],
        ),
    }


# Results first --------------------------------------------------------------------------


def test_after_a_search_the_results_come_before_the_form(directory_page, corpus, gazetteer, client):
    html = client.get(directory_page.url, {"q": "counselling", "near": "SE13"}).content.decode()
    assert html.index('id="results"') < html.index('id="search-form"')
    assert html.index("Lewisham Bereavement Counselling") < html.index('id="search-form"')
    summary = text_of(html[html.index('class="search-summary"') :][:400])
    assert "For “counselling”." in summary
    assert 'href="#search-form"' in html and "Change search" in html
    # The introduction gives way to the results.
    assert 'class="lead"' not in html


def test_before_a_search_and_with_errors_the_form_comes_first(directory_page, corpus, client):
    html = client.get(directory_page.url).content.decode()
    assert 'id="search-form"' in html and 'id="results"' not in html
    html = client.get(directory_page.url, {"near": "Qwertyuiopville"}).content.decode()
    assert 'id="results"' not in html
    assert html.index("There is a problem") < html.index('id="search-form"')


def test_searching_and_paging_open_the_page_at_the_results(directory_page, taxonomy, client):
    with factories.indexed_at_the_end():
        for n in range(23):
            factories.ServiceFactory(name=f"Grief service {n:02d}")
    html = client.get(directory_page.url, {"q": "grief"}).content.decode()
    # A GET form keeps its action's fragment: no JavaScript needed to land on the results.
    assert f'action="{directory_page.url}#results"' in html
    assert 'page=2#results" rel="next"' in html


def test_the_summary_counts_the_filters_on(directory_page, corpus, client):
    html = client.get(
        directory_page.url, {"category": "bereavement", "free": "on", "open_now": "on"}
    ).content.decode()
    assert "3 filters on." in text_of(html)


# Helplines open now -----------------------------------------------------------------------


def test_helplines_open_now_come_before_the_results(
    directory_page, corpus, lines, gazetteer, client
):
    html = client.get(directory_page.url, {"q": "counselling", "near": "SE13"}).content.decode()
    box = html[
        html.index('class="talk-now"') : html.index("</section>", html.index('class="talk-now"'))
    ]
    assert "Talk to someone now" in box
    assert "Night Listening Line" in box
    assert 'href="tel:08001112222"' in box
    assert "Open 24 hours" in box
    assert "Weekday Only Line" not in box  # closed today
    assert "National Grief Helpline" not in box  # no opening times: not known to be open
    assert "Leeds Hospice" not in box  # open 24/7, but a local service
    assert html.index('class="talk-now"') < html.index('class="result-list"')


def test_helplines_follow_what_was_asked(directory_page, corpus, lines, client):
    html = client.get(directory_page.url, {"category": "carers"}).content.decode()
    assert "Croydon Carers" in html
    assert 'class="talk-now"' not in html  # no carers' helpline is open


def test_helplines_kept_for_the_minute_follow_a_directory_edit(
    directory_page, corpus, lines, gazetteer, client, settings
):
    from directory.models import Service

    settings.SITE_CACHE_SECONDS = 300

    def box():
        html = client.get(directory_page.url, {"q": "counselling", "near": "SE13"}).content
        html = html.decode()
        start = html.index('class="talk-now"')
        return html[start : html.index("</section>", start)]

    assert "Night Listening Line" in box()
    assert "Night Listening Line" in box()  # the kept answer, the same
    line = Service.objects.get(name="Night Listening Line")
    line.name = "Night Listening Service"
    line.save()  # a directory edit empties the kept answers
    assert "Night Listening Service" in box()


def test_open_helplines_are_chosen_by_opening_times(corpus, lines):
    names = [helpline.service.name for helpline in open_helplines()]
    assert names == ["Night Listening Line"]
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    names = {helpline.service.name for helpline in open_helplines(moment=tomorrow)}
    assert names == {"Night Listening Line", "Weekday Only Line"}


def test_a_national_service_without_a_phone_is_not_a_helpline(corpus, taxonomy):
    online = factories.ServiceFactory(name="Online Grief Forum")
    factories.ServiceAreaFactory(service=online)
    factories.ScheduleFactory(
        service=online, byday=",".join(WEEK), opens_at=dt.time(0), closes_at=dt.time(23, 59)
    )
    assert open_helplines() == []


# An empty search is not a dead end ------------------------------------------------------------


def test_an_empty_search_offers_wider_searches_that_find_something(
    directory_page, corpus, lines, gazetteer, client
):
    params = {"near": "SE13", "radius": 1, "category": "carers"}
    html = client.get(directory_page.url, params).content.decode()
    text = text_of(html)
    assert "0 services near SE13" in text
    # Croydon's café is about 7 miles away: the first distance that reaches it is 10 miles.
    assert "Search within 10 miles (1 service)" in text
    link = re.search(r'href="\?([^"]*radius=10[^"]*)#results"', html)
    assert link, html
    wider = client.get(directory_page.url + "?" + link.group(1).replace("&amp;", "&"))
    assert "Croydon Carers" in wider.content.decode()
    # Every type of help within a mile finds the Lewisham services.
    assert "Search every type of help" in text
    # Helplines open now are there too.
    assert "Talk to someone now" in text and "Night Listening Line" in text


def test_an_empty_search_offers_only_what_would_widen_it(directory_page, corpus, lines, client):
    html = client.get(directory_page.url, {"q": "Croydon", "open_now": "on"}).content.decode()
    text = text_of(html)
    assert "0 services found" in text
    assert "Include services that are closed now (1 service)" in text
    assert "Search within" not in text  # no place, so no distance to widen
    assert "Search every type of help" not in text
    nothing = text_of(client.get(directory_page.url, {"q": "zzzqqq"}).content.decode())
    assert "Search without the words “zzzqqq”" in nothing
    assert "Include services that are closed now" not in nothing


def test_an_empty_search_with_nothing_wider_still_lists_helplines(
    directory_page, corpus, lines, client
):
    html = client.get(
        directory_page.url, {"q": "zzzqqq", "category": "end-of-life-care"}
    ).content.decode()
    text = text_of(html)
    assert "0 services found" in text
    assert "Night Listening Line" in text
    assert 'href="tel:08001112222"' in html


# Use my location ----------------------------------------------------------------------------


def test_a_point_is_named_by_its_district_not_its_coordinates(
    directory_page, corpus, gazetteer, client
):
    html = client.get(directory_page.url, {"near": "51.46100,-0.01100"}).content.decode()
    heading = text_of(html[html.index('id="results-title"') :][:300])
    assert "services near Lewisham (SE13)" in heading
    assert "51.46" not in heading


def test_the_location_button_carries_its_messages(directory_page, client):
    html = client.get(directory_page.url).content.decode()
    button = re.search(r"<button[^>]*data-use-location[^>]*>", html, re.S).group(0)
    assert "data-denied=" in button and "data-unavailable=" in button
    assert "postcode or a town instead" in button
    assert 'data-location-status role="status"' in html


def test_a_services_phone_links_to_what_dials_it(directory_page, corpus, client):
    service = corpus["counselling"]
    service.phones.all().delete()
    Phone.objects.create(service=service, number="+44 (0)20 7946 0000")
    Phone.objects.create(service=service, number="Ask at the desk")
    html = client.get(f"{directory_page.url}{service.pk}/").content.decode()
    assert '<a href="tel:02079460000" dir="ltr">+44 (0)20 7946 0000</a>' in html
    assert '<span dir="ltr">Ask at the desk</span>' in html
