""" "Talk to someone now": services anyone can phone from anywhere that are open at this
moment, by their own opening times (directory.schedules).

A helpline here is a service that reaches anywhere (national, telephone or online; see
Service.refresh_derived_fields) and has a phone number. The search engine answers which are
open, so the same rules decide "open now" here as in every search.
"""

import dataclasses

from django.utils import timezone

from directory.models import Service
from directory.schedules import is_open_24_7
from directory.search import SearchQuery, search

# Enough to choose from without pushing the results off a phone's first screen.
DEFAULT_LIMIT = 3
_CANDIDATES = 50


@dataclasses.dataclass(frozen=True)
class Helpline:
    service: Service
    phone: object  # the service's first Phone
    open_24_7: bool


def open_helplines(query=None, *, moment=None, limit=DEFAULT_LIMIT, engine=None):
    """Helplines open at `moment` (now by default), best match first.

    With a SearchQuery, only those matching its words, types of help and languages: the
    helplines for what the person asked about. Without, every helpline open now, by name.
    """
    moment = moment or timezone.localtime()
    wanted = SearchQuery(
        text=query.text if query else "",
        categories=query.categories if query else (),
        languages=query.languages if query else (),
        reaches_anywhere=True,
        open_now=True,
        now=moment,
        page_size=_CANDIDATES,
    )
    ids = search(wanted, engine=engine).ids
    services = {
        service.pk: service
        for service in Service.objects.filter(pk__in=ids, phones__isnull=False)
        .distinct()
        .prefetch_related("phones", "schedules")
    }
    found = []
    for pk in ids:
        service = services.get(pk)
        if service is None:
            continue
        found.append(
            Helpline(
                service=service,
                phone=service.phones.all()[0],
                open_24_7=is_open_24_7(service.schedules.all()),
            )
        )
        if len(found) == limit:
            break
    return found
