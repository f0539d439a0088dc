"""The voter's and the trustee's page scripts in Chromium under the strict CSP, with minimal markup.

The form posts are intercepted: what leaves the browser is checked by the Python side.
"""

import html
import json
import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from elections import protocol
from elections.protocol import trustees

from .test_browser import ORIGIN, STRICT_CSP, serve_static

pytestmark = pytest.mark.e2e
LIBRARIES = ["libsodium/libsodium-sumo.js", "libsodium/libsodium-wrappers.js", "elections/js/election-protocol.js"]


def page_with(browser, body, script, posts):
    """A page (strict CSP) with ``body`` and the protocol plus ``script``; form posts land in ``posts``."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    tags = "".join(f'<script src="/static/{path}"></script>' for path in [*LIBRARIES, script])
    head = f"<meta charset='utf-8'><title>Test</title>{tags}"
    document = f"<!doctype html><html lang='da'><head>{head}</head><body>{body}</body></html>"

    def handle(route):
        if route.request.method == "POST":
            posts.append(parse_qs(route.request.post_data))
            return route.fulfill(body="<!doctype html><title>Modtaget</title><p>ok</p>", content_type="text/html")
        return route.fulfill(
            body=document, content_type="text/html; charset=utf-8", headers={"Content-Security-Policy": STRICT_CSP}
        )

    page.route(f"{ORIGIN}/static/**", serve_static)
    page.route(f"{ORIGIN}/page", handle)
    page.goto(f"{ORIGIN}/page")
    return context, page


def data(element_id, value):
    return f'<script type="application/json" id="{element_id}">{html.escape(json.dumps(value), quote=False)}</script>'


def test_the_voter_audits_once_then_casts_and_only_the_encrypted_ballot_is_posted(browser, election_params):
    radios = "".join(
        f'<input type="radio" name="candidate" id="c{i}" value="{i}"><label for="c{i}">{c["name"]}</label>'
        for i, c in enumerate(election_params["candidates"])
    )
    body = (
        data("election", election_params)
        + '<form method="post" action="/page" data-ballot-form data-election="election"'
        ' data-text-audit-ok="Stemmesedlen indeholder: {candidate} ({tracker})"'
        ' data-text-audit-failed="Kontrollen fejlede:" data-text-choose="Vælg én kandidat.">'
        f'{radios}<input type="hidden" name="ballot"><button type="button" data-ballot-audit>Kontrollér</button>'
        '<button type="submit">Afgiv stemme</button>'
        '<div data-ballot-audit-result aria-live="polite" hidden></div></form>'
    )
    posts = []
    context, page = page_with(browser, body, "elections/js/election-ballot.js", posts)
    try:
        page.wait_for_function("window.MedborgerBallot !== undefined")
        page.get_by_role("button", name="Afgiv stemme").click()
        expect(page.locator("[data-ballot-audit-result]")).to_have_text("Vælg én kandidat.")
        page.get_by_label("Kandidat 3").check()
        page.get_by_role("button", name="Kontrollér").click()
        result = page.locator("[data-ballot-audit-result]")
        expect(result).to_have_text(re.compile(r"^Stemmesedlen indeholder: Kandidat 3 \("))
        audit_text = result.inner_text()  # holds the audited ballot's tracker
        page.get_by_role("button", name="Afgiv stemme").click()
        page.wait_for_url(f"{ORIGIN}/page")
        page.get_by_text("ok").wait_for()
    finally:
        context.close()
    (posted,) = posts
    assert set(posted) == {"ballot"}  # the readable choice is not sent
    ballot = json.loads(posted["ballot"][0])
    assert protocol.verify_ballot(election_params, ballot).ok
    # The cast ballot is a fresh encryption, not the audited one.
    assert protocol.tracker(ballot) not in audit_text


def test_a_trustee_generates_a_key_file_then_deals_from_it(browser, tmp_path):
    setup = trustees.new_setup("valg-ui", 2, 2)
    key_form = (
        data("inputs", {"setup": setup, "index": 1})
        + '<form method="post" action="/page" data-trustee-step="key" data-inputs="inputs"'
        ' data-text-downloaded="Nøglefilen er hentet. Gem den sikkert, og send så den offentlige nøgle.">'
        '<input type="hidden" name="message"><button type="submit">Lav nøgle</button>'
        '<p data-trustee-status aria-live="polite"></p></form>'
    )
    posts = []
    context, page = page_with(browser, key_form, "elections/js/election-trustee.js", posts)
    try:
        page.wait_for_function("window.MedborgerTrustee !== undefined")
        with page.expect_download() as download:
            page.get_by_role("button", name="Lav nøgle").click()
        key_path = tmp_path / download.value.suggested_filename
        download.value.save_as(key_path)
        page.get_by_text("Nøglefilen er hentet").wait_for()
        assert posts == []  # nothing sent before the trustee has the file
        page.get_by_role("button", name="Lav nøgle").click()
        page.get_by_text("ok").wait_for()
    finally:
        context.close()
    assert download.value.suggested_filename == "medborger-trustee-1.json"
    key_file = json.loads(key_path.read_text())
    message = json.loads(posts[0]["message"][0])
    assert set(posts[0]) == {"message"} and "secret" not in message
    assert trustees.check_key(setup, message, 1)
    assert message["public"] == key_file["public"]

    other_file, other_message = trustees.generate_key(setup, 2)
    keys = [message, other_message]
    deal_form = (
        data("inputs", {"setup": setup, "keys": keys})
        + '<form method="post" action="/page" data-trustee-step="dealing" data-inputs="inputs"'
        ' data-text-failed="Det lykkedes ikke:" data-text-no-file="Vælg din nøglefil.">'
        '<label for="key">Nøglefil</label><input type="file" id="key" data-key-file accept="application/json">'
        '<input type="hidden" name="message"><button type="submit">Send</button>'
        '<p data-trustee-status aria-live="polite"></p></form>'
    )
    posts.clear()
    context, page = page_with(browser, deal_form, "elections/js/election-trustee.js", posts)
    try:
        page.wait_for_function("window.MedborgerTrustee !== undefined")
        page.get_by_role("button", name="Send").click()
        page.get_by_text("Vælg din nøglefil.").wait_for()
        page.get_by_label("Nøglefil").set_input_files(str(key_path))
        page.get_by_role("button", name="Send").click()
        page.get_by_text("ok").wait_for()
    finally:
        context.close()
    (posted,) = posts
    assert set(posted) == {"message"}  # the key file itself is not uploaded
    dealing = json.loads(posted["message"][0])
    public_keys = trustees.check_keys(setup, keys)
    assert len(trustees.check_dealing(setup, public_keys, dealing, 1)) == 2
    # Trustee 2 (Python) opens its share from the browser's dealing.
    own = trustees.make_dealing(setup, other_file, keys)
    assert trustees.make_confirmation(setup, other_file, keys, [dealing, own])["index"] == 2
