"""libsodium and election-protocol.js load as plain static files in Chromium under a strict CSP.

The page allows scripts from the site only plus 'wasm-unsafe-eval' (libsodium compiles its
WebAssembly); no inline script. A ballot encrypted there verifies on the server side.
"""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from elections import protocol

from .conftest import one_hot

SCRIPTS = ["libsodium/libsodium-sumo.js", "libsodium/libsodium-wrappers.js", "elections/js/election-protocol.js"]
STRICT_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"


ORIGIN = "http://medborger.test"


def serve_static(route):
    """Serve /static/<path> as Django's staticfiles finders find it (no database, no server thread)."""
    path = route.request.url.removeprefix(f"{ORIGIN}/static/")
    found = finders.find(path)
    if not found:
        return route.fulfill(status=404, body="not found")
    return route.fulfill(body=Path(found).read_bytes(), content_type="text/javascript")


def open_page(browser, csp):
    context = browser.new_context()
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    tags = "".join(f'<script src="/static/{path}"></script>' for path in SCRIPTS)
    html = f"<!doctype html><html lang='da'><head><title>Krypto</title>{tags}</head><body></body></html>"
    page.route(f"{ORIGIN}/static/**", serve_static)
    page.route(
        f"{ORIGIN}/crypto-test",
        lambda route: route.fulfill(body=html, content_type="text/html", headers={"Content-Security-Policy": csp}),
    )
    page.goto(f"{ORIGIN}/crypto-test")
    return context, page, violations


@pytest.mark.e2e
def test_a_ballot_encrypted_in_chromium_under_the_strict_csp_verifies_on_the_server(browser, election_params):
    context, page, violations = open_page(browser, STRICT_CSP)
    try:
        answer = page.evaluate(
            """async ([params, choices]) => {
                const protocol = await MedborgerElection.ready();
                return protocol.encryptBallot(params, choices);
            }""",
            [election_params, one_hot(6, 5)],
        )
    finally:
        context.close()
    assert violations == []
    verdict = protocol.verify_ballot(election_params, answer["ballot"])
    assert verdict.ok, verdict.reason
    assert protocol.audit_ballot(election_params, answer["ballot"], answer["randomness"]) == one_hot(6, 5)
    assert json.loads(protocol.canonical_json(answer["ballot"])) == answer["ballot"]
