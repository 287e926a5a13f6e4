"""Community groups, their events, and bookings for those events.

The page tree: GroupIndexPage (under the home page) -> CommunityGroupPage -> EventPage.
EventIndexPage (under the home page) is where people find what is on near them.
"""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.forms import PhoneInput, PhoneNumberField
from core.geo import GeocodeError, geocode
from core.languages import language_choices
from core.localization import original
from core.navigation import localized_children
from core.page_search import FoldedSearchMixin
from core.pages import ChildRouteMixin, PrivacyCheckedPageMixin, RoutedPageMixin, public

DEFAULT_TIME_ZONE = "Europe/London"
TRUST_PERMISSION = "communities.trust_community_group"

LANGUAGE_CHOICES = language_choices(["en", "cy", "pl", "bn", "ur", "ar", "pa", "gu", "so", "bsl"])


class EventType(models.TextChoices):
    DEATH_CAFE = "death_cafe", _("Death Café")
    BEREAVEMENT_GROUP = "bereavement_group", _("Bereavement support group")
    WALK = "walk", _("Walking group")
    TALK = "talk", _("Talk or workshop")
    SOCIAL = "social", _("Social or coffee morning")
    FAITH = "faith", _("Faith or remembrance gathering")


class Repeat(models.TextChoices):
    NONE = "", _("Does not repeat")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly on the same weekday (for example the second Tuesday)")


