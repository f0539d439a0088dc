"""Kept page routes (core.cache.PageRouteMiddleware): the page an address leads to is found in one
query, and an address never leads to a page that is no longer there.

Signed-in visitors: the page cache never answers them, so each visit here is routed. Every test runs
with the page cache on, in local memory and in Redis (the ``cache_on`` fixture of test_page_cache).
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.core.test_page_cache import cache_on, hearing  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

# Wagtail's routing looks each level's child up by its slug.
CHILD_BY_SLUG = '"wagtailcore_page"."slug" ='


@pytest.fixture
def member(user_factory):
    client = Client()
    client.force_login(user_factory(email="anna@example.org", first_name="Anna"))
    return client


def visit(client, url):
    response, queries = visit_queries(client, url)
    return response, sum(CHILD_BY_SLUG in q for q in queries)


def visit_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, [q["sql"] for q in queries.captured_queries]


def test_the_second_visit_finds_the_page_without_walking_the_tree(cache_on, member, hearing):  # noqa: F811
    first, walked = visit(member, hearing.url)
    assert (first.status_code, walked) == (200, 2)  # the hearing index, then the hearing
    second, walked = visit(member, hearing.url)
    assert (second.status_code, walked) == (200, 0)
    assert "Cykelstier i Valby" in second.content.decode()


def test_an_unpublished_page_is_gone_at_once(cache_on, member, hearing):  # noqa: F811
    visit(member, hearing.url)
    hearing.unpublish()
    assert member.get(hearing.url).status_code == 404


def test_a_new_slug_moves_the_page_to_its_new_address(cache_on, member, hearing):  # noqa: F811
    old_url = hearing.url
    visit(member, old_url)
    hearing.slug = "cykelstier-2027"
    hearing.save_revision().publish()
    hearing.refresh_from_db()
    assert member.get(old_url).status_code in (301, 404)  # Wagtail's automatic redirect, if any
    response, _walked = visit(member, hearing.url)
    assert response.status_code == 200 and "Cykelstier i Valby" in response.content.decode()


def test_a_moved_page_is_served_at_its_new_address_only(cache_on, member, hearing, home_page):  # noqa: F811
    other = HearingIndexPageFactory(parent=home_page, title="Andre høringer", slug="andre")
    old_url = hearing.url
    visit(member, old_url)
    hearing.move(other, pos="last-child")
    hearing.refresh_from_db()
    moved = member.get(old_url)
    assert (moved.status_code, moved["Location"]) == (301, hearing.url)
    assert "Cykelstier i Valby" in member.get(hearing.url).content.decode()


def test_a_deleted_page_is_not_found(cache_on, member, hearing):  # noqa: F811
    url = hearing.url
    visit(member, url)
    Page.objects.get(pk=hearing.pk).delete()
    assert member.get(url).status_code == 404


def test_a_page_at_the_address_of_a_deleted_one_is_the_new_page(cache_on, member, hearing):  # noqa: F811
    url, index = hearing.url, hearing.get_parent()
    visit(member, url)
    Page.objects.get(pk=hearing.pk).delete()
    HearingFactory(parent=index, title="Nye cykelstier", slug="cykelstier")
    response = member.get(url)
    assert response.status_code == 200 and "Nye cykelstier" in response.content.decode()


def test_a_kept_route_loads_the_page_and_its_view_restrictions_in_one_query(cache_on, member, hearing):  # noqa: F811
    visit(member, hearing.url)
    response, queries = visit_queries(member, hearing.url)
    assert response.status_code == 200 and "Cykelstier i Valby" in response.content.decode()
    restrictions = [q for q in queries if "wagtailcore_pageviewrestriction" in q]
    assert len(restrictions) == 1  # Wagtail's own check asks nothing more
    assert '"consultations_hearingpage"' in restrictions[0] and " EXISTS" in restrictions[0]
    assert not [q for q in queries if '"wagtailcore_page"."alias_of_id" FROM' in q]  # Wagtail's ancestors query


def _restrict_quietly(page):
    """A view restriction for a group the member is not in, made without its save() (which logs and
    so purges every generation): only what the kept route reads with the page can refuse the visit."""
    (restriction,) = PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=page, restriction_type=PageViewRestriction.GROUPS)]
    )
    restriction.groups.add(Group.objects.create(name="Kun udvalget"))


def test_a_view_restriction_above_a_kept_route_is_enforced_at_once(cache_on, member, hearing):  # noqa: F811
    visit(member, hearing.url)
    assert visit(member, hearing.url)[1] == 0  # kept
    _restrict_quietly(hearing.get_parent())
    refused, walked = visit(member, hearing.url)
    assert walked == 0 and refused.status_code == 302
    assert "Cykelstier i Valby" not in refused.content.decode()


def test_a_view_restriction_on_the_page_an_alias_shows_covers_the_alias(cache_on, member, hearing, home_page):  # noqa: F811
    other = HearingIndexPageFactory(parent=home_page, title="Andre høringer", slug="andre")
    alias = hearing.create_alias(parent=other, update_slug="cykelstier-alias")
    visit(member, alias.url)
    assert visit(member, alias.url)[1] == 0  # kept
    _restrict_quietly(hearing)
    refused, walked = visit(member, alias.url)
    assert walked == 0 and refused.status_code == 302


def test_a_view_restriction_on_the_page_an_alias_of_an_alias_shows_covers_it(cache_on, member, hearing, home_page):  # noqa: F811
    """Wagtail follows an alias to its page as often as it takes (an alias of an alias is checked
    against the restrictions of the page at the end of the chain), and so does the kept route."""
    other = HearingIndexPageFactory(parent=home_page, title="Andre høringer", slug="andre")
    alias = hearing.create_alias(parent=other, update_slug="cykelstier-alias")
    alias_of_alias = alias.create_alias(parent=other, update_slug="cykelstier-alias-2")
    assert alias_of_alias.alias_of_id == alias.pk
    visit(member, alias_of_alias.url)
    assert visit(member, alias_of_alias.url)[1] == 0  # kept
    _restrict_quietly(hearing)
    refused, _walked = visit(member, alias_of_alias.url)
    assert refused.status_code == 302
    assert "Cykelstier i Valby" not in refused.content.decode()


def _site_queries(queries):
    return [q for q in queries if 'FROM "wagtailcore_site"' in q]


def test_the_site_of_a_host_is_looked_up_once_per_site_generation(cache_on, member, hearing):  # noqa: F811
    visit(member, hearing.url)
    response, queries = visit_queries(member, hearing.url)
    assert response.status_code == 200
    assert _site_queries(queries) == []


def test_a_new_site_for_a_host_is_used_at_once(cache_on, member, hearing):  # noqa: F811
    index = hearing.get_parent()
    host = {"HTTP_HOST": "valby.example"}
    before, _queries = visit_queries(member, "/", **host)  # the default site's home page
    assert before.status_code == 200 and index.url in before.content.decode()
    site = Site.objects.create(hostname="valby.example", port=80, root_page=index, site_name="Valby")
    after, queries = visit_queries(member, "/", **host)
    assert after.status_code == 200 and _site_queries(queries)  # looked up again
    assert "Cykelstier i Valby" in after.content.decode()  # the hearing index is this host's home now
    assert member.get("/cykelstier/", **host).status_code == 200
    site.root_page = hearing
    site.save()
    assert "Cykelstier i Valby" in member.get("/", **host).content.decode()
    assert member.get("/cykelstier/", **host).status_code == 404


def test_a_deleted_site_is_not_used_any_more(cache_on, member, hearing):  # noqa: F811
    index = hearing.get_parent()
    host = {"HTTP_HOST": "valby.example"}
    site = Site.objects.create(hostname="valby.example", port=80, root_page=index, site_name="Valby")
    for _ in range(2):  # (the first visit makes the site's settings: a new site generation)
        assert member.get("/cykelstier/", **host).status_code == 200
    response, queries = visit_queries(member, "/cykelstier/", **host)
    assert response.status_code == 200 and _site_queries(queries) == []  # the site is kept
    site.delete()
    assert member.get("/cykelstier/", **host).status_code == 404
    assert member.get(hearing.url, **host).status_code == 200  # the default site's address again
