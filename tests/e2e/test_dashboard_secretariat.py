"""Issue 15, what must hold 1: a council secretariat logs in → the dashboard's »Det skal gøres«
lists a response awaiting moderation, a hearing past its deadline without a høringsnotat and the
next step of the open election, and each item opens the screen where that work is done. Another
council's secretariat, logged in the same way, sees none of them (»Intet at gøre«). No page asks
another host for anything (tests/e2e/conftest.py fails every journey that does); axe finds
nothing in the panel (the rest of the admin is Wagtail's)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.consultations.factories import HearingFactory, ResponseFactory
from tests.councils import factories as councils
from tests.elections import factories as elections
from tests.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def valby_work(home_page):
    """Valby Lokaludvalg with a response waiting, a hearing past its deadline without a
    høringsnotat and an election open for nominations with two candidates to approve; Vesterbro
    with nothing to do."""
    index = councils.council_index(home_page)
    valby = councils.council(index, "Valby Lokaludvalg", "lokaludvalg-valby")
    vesterbro = councils.council(index, "Vesterbro Lokaludvalg", "lokaludvalg-vesterbro")
    now = timezone.now()
    open_hearing = HearingFactory(parent=valby, title="Trafik på Valby Langgade")
    ResponseFactory(hearing=open_hearing, name="Anne Ager", text="Der mangler en cykelsti.")
    ended = HearingFactory(
        parent=valby,
        title="Parker i Valby",
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=8),
    )
    election, _cards = elections.nominating(valby)
    election.freeze_roll()
    elections.candidate(election, "Dana Dahl", status="pending")
    elections.candidate(election, "Emil Enger", status="pending")
    return {"valby": valby, "vesterbro": vesterbro, "open": open_hearing, "ended": ended, "election": election}


def _panel_a11y(axe, page):
    results = axe.run(page, context="#medborger-work-section", options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.response["violations"] == [], [v["id"] for v in results.response["violations"]]


def _section(page, heading):
    return page.locator("section.medborger-work").filter(has=page.get_by_role("heading", name=heading))


def test_the_secretariat_finds_its_work_on_the_dashboard_and_another_council_none(
    page, browser, live_server, axe, valby_work, mfa_user
):
    user, secret = mfa_user(email="valby@kommune.example")
    councils.join_secretariat(user, valby_work["valby"])
    login_with_mfa(page, user.email, PASSWORD, secret)
    page.wait_for_url(lambda url: "/konto/" not in url)

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Det skal gøres", level=2)).to_be_visible()
    _panel_a11y(axe, page)

    moderation = _section(page, re.compile(r"^Svar der afventer moderation \(1\)"))
    expect(moderation.get_by_role("listitem")).to_have_text(
        re.compile(r"^Trafik på Valby Langgade: 1 svar afventer moderation, det ældste fra ")
    )
    summary = _section(page, re.compile(r"^Høringer efter fristen uden høringsnotat \(1\)"))
    expect(summary.get_by_role("listitem")).to_have_text(
        re.compile(r"^Parker i Valby: Fristen var .*; høringsnotatet er ikke offentliggjort$")
    )
    steps = _section(page, re.compile(r"^Valg: næste skridt \(1\)"))
    expect(steps.get_by_role("listitem")).to_have_text(
        f"{valby_work['election'].title}: 2 kandidater afventer godkendelse"
    )

    # The response opens the moderation listing filtered to that hearing's waiting responses.
    moderation.get_by_role("link", name="Trafik på Valby Langgade").click()
    expect(page.get_by_role("link", name="Anne Ager")).to_be_visible()
    page.get_by_role("link", name="Anne Ager").click()
    expect(page.get_by_role("button", name="Offentliggør svaret")).to_be_visible()

    # The hearing past its deadline opens its høringsnotat.
    page.goto("/admin/")
    summary.get_by_role("link", name="Parker i Valby").click()
    page.wait_for_url(f"**/admin/hoeringer-sekretariat/{valby_work['ended'].pk}/**")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Parker i Valby")

    # The election's next step opens the election's admin page, where the candidates are approved.
    page.goto("/admin/")
    steps.get_by_role("link", name=valby_work["election"].title).click()
    page.wait_for_url(f"**/admin/valg/{valby_work['election'].pk}/")
    expect(page.get_by_text("Dana Dahl").first).to_be_visible()

    # Vesterbro's secretariat, in its own browser, has nothing to do and sees nothing of Valby's.
    other, other_secret = mfa_user(email="vesterbro@kommune.example")
    councils.join_secretariat(other, valby_work["vesterbro"])
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    other_page = context.new_page()
    login_with_mfa(other_page, other.email, PASSWORD, other_secret)
    other_page.wait_for_url(lambda url: "/konto/" not in url)
    other_page.goto("/admin/")
    other_panel = other_page.get_by_role("region", name="Det skal gøres")
    expect(other_panel.get_by_role("heading", name="Det skal gøres", level=2)).to_be_visible()
    sections = other_panel.locator("section.medborger-work")
    expect(sections).to_have_count(8)
    expect(other_panel.get_by_text("Intet at gøre", exact=True)).to_have_count(8)
    for text in ("Trafik på Valby Langgade", "Parker i Valby", valby_work["election"].title):
        expect(other_page.get_by_text(text)).to_have_count(0)
    _panel_a11y(axe, other_page)
    context.close()
