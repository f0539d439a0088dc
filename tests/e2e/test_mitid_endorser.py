"""Issue 15, what must hold 3 (second bullet), in Chromium against the real test provider: an endorser
confirms a nomination by logging in with MitID instead of typing the poll card's code.

The endorser is new to the platform: the endorse page → »Log ind med MitID« → the broker → the
email form → the emailed link → the login page → MitID again → back on the endorse page →
»Bekræft med MitID«. Trying again is refused in Danish. axe runs on every page of ours; the only
requests to another host are the endorser's own navigations to the broker.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from elections import crypto
from elections.models import Candidate, Endorsement
from tests.e2e.test_mitid_citizen import OutsideRequests, broker, log_in_at_broker  # noqa: F401  (broker: a fixture)
from tests.elections import factories
from tests.oidc_provider.fixtures import CITIZEN_NUMBER

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nomination(home_page):
    council = factories.council(home_page)
    election, numbers = factories.nominating(council)
    factories.VoterFactory(
        election=election,
        card_number=7,
        name="Karen Testesen",
        polling_place=election.polling_places.first(),
        voter_key=crypto.voter_key(CITIZEN_NUMBER),
    )
    return factories.candidate(election, "Samira Haddad", status=Candidate.Status.PENDING, number=numbers[0])


def test_endorser_confirms_a_nomination_with_mitid(page, live_server, check_a11y, broker, nomination):  # noqa: F811
    candidate = nomination
    endorse_path = candidate.get_endorse_url()
    requests = OutsideRequests(page.context, live_server.url)

    # 1. The link the candidate passed on: the poll-card form, and MitID beside it.
    page.goto(endorse_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft, at du er stiller")
    expect(page.get_by_role("heading", name="Eller brug MitID")).to_be_visible()
    expect(page.get_by_label("Kode fra dit valgkort")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Log ind med MitID").click()
    log_in_at_broker(page, broker)

    # 2. New to the platform: the email address for receipts, confirmed by the emailed link.
    page.wait_for_url("**/konto/3rdparty/signup/")
    check_a11y(page)
    page.get_by_label("E-mail").fill("karen@example.org")
    page.get_by_role("main").get_by_role("button", name="Opret konto").click()
    page.wait_for_url("**/konto/confirm-email/")
    check_a11y(page)
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    check_a11y(page)
    page.get_by_role("button", name="Bekræft").click()

    # 3. The login page leads on to the endorse page: MitID again, and the broker sends the endorser back.
    page.wait_for_url(re.compile(r"/konto/login/\?next="))
    check_a11y(page)
    page.get_by_role("button", name="Log ind med MitID").click()
    page.wait_for_url(f"**{endorse_path}")
    expect(page.locator("#mitid-confirm")).to_contain_text("Du er logget ind med MitID. Samira Haddad har anmeldt sig")
    check_a11y(page)
    assert not Endorsement.objects.exists()

    # 4. The endorser confirms: the roll entry found by the keyed hash of the broker's personal number.
    page.get_by_role("button", name="Bekræft med MitID").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak – du er nu stiller for Samira Haddad")
    check_a11y(page)
    assert list(Endorsement.objects.values_list("candidate", "voter_key")) == [
        (candidate.pk, crypto.voter_key(CITIZEN_NUMBER))
    ]

    # 5. Back on the page, the used login cannot confirm again; a fresh one is refused as already endorser.
    page.goto(endorse_path)
    expect(page.locator("#mitid-stale")).to_contain_text("Log ind med MitID igen.")
    check_a11y(page)
    page.get_by_role("button", name="Log ind med MitID").click()
    page.wait_for_url(f"**{endorse_path}")
    page.get_by_role("button", name="Bekræft med MitID").click()
    expect(page.locator("#mitid-errors")).to_contain_text("Du er allerede stiller for en kandidat ved dette valg.")
    check_a11y(page)
    assert Endorsement.objects.count() == 1

    # Our pages loaded nothing from another host: the endorser only went to the broker and back.
    assert requests.seen, "the journey went through the broker"
    assert {(kind, urlsplit(url).netloc) for kind, url, _frame in requests.seen} == {("document", broker.host)}
