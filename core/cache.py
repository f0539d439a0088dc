"""The page cache and what it is purged by (README "Page cache").

Anonymous visitors all see the same public pages, so a rendered page is kept in Django's cache
(``CACHES["pages"]``: Redis in production, local memory in development) and served from there
without rendering. Every stored page carries the *generations* of its path and of the site it was
rendered under: purging a path replaces its generation with a new random one, so every entry of the
path – each language, each query string (``?svar-side=3``), each host – is out of date at once with
one write, on every app server that shares the cache (a hit reads both generations and the entry in
one round trip and serves the entry only if they match). Purges go through Wagtail's frontend cache backends
(``WAGTAILFRONTENDCACHE``): ``AppPageCache`` below for this cache, Wagtail's ``HTTPBackend`` for a
reverse proxy in front (deploy/nginx/medborger.conf). They run synchronously after the
transaction commits, so a withheld response is gone for the next visitor before the moderator's
request returns (Wagtail's own helpers queue the purge as a task, which a worker may run later).

Site-wide values every page shows (the main navigation, the footer) are cached the same way under
the generation of the whole site, which every page change replaces (``site_cached``).
"""

import functools
import hashlib
import logging
import pickle
import re
import secrets
import time
import uuid
from urllib.parse import urlsplit
from urllib.request import urlopen

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import models, transaction
from django.db.models import Exists
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_delete
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .clientip import _address, _is_trusted, trusted_proxies

logger = logging.getLogger(__name__)

SITE = "__site__"  # the generation every site-wide value and every page depends on
GENERATION_TIMEOUT = None  # never expires by itself; an evicted generation just starts a new one


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _generation_key(path):
    return f"pagecache:gen:{path}"


def generation(path, cache=None):
    """The current generation of `path` (created when missing: an evicted one never comes back)."""
    cache = cache or page_cache()
    key = _generation_key(path)
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.token_hex(8), timeout=GENERATION_TIMEOUT)
        value = cache.get(key)
    return value


def generations(paths, cache=None):
    """The generations of several paths in one round trip (missing ones created)."""
    cache = cache or page_cache()
    keys = {path: _generation_key(path) for path in paths}
    found = cache.get_many(list(keys.values()))
    result = {}
    for path, key in keys.items():
        result[path] = found.get(key) or generation(path, cache)
    return result


def bump(paths, cache=None):
    """Start a new generation for each path: everything cached under the old one is unreachable."""
    cache = cache or page_cache()
    cache.set_many({_generation_key(path): secrets.token_hex(8) for path in paths}, timeout=GENERATION_TIMEOUT)


def site_cached(name, build, timeout=3600):
    """A site-wide value (navigation targets, footer links), rebuilt after any page change: kept with
    the site generation it was built under, read with the current one in one round trip."""
    cache = page_cache()
    generation_key, key = _generation_key(SITE), f"pagecache:site:{name}"
    found = cache.get_many([generation_key, key])
    current = found.get(generation_key) or generation(SITE, cache)
    kept = found.get(key)
    if kept is not None and kept[0] == current:
        return kept[1]
    value = build()
    cache.set(key, (current, value), timeout)
    return value


# --- Purging ------------------------------------------------------------------------------------


def path_of(url):
    """The path part of a page URL (full or relative); the cache keys pages by path."""
    return urlsplit(url).path or "/"


class AppPageCache:
    """Wagtail frontend cache backend for the app's own page cache (``CACHES["pages"]``).

    Purging a URL purges its path with every query string and language. Configured in
    ``WAGTAILFRONTENDCACHE`` so one purge reaches this cache and the proxy in front alike.
    """

    def __init__(self, params):
        self.hostnames = params.get("HOSTNAMES", ["*"])

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        bump({path_of(url) for url in urls})

    def invalidates_hostname(self, hostname):
        return True


