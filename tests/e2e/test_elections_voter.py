"""Must hold 1 – the voter's journey: poll-card code + birth date → ballot → confirm → receipt with
tracker; a second attempt is refused; after the results are published the tracker is on the
verification page. axe on every page the journey visits."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from elections.models import Ballot, ElectionPage, Voter
from tests.elections import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_voter_votes_online_once_and_finds_the_tracker(page, home_page, check_a11y):
    council = factories.council(home_page)
    election = factories.election(council, seats=1, substitutes=1)
    voters = factories.add_voters(election, 4)
    factories.candidate(election, "Anna Ahmadi")
    factories.candidate(election, "Bo Berg")
    election = factories.open_for_voting(election)
    voter = voters[0][1]
    code = voter.issue_poll_card()

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
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.locator(".error-summary")).to_contain_text("Vælg den kandidat, du vil stemme på.")
    check_a11y(page)
    page.get_by_label("Bo Berg").check()
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft din stemme")
    expect(page.locator(".chosen-candidate")).to_contain_text("Bo Berg")
    check_a11y(page)
    assert Ballot.objects.count() == 0
    page.get_by_role("button", name="Afgiv stemme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din stemme")
    check_a11y(page)
    tracker = page.locator(".tracker").inner_text()
    assert Ballot.objects.get().tracker == tracker
    expect(page.locator("#main-content")).not_to_contain_text("Bo Berg")
    assert Voter.objects.get(pk=voter.pk).voted_channel == "online"

    # A second attempt is refused and stores nothing.
    page.goto(f"/valg/{election.pk}/stem/")
    page.get_by_label("Kode fra dit valgkort").fill(code)
    page.get_by_label("Din fødselsdato").fill("17-05-1980")
    page.get_by_role("button", name="Fortsæt til stemmesedlen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har allerede stemt")
    check_a11y(page)
    assert Ballot.objects.count() == 1

    # Before close the trackers are not listed; after publication the voter finds theirs.
    page.goto(f"/valg/{election.pk}/kontrol/")
    check_a11y(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(tracker)
    election = ElectionPage.objects.get(pk=election.pk)
    election.close()
    election.count()
    election.publish_results()
    page.goto(f"/valg/{election.pk}/kontrol/")
    check_a11y(page)
    expect(page.locator(".tracker-list")).to_contain_text(tracker)
    expect(page.locator("body")).to_contain_text(election.roll_fingerprint)
    page.get_by_label("Find din kontrolkode").fill(tracker)
    page.get_by_role("button", name="Søg").click()
    expect(page.locator("[role=status]")).to_contain_text("er med i optællingen")
    check_a11y(page)
    page.goto(f"/valg/{election.pk}/resultat/")
    check_a11y(page)
    expect(page.locator("ol.elected")).to_contain_text("Bo Berg")
    page.goto("/valg/")
    check_a11y(page)

    # After close, the vote page refuses clearly.
    page.goto(f"/valg/{election.pk}/stem/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Afstemningen er ikke åben")
    check_a11y(page)


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
