"""The demo's steps, registered by the apps that own the content they create.

Each app's ``demo`` module registers its steps with ``@register(order)``; ``load_demo`` runs
them in order after the site shell (home page, standard pages, settings) is in place. Core
knows no app: the modules are found with Django's ``autodiscover_modules("demo")``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class DemoContext:
    """What a step is given: where to log, the English home page, the site's locales by
    language code and the function that translates and publishes a page."""

    log: Callable[[str], Any]
    home: Any
    locales: dict
    translate: Callable


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    function: Callable[[DemoContext], Any]


_steps: dict[str, Step] = {}


def register(order):
    """Register the decorated function, called with a DemoContext, as a demo step.

    Steps run from the lowest order up; pages other steps link to come first (the directory
    before the home page's links, for example). Registering the same function again (a
    module imported twice) replaces the earlier registration.
    """

    def decorator(function):
        name = f"{function.__module__}.{function.__qualname__}"
        _steps[name] = Step(order=order, name=name, function=function)
        return function

    return decorator


def steps():
    """Every registered step, in the order they run; each installed app's ``demo`` module is
    imported first so that its steps are registered."""
    autodiscover_modules("demo")
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def run(context):
    for step in steps():
        step.function(context)
