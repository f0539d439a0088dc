"""The site in the browser: language switch, standard page, search and 404 — axe on every page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_language_switch_keeps_the_page_and_english_is_accessible(page, home_page, check_a11y):
    page.goto("/om/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Om Medborger")
    check_a11y(page)

    page.get_by_role("banner").get_by_text("Sprog").first.click()  # the language picker opens
    page.get_by_role("button", name="English").first.click()
    page.wait_for_url("**/om/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Search")).to_be_visible()
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement")).to_be_visible()
    check_a11y(page)

    # Account pages follow the choice.
    header.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/konto/login/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    check_a11y(page)

    page.get_by_role("banner").get_by_text("Language").first.click()
    page.get_by_role("button", name="Dansk").first.click()
    page.wait_for_url("**/konto/login/**")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")


def test_search_and_not_found_pages(page, home_page, check_a11y):
    page.goto("/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Søg").click()
    page.wait_for_url("**/soeg/")
    check_a11y(page)
    page.get_by_label("Søg på sitet").fill("tilgængelig")
    page.get_by_role("main").get_by_role("button", name="Søg").click()
    page.wait_for_url("**/soeg/?q=*")
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Tilgængelighedserklæring").click()
    page.wait_for_url("**/tilgaengelighedserklaering/")
    expect(page.get_by_role("navigation", name="Brødkrumme").get_by_role("link", name="Forside")).to_be_visible()
    check_a11y(page)

    response = page.goto("/findes-ikke/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    check_a11y(page)


def test_skip_link_moves_focus_to_the_content(page, home_page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til sidens indhold")
    assert skip.evaluate("element => element === document.activeElement")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