class ProxyPurge:
    """Wagtail's HTTPBackend (PURGE <path> with the page's Host to the proxy), with a time limit:
    a proxy that does not answer must not hold the editor's request."""

    def __init__(self, params):
        self.backend = HTTPBackend(dict(params))
        self.timeout = params.get("TIMEOUT", 5)

    def invalidates_hostname(self, hostname):
        return self.backend.invalidates_hostname(hostname)

    def purge_batch(self, urls):
        for url in urls:
            parts = urlsplit(url)
            host = parts.hostname + (f":{parts.port}" if parts.port else "")
            target = f"{self.backend.cache_scheme}://{self.backend.cache_netloc}{parts.path}"
            request = PurgeRequest(url=target, headers={"Host": host, "User-Agent": "Medborger-page-cache"})
            with urlopen(request, timeout=self.timeout):  # noqa: S310 - the configured proxy's address
                pass


def _backends():
    configured = settings.WAGTAILFRONTENDCACHE
    if not configured:
        return {"app": AppPageCache({})}
    return get_backends()


def purge_now(urls, *, site=False, backends=None):
    """Purge these URLs from every frontend cache (or the named ones) at once; a proxy's failures
    are logged, never raised."""
    urls = sorted({url for url in urls if url})
    if site:
        bump([SITE])
    if not urls:
        return
    absolute = [url if urlsplit(url).netloc else settings.BASE_URL.rstrip("/") + url for url in urls]
    for name, backend in _backends().items():
        if backends is not None and name not in backends:
            continue
        try:
            backend.purge_batch(absolute)
        except Exception:  # a proxy that is down must not fail the editor's action
            logger.exception("Purging %d URLs from frontend cache %s failed", len(absolute), name)


def purge_on_commit(urls, *, site=False):
    """Purge now and again after the current transaction commits.

    Between the first purge and the commit a visitor's render could still read the old rows and
    store them under the new generation; the second purge drops that. After the commit every render
    that starts reads what was committed.
    """
    urls = list(urls)
    if not transaction.get_connection().in_atomic_block:
        purge_now(urls, site=site)
        return
    # This cache now as well: the next request of this same transaction (and of a test, which never
    # commits) sees the change. After the commit every backend, the proxy's included (its refresh
    # must read the committed rows); that also drops what a visitor rendered in between.
    purge_now(urls, site=site, backends=["app"])
    transaction.on_commit(lambda: purge_now(urls, site=site))


# --- What a page change purges ------------------------------------------------------------------


_DEPENDENTS = []  # (page class, function(page) -> URLs), registered by the apps' cache modules


def dependent_urls(model):
    """Register a function naming the other URLs that show a page of this type (feeds, calendars,
    the list of elections): ``@dependent_urls(HearingPage) def f(page): return [...]``."""

    def register(function):
        _DEPENDENTS.append((model, function))
        return function

    return register


LIST_SECONDS = 60  # pages that list others (whose status may change by the clock) are kept shorter


def page_timeout(page):
    """How long the page cache may keep `page`: the default, but never past a moment the page's own
    status changes by the clock (any future date and time on it: a hearing's deadline, voting
    opening), and at most a minute for pages that list children (their statuses change too)."""
    seconds = settings.PAGE_CACHE_SECONDS
    if page.numchild:
        seconds = min(seconds, LIST_SECONDS)
    now = timezone.now()
    for field in page._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            moment = getattr(page, field.attname)
            if moment is not None and moment > now:
                seconds = min(seconds, max(1, int((moment - now).total_seconds())))
    return seconds


def page_and_ancestor_urls(page):
    """A page and the pages above it, which list or summarise it."""
    urls = [page.url, *(ancestor.url for ancestor in page.get_ancestors().filter(depth__gt=1))]
    return [url for url in urls if url]


def page_purge_urls(page):
    """The URLs that show `page`: itself, its ancestors (indexes, the council, the home page list or
    summarise their children) and what its type registered with ``dependent_urls`` (feeds,
    calendars, a council elsewhere in the tree)."""
    specific = page.specific
    urls = page_and_ancestor_urls(page)
    for model, function in _DEPENDENTS:
        if isinstance(specific, model):
            urls += list(function(specific))
    return [url for url in urls if url]


