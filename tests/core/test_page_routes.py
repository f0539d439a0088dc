"""Kept page routes (core.cache.PageRouteMiddleware): the page an address leads to is found in one
query, and an address never leads to a page that is no longer there.

Signed-in visitors: the page cache never answers them, so each visit here is routed. Every test runs
with the page cache on, in local memory and in Redis (the ``cache_on`` fixture of test_page_cache).
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

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
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, sum(CHILD_BY_SLUG in q["sql"] for q in queries.captured_queries)


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
