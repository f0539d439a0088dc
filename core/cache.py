"""The page cache and what it is purged by (README "Page cache").

Anonymous visitors all see the same public pages, so a rendered page is kept in Django's cache
(``CACHES["pages"]``: Redis in production, local memory in development) and served from there
without rendering. Every cache key of a page contains a *generation* of its path: purging a path
replaces that generation with a new random one, so every entry of the path – each language, each
query string (``?svar-side=3``), each host – is gone at once with one write, on every app server
that shares the cache. Purges go through Wagtail's frontend cache backends
(``WAGTAILFRONTENDCACHE``): ``AppPageCache`` below for this cache, Wagtail's ``HTTPBackend`` for a
reverse proxy in front (deploy/nginx/medborger.conf). They run synchronously after the
transaction commits, so a withheld response is gone for the next visitor before the moderator's
request returns (Wagtail's own helpers queue the purge as a task, which a worker may run later).

Site-wide values every page shows (the main navigation, the footer) are cached the same way under
the generation of the whole site, which every page change replaces (``site_cached``).
"""

import logging
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

SITE = "__site__"  # the generation every site-wide value and every page depends on
GENERATION_TIMEOUT = None  # never expires by itself; an evicted generation just starts a new one


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "pages")]


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
    """A site-wide value (navigation targets, footer links), rebuilt after any page change."""
    cache = page_cache()
    key = f"pagecache:site:{generation(SITE, cache)}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


# --- Purging ------------------------------------------------------------------------------------


def path_of(url):
    """The path part of a page URL (full or relative); the cache keys pages by path."""
    path = urlsplit(url).path or "/"
    return path


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


def _backends():
    from wagtail.contrib.frontend_cache.utils import get_backends

    configured = getattr(settings, "WAGTAILFRONTENDCACHE", None)
    if not configured:
        return {"app": AppPageCache({})}
    return get_backends()


def purge_now(urls, *, site=False):
    """Purge these URLs from every frontend cache at once (the proxy's failures are logged)."""
    urls = sorted({url for url in urls if url})
    if site:
        bump([SITE])
    if not urls:
        return
    absolute = [url if urlsplit(url).netloc else settings.BASE_URL.rstrip("/") + url for url in urls]
    for name, backend in _backends().items():
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
    # Now as well: the next request of this same transaction (and of a test, which never commits)
    # sees the change; the purge after the commit drops what a visitor rendered in between.
    purge_now(urls, site=site)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: purge_now(urls, site=site))


# --- What a page change purges ------------------------------------------------------------------


def page_purge_urls(page):
    """The URLs that show `page`: itself, its ancestors (indexes, the council, the home page list or
    summarise their children) and whatever the page type names in ``cache_dependent_urls()``
    (feeds, calendars, a council elsewhere in the tree)."""
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    urls = [page.url]
    urls += [ancestor.url for ancestor in page.get_ancestors().filter(depth__gt=1)]
    extra = getattr(specific, "cache_dependent_urls", None)
    if extra is not None:
        urls += list(extra())
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
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.depth > 1:
        purge_on_commit(page_purge_urls(instance), site=_touches_site(instance))


def model_saved(sender, instance, **kwargs):
    """Site settings, and the pages every page links to (also when saved without publishing, e.g.
    created by code), change what every page shows."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Page

    if isinstance(instance, BaseSiteSetting) or (isinstance(instance, Page) and _touches_site(instance)):
        purge_on_commit([], site=True)


def connect_signals():
    from django.db.models.signals import post_save, pre_delete
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    page_published.connect(page_changed, dispatch_uid="core_cache_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="core_cache_page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="core_cache_page_moved")
    page_slug_changed.connect(slug_changed, dispatch_uid="core_cache_page_slug_changed")
    pre_delete.connect(page_deleted, dispatch_uid="core_cache_page_deleted")
    post_save.connect(model_saved, dispatch_uid="core_cache_model_saved")
