"""Issue 14, what must hold 4: the response form on a hearing page served from the page cache
submits, with JavaScript on and off; each visitor's page carries their own CSRF token."""

import re

import pytest
from playwright.sync_api import expect

from consultations.models import Response
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cached_hearing(home_page, settings):
    settings.PAGE_CACHE_ENABLED = True
    index = HearingIndexPageFactory(parent=home_page)
    return HearingFactory(parent=index, title="Legeplads i Valby", slug="legeplads-valby")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_form_on_a_cached_hearing_page_submits(browser, live_server, check_a11y, cached_hearing, javascript):
    # Someone else's visit puts the page in the cache.
    other = browser.new_context(base_url=live_server.url, locale="da-DK")
    assert other.new_page().goto(cached_hearing.url).headers["x-page-cache"] == "miss"
    other.close()

    context = browser.new_context(base_url=live_server.url, locale="da-DK", java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    page = context.new_page()
    served = page.goto(cached_hearing.url)
    assert served.headers["x-page-cache"] == "hit"
    expect(page.get_by_role("heading", level=1)).to_have_text("Legeplads i Valby")
    if javascript:
        check_a11y(page)

    page.get_by_label("Navn", exact=True).fill("Dina Dahl")
    page.get_by_label("E-mail", exact=True).fill("dina@example.org")
    page.get_by_label("Postnummer").fill("2500")
    page.get_by_label("Dit høringssvar").fill("Legepladsen skal have mere skygge.")
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()

    expect(page).to_have_url(re.compile(r"/hoeringer/svar/sendt/(#svar-formular)?$"))
    expect(page.get_by_role("main")).to_contain_text("bekræft")
    if javascript:
        check_a11y(page)
    assert Response.objects.filter(hearing=cached_hearing, name="Dina Dahl").count() == 1
    context.close()
