"""Issue 12, must hold 1: a citizen comments on sections 2.1 and 3.2 of a sectioned draft (3.2 by
keyboard only) and writes a general response, confirms by email, and after moderation the comments
are under their sections. axe finds nothing on any page, also at 375 px."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consultations.models import Response
from tests.consultations.drafts import traffic_draft
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.helpers import tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sectioned_hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    hearing = HearingFactory(
        parent=index,
        title="Trafikplan for Valby 2026",
        slug="trafikplan-for-valby-2026",
        committee_name="Teknik- og Miljøudvalget",
        draft=traffic_draft(),
    )
    hearing.save_revision().publish()
    return hearing


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_citizen_comments_on_two_sections_by_mouse_and_keyboard(page, check_a11y, sectioned_hearing):
    page.goto(sectioned_hearing.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Trafikplan for Valby 2026")
    expect(page.get_by_role("heading", name="3.2 Parkering")).to_be_visible()
    comment_21 = page.get_by_label("Din kommentar til afsnit 2.1 Cykelstier")
    comment_32 = page.get_by_label("Din kommentar til afsnit 3.2 Parkering")
    expect(comment_21).to_be_hidden()
    check_a11y(page)

    page.get_by_role("link", name="Kommentér afsnit 2.1").click()
    expect(comment_21).to_be_focused()
    comment_21.fill("Cykelstierne bør være mindst 2,5 meter brede.")

    # 3.2 by keyboard only: Tab to the button, Enter, type.
    page.get_by_role("heading", name="3.1 Hastighed").click()  # start tabbing from the section above
    tab_to(page, page.get_by_role("link", name="Kommentér afsnit 3.2"))
    page.keyboard.press("Enter")
    expect(comment_32).to_be_focused()
    page.keyboard.type("Behold 20 korttidspladser til butikkerne.")
    expect(comment_21).to_have_value("Cykelstierne bør være mindst 2,5 meter brede.")  # nothing lost

    page.get_by_label("Generelle bemærkninger til høringen").fill("Samlet set en god plan.")
    page.get_by_label("Navn", exact=True).fill("Amira Hassan")
    page.get_by_label("E-mail", exact=True).fill("amira@example.org")
    page.get_by_label("Postnummer").fill("2500")
    page.get_by_label("Jeg giver samtykke").check()
    check_a11y(page)
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    check_a11y(page)

    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+/hoeringer/svar/bekraeft/\S+/", confirmation.body).group(0)
    page.goto(path_of(link))
    page.get_by_role("button", name="Bekræft mit høringssvar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit høringssvar er modtaget")
    check_a11y(page)
    receipt = mail.outbox[1]
    assert "Afsnit 2.1 Cykelstier:" in receipt.body
    assert "Behold 20 korttidspladser" in receipt.body

    stored = Response.objects.get()
    assert [(c.number, c.heading) for c in stored.section_comments.order_by("number")] == [
        ("2.1", "Cykelstier"),
        ("3.2", "Parkering"),
    ]
    page.goto(sectioned_hearing.url)
    expect(page.locator("#afsnit-3-2")).not_to_contain_text("Behold 20 korttidspladser")  # not moderated yet

    stored.publish()
    page.goto(sectioned_hearing.url)
    expect(page.locator("#afsnit-2-1")).to_contain_text("Cykelstierne bør være mindst 2,5 meter brede.")
    expect(page.locator("#afsnit-2-1")).to_contain_text("Amira Hassan")
    expect(page.locator("#afsnit-3-2")).to_contain_text("Behold 20 korttidspladser til butikkerne.")
    expect(page.locator("#afsnit-1-1")).not_to_contain_text("Amira Hassan")
    expect(page.locator(f"#svar-{stored.pk}")).to_contain_text("Samlet set en god plan.")
    check_a11y(page)

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(sectioned_hearing.url)
    expect(page.get_by_role("link", name="Kommentér afsnit 3.2")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_a11y(page)


def test_without_javascript_the_link_opens_the_form_with_the_section(browser, live_server, sectioned_hearing):
    """The page the journey above checks with axe, with JavaScript off (axe itself needs JavaScript)."""
    context = browser.new_context(base_url=live_server.url, locale="da-DK", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(sectioned_hearing.url)
        page.get_by_role("link", name="Kommentér afsnit 3.2").click()
        page.wait_for_url(re.compile(r"\?afsnit=s-3-2"))
        field = page.get_by_label("Din kommentar til afsnit 3.2 Parkering")
        expect(field).to_be_visible()
        expect(page.get_by_label("Din kommentar til afsnit 2.1 Cykelstier")).to_be_hidden()
    finally:
        context.close()
