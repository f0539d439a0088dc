"""Quick poll on the home page (issue 11): a visitor votes without leaving the page and sees the
results in place; a reload still shows the results, not a second form; without JavaScript the same
poll works by posting and coming back (a vote without a choice gets a Danish message). axe on every
page with JavaScript, also at 375 px."""

import pytest
from playwright.sync_api import expect

from core.polls import QuickPollCount

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "Skal der være flere bænke i Valbyparken?"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def home(home_page):
    home_page.polls = [
        ("poll", {"question": QUESTION, "help_text": "", "options": ["Ja", "Nej", "Ved ikke"], "closed": False})
    ]
    home_page.save_revision().publish()
    return home_page


def poll_box(page):
    return page.locator("section.quick-poll").filter(has=page.get_by_role("heading", name=QUESTION))


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "375px"])
def test_vote_on_the_home_page_and_see_the_results_in_place(browser, live_server, check_a11y, home, viewport):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/")
        box = poll_box(page)
        expect(box.get_by_role("button", name="Stem")).to_be_visible()
        check_a11y(page)
        page.evaluate("window.__stillTheSamePage = true")
        # No choice: the message appears in the poll, nothing is counted.
        box.get_by_role("button", name="Stem").click()
        expect(poll_box(page).get_by_role("alert")).to_contain_text("Vælg et svar, før du stemmer.")
        check_a11y(page)
        poll_box(page).get_by_label("Ja").check()
        poll_box(page).get_by_role("button", name="Stem").click()
        results = poll_box(page).locator(".quick-poll-results")
        expect(results).to_contain_text("Tak for din stemme.")
        expect(results).to_be_focused()
        expect(results.get_by_role("row").filter(has_text="Ja")).to_contain_text("100,0 %")
        expect(results).to_contain_text("1 stemme i alt")
        assert page.evaluate("window.__stillTheSamePage") is True  # answered without leaving the page
        check_a11y(page)
        page.reload()
        expect(poll_box(page)).to_contain_text("Du har stemt. Sådan har alle stemt indtil nu:")
        expect(poll_box(page).get_by_role("button", name="Stem")).to_have_count(0)
        check_a11y(page)
    finally:
        context.close()
    assert sum(QuickPollCount.objects.values_list("votes", flat=True)) == 1


def test_vote_without_javascript(browser, live_server, home):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/")
        poll_box(page).get_by_role("button", name="Stem").click()
        # A page of its own with the poll, the message and the way back.
        expect(page.get_by_role("heading", level=1)).to_have_text("Afstemning")
        expect(page.get_by_role("alert")).to_contain_text("Vælg et svar, før du stemmer.")
        expect(page.get_by_role("link", name="Tilbage til »")).to_be_visible()
        poll_box(page).get_by_label("Nej").check()
        poll_box(page).get_by_role("button", name="Stem").click()
        page.wait_for_url("**/#poll-*")
        expect(poll_box(page)).to_contain_text("Du har stemt.")
        expect(poll_box(page).get_by_role("row").filter(has_text="Nej")).to_contain_text("100,0 %")
    finally:
        context.close()
    assert list(QuickPollCount.objects.values_list("votes", flat=True)) == [1]


def test_a_vote_sent_without_cookies_shows_the_explanation_not_an_empty_poll(page, check_a11y, home):
    """The page's script fetches the vote; when the browser has lost this site's cookies the answer is
    the page for a form without its security token, not a poll: the browser shows that page, as it
    would without JavaScript, instead of swapping the poll for nothing."""
    page.goto("/")
    poll_box(page).get_by_label("Nej").check()
    page.context.clear_cookies()
    poll_box(page).get_by_role("button", name="Stem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formularen blev ikke sendt")
    check_a11y(page)
    assert not QuickPollCount.objects.exists()
    page.get_by_role("link", name="Gå tilbage til siden").click()
    expect(poll_box(page).get_by_role("button", name="Stem")).to_be_visible()