def _touches_site(page):
    # The home page and its children (the indexes in the main menu, the about and accessibility
    # pages in the footer) appear on every page.
    return page.depth <= 3


def page_changed(sender, instance, **kwargs):
    purge_on_commit(page_purge_urls(instance), site=_touches_site(instance))


def page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    urls = page_purge_urls(instance)
    # The old address and everything under it (the descendants moved with the page).
    parent_before = kwargs.get("parent_page_before")
    if parent_before is not None:
        urls += page_purge_urls(parent_before)
    purge_on_commit(urls, site=True)


def slug_changed(sender, instance_before, instance, **kwargs):
    # The old address must stop showing the page; its descendants moved too.
    purge_on_commit([instance_before.url], site=True)


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.depth > 1:
        purge_on_commit(page_purge_urls(instance), site=_touches_site(instance))


def model_saved(sender, instance, **kwargs):
    """Site settings, the sites themselves (host, root page: every cached route), and the pages every
    page links to (also when saved without publishing, e.g. created by code), change what every page
    shows."""
    if isinstance(instance, BaseSiteSetting | Site) or (isinstance(instance, Page) and _touches_site(instance)):
        purge_on_commit([], site=True)


def site_deleted(sender, instance, **kwargs):
    """A site deleted: every request for its host is routed (and its pages served) afresh."""
    purge_on_commit([], site=True)


# Page log actions that change nothing the public sees (drafts, locks, workflow, comments).
QUIET_ACTIONS = ("wagtail.edit", "wagtail.create", "wagtail.lock", "wagtail.unlock", "wagtail.copy", "wagtail.rename")
QUIET_PREFIXES = ("wagtail.workflow.", "wagtail.comments.", "wagtail.revert")


def page_logged(sender, instance, created=False, **kwargs):
    """An action logged on a page (a hearing concluded, results published, a view restriction
    added …) purges the pages that show it; publishing, moving and deleting are handled above."""
    if not created or instance.action in QUIET_ACTIONS or instance.action.startswith(QUIET_PREFIXES):
        return
    if instance.action in ("wagtail.publish", "wagtail.unpublish", "wagtail.move", "wagtail.delete"):
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    if instance.action.startswith("wagtail.view_restriction."):
        # A restriction covers the pages below as well: none of them may stay in a cache.
        descendants = [descendant.url for descendant in page.get_descendants()]
        purge_on_commit([*page_purge_urls(page), *descendants], site=True)
        return
    purge_on_commit(page_purge_urls(page), site=_touches_site(page))


def connect_signals():
    """Called by CoreConfig.ready: the page signals here, and every app's ``page_cache`` module
    (what its pages depend on, its own models' receivers)."""
    page_published.connect(page_changed, dispatch_uid="core_cache_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="core_cache_page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="core_cache_page_moved")
    page_slug_changed.connect(slug_changed, dispatch_uid="core_cache_page_slug_changed")
    pre_delete.connect(page_deleted, dispatch_uid="core_cache_page_deleted")
    post_save.connect(model_saved, dispatch_uid="core_cache_model_saved")
    post_delete.connect(site_deleted, sender=Site, dispatch_uid="core_cache_site_deleted")
    post_save.connect(page_logged, sender="wagtailcore.PageLogEntry", dispatch_uid="core_cache_page_logged")
    autodiscover_modules("page_cache")


# --- Serving anonymous visitors from the cache --------------------------------------------------

