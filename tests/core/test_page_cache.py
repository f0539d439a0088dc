"""The page cache (core.cache): site-wide values, purges, and what anonymous visitors are served."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.consultations.factories import HearingIndexPageFactory

pytestmark = pytest.mark.django_db


def test_site_links_are_cached_until_a_page_in_the_menu_changes(client, home_page):
    client.get("/")
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    assert not any("home_sitesettings" in q["sql"] for q in first.captured_queries)
    assert "Høringer" not in _main_menu(client.get("/"))

    index = HearingIndexPageFactory(parent=home_page, title="Høringer", slug="hoeringer")

    menu = _main_menu(client.get("/"))
    assert f'href="{index.url}"' in menu
    index.unpublish()
    assert f'href="{index.url}"' not in _main_menu(client.get("/"))


def _main_menu(response):
    html = response.content.decode()
    start = html.index('<ul class="mainmenu">')
    return html[start : html.index("</ul>", start)]
