"""Anonymous pages kept in Django's cache, and the site shell (menus, footer) beside them.

`PageCacheMiddleware` keeps the HTML of a GET (or HEAD) answered with 200 to a visitor who
is not signed in and sends no session or messages cookie, keyed by the full address (scheme,
host, path and query string) and the active language. A page is never kept when:

- serving it made a CSRF token (a form on the page), wrote to the session, added a message
  or found a signed-in user, or the response sets a cookie or varies by Cookie itself;
- the view called `skip(request)`, or its Cache-Control says private, no-cache or no-store;
- it is not HTML (feeds, downloads and the API have their own headers);
- its address holds a signed token (a booking, a help request, a survey link), as
  `core.log_filters.redact_path` finds them.

Editing the site empties the cache at once: publishing, unpublishing, moving or deleting a
page, directory edits (services, organisations, locations, imports), bookings (places left
on an event) and the site settings bump a generation number that is part of every key, so
older entries are never read again and expire on their own. That works on every cache
backend (no key patterns, no scans). The number is read once per request from a cache every
web process shares (Redis, or the database cache when each process keeps pages in its own
memory), so a purge made by one process reaches them all. Code that saves many rows at
once purges once, at the end (`purged_once`, which `core.indexing.deferred_indexing` uses).

PAGE_CACHE_SECONDS (0 turns the page cache off) and SITE_CACHE_SECONDS (the shell's
pieces) are in config/settings/base.py.
"""

import contextvars
import hashlib
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.utils.cache import patch_vary_headers
from django.utils.functional import empty
from django.utils.translation import get_language
from wagtail.models import Site

from .log_filters import redact_path

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
HIT_HEADER = "X-Page-Cache"
# Cookies that carry something about one visitor: with one, the page is made for them.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


_request_generation = contextvars.ContextVar("page_cache_generation", default=None)


def _generations():
    """The cache that holds the generation number: one every web process shares.

    PAGE_CACHE_GENERATION_CACHE names it; by default the default cache when it is Redis, and
    the database cache ("ratelimit") when the default cache is each process's own memory, so
    that a purge in one process reaches every other.
    """
    return caches[settings.PAGE_CACHE_GENERATION_CACHE]


def generation():
    """The current generation of cached pages (read once per request); bumped by `purge()`."""
    remembered = _request_generation.get()
    if remembered is not None and remembered[0] is not None:
        return remembered[0]
    store = _generations()
    value = store.get(GENERATION_KEY)
    if value is None:
        store.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = store.get(GENERATION_KEY)
    if remembered is not None:
        remembered[0] = value
    return value


def _fresh_generation():
    # Past any number an earlier counter (evicted, or lost with a cache restart) reached.
    return time.time_ns() // 1000


# Inside `purged_once()`: [whether a purge is owed]; None outside any such block.
_owed = contextvars.ContextVar("page_cache_purge_owed", default=None)


@contextmanager
def purged_once():
    """Purge once, when the block ends, for every change made inside it that would purge.

    For code that saves many rows at once (a taxonomy, a demo, a test's fixtures): each
    saved row would otherwise bump the generation, a few cache queries apiece. The purge is
    made even when the block fails, for what it changed before the error, unless the error
    broke the transaction the block is in: all it changed is then rolled back with it. A
    block inside another joins it.
    """
    if _owed.get() is not None:
        yield
        return
    owed = [False]
    token = _owed.set(owed)
    try:
        yield
    finally:
        _owed.reset(token)
        if owed[0] and not connection.needs_rollback:
            purge()


def purge(*args, **kwargs):
    """Forget every cached page and the site shell (a new generation), or, inside
    `purged_once()`, when the block ends. Accepts a signal's arguments, so it can be
    connected to any signal as it is."""
    owed = _owed.get()
    if owed is not None:
        owed[0] = True
        return
    store = _generations()
    try:
        value = store.incr(GENERATION_KEY)
    except ValueError:  # no generation (evicted or never made): start past any old one
        value = _fresh_generation()
        store.set(GENERATION_KEY, value, timeout=None)
    else:
        # Django's incr on the database cache (any backend without its own) writes the new
        # number back with the cache's default timeout, five minutes: every page and piece
        # of the shell would then be dropped that long after each edit. Kept for good again.
        store.touch(GENERATION_KEY, timeout=None)
    remembered = _request_generation.get()
    if remembered is not None:
        remembered[0] = value


MAX_MEMOS = 256
_memos = {}


