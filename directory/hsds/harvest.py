"""Reading services from a live Open Referral API, a page at a time.

HSDS 3.0 and ORUK 3.0 APIs answer /services with `Page`s ({"contents": [...], "last_page":
...}); ORUK 1.0 APIs with {"content": [...], "totalPages": ...}. A list whose items carry none
of a service's child rows is completed by fetching each service's own /services/{id}. Later
harvests ask only for what changed (`modified_after`)."""

import datetime as dt
from urllib.parse import urljoin

import requests
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from directory.hsds import split
from directory.hsds.importer import FeedError, Importer, Origin
from directory.models import FeedSource

PER_PAGE = 500
TIMEOUT = 60  # seconds for one response
MAX_PAGES = 100_000
CHILD_KEYS = {
    "service_at_locations",
    "schedules",
    "phones",
    "contacts",
    "attributes",
    "languages",
    "cost_options",
    "service_areas",
    "regular_schedules",
}
USER_AGENT = "compassionate-communities-directory (Open Referral harvester)"


class Client:
    """GETs JSON from one API, in one HTTP session."""

    def __init__(self, base_url, timeout=TIMEOUT):
        self.base = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})

    def get(self, path, params=None):
        url = urljoin(self.base, path.lstrip("/"))
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as error:
            raise FeedError(f"{url} could not be reached: {error}") from None
        if response.status_code != 200:
            raise FeedError(f"{response.url} answered HTTP {response.status_code}.")
        try:
            return response.json()
        except ValueError:
            raise FeedError(f"{response.url} did not answer with JSON.") from None

    def close(self):
        self.session.close()


def _items(data, page):
    """The services of one page, and whether it is the last."""
    if isinstance(data, list):
        return data, True
    if not isinstance(data, dict):
        raise FeedError("The API's /services answered with neither a list nor a page.")
    if "contents" in data:
        items = data.get("contents") or []
        total = data.get("total_pages")
        last = bool(data.get("last_page")) or (isinstance(total, int) and page >= total)
    elif "content" in data:
        items = data.get("content") or []
        total = data.get("totalPages")
        last = bool(data.get("last")) or (isinstance(total, int) and page >= total)
    else:
        raise FeedError("The API's /services answer has no `contents`: it is not an HSDS page.")
    return list(items), last or not items


def iter_api_services(base_url, modified_after=None, per_page=PER_PAGE, client=None, on_cut=None):
    """(index, service dict) for every service the API lists, changed since `modified_after`
    when given; each list item without child rows is fetched whole. Half a surrogate pair in
    a service's text (escaped, so the JSON decoder keeps it) is written as U+FFFD, as a feed
    file's is, and `on_cut(index, paths)` told of the fields, just before it is handed on."""
    client = client or Client(base_url)
    params = {"per_page": per_page, "full": "true"}
    if modified_after is not None:
        params["modified_after"] = modified_after.astimezone(dt.UTC).isoformat()
    index = 0
    try:
        for page in range(1, MAX_PAGES + 1):
            items, last = _items(client.get("services", {**params, "page": page}), page)
            for item in items:
                if isinstance(item, dict) and item.get("id") and not CHILD_KEYS & set(item):
                    item = client.get(f"services/{item['id']}")
                item, cut = split.whole_value(item)
                if cut and on_cut:
                    on_cut(index, cut)
                yield index, item
                index += 1
            if last:
                break
    finally:
        client.close()


def harvest(url, name=None, changes=False, modified_after=None, **importer_options):
    """Import from a live API; returns the report. A full harvest (neither `changes` nor
    `modified_after`) retires the source's services it no longer lists."""
    source = (
        FeedSource.objects.filter(name=name).first()
        if name
        else FeedSource.objects.filter(url=url).first()
    )
    if source is None:
        source = FeedSource(name=name or url[:200], url=url)
        if not importer_options.get("dry_run"):
            source.save()
    since = None
    if modified_after:
        since = parse_datetime(modified_after)
        if since is None:
            raise FeedError(f"--modified-after “{modified_after}” is not an ISO 8601 time.")
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
    elif changes:
        since = source.last_harvested_at
    return harvest_source(source, since, **importer_options)


def harvest_source(source, since=None, **importer_options):
    """Harvest one FeedSource (all of it, or what changed on or after `since`)."""
    started = timezone.now()
    origin = Origin(
        name=source.name,
        url=source.url,
        source_id=source.pk if source.pk and not source._state.adding else None,
        full=since is None,
        fetched_at=started,
    )
    importer = Importer(origin=origin, **importer_options)
    report = importer.run(
        iter_api_services(source.url, modified_after=since, on_cut=importer.cut_characters)
    )
    if not report.dry_run and not source._state.adding:
        source.last_harvested_at = started
        if since is None:
            source.last_full_harvest_at = started
        source.last_report = {
            key: value for key, value in report.as_dict().items() if key not in ("errors",)
        } | {"errors": report.errors[:50], "warnings": report.warnings[:50]}
        source.save(update_fields=["last_harvested_at", "last_full_harvest_at", "last_report"])
    return report


FULL_EVERY = dt.timedelta(days=7)


def harvest_due_sources(now=None):
    """Every source to harvest on schedule: what changed since the last harvest, and all of
    it (retiring what it no longer lists) if the last full harvest is a week old or more.
    A source that cannot be read is reported and the others go on."""
    now = now or timezone.now()
    results = {}
    for source in FeedSource.objects.filter(harvest_on_schedule=True):
        full_due = source.last_full_harvest_at is None or (
            now - source.last_full_harvest_at >= FULL_EVERY
        )
        since = None if full_due else source.last_harvested_at
        try:
            report = harvest_source(source, since, admin_search=True)
        except FeedError as error:
            source.last_report = {"failed": str(error), "at": now.isoformat()}
            source.save(update_fields=["last_report"])
            results[source.name] = str(error)
        else:
            results[source.name] = report.created + report.updated
    return results


@task()
def harvest_sources_task():
    """The scheduled job (SCHEDULE["harvest_sources"])."""
    return harvest_due_sources()
