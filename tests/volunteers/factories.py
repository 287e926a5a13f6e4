"""Factories for volunteers, their training, and help requests."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from volunteers.contact import record_consent
from volunteers.models import (
    DBSCheck,
    HelpRequest,
    HelpSeekerContact,
    TaskType,
    TermsConsent,
    TermsVersion,
    TrainingModule,
    TrainingRecord,
    Volunteer,
    WeeklyAvailability,
)

LEWISHAM = (51.4615, -0.0106)
DEPTFORD = (51.4787, -0.0262)  # about 2.2 km from Lewisham
CROYDON = (51.3762, -0.0982)  # about 11.5 km from Lewisham


def next_weekday(weekday, hour=10):
    """The next given weekday (0 = Monday) at a local hour, at least a day from now."""
    today = timezone.localdate() + dt.timedelta(days=1)
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("a-long-test-password")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True


class TermsVersionFactory(factory.django.DjangoModelFactory):
    version = factory.Sequence(lambda n: f"v{n}")
    text = "Be kind, be safe, keep what you hear private."
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))

    class Meta:
        model = TermsVersion
        django_get_or_create = ("version",)


class VolunteerFactory(factory.django.DjangoModelFactory):
    """An active, verified volunteer in Lewisham who agreed to the current terms and is free
    every day from 08:00 to 20:00."""

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Volunteer {n}")
    status = Volunteer.Status.ACTIVE
    email_verified_at = factory.LazyFunction(timezone.now)
    approved_at = factory.LazyFunction(timezone.now)
    languages = "en"
    home_area = "SE13"
    latitude = LEWISHAM[0]
    longitude = LEWISHAM[1]
    travel_radius_km = 10

    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    @factory.post_generation
    def consent(self, create, extracted, **kwargs):
        if create and extracted is not False:
            terms = TermsVersion.current() or TermsVersionFactory(version="v1")
            TermsConsent.objects.get_or_create(volunteer=self, terms=terms)

    @factory.post_generation
    def free(self, create, extracted, **kwargs):
        if create and extracted is not False:
            WeeklyAvailability.objects.bulk_create(
                WeeklyAvailability(volunteer=self, weekday=day, starts=dt.time(8), ends=dt.time(20))
                for day in range(7)
            )

    @factory.post_generation
    def skill_names(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.add(*extracted)


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Training {n}")

    class Meta:
        model = TrainingModule
        django_get_or_create = ("name",)


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    volunteer = factory.SubFactory(VolunteerFactory)
    module = factory.SubFactory(TrainingModuleFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=700))

    class Meta:
        model = TrainingRecord


class DBSCheckFactory(factory.django.DjangoModelFactory):
    volunteer = factory.SubFactory(VolunteerFactory)
    level = 3
    barred_list = True
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))
    recheck_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=900))

    class Meta:
        model = DBSCheck


class TaskTypeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Task {n}")

    class Meta:
        model = TaskType
        skip_postgeneration_save = True

    @factory.post_generation
    def skill_names(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.add(*extracted)


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """An open request in Lewisham next Thursday 10:00-12:00, with contact and consent."""

    task_type = factory.SubFactory(TaskTypeFactory)
    area = "SE13"
    latitude = LEWISHAM[0]
    longitude = LEWISHAM[1]
    radius_km = 10
    starts_at = factory.LazyFunction(lambda: next_weekday(3, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    language = "en"

    class Meta:
        model = HelpRequest
        skip_postgeneration_save = True

    @factory.post_generation
    def contact(self, create, extracted, **kwargs):
        if create:
            fields = {
                "name": "Ada Help-Seeker",
                "phone": "020 7946 0000",
                "email": "ada@example.org",
                "address": "1 Quiet Road, Lewisham",
                "notes": "Please knock loudly.",
            }
            fields.update(extracted or {})
            HelpSeekerContact.objects.create(request=self, **fields)

    @factory.post_generation
    def consent(self, create, extracted, **kwargs):
        if create and extracted is not False:
            record_consent(self, channel="web", role="self")