def memo(key, compute):
    """`compute()`, kept in this process's memory until the next purge (a new generation) and
    for SITE_CACHE_SECONDS at most (0: computed every time).

    For small facts nearly every request needs and editors rarely change: the site a host
    name serves, the locales, whether any page is private. Each is a query saved on every
    page. The value is shared by every request the process serves, so it must hold nothing
    about a visitor; whatever changes it must purge (`connect_signals`).
    """
    seconds = getattr(settings, "SITE_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    current = generation()
    now = time.monotonic()
    held = _memos.get(key)
    if held is not None and held[0] == current and held[1] > now:
        return held[2]
    value = compute()
    if len(_memos) >= MAX_MEMOS:  # host names are many only when the site is misconfigured
        _memos.clear()
    _memos[key] = (current, now + seconds, value)
    return value


def forget_memos():
    """Empty this process's `memo` (for tests, whose rolled-back databases take the
    generation back with them)."""
    _memos.clear()


def site_key(name, *parts):
    """A key for a piece of the site shell, in the current generation and language."""
    joined = ":".join(str(part) for part in parts)
    return f"site-shell:{generation()}:{get_language()}:{name}:{joined}"


def site_cached(name, *parts, compute):
    """`compute()`, kept for SITE_CACHE_SECONDS under `name` and `parts` (0: not kept)."""
    seconds = getattr(settings, "SITE_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    key = site_key(name, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def skip(request):
    """Keep the page being served out of the page cache."""
    request.page_cache_skip = True


def _page_key(request):
    address = request.build_absolute_uri()
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page-cache:{generation()}:{get_language()}:{request.method == 'HEAD'}:{digest}"


def _anonymous_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return False
    if redact_path(request.path) != request.path:
        return False
    # Django's test client and some proxies send an Authorization header: never shared.
    return "HTTP_AUTHORIZATION" not in request.META


def _cacheable_response(request, response):
    if getattr(request, "page_cache_skip", False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    if "cookie" in vary or "*" in vary:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-cache", "no-store")):
        return False
    return not _made_for_this_visitor(request)


def _made_for_this_visitor(request):
    """Whether serving the page gave this visitor something of their own.

    The middleware that would say so on the response (a Set-Cookie for the CSRF token or the
    session, Vary: Cookie) sits outside this one, so the request's state is read instead. A
    session that was only read is the empty session of a visitor without a session cookie
    (those with one never reach the cache), so the page is the same for every such visitor.
    """
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a form's token was made or used
        return True
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return True
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return True
    user = getattr(request, "user", None)
    # Only looked at if something already asked for it (reading it reads the session).
    wrapped = getattr(user, "_wrapped", empty) if user is not None else empty
    if wrapped is not empty:
        return bool(getattr(wrapped, "is_authenticated", False))
    return False


class PageCacheMiddleware:
    """Serve anonymous pages from the cache; keep the ones that may be kept (module doc).

    Placed after LocaleMiddleware (the key holds the active language) and the session,
    CSRF, authentication and messages middleware, so a kept page has passed through them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_generation.set([None])
        try:
            _remember_site(request)
            return self._serve(request)
        finally:
            _request_generation.reset(token)

    def _serve(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not _anonymous_request(request):
            return self.get_response(request)
        key = _page_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached[HIT_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            patch_vary_headers(response, ("Accept-Language",))
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            response[HIT_HEADER] = "miss"
            try:
                cache.set(key, response, seconds)
            except Exception:  # a page that cannot be pickled is served, not kept
                logger.warning("page not cached: %s", request.path, exc_info=True)
        return response


def _remember_site(request):
    """The Wagtail site this request's host name serves, as `Site.find_for_request` finds it
    (which keeps it on the request), from the process's memory."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return  # Wagtail and Django answer it as they would
    key = ("site", host, request.get_port())
    request._wagtail_site = memo(key, lambda: _site_with_specific_root(request))


def _site_with_specific_root(request):
    """The site, its root page read as its own type once: Wagtail routes every request from
    `site.root_page.localized.specific`, and a home page finds (and keeps) its translation
    without a query per request (`core.models.HomePage.localized`)."""
    site = Site.find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site


def purge_on_change(*models):
    """Purge whenever a row of one of `models` is saved or deleted: apps name the models
    whose rows their public pages show (the directory's services, events' bookings)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        name = model._meta.label_lower
        post_save.connect(purge, sender=model, dispatch_uid=f"page_cache.saved.{name}")
        post_delete.connect(purge, sender=model, dispatch_uid=f"page_cache.deleted.{name}")


def connect_signals():
    """Purge on the page edits that change what public pages show (module doc); apps add
    their own models with `purge_on_change`."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Locale, Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    # What `memo` keeps: the sites, the locales and the private sections.
    purge_on_change(Site, Locale, PageViewRestriction)

    page_published.connect(purge, dispatch_uid="page_cache.published")
    page_unpublished.connect(purge, dispatch_uid="page_cache.unpublished")
    post_page_move.connect(purge, dispatch_uid="page_cache.moved")

    def page_deleted(sender, instance, **kwargs):
        if isinstance(instance, Page):
            purge()

    post_delete.connect(page_deleted, dispatch_uid="page_cache.page_deleted", weak=False)

    from core.models import SiteSettings

    def settings_saved(sender, instance, created, **kwargs):
        # Made on the first page served (get_or_create, the defaults): nothing shown changes.
        if not created:
            purge()

    post_save.connect(
        settings_saved, sender=SiteSettings, dispatch_uid="page_cache.settings", weak=False
    )
