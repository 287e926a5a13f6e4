"""The iCalendar feeds: <page url>calendar.ics for the events page, a group, or an event.

Wagtail serves page paths made only of [\\w-] segments, so a file name with a dot is routed
here first: the page is found by its path as Wagtail would find it, then asked for its events.
"""

from django.urls import re_path

from communities.views import calendar_feed

urlpatterns = [
    re_path(r"^(?P<page_path>(?:[\w\-]+/)*)calendar\.ics$", calendar_feed, name="calendar_feed"),
]
