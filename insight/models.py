"""Aggregates only: no row here names, links to or describes one person or one request.

`Figure` holds each month's numbers by area, written by `insight.figures.refresh`.
`SearchCount` is bumped at search time (`insight.searches`): a day, a district, a category
and two counters, never the words typed, the place or anything about the visitor.
`SurveyTally` counts survey answers by month, area, question and answer; the answers
themselves are not kept. `SurveyInvitation` remembers who was invited, so nobody is asked
twice; it holds no answer.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .areas import AREA_KINDS


class Figure(models.Model):
    """One measure for one month and one area, before the publishing rule is applied."""

    month = models.DateField(_("month"))
    area_kind = models.CharField(_("kind of area"), max_length=10, choices=AREA_KINDS)
    area = models.CharField(_("area"), max_length=60, blank=True)
    measure = models.CharField(_("measure"), max_length=40)
    breakdown = models.CharField(_("breakdown"), max_length=80, blank=True)
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        default_permissions = []
        permissions = [
            ("view_insight", _("Can see the insight dashboard (anonymous figures by area)"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "area_kind", "area", "measure", "breakdown"],
                name="insight_figure_once",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="insight_figure_month_start"),
        ]
        indexes = [
            models.Index(fields=["area_kind", "area", "month"], name="insight_figure_area_month")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.area or self.area_kind} {self.measure} {self.breakdown}"


class SearchCount(models.Model):
    """Directory searches on one day in one district for one category ('' for any)."""

    day = models.DateField(_("day"))
    district = models.CharField(_("postcode district"), max_length=4, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    nothing_near = models.PositiveIntegerField(_("searches with nothing near"), default=0)

    class Meta:
        verbose_name = _("search count")
        verbose_name_plural = _("search counts")
        default_permissions = []
        constraints = [
            models.UniqueConstraint(
                fields=["day", "district", "category"], name="insight_search_count_once"
            ),
            models.CheckConstraint(
                condition=Q(nothing_near__lte=models.F("searches")),
                name="insight_search_nothing_near_within",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.district} {self.category}: {self.searches}"


class SurveyTally(models.Model):
    """How many people gave one answer to one question, by month and district."""

    month = models.DateField(_("month"))
    district = models.CharField(_("postcode district"), max_length=4, blank=True)
    survey = models.CharField(_("survey"), max_length=12)
    question = models.CharField(_("question"), max_length=20)
    answer = models.CharField(_("answer"), max_length=12)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("survey tally")
        verbose_name_plural = _("survey tallies")
        default_permissions = []
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district", "survey", "question", "answer"],
                name="insight_survey_tally_once",
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.district} {self.question}={self.answer}: {self.count}"


def new_token():
    return secrets.token_urlsafe(24)


class SurveyInvitation(models.Model):
    """An invitation to a short survey, sent once per closed request or finished task.

    It keeps the month and district its answers will count under, so the answers need no
    link back, and it keeps no link to the request or task either: that it was sent is marked
    on the request (`feedback_invited_at`) or the task (`wellbeing_invited_at`). `answered`
    only stops a second answer.
    """

    class Survey(models.TextChoices):
        HELPED = "helped", _("Outcome survey for the person helped")
        WELLBEING = "wellbeing", _("Volunteer wellbeing check")

    survey = models.CharField(_("survey"), max_length=12, choices=Survey.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    month = models.DateField(_("month"))
    district = models.CharField(_("postcode district"), max_length=4, blank=True)
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        default_permissions = []

    def __str__(self):
        return f"{self.survey} {self.month:%Y-%m}"
