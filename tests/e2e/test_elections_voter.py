"""Must hold 1 – the voter's journey with an encrypted ballot: poll-card code + birth date → ballot →
(once) audit an encrypted ballot and see it holds the choice → a fresh ballot is cast → receipt with
tracker and board head; a second attempt is refused; after publication the tracker is found. The same
journey by keyboard alone on a 375 px phone. axe on every page the journey visits."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from elections import protocol
from elections.models import Ballot, ElectionPage, Voter
from tests.elections import factories
from tests.helpers import tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


def _open_election(home_page):
    council = factories.council(home_page)
    election = factories.election(council, seats=1, substitutes=1)
    voters = factories.add_voters(election, 4)
    factories.candidate(election, "Anna Ahmadi")
    factories.candidate(election, "Bo Berg")
    return factories.open_for_voting(election), [v for _n, v in voters]


def _posts(page):
    """Every form field the browser posts to the cast URL (to check that no readable choice leaves it)."""
    sent = []
    page.on("request", lambda r: sent.append(r.post_data or "") if r.method == "POST" and "/afgiv/" in r.url else None)
    return sent


def test_voter_audits_once_then_casts_a_fresh_encrypted_ballot_and_finds_the_tracker(page, home_page, check_a11y):
    election, voters = _open_election(home_page)
    voter = voters[0]
    code = voter.issue_poll_card()
    sent = _posts(page)

    page.goto(election.url)
    check_a11y(page)
    page.get_by_role("link", name="Stem online").click()
    check_a11y(page)

    # A wrong birth date gets the one message for every failure, and the form keeps the code.
    page.get_by_label("Kode fra dit valgkort").fill(code)
    page.get_by_label("Din fødselsdato").fill("18-05-1980")
    page.get_by_role("button", name="Fortsæt til stemmesedlen").click()
    expect(page.locator(".error-summary")).to_contain_text("Koden eller fødselsdatoen er ikke rigtig")
    expect(page.get_by_label("Kode fra dit valgkort")).to_have_value(code)
    check_a11y(page)

    page.get_by_label("Din fødselsdato").fill("17-05-1980")
    page.get_by_role("button", name="Fortsæt til stemmesedlen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stemmeseddel")
    check_a11y(page)

    # Casting with nothing chosen: a clear message, nothing sent.
    page.get_by_role("button", name="Afgiv stemme").click()
    result = page.locator("[data-ballot-audit-result]")
    expect(result).to_have_text("Vælg den kandidat, du vil stemme på.")
    assert not sent

    # The optional audit: the browser encrypts, reveals the randomness and shows what the ballot holds.
    page.get_by_label("Bo Berg").check()
    page.get_by_text("Vil du kontrollere krypteringen først?").click()
    page.get_by_role("button", name="Kontrollér krypteringen").click()
    expect(result).to_contain_text("indeholdt en stemme på Bo Berg")
    audited_tracker = result.inner_text().split("kontrolkode ")[1][:11]
    check_a11y(page)
    assert not sent and Ballot.objects.count() == 0, "an audited ballot is never sent"

    page.get_by_role("button", name="Afgiv stemme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din stemme")
    check_a11y(page)
    tracker = page.locator(".tracker").inner_text()
    stored = Ballot.objects.get()
    assert stored.tracker == tracker and tracker != audited_tracker, "the cast ballot is a fresh encryption"
    expect(page.locator(".receipt-head")).to_have_text(stored.chain)
    expect(page.locator("#main-content")).not_to_contain_text("Bo Berg")
    assert Voter.objects.get(pk=voter.pk).voted_channel == "online"
    # Only the encrypted ballot left the browser: no candidate field in the post.
    (posted,) = sent
    assert "candidate=" not in posted and "ballot=" in posted

    # A second attempt is refused and stores nothing.
    page.goto(f"/valg/{election.pk}/stem/")
    page.get_by_label("Kode fra dit valgkort").fill(code)
    page.get_by_label("Din fødselsdato").fill("17-05-1980")
    page.get_by_role("button", name="Fortsæt til stemmesedlen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har allerede stemt")
    check_a11y(page)
    assert Ballot.objects.count() == 1

    # During voting the head is public, the trackers are not; after publication the voter finds theirs.
    page.goto(f"/valg/{election.pk}/kontrol/")
    check_a11y(page)
    expect(page.locator(".chain-head")).to_have_text(stored.chain)
    expect(page.locator("#main-content")).not_to_contain_text(tracker)
    election = factories.close_and_count(ElectionPage.objects.get(pk=election.pk), publish=True)
    page.goto(f"/valg/{election.pk}/kontrol/")
    check_a11y(page)
    expect(page.locator(".tracker-list")).to_contain_text(tracker)
    expect(page.locator(".fingerprint")).to_have_text(election.roll_fingerprint)
    page.get_by_label("Find din kontrolkode").fill(tracker)
    page.get_by_role("button", name="Søg").click()
    expect(page.locator("[role=status]")).to_contain_text("er med i optællingen")
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent opslagstavlen (JSON)").click()
    board = json.loads(Path(download.value.path()).read_bytes())
    names = [c["name"] for c in board["election"]["candidates"]]
    assert protocol.verify_board(board, jobs=1).result["votes"][names.index("Bo Berg")] == 1
    page.goto(f"/valg/{election.pk}/resultat/")
    check_a11y(page)
    expect(page.locator("ol.elected")).to_contain_text("Bo Berg")
    page.goto("/valg/")
    check_a11y(page)

    # After close, the vote page refuses clearly.
    page.goto(f"/valg/{election.pk}/stem/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Afstemningen er ikke åben")
    check_a11y(page)


def test_the_same_journey_by_keyboard_alone_on_a_phone(page, home_page, check_a11y):
    election, voters = _open_election(home_page)
    code = voters[1].issue_poll_card()
    page.set_viewport_size(PHONE)
    page.goto(f"/valg/{election.pk}/stem/")
    check_a11y(page)
    page.get_by_label("Kode fra dit valgkort").focus()
    page.keyboard.type(code)
    tab_to(page, page.get_by_label("Din fødselsdato"))
    page.keyboard.type("17-05-1980")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stemmeseddel")
    check_a11y(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    # Radios: Tab into the group, arrow to the second candidate (Bo Berg), audit, then cast – keys only.
    tab_to(page, page.get_by_label("Anna Ahmadi"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Bo Berg")).to_be_checked()
    tab_to(page, page.get_by_role("main").locator("summary"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Kontrollér krypteringen"))
    page.keyboard.press("Enter")
    expect(page.locator("[data-ballot-audit-result]")).to_contain_text("Bo Berg")
    check_a11y(page)
    tab_to(page, page.get_by_role("button", name="Afgiv stemme"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din stemme")
    check_a11y(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.locator(".tracker")).to_have_text(Ballot.objects.get().tracker)


def test_candidate_nomination_form_is_accessible(page, home_page, check_a11y):
    council = factories.council(home_page)
    now = timezone.now()
    election = factories.election(
        council,
        endorsers_required=1,
        nominations_open_at=now - datetime.timedelta(days=1),
        nominations_close_at=now + datetime.timedelta(days=3),
        voting_opens_at=now + datetime.timedelta(days=4),
        voting_closes_at=now + datetime.timedelta(days=9),
    )
    (own, _v), (_endorser, endorser_voter) = factories.add_voters(election, 2)
    endorser_code = endorser_voter.issue_poll_card()
    page.goto(election.url)
    check_a11y(page)
    page.get_by_role("link", name="Anmeld dig som kandidat").click()
    check_a11y(page)
    page.get_by_label("Dit navn").fill("Samira Haddad")
    page.get_by_label("Dit personnummer").fill("111111-1111")
    page.get_by_role("button", name="Send anmeldelse").click()
    expect(page.locator(".error-summary")).to_contain_text("Du står ikke på valglisten")
    check_a11y(page)
    expect(page.get_by_label("Dit navn")).to_have_value("Samira Haddad")
    page.get_by_label("Din e-mailadresse").fill("samira@example.org")
    page.get_by_label("Dit personnummer").fill(own)
    page.get_by_label("Kort om dig og hvad du vil arbejde for").fill("Flere sprogtilbud.")
    photo = io.BytesIO()
    Image.new("RGB", (30, 30), "green").save(photo, "JPEG")
    page.get_by_label("Foto af dig").set_input_files(
        {"name": "mig.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}
    )
    page.get_by_label("Jeg bekræfter").check()
    page.get_by_role("button", name="Send anmeldelse").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("vi har modtaget din anmeldelse")
    check_a11y(page)

    # The endorser confirms with their own poll card on the link the candidate passes on.
    link = page.locator("#stiller-link")
    expect(link).to_contain_text("/stiller/")
    endorse_url = link.get_attribute("href")
    endorser_page = page.context.browser.new_context(locale="da-DK").new_page()
    endorser_page.goto(endorse_url)
    expect(endorser_page.get_by_role("heading", level=1)).to_have_text("Bekræft, at du er stiller")
    expect(endorser_page.get_by_text("Samira Haddad har anmeldt sig som kandidat")).to_be_visible()
    check_a11y(endorser_page)
    endorser_page.get_by_label("Kode fra dit valgkort").fill("ABCD-EFGH-JKLM")
    endorser_page.get_by_label("Din fødselsdato").fill("17-05-1980")
    endorser_page.get_by_role("button", name="Bekræft som stiller").click()
    expect(endorser_page.locator(".error-summary")).to_contain_text("Vi kunne ikke bekræfte dig som stiller")
    check_a11y(endorser_page)
    endorser_page.get_by_label("Kode fra dit valgkort").fill(endorser_code)
    endorser_page.get_by_role("button", name="Bekræft som stiller").click()
    expect(endorser_page.get_by_role("heading", level=1)).to_have_text("Tak – du er nu stiller for Samira Haddad")
    check_a11y(endorser_page)
    endorser_page.context.close()
