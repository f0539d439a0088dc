"""Issue 15, what must hold 3 and 4 (MitID and avatars), in Chromium against the real test provider.

A citizen logs in with MitID (the broker sends no email: the citizen gives one and confirms it),
answers a hearing, and the secretariat sees the response as verified with MitID in moderation;
the public page does not show it. axe runs on every page of ours. Our pages load nothing from
another host: the only requests to a host other than the live server's are the citizen's own
navigations to the broker, and the admin makes none at all (no gravatar, no update check).
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from consultations.models import Response
from tests.consultations import secretariat
from tests.helpers import login_with_mfa
from tests.oidc_provider.fixtures import CALLBACK_PATH, CITIZEN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "karen@example.org"
TEXT = "Der mangler cykelstier ved Valby Skole. Kryds ved Gammel Køge Landevej er farligt."


class OutsideRequests:
    """Every request a browser context makes to a host other than the live server's."""

    def __init__(self, context, live_server_url):
        self.own_host = urlsplit(live_server_url).netloc
        self.seen = []
        context.on("request", self._record)

    def _record(self, request):
        if urlsplit(request.url).netloc != self.own_host:
            self.seen.append((request.resource_type, request.url, request.frame.url if request.frame else ""))


@pytest.fixture
def valby(home_page):
    council, group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    hearing = secretariat.hearing_under(
        council, title="Trafikplan for Valby", slug="trafikplan", publication_rule="while_open"
    )
    hearing.save_revision().publish()
    return council, group, hearing


@pytest.fixture
def broker(mitid, live_server):
    mitid.configure(redirect_uris=[f"http://testserver{CALLBACK_PATH}", f"{live_server.url}{CALLBACK_PATH}"])
    return mitid


def log_in_at_broker(page, broker):
    """The broker's dialogue (not ours: no axe there)."""
    page.wait_for_url(f"{broker.issuer}/login/**")
    page.get_by_label("Testbruger").fill(CITIZEN)
    page.get_by_role("button", name="Fortsæt").click()


def test_citizen_logs_in_with_mitid_answers_and_moderation_shows_verified(
    page, browser, live_server, check_a11y, broker, valby, mfa_user
):
    council, group, hearing = valby
    citizen_requests = OutsideRequests(page.context, live_server.url)

    # 1. The login page offers MitID.
    page.goto("/konto/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    expect(page.get_by_role("heading", name="Eller brug MitID")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Log ind med MitID").click()
    log_in_at_broker(page, broker)

    # 2. Back from the broker, a new citizen gives the email address receipts go to.
    page.wait_for_url("**/konto/3rdparty/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opret konto")
    expect(page.get_by_role("main")).to_contain_text("Du er logget ind med MitID.")
    check_a11y(page)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_role("main").get_by_role("button", name="Opret konto").click()
    page.wait_for_url("**/konto/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft din e-mailadresse")
    check_a11y(page)

    # 3. The emailed link confirms the address; then MitID again logs the citizen in.
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    check_a11y(page)
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_url("**/konto/login/**")
    check_a11y(page)
    page.get_by_role("button", name="Log ind med MitID").click()
    page.wait_for_url("**/min-side/")  # the broker remembers the citizen: straight back
    expect(page.locator("#mitid-status")).to_contain_text("Tilknyttet – sikringsniveau betydelig")
    check_a11y(page)

    # 4. The citizen answers the hearing; name and email come from the account.
    page.goto(hearing.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Trafikplan for Valby")
    check_a11y(page)
    expect(page.get_by_label("Navn", exact=True)).to_have_value("Karen Testesen")
    expect(page.get_by_label("E-mail", exact=True)).to_have_value(EMAIL)
    page.get_by_label("Postnummer").fill("2500")
    page.get_by_label("Dit høringssvar").fill(TEXT)
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    check_a11y(page)
    response = Response.objects.get()
    assert response.mitid_level == "substantial"

    # Our pages loaded nothing from another host: the citizen only went to the broker and back.
    assert citizen_requests.seen, "the journey went through the broker"
    assert {(kind, urlsplit(url).netloc) for kind, url, _frame in citizen_requests.seen} == {("document", broker.host)}

    # 5. The secretariat moderates: the response is verified with MitID, at level betydelig.
    secretary, secret = mfa_user(email="valby@kommune.example")
    secretariat.join(secretary, group)
    admin_context = browser.new_context(base_url=live_server.url, locale="da-DK")
    admin_context.set_default_timeout(15_000)
    admin_requests = OutsideRequests(admin_context, live_server.url)
    admin = admin_context.new_page()
    login_with_mfa(admin, "valby@kommune.example", "Kodeord-der-er-langt-42", secret)
    admin.wait_for_url(lambda url: "/konto/" not in url)
    admin.goto("/admin/")
    expect(admin.get_by_role("main")).to_be_visible()
    admin.goto("/admin/hoeringssvar/")
    row = admin.get_by_role("row").filter(has_text="Karen Testesen")
    expect(row).to_contain_text("betydelig")
    row.get_by_role("link", name="Karen Testesen").click()
    expect(admin.locator("#response-identity")).to_have_text("Verificeret med MitID (betydelig)")
    admin.get_by_role("button", name="Offentliggør svaret").click()
    expect(admin.locator("#response-status")).to_contain_text("Offentliggjort")
    assert admin_requests.seen == []
    admin_context.close()

    # 6. The public page shows the response as any other: no MitID, no level.
    page.context.clear_cookies()
    page.goto(hearing.url)
    responses = page.locator("#hoeringssvar")
    expect(responses).to_contain_text("Karen Testesen")
    expect(responses).to_contain_text("Der mangler cykelstier ved Valby Skole.")
    expect(page.get_by_role("main")).not_to_contain_text("MitID")
    expect(page.get_by_role("main")).not_to_contain_text("erificeret")
    check_a11y(page)
