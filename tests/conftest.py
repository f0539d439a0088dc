"""Shared fixtures: a site with a home page, users, and Chromium with axe for browser journeys."""

import os
import shutil

import pytest
from django.core.cache import cache, caches

from tests.oidc_provider.fixtures import mitid, oidc_provider  # noqa: F401  (the MitID broker for the tests)

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages live in the caches; every test starts with a clean slate."""
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


@pytest.fixture
def home_page(db):
    from home.demo import load_site

    return load_site()


@pytest.fixture
def user_factory(db):
    from allauth.account.models import EmailAddress

    from users.models import User

    def make(email="borger@example.org", password="Kodeord-der-er-langt-42", verified=True, **extra):
        user = User.objects.create_user(email=email, password=password, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def mfa_user(user_factory):
    """A user with TOTP set up. Returns (user, secret) so a test can compute codes."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def make(email="sekretariat@kommune.example", **extra):
        user = user_factory(email=email, **extra)
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return user, secret

    return make


@pytest.fixture
def make_roles(user_factory, mfa_user):
    """Builds the five roles of the permission tests, keyed anonymous, citizen, own_secretariat,
    other_secretariat and superuser. ``join(user, council)`` puts a user in a council's secretariat;
    secretariat users and the superuser have MFA so they may use the admin."""
    from django.contrib.auth.models import AnonymousUser

    def make(own_council, other_council, join, own_email, other_email):
        own, _ = mfa_user(email=own_email)
        other, _ = mfa_user(email=other_email)
        join(own, own_council)
        join(other, other_council)
        superuser, _ = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
        return {
            "anonymous": AnonymousUser(),
            "citizen": user_factory(email="borger@example.org"),
            "own_secretariat": own,
            "other_secretariat": other,
            "superuser": superuser,
        }

    return make


@pytest.fixture
def staff_client(client, mfa_user):
    """A Django test client logged in as a superuser who has set up MFA."""
    user, _secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


# --- Browser journeys -------------------------------------------------------------------


def _chromium_path():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeError("Debian's 'chromium' package is needed for the browser tests: make test installs it.")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium_path(),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


class AxeViolations(AssertionError):
    pass


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_a11y(axe):
    """Run axe (WCAG 2.1 A/AA) on the current page and fail with a readable list of violations."""

    def check(page):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        if violations:
            lines = [f"axe found {len(violations)} violation(s) on {page.url}:"]
            for violation in violations:
                targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
                lines.append(f"- {violation['id']}: {violation['help']} [{targets}]")
            raise AxeViolations("\n".join(lines))
        return results

    return check
