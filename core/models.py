"""The site shell: the home page, plain content pages and site-wide settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from . import page_cache
from .blocks import BodyBlock, CrisisLineBlock, HomeLinksBlock, home_links
from .page_search import FoldedSearchMixin
from .pages import ChildRouteMixin, PrivacyCheckedPageMixin


class HomePage(FoldedSearchMixin, PrivacyCheckedPageMixin, ChildRouteMixin, Page):
    """The root of each language's page tree."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences under the main heading."),
    )
    search_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("find support search"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The directory page that the search at the top of the home page sends to. "
            "Without one, the home page has no search."
        ),
    )
    actions = StreamField(
        HomeLinksBlock(max_num=4),
        blank=True,
        verbose_name=_("actions"),
        help_text=_("Two to four things a visitor can do next, after searching."),
    )
    features = StreamField(
        HomeLinksBlock(max_num=3),
        blank=True,
        verbose_name=_("stories and guides"),
        help_text=_("Up to three sections to read, each with an illustration."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("search_page"),
        FieldPanel("actions"),
        FieldPanel("features"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "core.StandardPage",
        "directory.DirectoryPage",
        "stories.StoryIndexPage",
        "stories.ResourceLibraryPage",
        "communities.GroupIndexPage",
        "communities.EventIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    @property
    def localized(self):
        """This home page in the active language (Wagtail's `localized`, as its own type),
        kept by the process with the site's facts (`core.page_cache.memo`, forgotten on any
        publish): every request in another language than the site's routes from it, and
        would otherwise ask for the translation and then its row."""
        try:
            locale = Locale.get_active()
        except (LookupError, Locale.DoesNotExist):
            return self
        if locale.pk == self.locale_id:
            return self
        return page_cache.memo(
            ("localized-home", self.pk, locale.pk),
            lambda: super(HomePage, self).localized.specific,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.home_content())
        return context

    def home_content(self):
        """The search, actions and features, each in the reader's language where translated.

        Page links were chosen on the original home page and are followed to their
        translation when the page is shown, so every language's home page links within it.
        """
        search_page = [self.search_page] if self.search_page_id and self.search_page.live else []
        actions = [block.value for block in self.actions]
        features = [block.value for block in self.features]
        links, search = home_links(actions + features, pages=search_page)
        return {
            "search": search[0] if search else None,
            "actions": [link for link in links[: len(actions)] if link],
            "features": [link for link in links[len(actions) :] if link],
        }


class StandardPage(FoldedSearchMixin, PrivacyCheckedPageMixin, ChildRouteMixin, Page):
    """A plain content page: about us, accessibility statement, privacy notice."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["core.HomePage", "core.StandardPage"]
    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


def default_crisis_lines():
    return [
        {
            "type": "helpline",
            "value": {
                "name": "Samaritans",
                "number": "116 123",
                "free": True,
                "open_24_hours": True,
                "hours": "",
            },
        }
    ]


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Who runs the site and the crisis lines shown on every page."""

    @classmethod
    def for_site(cls, site):
        """The site's settings, kept with the site shell (core.page_cache); saving them
        empties that cache."""
        from .page_cache import site_cached

        def compute():
            return super(SiteSettings, cls).for_site(site)

        return site_cached("settings", site.pk, compute=compute)

    organisation_name = models.CharField(
        _("organisation name"), max_length=120, default="Compassionate Communities"
    )
    organisation_url = models.URLField(_("organisation website"), blank=True)
    charity_number = models.CharField(_("registered charity number"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=10,
        default="999",
        help_text=_("The number to call when someone is in danger."),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the foot of every page."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the foot of every page."),
    )
    crisis_lines = StreamField(
        [("helpline", CrisisLineBlock())],
        blank=True,
        default=default_crisis_lines,
        verbose_name=_("crisis lines"),
        help_text=_("Shown after the emergency number in the help bar at the top of every page."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("organisation_url"),
                FieldPanel("charity_number"),
                FieldPanel("contact_email"),
            ],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [FieldPanel("emergency_number"), FieldPanel("crisis_lines")],
            heading=_("Help now"),
        ),
        MultiFieldPanel(
            [FieldPanel("accessibility_page"), FieldPanel("privacy_page")],
            heading=_("Footer links"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")


# The gazetteer: postcodes loaded by `manage.py load_gazetteer`, read by core.geo.


class Postcode(models.Model):
    """A UK postcode and the point it stands for, loaded from ONSPD or GeoNames."""

    postcode = models.CharField(
        _("postcode"),
        max_length=8,
        primary_key=True,
        help_text=_("Normalised: upper case, one space before the last three characters."),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    district = models.CharField(_("postcode district"), max_length=4, db_index=True)
    area = models.CharField(_("postcode area"), max_length=3, db_index=True)
    terminated_on = models.DateField(
        _("terminated on"),
        null=True,
        blank=True,
        help_text=_("When Royal Mail stopped using the postcode; empty while it is live."),
    )
    # The ONS code ("E09000023") of the local authority the postcode lies in, from the ONS
    # Postcode Directory's oslaua column; empty when the file has none (GeoNames).
    authority_code = models.CharField(_("local authority code"), max_length=9, blank=True)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="core_postcode_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="core_postcode_longitude_range",
            ),
        ]

    def __str__(self):
        return self.postcode


class PostcodeDistrict(models.Model):
    """The centre of a postcode district ("SE13"), stored rather than averaged per request.

    Stored because the demo's sample districts must work with no postcodes loaded at all,
    and because averaging thousands of postcodes on every search would cost more than
    refreshing this small table (about 3,000 rows for the whole UK) once per load.
    `load_gazetteer` recomputes the districts it touched; areas ("SE") are averaged from
    this table when asked for, which is cheap.
    """

    class Source(models.TextChoices):
        SAMPLE = "sample", _("approximate sample")
        POSTCODES = "postcodes", _("computed from postcodes")

    district = models.CharField(_("postcode district"), max_length=4, primary_key=True)
    area = models.CharField(_("postcode area"), max_length=3, db_index=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    radius_km = models.FloatField(
        _("radius (km)"), help_text=_("Roughly how far the district reaches from its centre.")
    )
    postcode_count = models.PositiveIntegerField(_("number of postcodes"), default=0)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # The local authority holding most of the district's live postcodes (ONS code), where the
    # loaded postcodes said; a district that straddles a boundary counts under that one.
    authority_code = models.CharField(_("local authority code"), max_length=9, blank=True)

    class Meta:
        verbose_name = _("postcode district")
        verbose_name_plural = _("postcode districts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="core_postcodedistrict_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="core_postcodedistrict_longitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(radius_km__gte=0), name="core_postcodedistrict_radius_positive"
            ),
        ]

    def __str__(self):
        return self.district


class ScheduledRun(models.Model):
    """One run of a scheduled job, claimed by the scheduler that enqueued it.

    The unique (job, due_at) pair is what lets several schedulers run side by side: each
    tries to insert the row for a run that is due, and only the one whose insert succeeds
    enqueues the job's task.
    """

    job = models.CharField(_("job"), max_length=64)
    due_at = models.DateTimeField(_("due at"))
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    # Empty for the run a scheduler meets a job's schedule at (see core.scheduler).
    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="one_run_per_schedule"),
        ]
        indexes = [models.Index(fields=["due_at"], name="scheduled_run_due_at")]

    def __str__(self):
        return f"{self.job} @ {self.due_at:%Y-%m-%d %H:%M:%S}"


class SchedulerBeat(models.Model):
    """When a scheduler last looked at the schedule: the health check reads it."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    beat_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class FormSubmission(models.Model):
    """A public form's submission, recorded once so that the same one sent again (a double
    click, a resent page, concurrent identical requests) is recognised and not saved twice.

    `key` is a keyed digest of the form's name and its one-time token (or, for a form sent
    without one, of what was entered): it identifies a submission without holding its content.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    result_url = models.CharField(_("result page"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return self.key