class MonthlyWeek(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    LAST = -1, _("Last")


class GroupIndexPage(FoldedSearchMixin, PrivacyCheckedPageMixin, ChildRouteMixin, Page):
    """The list of community groups; every group's page hangs from it."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["communities.CommunityGroupPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("community groups index")
        verbose_name_plural = _("community groups indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Every group, in the visitor's language where it has been translated and in its
        # own language, marked, where it has not.
        items = localized_children(original(self), lambda pages: pages.type(CommunityGroupPage))
        context["groups"] = sorted(items, key=lambda item: item.page.title.casefold())
        context["events_page"] = event_index_page_for()
        return context


class CommunityGroupPage(
    FoldedSearchMixin, PrivacyCheckedPageMixin, RoutedPageMixin, ChildRouteMixin, Page
):
    """One group: who they are, what they do, where, how to reach them."""

    summary = models.TextField(
        _("who we are"), max_length=400, help_text=_("One or two sentences shown in lists.")
    )
    description = RichTextField(_("what we do"), blank=True)
    area = models.CharField(
        _("where"), max_length=200, help_text=_("For example: Hackney, east London")
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("The languages spoken at the group, for example: English, Bengali"),
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, quiet space, what to expect on arrival."),
    )
    trusted = models.BooleanField(
        _("trusted group"),
        default=False,
        help_text=_("A trusted group's editors publish their events without moderation."),
    )
    editors_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="community_group_page",
    )
    # The editors group belongs to this page alone: a copy or a translation of the page
    # (which must not share it, the field being one-to-one) gets none.
    exclude_fields_in_copy = ["editors_group"]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("area"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel(
                    [FieldPanel("contact_email"), FieldPanel("contact_phone", widget=PhoneInput)]
                ),
                FieldPanel("website"),
            ],
            heading=_("Contact for the group"),
        ),
        FieldPanel("languages"),
        FieldPanel("accessibility"),
        # Only moderators decide who is trusted: a group's own editors never see the field.
        FieldPanel("trusted", permission=TRUST_PERMISSION),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("area"),
    ]
    parent_page_types = ["communities.GroupIndexPage"]
    subpage_types = ["communities.EventPage"]
    routes = "communities.views.GROUP_ROUTES"

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        permissions = [("trust_community_group", _("Can mark a community group as trusted"))]

    def clean(self):
        super().clean()
        # The public forms' rule and message: kept as people dial it, or refused.
        if self.contact_phone:
            try:
                self.contact_phone = PhoneNumberField().clean(self.contact_phone)
            except ValidationError as error:
                raise ValidationError({"contact_phone": error.messages}) from None

    def save(self, *args, **kwargs):
        if self._state.adding and self.alias_of_id is not None:
            # Wagtail makes an alias with every field of its original (`create_alias` does
            # not read exclude_fields_in_copy): a new alias starts without those, or a
            # language synchronised after the group has its editors group would fail on
            # the one-to-one.
            for name in self.exclude_fields_in_copy:
                field = self._meta.get_field(name)
                setattr(self, field.attname, field.get_default())
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # The editors group belongs to the page, not to a revision: restoring a revision,
        # or Wagtail bringing an alias up to date with its original, keeps the page's own.
        page = super().with_content_json(content)
        page.editors_group_id = self.editors_group_id
        return page

    def calendar_events(self):
        """What this page's calendar.ics feed holds (served by communities.urls)."""
        return public(EventPage.objects.child_of(original(self)).live())


class EventPage(FoldedSearchMixin, PrivacyCheckedPageMixin, RoutedPageMixin, Page):
    """An event a group runs: once, or repeating weekly or monthly on the nth weekday."""

    summary = models.TextField(_("summary"), max_length=400)
    description = RichTextField(_("description"), blank=True)
    event_type = models.CharField(
        _("type of event"), max_length=30, choices=EventType.choices, db_index=True
    )
    language = models.CharField(
        _("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en", db_index=True
    )

    start_date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        choices=[(DEFAULT_TIME_ZONE, DEFAULT_TIME_ZONE), ("Europe/Dublin", "Europe/Dublin")],
    )
    repeat = models.CharField(
        _("repeats"), max_length=10, choices=Repeat.choices, blank=True, default=""
    )
    repeat_interval = models.PositiveSmallIntegerField(
        _("every"),
        default=1,
        help_text=_("1 for every week or month, 2 for every other, and so on."),
    )
    monthly_week = models.SmallIntegerField(
        _("which week of the month"),
        choices=MonthlyWeek.choices,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the week of the first date."),
    )
    repeat_count = models.PositiveSmallIntegerField(
        _("number of times"), null=True, blank=True, help_text=_("Leave empty to keep repeating.")
    )
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)

    online = models.BooleanField(_("online event"), default=False)
    online_url = models.URLField(_("online link"), blank=True)
    online_link_for_booked_only = models.BooleanField(
        _("show the online link only to people who booked"), default=True
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    postcode = models.CharField(
        _("postcode or town"),
        max_length=40,
        blank=True,
        help_text=_("Used to put the event on the map and find it by distance."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)

    accessibility = models.TextField(_("accessibility"), blank=True)
    free = models.BooleanField(_("free"), default=True)
    cost = models.CharField(
        _("cost"), max_length=120, blank=True, help_text=_("For example: £3, or pay what you can")
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("How many people can come each time. Leave empty for no booking."),
    )

    # Kept by save() from the fields above, so that a date range narrows events in SQL
    # before occurrences are expanded.
    first_starts_at = models.DateTimeField(editable=False, null=True, db_index=True)
    last_ends_at = models.DateTimeField(editable=False, null=True, db_index=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("event_type"), FieldPanel("language")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("start_date"), FieldPanel("start_time"), FieldPanel("end_time")]
                ),
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("repeat"), FieldPanel("repeat_interval")]),
                FieldPanel("monthly_week"),
                FieldRowPanel([FieldPanel("repeat_count"), FieldPanel("repeat_until")]),
                InlinePanel("exceptions", label=_("Dates it does not happen")),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("online"),
                FieldPanel("online_url"),
                FieldPanel("online_link_for_booked_only"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("accessibility"),
        FieldRowPanel([FieldPanel("free"), FieldPanel("cost")]),
        FieldPanel("capacity"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("event_type"),
        index.FilterField("language"),
    ]
    parent_page_types = ["communities.CommunityGroupPage"]
    subpage_types = []
    routes = "communities.views.EVENT_ROUTES"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["latitude", "longitude"], name="event_coordinates")]

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)

    @property
    def duration(self):
        start = dt.datetime.combine(self.start_date, self.start_time)
        end = dt.datetime.combine(self.start_date, self.end_time)
        if end <= start:
            return None
        return end - start

    @property
    def group(self):
        return CommunityGroupPage.objects.filter(pk=self.get_parent().pk).first()

    @property
    def in_person(self):
        return bool(self.postcode or self.address)

    @property
    def bookable(self):
        return self.capacity is not None

    def online_link_public(self):
        return self.online and self.online_url and not self.online_link_for_booked_only

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The event must end after it starts.")
        if self.repeat_until and self.start_date and self.repeat_until < self.start_date:
            errors["repeat_until"] = _("The last date cannot be before the first date.")
        if self.repeat and self.repeat_count is not None and self.repeat_count < 1:
            errors["repeat_count"] = _("Enter 1 or more.")
        if not self.free and not self.cost.strip():
            errors["cost"] = _("Say what it costs, or mark the event as free.")
        if self.online and not self.online_url:
            errors["online_url"] = _("Give the link people use to join an online event.")
        elif self.online and self.online_link_for_booked_only and self.capacity is None:
            errors["capacity"] = _(
                "Give a number of places: the online link goes only to people who book. "
                "Or show the link to everyone."
            )
        if not self.online and not self.postcode:
            errors["postcode"] = _("Give a postcode or town, or mark the event as online.")
        if self.postcode and "postcode" not in errors:
            try:
                place = geocode(self.postcode)
            except GeocodeError as error:
                message = error.message
                if error.suggestions:
                    message = _("%(message)s Did you mean: %(suggestions)s?") % {
                        "message": error.message,
                        "suggestions": ", ".join(error.suggestions),
                    }
                errors["postcode"] = message
            else:
                self.latitude, self.longitude = place.latitude, place.longitude
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from communities.recurrence import bounds

        if self.start_date and self.start_time and self.end_time:
            self.first_starts_at, self.last_ends_at = bounds(self)
        if not self.postcode:
            self.latitude = self.longitude = None
        return super().save(*args, **kwargs)

    def calendar_events(self):
        return [self]

    @classmethod
    def originals(cls):
        """Each event once: the page in the site's default language, or, for an event
        written in another language only, that page (never a translation or an alias)."""
        from wagtail.models import Locale

        default = Locale.get_default()
        in_default = cls.objects.filter(locale=default).values("translation_key")
        return cls.objects.filter(alias_of__isnull=True).filter(
            Q(locale=default) | ~Q(translation_key__in=in_default)
        )


