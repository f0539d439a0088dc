"""Issue 10: a subscriber follows the unsubscribe link from a new-hearing email. The page asks
first (a link scanner's GET unsubscribes nobody); the button unsubscribes; in Arabic the page is
right to left. axe finds nothing on either page."""

import pytest
from playwright.sync_api import expect

from consultations.models import Subscription

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_subscriber_confirms_before_being_unsubscribed(page, check_a11y, notice_link):
    page.goto(notice_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Afmeld abonnement")
    expect(page.get_by_role("main")).to_contain_text("Område: Valby")
    check_a11y(page)
    assert Subscription.objects.filter(email="lise@example.org").exists()
    page.get_by_role("link", name="Behold abonnementet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit abonnement")
    check_a11y(page)
    assert Subscription.objects.filter(email="lise@example.org").exists()
    page.goto(notice_link)
    page.get_by_role("button", name="Afmeld abonnementet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er afmeldt")
    check_a11y(page)
    assert not Subscription.objects.exists()


def test_the_confirm_page_in_arabic_is_right_to_left(page, check_a11y, notice_link):
    page.goto(notice_link + "?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("إلغاء الاشتراك")
    check_a11y(page)
    page.get_by_role("button", name="إلغاء الاشتراك").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تم إلغاء اشتراكك")
    check_a11y(page)
    assert not Subscription.objects.exists()
