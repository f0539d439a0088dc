"""The site of a host is kept in each app server's memory (core.cache.site_for_request) under the
site generation in the shared cache: a Site changed through another app server (another gunicorn
worker or machine, whose receivers run there, not here) is used here from the next request on."""

import pytest
from django.test import RequestFactory
from wagtail.models import Site

from core import cache
from core.cache import SITE, _generation_key, page_cache
from tests.core.test_page_cache import cache_on, hearing  # noqa: F401 (fixtures)
from tests.core.test_page_routes import _site_queries, member, visit_queries  # noqa: F401 (member: fixture)

pytestmark = pytest.mark.django_db


def site_queries(client, url, **headers):
    """The response and the queries of the Site table it cost (test_page_routes' helpers)."""
    response, queries = visit_queries(client, url, **headers)
    return response, _site_queries(queries)


def test_a_site_changed_on_another_app_server_is_used_at_once(cache_on, member, hearing):  # noqa: F811
    index = hearing.get_parent()
    host = {"HTTP_HOST": "valby.example"}
    site = Site.objects.create(hostname="valby.example", port=80, root_page=index, site_name="Valby")
    for _ in range(2):  # (the first visit makes the site's settings: a new site generation)
        assert member.get("/cykelstier/", **host).status_code == 200
    response, queries = site_queries(member, "/cykelstier/", **host)
    assert response.status_code == 200 and queries == []  # kept in this process's memory

    # The other server saves the site: the row changes without a signal in this process, and that
    # server's receiver (core.cache.model_saved -> purge_now -> bump) writes a new site generation
    # to the cache both servers share.
    Site.objects.filter(pk=site.pk).update(root_page=hearing)
    page_cache().set(_generation_key(SITE), "written-by-the-other-server", None)

    response, queries = site_queries(member, "/", **host)
    assert response.status_code == 200 and queries  # looked up again
    assert "Cykelstier i Valby" in response.content.decode()  # the hearing is this host's home now
    assert member.get("/cykelstier/", **host).status_code == 404


def test_the_kept_sites_stay_few_whatever_hosts_visitors_name(home_page):
    """A wildcard in ALLOWED_HOSTS lets a visitor send any number of host names: each worker keeps
    at most SITES_KEPT of them (each still gets the right site)."""
    cache._SITES.clear()
    factory = RequestFactory()
    for n in range(cache.SITES_KEPT * 3):
        request = factory.get("/", HTTP_HOST=f"x{n}.valby.example")
        assert cache.site_for_request(request, "generation").is_default_site
    assert 0 < len(cache._SITES) <= cache.SITES_KEPT
