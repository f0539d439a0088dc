"""Shared fixtures: a site with a home page, users, and Chromium with axe for browser journeys."""

import contextlib
import datetime as dt
import os
import shutil
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation

from tests.oidc_provider.fixtures import mitid, oidc_provider  # noqa: F401  (the MitID broker for the tests)

pytest.register_assert_rewrite("tests.helpers")  # its assert helpers report the values they compared

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's options for every check: the WCAG 2.1 A/AA rules, and every node of every violation, but
# for the rules that pass (or need review, or do not apply) only their first node, which nothing
# reads. The same violations are found (a page with a missing alt and a missing label: the same
# ids and nodes either way); one run on the home page takes a quarter less (0.64 -> 0.48 s median).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

# The instant every test starts at: a Wednesday morning in Copenhagen. The clock ticks on from
# there, so a test takes its real time, but no test depends on the day it runs (a run that crosses
# Copenhagen midnight sees the same dates as any other). A test that needs another time travels
# on from this one (time_machine.move_to or time_machine.travel inside the test).
FIXED_NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))

# Tests whose other side runs on the real clock: Chromium, the live server's browser clients,
# every deployment test (tests/deploy: its gunicorn servers, task workers and nginx are other
# processes, which the frozen clock does not reach), and the MitID test broker (its ID tokens carry
# real issue times).
REAL_CLOCK_FIXTURES = {"live_server", "page", "browser", "oidc_provider", "mitid", "s3_server", "proxy"}


