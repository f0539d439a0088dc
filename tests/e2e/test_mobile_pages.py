"""The public pages on a phone, with the demo content: axe (WCAG 2.1 A/AA) finds nothing, and a
table too wide for the screen scrolls sideways from the keyboard, as WCAG 2.1.1 asks."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from consultations.models import HearingPage
from elections.models import ElectionPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_a_citizen_on_a_phone_reads_hearings_councils_and_election_results(page, demo, check_a11y):
    page.set_viewport_size(PHONE)
    page.goto("/")
    check_a11y(page)

    # Through the menu to a hearing.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("dialog", name="Menu").get_by_role("link", name="Høringer").click()
    page.wait_for_url("**/hoeringer/")
    check_a11y(page)
    hearing = HearingPage.objects.live().get(title="Beskæftigelsesplan 2027")
    page.get_by_role("link", name=hearing.title).first.click()
    page.wait_for_url(f"**{hearing.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(hearing.title)
    check_a11y(page)

    # A council page with its members.
    page.goto("/raad-og-udvalg/integrationsraadet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrationsrådet")
    elected = page.get_by_role("region", name="Direkte valgte medlemmer")
    expect(elected.locator("ul.member-list").first.locator("li")).to_have_count(13)
    check_a11y(page)

    # The published results of the earlier election: the chart's names are readable and the
    # vote table, wider than the phone, scrolls sideways with the arrow keys.
    election = ElectionPage.objects.get(title="Valg til Integrationsrådet 2022")
    page.goto(reverse("elections:results", args=[election.pk]))
    check_a11y(page)
    label = page.locator("svg.result-chart text").first
    assert label.bounding_box()["height"] >= 12, "chart labels too small to read on a phone"

    region = page.get_by_role("region", name="Stemmer pr. kandidat – Afrika og Mellemøsten")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table should be wider than the phone"
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())

    page.goto(reverse("elections:verification", args=[election.pk]))
    check_a11y(page)

    # The same results in Arabic, right to left: the chart is mirrored, so every name stands
    # inside the chart from its right edge, each bar grows from that edge and its number stands
    # beside it instead of over it (before, the names ran off the chart's left edge).
    page.goto(reverse("elections:results", args=[election.pk]))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("dialog", name="Menu").get_by_text("Sprog").click()
    page.get_by_role("dialog", name="Menu").get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    check_a11y(page)
    chart = page.locator("svg.result-chart").first
    box = chart.bounding_box()
    names = chart.locator("text:nth-of-type(odd)")
    expect(names.first).to_have_text("Fatima Ali")
    for i in range(names.count()):
        name = names.nth(i).bounding_box()
        assert box["x"] <= name["x"] and name["x"] + name["width"] <= box["x"] + box["width"] + 0.5
        assert abs(name["x"] + name["width"] - (box["x"] + box["width"])) < 2  # begins at the right edge
        bar = chart.locator("rect").nth(i).bounding_box()
        assert abs(bar["x"] + bar["width"] - (box["x"] + box["width"])) < 0.5
        number = chart.locator("text:nth-of-type(even)").nth(i).bounding_box()
        assert box["x"] <= number["x"] and number["x"] + number["width"] <= bar["x"]
