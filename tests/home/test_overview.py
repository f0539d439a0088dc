"""The home page is built from live data: open hearings by nearest deadline, current elections,
councils — each with an empty state."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.demo import get_or_create_child

EMPTY_HEARINGS = "Der er ingen åbne høringer lige nu."
EMPTY_ELECTIONS = "Der er ingen valg i gang lige nu."
EMPTY_COUNCILS = "Der er endnu ingen råd eller udvalg på sitet."


def section(html, heading_id):
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_empty_states(client, home_page):
    html = client.get("/").content.decode()
    assert EMPTY_HEARINGS in section(html, "open-hearings-heading")
    assert EMPTY_ELECTIONS in section(html, "elections-heading")
    assert EMPTY_COUNCILS in section(html, "councils-heading")


@pytest.fixture
def live_content(home_page):
    from consultations.models import HearingIndexPage, HearingPage
    from councils.models import CouncilIndexPage, CouncilPage
    from elections.models import ElectionPage

    now = timezone.now()
    council_index, _ = get_or_create_child(home_page, CouncilIndexPage, "raad-og-udvalg", title="Råd og udvalg")
    integration, _ = get_or_create_child(
        council_index, CouncilPage, "integrationsraadet", title="Integrationsrådet", kind="integration"
    )
    get_or_create_child(council_index, CouncilPage, "handicapraadet", title="Handicaprådet", kind="disability")
    hearing_index, _ = get_or_create_child(home_page, HearingIndexPage, "hoeringer", title="Høringer")

    def hearing(slug, title, opens, closes):
        page, _ = get_or_create_child(
            hearing_index, HearingPage, slug, title=title, opens_at=now + opens, closes_at=now + closes
        )
        return page

    hearing("senere", "Integrationspolitik", timedelta(days=-3), timedelta(days=20))
    hearing("snart", "Beskæftigelsesplan 2027", timedelta(days=-10), timedelta(days=2))
    hearing("kommende", "Skolestruktur", timedelta(days=5), timedelta(days=40))
    hearing("lukket", "Trafikplan", timedelta(days=-40), timedelta(days=-1))

    get_or_create_child(
        integration,
        ElectionPage,
        "valg-2026",
        title="Valg til Integrationsrådet 2026",
        voting_opens_at=now + timedelta(days=10),
        voting_closes_at=now + timedelta(days=20),
    )
    get_or_create_child(
        integration,
        ElectionPage,
        "valg-2019",
        title="Valg til Integrationsrådet 2019",
        voting_opens_at=now - timedelta(days=400),
        voting_closes_at=now - timedelta(days=390),
    )


def test_open_hearings_by_nearest_deadline(client, live_content):
    hearings = section(client.get("/").content.decode(), "open-hearings-heading")
    titles = re.findall(r'<a href="[^"]+">([^<]+)</a>', hearings)
    assert titles == ["Beskæftigelsesplan 2027", "Integrationspolitik"]  # upcoming and closed left out
    assert "Høringsfrist:" in hearings
    assert EMPTY_HEARINGS not in hearings


def test_current_elections_with_their_status(client, live_content):
    elections = section(client.get("/").content.decode(), "elections-heading")
    assert "Valg til Integrationsrådet 2026" in elections
    assert "Afstemningen er ikke åbnet" in elections
    assert "2019" not in elections
    assert EMPTY_ELECTIONS not in elections


def test_councils_in_alphabetical_order(client, live_content):
    councils = section(client.get("/").content.decode(), "councils-heading")
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', councils) == ["Handicaprådet", "Integrationsrådet"]


def test_link_to_all_hearings_when_there_are_more_than_shown(client, live_content):
    from home.overview import home_overview

    overview = home_overview(limit=1)
    assert overview["open_hearings_count"] == 2
    assert [hearing.title for hearing in overview["open_hearings"]] == ["Beskæftigelsesplan 2027"]
    assert overview["hearing_index_url"] == "/hoeringer/"


def test_pages_under_a_view_restriction_are_left_out(client, live_content):
    from wagtail.models import Page, PageViewRestriction

    from home.overview import home_overview

    hidden = Page.objects.get(slug="snart").specific  # an open hearing
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    council = Page.objects.get(slug="integrationsraadet")  # its election below is restricted with it
    PageViewRestriction.objects.create(page=council, restriction_type=PageViewRestriction.LOGIN)
    overview = home_overview()
    assert [page.title for page in overview["open_hearings"]] == ["Integrationspolitik"]
    assert overview["open_hearings_count"] == 1
    assert [page.title for page in overview["councils"]] == ["Handicaprådet"]
    assert overview["current_elections"] == []
    html = client.get("/").content.decode()
    assert "Beskæftigelsesplan 2027" not in html
    assert "Valg til Integrationsrådet 2026" not in html


def test_the_view_restrictions_are_read_once_for_all_lists(live_content):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.overview import home_overview

    with CaptureQueriesContext(connection) as captured:
        home_overview()
    restrictions = [q["sql"] for q in captured.captured_queries if 'FROM "wagtailcore_pageviewrestriction"' in q["sql"]]
    assert len(restrictions) == 1, restrictions


def test_open_hearings_are_counted_only_when_more_may_exist(live_content):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.overview import home_overview

    for limit, count, counted in ((5, 2, False), (2, 2, True), (1, 2, True)):
        with CaptureQueriesContext(connection) as captured:
            overview = home_overview(limit=limit)
        counts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
        assert overview["open_hearings_count"] == count
        assert len(counts) == (1 if counted else 0), (limit, counts)