def _needs_real_clock(item):
    if item.get_closest_marker("e2e") or item.get_closest_marker("real_clock"):
        return True
    if "deploy" in item.path.parts:  # tests/deploy: app servers, workers and nginx in other processes
        return True
    return bool(REAL_CLOCK_FIXTURES.intersection(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def _fixed_clock(request):
    """Every test runs from FIXED_NOW unless it talks to something on the real clock (see above)."""
    if _needs_real_clock(request.node):
        yield None
        return
    with time_machine.travel(FIXED_NOW, tick=True) as traveller:
        yield traveller


BROWSER_FIXTURES = {"page", "browser"}


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is a browser journey (marker e2e), wherever it lives: CI runs
    them once, `-m "not e2e"` leaves them out."""
    for item in items:
        if "e2e" in item.path.parts or BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _static_files_scanned_once():
    """WhiteNoise reads every file under STATIC_ROOT when its middleware is made, and every Django
    test client makes the middleware anew: about 0.09 s of CPU per client for the ~800 collected
    files, once per test that uses ``client`` and once per ``Client()`` a test opens (35 in one
    voting test). The files do not change during a run (collected before it), so the scan is done
    once per process and each new middleware gets the same entries: the same files with the same
    headers as from its own scan. The key holds every setting WhiteNoise's scan depends on."""
    from whitenoise.base import WhiteNoise

    scan = WhiteNoise.update_files_dictionary
    scanned = {}

    def update_files_dictionary(self, root, prefix):
        key = (
            type(self),
            root,
            prefix,
            repr(sorted((name, getattr(settings, name)) for name in dir(settings) if name.startswith("WHITENOISE_"))),
            repr(settings.STORAGES.get("staticfiles")),  # whether a name is hashed (immutable)
            settings.STATIC_URL,
            settings.DEBUG,
            settings.FORCE_SCRIPT_NAME,
        )
        if key not in scanned:
            before = dict(self.files)
            scan(self, root, prefix)
            scanned[key] = {url: file for url, file in self.files.items() if before.get(url) is not file}
        self.files.update(scanned[key])

    WhiteNoise.update_files_dictionary = update_files_dictionary
    yield
    WhiteNoise.update_files_dictionary = scan


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (Danish). A request through the test client
    activates the visitor's language for the thread and Django leaves it active afterwards, so
    without this a test that asked for a page in Turkish made the next test on the same worker
    read Turkish messages (fresh-clone CI on 8d8251e: a Danish validation message came out in
    Turkish)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages live in the caches; every test starts with a clean slate."""
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


def _on_sqlite():
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def _on_postgresql():
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """Each process's test database starts as a copy of one migrated template (tests/dbtemplate.py)
    instead of migrating again: a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL."""
    from django.conf import settings

    from tests import dbtemplate

    if _on_sqlite():
        dbtemplate.copy_to(settings.DATABASES["default"]["TEST"]["NAME"])
    elif _on_postgresql() and not request.config.getvalue("create_db"):
        dbtemplate.pg_copy_to(settings.DATABASES["default"], reuse=bool(request.config.getvalue("reuse_db")))


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """Keep (use) the copied template: its migrations are applied already."""
    return bool(request.config.getvalue("reuse_db")) or _on_sqlite() or _on_postgresql()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The base site (home page, about page, accessibility statement, site settings) is built once
    per test database, i.e. once per xdist worker; each test's transaction is rolled back to it."""
    from django.conf import settings

    from home.demo import load_site

    with django_db_blocker.unblock(), time_machine.travel(FIXED_NOW, tick=True):
        load_site()
    yield
    if request.config.getvalue("reuse_db"):
        return
    from django.db import connections

    if _on_sqlite():
        connections["default"].close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(settings.DATABASES["default"]["TEST"]["NAME"] + suffix)
    elif _on_postgresql() and not request.config.getvalue("create_db"):
        from tests import dbtemplate

        connections.close_all()
        dbtemplate.pg_drop(settings.DATABASES["default"])


@pytest.fixture
def home_page(db):
    """The site's home page. Built once per database (django_db_setup); a transactional test
    flushes the database afterwards, so the next one that needs it builds it again."""
    from home.demo import load_site
    from home.models import HomePage

    return HomePage.objects.first() or load_site()


def create_user(email="borger@example.org", password="Kodeord-der-er-langt-42", verified=True, **extra):
    """A user with a (verified) primary email address; ``user_factory`` in a test."""
    from allauth.account.models import EmailAddress

    from users.models import User

    user = User.objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def create_mfa_user(email="sekretariat@kommune.example", **extra):
    """A user with TOTP set up, as (user, secret); ``mfa_user`` in a test."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = create_user(email=email, **extra)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def create_secretariat_member(council, email):
    """A user with two-factor authentication in ``council``'s secretariat; ``secretariat_member``."""
    from tests.councils.factories import join_secretariat

    user, _secret = create_mfa_user(email=email)
    return join_secretariat(user, council)


def create_roles(own_council, other_council, own_email, other_email):
    """The five roles of the permission tests; ``make_roles`` in a test (see there)."""
    from django.contrib.auth.models import AnonymousUser

    own = create_secretariat_member(own_council, own_email)
    other = create_secretariat_member(other_council, other_email)
    superuser, _ = create_mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    return {
        "anonymous": AnonymousUser(),
        "citizen": create_user(email="borger@example.org"),
        "own_secretariat": own,
        "other_secretariat": other,
        "superuser": superuser,
    }


@pytest.fixture
def user_factory(db):
    return create_user


@pytest.fixture
def mfa_user(user_factory):
    """A user with TOTP set up. Returns (user, secret) so a test can compute codes."""
    return create_mfa_user


@pytest.fixture
def secretariat_member(mfa_user):
    """``make(council, email)``: a user with two-factor authentication in ``council``'s secretariat,
    the group the councils app made with the council page (the one real secretariats are in)."""
    return create_secretariat_member


@pytest.fixture
def make_roles(user_factory, mfa_user, secretariat_member):
    """Builds the five roles of the permission tests, keyed anonymous, citizen, own_secretariat,
    other_secretariat and superuser: the own secretariat is ``own_council``'s, the other one
    ``other_council``'s (see secretariat_member); they and the superuser have two-factor
    authentication, so the admin lets them in."""
    return create_roles


@pytest.fixture
def staff_client(client, mfa_user, home_page):
    """A Django test client logged in as a superuser who has set up MFA, on a site with its pages: a
    transactional test flushes Wagtail's page tree, and the admin's dashboard cannot render without
    one (NoReverseMatch for the page count's link — the CI of stop 19 met it by test order)."""
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
        results = axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        if violations:
            lines = [f"axe found {len(violations)} violation(s) on {page.url}:"]
            for violation in violations:
                targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
                lines.append(f"- {violation['id']}: {violation['help']} [{targets}]")
            raise AxeViolations("\n".join(lines))
        return results

    return check
