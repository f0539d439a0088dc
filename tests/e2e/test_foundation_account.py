"""A visitor creates an account, verifies the email, logs in, sets up TOTP and logs out.

axe (WCAG 2.1 A/AA) runs on every page the journey visits.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.helpers import login_with_mfa, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "ny.borger@example.org"
PASSWORD = "Lang-og-sikker-adgangskode-2026"


def verification_path(message):
    match = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_verify_login_totp_logout(page, home_page, check_a11y):
    from users.models import User

    page.goto("/")
    check_a11y(page)

    page.get_by_role("link", name="Log ind").click()
    page.wait_for_url("**/konto/login/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    check_a11y(page)

    page.get_by_role("main").get_by_role("link", name="opret dig").click()
    page.wait_for_url("**/konto/signup/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opret konto")
    check_a11y(page)

    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    page.get_by_label("Adgangskode (igen)").fill(PASSWORD)
    page.get_by_role("button", name="Opret konto").click()
    page.wait_for_url("**/konto/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bekræft din e-mailadresse")
    check_a11y(page)

    # The verification email, in Danish, with a link back to the site.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "[Medborger] Bekræft venligst din e-mailadresse"
    assert "Hej fra Medborger!" in message.body
    assert not User.objects.get(email=EMAIL).has_verified_email

    page.goto(verification_path(message))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bekræft e-mailadresse")
    check_a11y(page)
    page.get_by_role("button", name="Bekræft").click()
    assert User.objects.get(email=EMAIL).has_verified_email

    # Confirming ends on the login page (no automatic login from an emailed link).
    page.wait_for_url("**/konto/login/**")
    check_a11y(page)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log ind").click()

    page.wait_for_url("**/min-side/")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min side")
    expect(main).to_contain_text(EMAIL)
    expect(main).to_contain_text("Ikke slået til")
    check_a11y(page)

    main.get_by_role("link", name="Tofaktorgodkendelse").click()
    page.wait_for_url("**/konto/2fa/")
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Aktivér").click()
    # Changing the account's security asks for the password again (allauth's reauthentication).
    page.wait_for_url("**/konto/reauthenticate/**")
    check_a11y(page)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Bekræft").click()
    page.wait_for_url("**/konto/2fa/totp/activate/")
    check_a11y(page)

    # A wrong code is refused with an error summary, then the right one is accepted.
    page.get_by_label("Kode fra godkendelsesappen").fill("000000")
    page.get_by_role("button", name="Aktivér").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_a11y(page)
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    page.get_by_label("Kode fra godkendelsesappen").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivér").click()
    page.wait_for_url(re.compile(r".*/konto/2fa/(recovery-codes/)?$"))
    check_a11y(page)
    assert User.objects.get(email=EMAIL).has_mfa

    page.goto("/min-side/")
    expect(page.get_by_role("main")).to_contain_text("Slået til")
    check_a11y(page)

    page.goto("/konto/logout/")
    check_a11y(page)
    page.get_by_role("main").get_by_role("button", name="Log ud").click()
    page.wait_for_url(re.compile(r".*/$"))
    check_a11y(page)
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()
    page.goto("/min-side/")
    page.wait_for_url("**/konto/login/**")


def test_login_with_mfa_asks_for_the_code(page, home_page, mfa_user, check_a11y):
    user, secret = mfa_user(email="to.faktorer@example.org")
    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill("Kodeord-der-er-langt-42")
    page.get_by_role("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/konto/2fa/authenticate/")
    expect(page.get_by_label("Kode", exact=True)).to_be_visible()
    check_a11y(page)
    page.context.clear_cookies()  # a fresh session, as if the browser were closed

    login_with_mfa(page, user.email, "Kodeord-der-er-langt-42", secret)
    page.wait_for_url("**/min-side/")
    expect(page.get_by_role("main")).to_contain_text(user.email)
    expect(page.get_by_role("main")).to_contain_text("Slået til")


def test_account_management_pages_with_errors_are_accessible(page, home_page, user_factory, check_a11y):
    user_factory(email="anna@example.org", password=PASSWORD)
    page.goto("/konto/password/reset/")
    page.get_by_role("main").get_by_role("button", name="Nulstil min adgangskode").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_a11y(page)

    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill("anna@example.org")
    page.get_by_label("Adgangskode").fill("forkert-kode-99")
    page.get_by_role("main").get_by_role("button", name="Log ind").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("anna@example.org")
    check_a11y(page)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/min-side/")

    page.get_by_role("main").get_by_role("link", name="Skift e-mail").click()
    page.wait_for_url("**/konto/email/")
    check_a11y(page)
    page.get_by_label("E-mail", exact=True).fill("anna@@example")
    page.get_by_role("button", name="Tilføj e-mail").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("E-mail", exact=True)).to_have_value("anna@@example")
    check_a11y(page)

    page.goto("/min-side/")
    page.get_by_role("main").get_by_role("link", name="Skift adgangskode").click()
    page.wait_for_url("**/konto/password/change/")
    check_a11y(page)
    page.get_by_role("main").get_by_role("button", name="Skift adgangskode").click()
    expect(page.locator(".error-summary")).to_be_visible()
    # The summary's links move focus to the field with the problem.
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_oldpassword"
    check_a11y(page)
