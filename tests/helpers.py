"""Small helpers shared by tests."""

import time


def totp_code(secret, offset=0):
    """The TOTP code an authenticator app shows now (offset in 30-second steps)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // 30 + offset
    return format_hotp_value(hotp_value(secret, counter))


def login_with_mfa(page, email, password, secret):
    """Log in through the real allauth pages in a Playwright page, answering the TOTP step."""
    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind", exact=True).click()  # not "Log ind med MitID"
    page.get_by_label("Kode").fill(totp_code(secret))
    page.get_by_role("button", name="Log ind", exact=True).click()
