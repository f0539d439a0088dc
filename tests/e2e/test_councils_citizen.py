"""Issue 3, what must hold 1: a citizen finds Handicaprådet, its members and next meeting,
downloads an agenda document and subscribes to the council's calendar."""

import re
from datetime import date, timedelta

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.models import CouncilKind, Membership
from tests.councils import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DH = "Indstillet af Danske Handicaporganisationer"
BR = "Udpeget af Borgerrepræsentationen"


@pytest.fixture
def disability_council(home_page):
    index = factories.council_index(home_page)
    council = factories.disability_council(index, seat_groups=[(DH, 3, 7), (BR, 3, 7)])
    factories.member(council, "Zainab Kaya", DH, role=Membership.Role.CHAIR, nominating_organisation="DH")
    for name in ("Anders Rasmussen", "Birgitte Andersen", "Carsten Hansen"):
        factories.member(council, name, DH, nominating_organisation="DH", origin=Membership.Origin.NOMINATED)
    factories.member(council, "Bo Christensen", DH, role=Membership.Role.SUBSTITUTE)
    for name in ("Emre Vestergaard", "Amina Thomsen", "Fatima Eriksen"):
        factories.member(council, name, BR, origin=Membership.Origin.POLITICAL)
    factories.member(council, "Camilla Jensen", BR, start=date(2020, 1, 1), end=date(2024, 12, 31))
    now = timezone.now()
    factories.meeting(council, "forrige-moede", "Rådsmøde i efteråret", starts_at=now - timedelta(days=20))
    document = factories.document(council, "Budgetforslag for handicapområdet")
    factories.meeting(
        council,
        "naeste-moede",
        "Rådsmøde om budgettet",
        starts_at=now + timedelta(days=14),
        location="Rådhuset, mødelokale 3",
        agenda=[("Godkendelse af dagsorden", None), ("Høring om budget", document)],
    )
    factories.meeting(council, "senere-moede", "Temamøde", starts_at=now + timedelta(days=60))
    return council


def test_citizen_finds_council_members_next_meeting_document_and_calendar(page, check_a11y, disability_council):
    page.goto("/")
    check_a11y(page)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Råd og udvalg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Råd og udvalg")
    check_a11y(page)

    page.get_by_role("main").get_by_role("link", name="Handicaprådet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handicaprådet")
    check_a11y(page)
    members = page.locator("section[aria-labelledby='members-heading']")
    expect(members).to_contain_text("Formand: Zainab Kaya")
    dh = members.locator(".seat-group", has=page.get_by_role("heading", name=DH))
    br = members.locator(".seat-group", has=page.get_by_role("heading", name=BR))
    dh_members = dh.locator("ul.member-list:not(.substitutes) > li").all_inner_texts()
    assert dh_members[0].startswith("Zainab Kaya, formand")
    assert len(dh_members) == 4
    expect(dh.locator(".seat-rule")).to_contain_text("3 ledige pladser")
    expect(dh.locator("ul.substitutes")).to_have_text("Bo Christensen")
    expect(br.locator("ul.member-list > li")).to_have_count(3)
    expect(br.locator(".seat-rule")).to_contain_text("4 ledige pladser")
    expect(page.locator("section[aria-labelledby='former-heading']")).to_contain_text("Camilla Jensen")
    expect(members).not_to_contain_text("Camilla Jensen")

    upcoming = page.locator("section[aria-labelledby='meetings-heading'] ul.meeting-list").first
    upcoming.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rådsmøde om budgettet")
    check_a11y(page)
    expect(page.get_by_role("main")).to_contain_text("Rådhuset, mødelokale 3")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Hent bilag: Budgetforslag")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    calendar_link = page.get_by_role("link", name="Abonnér på kalenderen for Handicaprådet")
    response = page.request.get(calendar_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert "Handicaprådet: Rådsmøde om budgettet" in summaries
    event = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Handicaprådet: Rådsmøde om budgettet")
    assert str(event["URL"]).endswith("/raad-og-udvalg/handicapraadet/naeste-moede/")
    assert event["DTSTART"].dt.tzinfo is not None


def test_statement_page_is_accessible(page, check_a11y, home_page):
    index = factories.council_index(home_page)
    council = factories.council(index, "Integrationsrådet", "integrationsraadet", kind=CouncilKind.INTEGRATION)
    statement = factories.statement(council, "udtalelse", "Udtalelse om integrationspolitikken")
    page.goto(council.url)
    page.get_by_role("link", name="Udtalelse om integrationspolitikken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(statement.title)
    expect(page.get_by_role("main")).to_contain_text("Udtalelse fra Integrationsrådet")
    check_a11y(page)
