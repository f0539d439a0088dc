"""A subscriber whose browser has lost this site's cookies (cookies cleared, a tab left open for days)
presses »Afmeld abonnementet«: the form arrives without its security token. They get the site's page
in their language saying nothing was received, follow »Gå tilbage til siden«, send again and are
unsubscribed. In Arabic the page is right to left, also at 375 px. axe finds nothing on any page."""

import pytest
from playwright.sync_api import expect

from consultations.models import Subscription

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_form_sent_without_cookies_is_explained_and_can_be_sent_again(page, check_a11y, notice_link):
    page.goto(notice_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Afmeld abonnement")
    page.context.clear_cookies()
    with page.expect_request(lambda request: request.method == "POST") as sent:
        page.get_by_role("button", name="Afmeld abonnementet").click()
    assert "cookie" not in sent.value.all_headers(), "the browser had a cookie again when it sent the form"

    expect(page.get_by_role("heading", level=1)).to_have_text("Formularen blev ikke sendt")
    expect(page.get_by_role("main")).to_contain_text("tillad cookies fra dette site")
    check_a11y(page)
    assert Subscription.objects.filter(email="lise@example.org").exists()

    page.get_by_role("link", name="Gå tilbage til siden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afmeld abonnement")
    page.get_by_role("button", name="Afmeld abonnementet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er afmeldt")
    assert not Subscription.objects.exists()


def test_in_arabic_on_a_phone_the_page_is_right_to_left(page, check_a11y, notice_link):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(notice_link + "?lang=ar")
    page.context.clear_cookies()
    with page.expect_request(lambda request: request.method == "POST") as sent:
        page.get_by_role("button", name="إلغاء الاشتراك").click()
    assert "cookie" not in sent.value.all_headers(), "the browser had a cookie again when it sent the form"

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("لم يتم إرسال النموذج")
    check_a11y(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px ({width} px wide)"
    assert Subscription.objects.filter(email="lise@example.org").exists()
