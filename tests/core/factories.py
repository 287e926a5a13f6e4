"""Factories for the site shell's pages."""

import factory
import wagtail_factories

from core.models import HomePage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "A place for help with dying, death and grief"
    slug = factory.Sequence(lambda n: f"home-{n}")
    introduction = "Help close to home."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    slug = factory.Sequence(lambda n: f"standard-{n}")
    introduction = "An introduction."
    show_in_menus = True

    class Meta:
        model = StandardPage
