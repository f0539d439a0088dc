"""Every browser journey also checks the Content-Security-Policy and that no page reaches another host.

``_page_guard`` applies itself to every test here: each browser context a test opens (the ``page``
fixture's, and any a test makes itself with ``browser.new_context()`` or ``browser.new_page()``) is
watched, and the test fails when a page of it

* had anything blocked by the Content-Security-Policy, reported by Chromium either as a
  ``securitypolicyviolation`` event in the page or as a console message about the policy
  (the event is missed for a page that navigates away at once; the console message is not), or
* made a request to a host other than the live server's (the broker's own pages in the MitID
  journeys excepted: that is where the citizen is sent on purpose).

The pages get the policy the settings give (config/settings/base.py: the same for the test and the
production settings), so this runs every journey under production's policy.
"""

import contextlib
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.consultations.factories import HearingFactory, HearingIndexPageFactory, SubscriptionFactory

# Runs before the page's own scripts in every frame; a binding, not a global, so the report
# survives the page navigating on.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__medborgerCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : "",
    sample: event.sample,
    page: document.location.href,
  });
});
"""
_POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy")


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class PageGuard:
    """What every watched context's pages did that they must not."""

    def __init__(self, allowed_origins):
        self.allowed = set(allowed_origins)
        self.violations = []
        self.outside = []

    def watch(self, context):
        context.expose_binding("__medborgerCspViolation", self._violation)
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("request", self._request)
        context.on("console", self._console)
        return context

    def _violation(self, source, report):
        self.violations.append(
            f"{report['directive']} blocked {report['blocked'] or '(inline)'} on {report['page']}"
            f"{' at ' + report['source'] if report['source'] else ''}"
            f"{' (' + report['sample'] + ')' if report['sample'] else ''}"
        )

    def _console(self, message):
        if any(word in message.text for word in _POLICY_WORDS):
            self.violations.append(f"console on {message.page.url if message.page else '?'}: {message.text}")

    def _request(self, request):
        if urlsplit(request.url).scheme not in ("http", "https", "ws", "wss"):
            return  # data:, blob:, about: never leave the browser
        if _origin(request.url) not in self.allowed:
            frame_url = ""
            with contextlib.suppress(Exception):  # a service worker's request has no frame
                frame_url = request.frame.url
            self.outside.append(f"{request.resource_type} {request.url} (from {frame_url or 'no page'})")

    def problems(self):
        lines = []
        if self.violations:
            lines.append(f"{len(self.violations)} Content-Security-Policy violation(s):")
            lines += [f"- {line}" for line in dict.fromkeys(self.violations)]
        if self.outside:
            lines.append(f"{len(self.outside)} request(s) to another host than the live server:")
            lines += [f"- {line}" for line in dict.fromkeys(self.outside)]
        return "\n".join(lines)


@pytest.fixture(autouse=True)
def _page_guard(request, monkeypatch):
    """Watch every browser context of the test (see the module's docstring); fail on what it saw."""
    if "browser" not in request.fixturenames:
        yield None
        return
    browser = request.getfixturevalue("browser")
    live_server = request.getfixturevalue("live_server")
    allowed = {_origin(live_server.url)}
    if "oidc_provider" in request.fixturenames:
        allowed.add(_origin(request.getfixturevalue("oidc_provider").issuer))
    guard = PageGuard(allowed)
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        return guard.watch(new_context(*args, **kwargs))

    def watched_page(*args, **kwargs):
        return watched_context(*args, **kwargs).new_page()

    monkeypatch.setattr(browser, "new_context", watched_context)
    monkeypatch.setattr(browser, "new_page", watched_page)
    yield guard
    # The contexts are closed by now (fixtures set up after this one are torn down before it), so
    # every report a page sent has arrived.
    problems = guard.problems()
    if problems:
        pytest.fail(problems, pytrace=False)


@pytest.fixture
def notice_link(home_page, django_capture_on_commit_callbacks):
    """The path of the unsubscribe link in a new-hearing email to lise@example.org (a subscriber to
    Valby's hearings): the page a subscriber opens from their mailbox."""
    index = HearingIndexPageFactory(parent=home_page)
    SubscriptionFactory(email="lise@example.org", area="valby")
    with django_capture_on_commit_callbacks(execute=True):
        hearing = HearingFactory(parent=index, title="Ny trafikplan", area="valby", live=False)
        hearing.save_revision().publish()
    body = next(m.body for m in mail.outbox if m.to == ["lise@example.org"])
    url = re.search(r"https?://\S+/hoeringer/abonnement/afmeld/\S+/", body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]
