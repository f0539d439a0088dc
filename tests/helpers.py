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


def assert_refused_by_the_admin(response, role, url):
    """The admin refuses a role the one way the app promises for it:

    - anonymous: sent to the login page, coming back to ``url`` afterwards;
    - citizen (signed in, no two-factor authentication): sent to set up two-factor authentication
      (the admin asks nothing else of someone without it);
    - other_secretariat (may use the admin, not this council's pages): 404, as if the thing did not
      exist, so nothing tells them what another council has.
    """
    from urllib.parse import quote

    if role == "anonymous":
        assert (response.status_code, response.get("Location")) == (302, f"/konto/login/?next={quote(url, safe='/')}")
    elif role == "citizen":
        assert (response.status_code, response.get("Location")) == (302, "/konto/2fa/totp/activate/?next=/admin/")
    elif role == "other_secretariat":
        assert response.status_code == 404, (response.status_code, response.get("Location"))
    else:
        raise AssertionError(f"{role} is not refused by the admin")


def tab_to(page, target, backwards=False, limit=60):
    """Press Tab (or Shift+Tab) until the Playwright locator ``target`` has the focus, as a keyboard
    user would; fails if it never does."""
    from playwright.sync_api import expect

    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    expect(target).to_be_focused()


def csp_directives(header):
    """A Content-Security-Policy header as {directive: sources}, whatever order it lists them in."""
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip())


def settled(page):
    """Wait until the page's CSS transitions are over (the admin fades its messages in: axe would measure
    the contrast of a message half-way)."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')"
    )
    return page