class EventException(Orderable):
    """A date on which a repeating event does not happen (an RFC 5545 EXDATE)."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))

    panels = [FieldPanel("date")]

    class Meta(Orderable.Meta):
        verbose_name = _("date it does not happen")
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="event_exception_unique_date")
        ]


class EventIndexPage(FoldedSearchMixin, PrivacyCheckedPageMixin, RoutedPageMixin, Page):
    """'What's on': upcoming events near a place, as a list, a map and a month calendar."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    routes = "communities.views.EVENT_INDEX_ROUTES"

    class Meta:
        verbose_name = _("events page")
        verbose_name_plural = _("events pages")

    def calendar_events(self):
        return public(EventPage.originals().live())


def event_index_page_for(language_code=None):
    """The events page in the visitor's language, or the original one."""
    from django.utils.translation import get_language

    code = language_code or get_language()
    page = EventIndexPage.objects.live().filter(locale__language_code=code).first()
    return page or EventIndexPage.objects.live().first()


class OccurrenceSeats(models.Model):
    """How many places are taken at one occurrence of an event: the counter bookings race on."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="seats")
    starts_at = models.DateTimeField()
    booked = models.PositiveIntegerField(default=0)
    # How many of the people booked came, from the register the group's editors take after
    # the date (communities.attendance); None until a register is taken. It stays when the
    # bookings themselves are removed (communities.retention).
    attended = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("places taken")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="seats_one_per_occurrence"),
            models.CheckConstraint(condition=Q(booked__gte=0), name="seats_booked_not_negative"),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(attended__lte=F("booked")),
                name="seats_attended_at_most_booked",
            ),
        ]

    def __str__(self):
        return f"{self.event_id} {self.starts_at:%Y-%m-%d %H:%M}: {self.booked}"


class Booking(models.Model):
    """A place at one occurrence of an event, or a place on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Booked")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField(_("occurrence"))
    name = models.CharField(_("your name"), max_length=120)
    email = models.EmailField(_("your email address"))
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The register: True came, False did not come, None not yet recorded. Only a confirmed
    # place can be used.
    attended = models.BooleanField(_("came"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "starts_at", "email"],
                condition=~Q(status="cancelled"),
                name="booking_one_per_person_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(status="confirmed"),
                name="booking_attended_only_if_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.event.title} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.event.zone)

    def token(self):
        from communities.booking import booking_token

        return booking_token(self)
