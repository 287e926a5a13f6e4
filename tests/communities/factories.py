"""Factories for community groups, events and bookings."""

import datetime as dt

import factory
import wagtail_factories

from communities.models import (
    Booking,
    CommunityGroupPage,
    EventIndexPage,
    EventPage,
    GroupIndexPage,
)


class GroupIndexPageFactory(wagtail_factories.PageFactory):
    title = "Community groups"
    slug = factory.Sequence(lambda n: f"groups-{n}")
    show_in_menus = True

    class Meta:
        model = GroupIndexPage


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "What's on"
    slug = factory.Sequence(lambda n: f"events-{n}")
    show_in_menus = True

    class Meta:
        model = EventIndexPage


class CommunityGroupPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Community group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    summary = "Neighbours who meet to talk about living and dying well."
    area = "Hackney, east London"
    contact_email = "hello@group.example"

    class Meta:
        model = CommunityGroupPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Death Café {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "Tea, cake and an open conversation about death."
    event_type = "death_cafe"
    language = "en"
    start_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=7))
    start_time = dt.time(19, 0)
    end_time = dt.time(21, 0)
    venue_name = "Hackney Central Library"
    postcode = "E8"
    latitude = 51.5430
    longitude = -0.0640
    capacity = 12

    class Meta:
        model = EventPage


class BookingFactory(factory.django.DjangoModelFactory):
    name = "Ada Lovelace"
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    status = Booking.Status.CONFIRMED

    class Meta:
        model = Booking
