"""A voter at a library where someone has been guessing poll-card codes: the voter is told to wait
a few seconds (not refused, not locked out), the form keeps what they typed, and after waiting as
told they reach the ballot. In Arabic on a 375 px phone the message is in Arabic, right to left.
axe finds nothing on any page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from elections import crypto
from elections.models import PollCardFailure
from tests.elections import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guessed_at(home_page, settings):
    """An open election and a poll card; the browser's address (the live server sees 127.0.0.1)
    has just had its free refusals used up by someone else's wrong codes."""
    settings.LOGIN_DELAY_FIRST_SECONDS = 3
    council = factories.council(home_page)
    election = factories.election(council, seats=1, substitutes=1)
    voters = factories.add_voters(election, 2)
    factories.candidate(election, "Anna Ahmadi")
    factories.candidate(election, "Bo Berg")
    election = factories.open_for_voting(election)
    code = voters[0][1].issue_poll_card()
    PollCardFailure.objects.bulk_create(
        PollCardFailure(election=election, client_key=crypto.ip_key("127.0.0.1"))
        for _ in range(settings.LOGIN_FAILURES_FREE)
    )
    return election, code


def test_a_voter_told_to_wait_waits_and_gets_in(page, check_a11y, guessed_at):
    election, code = guessed_at
    page.goto(reverse("elections:vote", args=[election.pk]))
    page.get_by_label("Kode fra dit valgkort").fill(code)
    page.get_by_label("Din fødselsdato").fill("17-05-1980")
    page.get_by_role("button", name="Fortsæt til stemmesedlen").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Der har været mange forkerte forsøg fra dit netværk. Vent")
    expect(page.get_by_label("Kode fra dit valgkort")).to_have_value(code)
    expect(page.get_by_label("Din fødselsdato")).to_have_value("17-05-1980")
    check_a11y(page)
    seconds = int(summary.inner_text().split("Vent ")[1].split(" ")[0])
    page.wait_for_timeout(seconds * 1000)  # the voter waits as told
    page.get_by_role("button", name="Fortsæt til stemmesedlen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stemmeseddel")
    check_a11y(page)


def test_in_arabic_on_a_phone_the_wait_is_explained_right_to_left(page, check_a11y, guessed_at):
    election, code = guessed_at
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(reverse("elections:vote", args=[election.pk]) + "?lang=ar")
    page.get_by_label("الرمز الموجود على بطاقة التصويت").fill(code)
    page.locator("[name=birth_date]").fill("17-05-1980")
    page.get_by_role("button", name="المتابعة إلى ورقة الاقتراع").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".error-summary")).to_contain_text("كانت هناك محاولات خاطئة كثيرة من شبكتك")
    check_a11y(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px ({width} px wide)"
