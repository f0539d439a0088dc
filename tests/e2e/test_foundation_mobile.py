"""The site header on a phone: the main menu sits in DKFDS's mobile drawer behind a "Menu" button,
with a close button (and Escape); language switch and login are reachable from the drawer.
axe on every page and with the drawer open."""

import pytest
from playwright.sync_api import expect

from tests.consultations.factories import HearingIndexPageFactory
from tests.councils import factories as council_factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
MENU_LINKS = ["Råd og udvalg", "Høringer", "Valg", "Søg"]


@pytest.fixture
def site_with_sections(home_page):
    council_factories.council_index(home_page)
    HearingIndexPageFactory(parent=home_page)
    return home_page


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def drawer(page):
    return page.get_by_role("dialog", name="Menu")


def test_phone_menu_opens_the_drawer_navigates_and_closes(phone, site_with_sections, check_a11y):
    page = phone
    page.goto("/")
    check_a11y(page)

    # The main menu is not shown until the user asks for it.
    for name in MENU_LINKS:
        expect(page.get_by_role("banner").get_by_role("link", name=name, exact=True)).not_to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Log ind")).not_to_be_visible()
    menu_button = page.get_by_role("banner").get_by_role("button", name="Menu")
    expect(menu_button).to_be_visible()

    # Open, close with the close button: focus goes back to the menu button.
    menu_button.click()
    expect_open(page)
    check_a11y(page)
    assert drawer(page).get_by_role("button", name="Luk menu").evaluate("el => el === document.activeElement")
    drawer(page).get_by_role("button", name="Luk menu").click()
    expect_closed(page)
    assert menu_button.evaluate("el => el === document.activeElement")

    # Open again and close with Escape.
    menu_button.click()
    expect_open(page)
    page.keyboard.press("Escape")
    expect_closed(page)

    # Open and follow a link.
    menu_button.click()
    expect_open(page)
    drawer(page).get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Høringer").click()
    page.wait_for_url("**/hoeringer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Høringer")
    check_a11y(page)

    # On the hearing index the drawer marks the current section.
    page.get_by_role("banner").get_by_role("button", name="Menu").click()
    expect_open(page)
    current = drawer(page).get_by_role("link", name="Høringer")
    assert current.get_attribute("aria-current") == "page"
    check_a11y(page)


def test_phone_drawer_has_language_switch_and_login(phone, site_with_sections, check_a11y, user_factory):
    page = phone
    user_factory(email="borger@example.org", password="Kodeord-der-er-langt-42")
    page.goto("/om/")
    check_a11y(page)

    page.get_by_role("button", name="Menu").click()
    expect_open(page)
    page.get_by_role("dialog", name="Menu").get_by_text("Sprog").click()
    page.get_by_role("dialog", name="Menu").get_by_role("button", name="English").click()
    page.wait_for_url("**/om/")
    assert page.locator("html").get_attribute("lang") == "en"
    check_a11y(page)

    page.get_by_role("banner").get_by_role("button", name="Menu").click()
    english_drawer = page.get_by_role("dialog", name="Menu")
    expect_open(page, ["Councils and committees", "Hearings", "Elections", "Search"], nav_name="Main menu")
    expect(english_drawer.get_by_role("button", name="Close menu")).to_be_visible()
    check_a11y(page)
    english_drawer.get_by_text("Language").click()
    english_drawer.get_by_role("button", name="Dansk").click()
    page.wait_for_url("**/om/")
    assert page.locator("html").get_attribute("lang") == "da"

    page.get_by_role("button", name="Menu").click()
    expect_open(page)
    drawer(page).get_by_role("link", name="Log ind").click()
    page.wait_for_url("**/konto/login/**")
    check_a11y(page)
    page.get_by_role("main").get_by_label("E-mail").fill("borger@example.org")
    page.get_by_role("main").get_by_label("Adgangskode").fill("Kodeord-der-er-langt-42")
    page.get_by_role("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)

    # Signed in: Min side and Log ud are in the drawer.
    page.get_by_role("button", name="Menu").click()
    expect_open(page)
    expect(drawer(page).get_by_role("link", name="Min side")).to_be_visible()
    check_a11y(page)
    drawer(page).get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("button", name="Log ud")).to_have_count(0)
    page.get_by_role("button", name="Menu").click()
    expect_open(page)
    expect(drawer(page).get_by_role("link", name="Log ind")).to_be_visible()


def test_desktop_shows_the_menu_without_a_menu_button(page, site_with_sections):
    page.goto("/")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    for name in MENU_LINKS:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).not_to_be_visible()
    expect(page.get_by_role("dialog", name="Menu")).not_to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Log ind")).to_be_visible()


def expect_open(page, links=MENU_LINKS, nav_name="Hovedmenu"):
    nav = page.get_by_role("dialog", name="Menu").get_by_role("navigation", name=nav_name)
    nav.wait_for(state="visible")
    for name in links:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()


def expect_closed(page):
    page.locator(".mobile-drawer").wait_for(state="hidden")
    for name in MENU_LINKS:
        expect(page.get_by_role("banner").get_by_role("link", name=name, exact=True)).not_to_be_visible()


def test_a_phone_without_javascript_shows_the_menu_language_and_login_in_the_header(
    browser, live_server, site_with_sections, check_a11y
):
    """Without JavaScript the drawer cannot open: the header itself shows the main menu, the language
    picker and the login, and no »Menu« button that would do nothing. (axe needs JavaScript: the same
    page is checked with it on first, where the drawer is what a phone shows.)"""
    scripted = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=PHONE)
    page = scripted.new_page()
    page.goto("/")
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    expect(page.locator("header .navigation-menu")).to_be_hidden()
    check_a11y(page)
    scripted.close()

    context = browser.new_context(base_url=live_server.url, locale="da-DK", java_script_enabled=False, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        menu = page.locator("header .navigation-menu").get_by_role("navigation", name="Hovedmenu")
        for name in MENU_LINKS:
            expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(page.locator("header .portal-actions").get_by_role("link", name="Log ind")).to_be_visible()

        # The language picker is a disclosure: it opens and sends without a script. In Arabic the
        # header is right to left and keeps the menu.
        page.locator("header .portal-actions").get_by_text("Sprog").click()
        page.locator("header .portal-actions").get_by_role("button", name="العربية").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        expect(page.get_by_role("button", name="القائمة")).to_be_hidden()

        menu = page.locator("header .navigation-menu").get_by_role("navigation", name="القائمة الرئيسية")
        menu.get_by_role("link", name="المشاورات العامة").click()
        page.wait_for_url("**/hoeringer/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    finally:
        context.close()
