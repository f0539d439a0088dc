"""The site in the browser: language switch, standard page, search and 404 — axe on every page."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_language_switch_keeps_the_page_and_english_is_accessible(page, home_page, check_a11y):
    page.goto("/om/")
    assert page.get_by_role("heading", level=1).inner_text() == "Om Medborger"
    check_a11y(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/om/")
    assert page.locator("html").get_attribute("lang") == "en"
    header = page.get_by_role("banner")
    assert header.get_by_role("link", name="Sign in").is_visible()
    assert page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Search").is_visible()
    assert page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").is_visible()
    check_a11y(page)

    # Account pages follow the choice.
    header.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/konto/login/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign In"
    check_a11y(page)

    page.get_by_role("button", name="Dansk").click()
    page.wait_for_url("**/konto/login/**")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("heading", level=1).inner_text() == "Log ind"


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
    assert page.get_by_role("navigation", name="Brødkrumme").get_by_role("link", name="Forside").is_visible()
    check_a11y(page)

    response = page.goto("/findes-ikke/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Siden findes ikke"
    check_a11y(page)


def test_skip_link_moves_focus_to_the_content(page, home_page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til sidens indhold")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
