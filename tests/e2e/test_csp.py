"""Issue 10, what must hold 3, in Chromium: the policy blocks what it promises to, the journeys'
shared check (tests/e2e/conftest.py) fails on it, and the Wagtail admin works within its allowances.
"""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.elections import factories as election_factories
from tests.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INJECTED = (
    '<script>document.title = "injiceret";</script>'
    '<p id="injected" style="color: red" onclick="document.title = \'klik\'">Injiceret</p>'
)


def wait_for_reports(page, guard, directives, tries=100):
    """The reports arrive from the browser a moment after the page loaded (not a time assertion:
    waits up to 5 s for them, then shows what came)."""
    for _ in range(tries):
        reported = "\n".join(guard.violations)
        if all(directive in reported for directive in directives):
            return reported
        page.wait_for_timeout(50)
    return "\n".join(guard.violations)


def test_an_inline_script_is_blocked_and_fails_the_journey(page, live_server, home_page, _page_guard):
    """The site's own home page with an inline script, a style attribute and an event handler
    slipped in (as a stored XSS would): none of them takes effect, and the shared check reports
    each of them, so a journey that met this would fail."""

    def inject(route):
        response = route.fetch()
        body = response.text().replace("</main>", f"{INJECTED}</main>")
        route.fulfill(response=response, body=body)

    page.route(f"{live_server.url}/", inject)
    page.goto("/")
    injected = page.locator("#injected")
    expect(injected).to_have_text("Injiceret")
    assert page.title() != "injiceret", "the inline script ran"
    injected.click()
    assert page.title() != "klik", "the event handler ran"
    assert injected.evaluate("element => getComputedStyle(element).color") != "rgb(255, 0, 0)"

    reported = wait_for_reports(page, _page_guard, ("script-src-elem", "script-src-attr", "style-src-attr"))
    assert "blocked inline" in reported, reported

    # A request to another host is caught as well (here a navigation: the policy does not stop
    # those; the check does).
    with pytest.raises(PlaywrightError, match="net::ERR_"):
        page.goto("http://medborger-outside.invalid/pixel.png")
    assert any("medborger-outside.invalid" in line for line in _page_guard.outside), _page_guard.outside

    problems = _page_guard.problems()
    assert "Content-Security-Policy violation(s)" in problems
    assert "request(s) to another host than the live server" in problems
    # Seen and shown: clear them, so this test (which caused them on purpose) passes.
    _page_guard.violations.clear()
    _page_guard.outside.clear()


def test_the_admin_works_within_its_allowances(page, live_server, home_page, mfa_user):
    """The screens the secretariat uses, as an administrator: the page editor (StreamField,
    inline panels, date widgets, choosers, the live preview), images, documents, users, the
    hearing and election screens. The shared check fails the test on any violation of the admin
    policy (settings: CONTENT_SECURITY_POLICY_ADMIN_REPLACE) or any request to another host."""
    council = election_factories.council(home_page)
    hearing = HearingFactory(parent=HearingIndexPageFactory(parent=home_page), title="Trafikplan for Valby")
    election = election_factories.election(council)
    user, secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    login_with_mfa(page, user.email, "Kodeord-der-er-langt-42", secret)
    page.wait_for_url(lambda url: "/konto/" not in url)

    screens = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{hearing.pk}/edit/",
        f"/admin/pages/add/consultations/hearingpage/{council.pk}/",
        f"/admin/pages/{election.pk}/edit/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/documents/multiple/add/",
        "/admin/users/",
        "/admin/account/",
        "/admin/hoeringssvar/",
        "/admin/hoeringer-sekretariat/",
        f"/admin/hoeringer-sekretariat/{hearing.pk}/",
        "/admin/valg/",
        f"/admin/valg/{election.pk}/",
        "/admin/reports/site-history/",
    ]
    for path in screens:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("main, #main").first).to_be_visible()
        page.wait_for_load_state("networkidle")

    # The editor's scripts at work: the side panel's live preview (an iframe of the admin).
    page.goto(f"/admin/pages/{hearing.pk}/edit/")
    page.get_by_role("button", name="Forhåndsvisning").or_(page.get_by_role("button", name="Preview")).first.click()
    expect(
        page.frame_locator("iframe[title]").first.get_by_role("heading", name="Trafikplan for Valby")
    ).to_be_visible()
