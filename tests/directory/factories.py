"""Factories for directory records."""

import datetime as dt
from contextlib import contextmanager

import factory
import wagtail_factories

from core.indexing import deferred_indexing
from directory import indexing
from directory.models import (
    Address,
    DirectoryPage,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    description = "A local charity."

    class Meta:
        model = Organization


class TaxonomyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Taxonomy {n}")

    class Meta:
        model = Taxonomy


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"term-{n}")
    name = factory.Sequence(lambda n: f"Term {n}")

    class Meta:
        model = TaxonomyTerm


class LocationFactory(factory.django.DjangoModelFactory):
    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Centre {n}")
    latitude = 51.4615
    longitude = -0.0106

    class Meta:
        model = Location


class AddressFactory(factory.django.DjangoModelFactory):
    location = factory.SubFactory(LocationFactory)
    address_1 = "1 High Street"
    city = "London"
    postal_code = "SE13 6LH"

    class Meta:
        model = Address


@contextmanager
def indexed_at_the_end():
    """Services saved inside the block (each saved again for every row added to it) indexed
    once each when the block ends: the directory's search index and Wagtail's search and
    reference indexes, as an import indexes them."""
    with deferred_indexing(), indexing.deferred():
        yield


class IndexedOnceFactory(factory.django.DjangoModelFactory):
    """A factory whose record, saved several times over while it is built, is indexed once."""

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        with indexed_at_the_end():
            return super()._generate(strategy, params)


class ServiceFactory(IndexedOnceFactory):
    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Support for people who are grieving."
    assured_date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))

    class Meta:
        model = Service
        skip_postgeneration_save = True

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def at(self, create, extracted, **kwargs):
        """at=[(lat, lon), ...] or [Location, ...]: places the service is delivered from."""
        if not create or not extracted:
            return
        for place in extracted:
            location = (
                place
                if isinstance(place, Location)
                else LocationFactory(
                    organization=self.organization, latitude=place[0], longitude=place[1]
                )
            )
            ServiceAtLocation.objects.create(service=self, location=location)
        self.save()


class ServiceRowFactory(IndexedOnceFactory):
    """A row that belongs to a service; saving the service afterwards refreshes its flags
    and search terms, as the admin and the importer do."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def reindex(self, create, extracted, **kwargs):
        if create:
            self.service.save()


class PhoneFactory(ServiceRowFactory):
    service = factory.SubFactory(ServiceFactory)
    number = "020 7946 0000"

    class Meta:
        model = Phone
        skip_postgeneration_save = True


class ScheduleFactory(ServiceRowFactory):
    service = factory.SubFactory(ServiceFactory)
    byday = "MO,TU,WE,TH,FR"
    opens_at = dt.time(9, 0)
    closes_at = dt.time(17, 0)

    class Meta:
        model = Schedule
        skip_postgeneration_save = True


class ServiceAreaFactory(ServiceRowFactory):
    service = factory.SubFactory(ServiceFactory)
    name = "England"
    extent_type = ServiceArea.NATIONAL

    class Meta:
        model = ServiceArea
        skip_postgeneration_save = True


class ServiceLanguageFactory(ServiceRowFactory):
    service = factory.SubFactory(ServiceFactory)
    code = "en"

    class Meta:
        model = ServiceLanguage
        skip_postgeneration_save = True


class DirectoryPageFactory(wagtail_factories.PageFactory):
    title = "Find help near you"
    slug = "find-help"

    class Meta:
        model = DirectoryPage