CSRF_PLACEHOLDER = "__medborger_csrf__"
UNIQUE_PLACEHOLDER = "__medborger_unique__"
CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{32,64})(")')
HIT_HEADER = "X-Page-Cache"
NOT_PUBLIC_SECONDS = 60  # a page found not public is remembered as such: no lock, no wait next time


def cache_public(request, timeout=None):
    """Let the page cache keep this response for anonymous visitors (called by the page hook and
    by ``public_page``); `timeout` shortens the default lifetime, e.g. until a hearing closes."""
    request._page_cache_timeout = timeout if timeout is not None else settings.PAGE_CACHE_SECONDS


def public_page(view=None, *, timeout=None):
    """Decorator for a view every anonymous visitor sees alike (feeds, calendars, results);
    ``public_page(view, timeout=60)`` for one whose content changes by the clock."""
    if view is None:
        return functools.partial(public_page, timeout=timeout)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        cache_public(request, timeout)
        return view(request, *args, **kwargs)

    return wrapped


def public_route(function):
    """Mark a route of a RoutablePage as the same for every anonymous visitor."""
    function.page_cache_public = True
    return function


def is_public_route(view):
    return getattr(view, "__name__", "") == "index_route" or getattr(view, "page_cache_public", False)


def unique_per_visitor(request, value):
    """`value` appears in this page and must differ for each visitor (a form's submission key):
    a page served from the cache gets a fresh random 32-hex-digit value in its place."""
    holes = getattr(request, "_page_cache_unique", None)
    if holes is None:
        holes = request._page_cache_unique = set()
    holes.add(value)


def reads_cookie(request, name):
    """This page shows something the cookie `name` decides for the visitor who carries it (a browser
    mark: »you have voted«, »you have answered«, core.browser_marks). A visitor carrying it gets the
    page rendered for them and that render is not kept; every other visitor – also one with other
    marks – is served the stored page, which records the names its render read."""
    names = getattr(request, "_page_cache_cookies", None)
    if names is None:
        names = request._page_cache_cookies = set()
    names.add(name)


def _carries_cookie_read(request, names):
    return any(name in request.COOKIES for name in names)


def looked_up(request):
    """Whether the page cache looks this request up, so may store its response (anonymous GET
    outside the skipped paths, with the cache switched on)."""
    return settings.PAGE_CACHE_ENABLED and PageCacheMiddleware.may_use_cache(request)


class PageCacheMiddleware:
    """Serve public pages to anonymous visitors from ``CACHES["pages"]`` without rendering.

    Only GET requests without a session cookie or pending messages are looked up; only responses
    a view marked public (``cache_public``) with status 200, no cookie and an unmodified session
    are stored. A browser mark (``reads_cookie``: a quick poll voted in, a survey answered) makes
    only the pages that read it personal: a stored page lists the marks its render read, and a
    visitor carrying one of them gets the page rendered for them, never stored. The key holds the
    host, scheme, path with query string and language; the entry holds the generations of the path
    and of the site it was rendered under (``purge_now`` replaces those), read with it in one MGET.
    The form tokens in a stored page are placeholders, filled per visitor when served: each visitor
    gets their own CSRF token (and cookie) and submission key, and forms work without JavaScript.
    One render per key when an entry is missing: the first visitor takes a short lock, the others
    wait for its result (up to ``PAGE_CACHE_LOCK_SECONDS``) instead of all hitting the database.
    Everything not served from this cache is marked ``Cache-Control: private`` unless the view
    said otherwise, so no proxy keeps a personal page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not looked_up(request):
            return self.private(self.get_response(request))
        cache = page_cache()
        key = self.key(request)
        gen, entry = self.look_up(cache, key, request.path)
        if entry is not None and entry.get("not_public"):
            return self.private(self.get_response(request))
        if entry is None:
            lock = self.lock_key(key, gen)
            lock_seconds = settings.PAGE_CACHE_LOCK_SECONDS
            if cache.add(lock, 1, lock_seconds):
                try:
                    return self.render_and_store(request, cache, key, gen)
                finally:
                    cache.delete(lock)
            entry = self.wait_for(cache, key, gen, lock, lock_seconds)
            if entry is None:
                return self.render_and_store(request, cache, key, gen)
            if entry.get("not_public"):
                # The render waited for found the page is not kept: answer this visitor the same way.
                return self.private(self.get_response(request))
        if _carries_cookie_read(request, entry.get("cookies", ())):
            # The stored page shows what this visitor's mark changes (a poll's form instead of its results).
            return self.private(self.get_response(request))
        return self.serve(request, entry)

    @staticmethod
    def look_up(cache, key, path):
        """(the generation of this page: the site's and the path's, the stored entry if it was
        stored under that generation) in one round trip: the generations and the entry in one MGET.
        An entry stored under an older generation (the page purged since) counts as missing."""
        site_key, path_key = _generation_key(SITE), _generation_key(path)
        found = cache.get_many([site_key, path_key, key])
        if site_key in found and path_key in found:
            gen = f"{found[site_key]}:{found[path_key]}"
        else:  # a generation never made or evicted: a new one, so no entry can be current
            gens = generations([SITE, path], cache)
            return f"{gens[SITE]}:{gens[path]}", None
        entry = found.get(key)
        return gen, (entry if entry is not None and entry.get("generation") == gen else None)

    @staticmethod
    def for_edge(request):
        """nginx in front asks for the stored form of the page (placeholders in place of the form
        tokens, filled by nginx per visitor: deploy/nginx/medborger.conf); believed from a trusted
        proxy only."""
        if request.META.get("HTTP_X_MEDBORGER_EDGE") != "1":
            return False
        peer, networks = _address(request.META.get("REMOTE_ADDR", "")), trusted_proxies()
        return peer is not None and bool(networks) and _is_trusted(peer, networks)

    @staticmethod
    def may_use_cache(request):
        if request.method != "GET" or request.path.startswith(tuple(settings.PAGE_CACHE_SKIP_PATHS)):
            return False
        personal = (settings.SESSION_COOKIE_NAME, "messages")
        return not any(name.startswith(personal) for name in request.COOKIES)

    @staticmethod
    def key(request):
        """One key per host, scheme, address with query string and language; the generation it was
        stored under is in the entry (``look_up``), so the lookup needs no generation first."""
        variant = "|".join(
            (request.scheme, request.get_host(), request.get_full_path(), translation.get_language() or "")
        )
        return f"pagecache:entry:{hashlib.sha256(variant.encode()).hexdigest()[:32]}"

    @staticmethod
    def lock_key(key, gen):
        # Per generation: a render that began before a purge does not hold back the first one after.
        return f"{key}:{gen}:lock"

    @staticmethod
    def wait_for(cache, key, gen, lock, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.02)
            entry = cache.get(key)
            if entry is not None and entry.get("generation") == gen:
                return entry
            if cache.get(lock) is None:
                entry = cache.get(key)
                return entry if entry is not None and entry.get("generation") == gen else None
        return None

    def render_and_store(self, request, cache, key, gen):
        response = self.get_response(request)
        timeout = getattr(request, "_page_cache_timeout", None)
        if timeout and self.storable(request, response):
            entry = self.entry(request, response, timeout, gen)
            cache.set(key, entry, timeout)
            if self.for_edge(request):
                return self.edge_response(request, entry, "miss")
            response[HIT_HEADER] = "miss"
            self.public(response)
            return response
        if not timeout:
            # Not a public page: remember that for a minute, so the next request skips the lock.
            cache.set(key, {"generation": gen, "not_public": True}, NOT_PUBLIC_SECONDS)
        if self.for_edge(request) and request.META.get("HTTP_X_MEDBORGER_REFRESH") == "1":
            # nginx refreshing after a purge: what it kept must go, even though this answer is not
            # to be kept (the page is gone or no longer public): an empty body valid for a second.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
            gone = HttpResponse(b"", status=response.status_code)
            if "Location" in response:
                gone["Location"] = response["Location"]
            gone["X-Accel-Expires"] = "1"
            return self.public(gone)
        return self.private(response)

    @staticmethod
    def storable(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
            return False
        if _carries_cookie_read(request, getattr(request, "_page_cache_cookies", ())):
            return False  # rendered for this visitor's mark (the results of the poll they voted in)
        session = getattr(request, "session", None)
        return not (session is not None and session.modified)

    @staticmethod
    def entry(request, response, timeout, gen):
        body = response.content.decode(response.charset)
        body = CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<3>", body)
        for value in getattr(request, "_page_cache_unique", ()):
            body = body.replace(value, UNIQUE_PLACEHOLDER)
        headers = {name: response[name] for name in ("Content-Type", "Content-Language") if name in response}
        expires = int(time.time()) + timeout
        cookies = sorted(getattr(request, "_page_cache_cookies", ()))
        return {
            "generation": gen,
            "body": body,
            "headers": headers,
            "charset": response.charset,
            "expires": expires,
            "cookies": cookies,
        }

    def edge_response(self, request, entry, state):
        """The stored page as it is, for nginx to keep until the entry here expires (X-Accel-Expires;
        purges reach nginx as well) and to fill per visitor (who has a CSRF cookie already: no
        cookie is set, or nginx would not keep the page)."""
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        response = HttpResponse(entry["body"].encode(entry["charset"]))
        for name, value in entry["headers"].items():
            response[name] = value
        response[HIT_HEADER] = state
        response["X-Accel-Expires"] = str(max(1, entry.get("expires", 0) - int(time.time())))
        return self.public(response)

    def serve(self, request, entry):
        if self.for_edge(request):
            return self.edge_response(request, entry, "hit")
        body = entry["body"]
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request))
        while UNIQUE_PLACEHOLDER in body:
            body = body.replace(UNIQUE_PLACEHOLDER, uuid.uuid4().hex, 1)
        response = HttpResponse(body.encode(entry["charset"]))
        for name, value in entry["headers"].items():
            response[name] = value
        response[HIT_HEADER] = "hit"
        return self.public(response)

    @staticmethod
    def public(response):
        # Browsers ask again every time (a withheld response is gone on reload); a proxy in front
        # may keep it only as long as it is told by X-Accel-Expires (deploy/nginx), so it is never
        # staler than this cache.
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        return response

    @staticmethod
    def private(response):
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private"
        return response


# --- Routing pages by their address -------------------------------------------------------------

ROUTE_SECONDS = 3600


def is_wagtail_serve(view):
    # (wagtail.views loads the page model when imported, so it is not imported here)
    return getattr(view, "__module__", None) == "wagtail.views" and getattr(view, "__name__", None) == "serve"


def _ancestor_paths(path):
    """The treebeard paths of a page and its ancestors (each level adds ``Page.steplen`` characters)."""
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def _restriction_sources(paths):
    """The ids whose view restrictions cover a page with these ancestors' paths: each page's own id,
    or, for an alias, the page it is an alias of (as ``Page.get_view_restrictions`` resolves them)."""
    return Page.objects.filter(path__in=paths).annotate(source=Coalesce("alias_of_id", "id")).values("source")


_SITES = {}  # (host, port) -> (site generation, pickled Site with its root page), per process
# At most this many hosts are kept: ALLOWED_HOSTS with a wildcard (».kommune.dk«) lets a visitor
# name any number of them, each of which would stay in every worker's memory.
SITES_KEPT = 64


def site_for_request(request, site_generation):
    """Wagtail's ``Site.find_for_request`` (one query with CASE ordering on every request), kept in
    this process per host and port under the site's generation, which every Site save or deletion
    replaces (``model_saved``, ``site_deleted``): a changed site is looked up again at once, also on
    the other app servers. Each request gets its own copy; the result is what Wagtail keeps in
    ``request._wagtail_site`` (the context processors and page URLs read it from there)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    host = (split_domain_port(request._get_raw_host())[0], request.get_port())
    kept = _SITES.get(host)
    if kept is not None and kept[0] == site_generation:
        site = pickle.loads(kept[1])  # noqa: S301 - pickled by this process from its own query
    else:
        site = Site._find_for_request(request)
        if host not in _SITES and len(_SITES) >= SITES_KEPT:
            _SITES.clear()
        _SITES[host] = (site_generation, pickle.dumps(site))
    request._wagtail_site = site
    return site


class PageRouteMiddleware:
    """Wagtail finds the page of an address one level at a time, two queries per level (the child
    by slug, then its specific row): six queries for a hearing under the hearing index, on every
    request the page cache does not answer. The page an address leads to is kept here under the
    generations of its path and of the site, which publishing, unpublishing, deleting (the page's
    path), moving and renaming (the site) replace, so a request loads the page by id in one query,
    with whether any view restriction covers it (its own or an ancestor's: ``_restriction_sources``);
    a page without one answers Wagtail's view-restriction checks without asking the database again.
    The generations and the kept route come in one round trip to the cache, the site from process
    memory (``site_for_request``).

    Kept only for an address that is exactly a page's own (its ``url_path``), so no sub-route of a
    routable page is cached; the page's own ``route(request, [])`` still runs (live check, the
    visitor's translation, a routable page's index route), and the result goes to Wagtail through
    ``request._wagtail_route_for_request``, where ``Page.route_for_request`` keeps its own result.
    A kept page that is gone, has another address or tree position or is not live falls back to
    Wagtail's routing. On whenever the page cache is (``PAGE_CACHE_ENABLED``), for every visitor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_route_key", None)
        if key is not None:
            self.remember(request, *key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PAGE_CACHE_ENABLED or not is_wagtail_serve(view_func):
            return None
        if request.method not in ("GET", "HEAD", "POST"):
            return None
        cache = page_cache()
        language = translation.get_language() or ""
        variant = f"{request._get_raw_host()}|{request.get_port()}|{language}|{request.path}"
        key = f"pagecache:route:{hashlib.sha256(variant.encode()).hexdigest()[:32]}"
        site_key, path_key = _generation_key(SITE), _generation_key(request.path)
        found = cache.get_many([site_key, path_key, key])
        if site_key in found and path_key in found:
            gens, kept = (found[site_key], found[path_key]), found.get(key)
        else:  # a generation never made or evicted: a new one, so no kept route is current
            made = generations([SITE, request.path], cache)
            gens, kept = (made[SITE], made[request.path]), None
        site = site_for_request(request, gens[0])
        if site is None:
            return None
        gen = f"{gens[0]}:{gens[1]}"
        if kept is not None and kept[0] == gen and kept[1] == site.pk:
            result = self.route_kept(request, *kept[2:])
            if result is not None:
                request._wagtail_route_for_request = result
                return None
        request._page_route_key = (key, gen)
        return None

    @staticmethod
    def route_kept(request, content_type_id, page_id, url_path, path):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            return None
        paths = _ancestor_paths(path)
        # Wagtail follows an alias of an alias to the end of the chain; one step is read here, so a
        # longer chain counts as restricted and Wagtail's own check decides (it is exact).
        restricted = Exists(PageViewRestriction.objects.filter(page_id__in=_restriction_sources(paths))) | Exists(
            Page.objects.filter(path__in=paths, alias_of__alias_of__isnull=False)
        )
        page = model._default_manager.filter(pk=page_id).annotate(view_restricted=restricted).first()
        if page is None or page.url_path != url_path or page.path != path:
            return None
        try:
            result = page.route(request, [])
        except Http404:
            return None
        if not page.view_restricted:
            # No restriction on it or above it, read with the page: Wagtail's check and the page
            # cache's hook need not ask again (a page shown in a translation is a copy: it too).
            for served in {id(page): page, id(result[0]): result[0]}.values():
                served.get_view_restrictions = PageViewRestriction.objects.none
        return result

    @staticmethod
    def remember(request, key, gen):
        result = getattr(request, "_wagtail_route_for_request", None)
        site = getattr(request, "_wagtail_site", None)
        if result is None or site is None:
            return
        page = result[0]  # (a page shown in a translation is a copy with the page's id and address)
        root = site.root_page.url_path
        components = [part for part in request.path.split("/") if part]
        if page.url_path != root + "".join(f"{part}/" for part in components):
            return
        kept = (gen, site.pk, page.content_type_id, page.pk, page.url_path, page.path)
        page_cache().set(key, kept, ROUTE_SECONDS)
