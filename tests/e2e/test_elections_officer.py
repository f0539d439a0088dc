"""Must hold 3 – the officer's journey: check a voter in at their own polling place, the same voter cannot
then vote online, and the paper count is entered by one officer and confirmed by another. The secretariat
assigns each officer to a polling place; another place is refused. axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from elections.models import AuditLogEntry, Ballot, ElectionPage, OfficerAssignment, PaperTally, Voter
from elections.pollbook.access import officer_group_for
from tests.elections.test_pollbook import PASSWORD, build_election
from tests.helpers import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def officer(mfa_user, election, email, place):
    """An officer with two-factor set up, assigned to ``place`` (as the secretariat does on the officers page)."""
    user, secret = mfa_user(email=email)
    user.groups.add(officer_group_for(election))
    OfficerAssignment.objects.create(election=election, user=user, polling_place=place)
    return user, secret


def log_in_via(page, check_a11y, path, email, secret, lands_on=None):
    """Open a poll-book page signed out, log in (password, then TOTP) and land back on it (or where it sends)."""
    page.goto(path)
    expect_heading(page, "Log ind")
    check_a11y(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    check_a11y(page)
    page.get_by_label("Kode").fill(totp_code(secret))
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(re.escape(lands_on or path) + r"$"))


def expect_heading(page, text):
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    expect(heading).to_contain_text(text)


def test_officer_checks_in_a_voter_who_then_cannot_vote_online_and_two_officers_count(
    page, browser, live_server, home_page, mfa_user, check_a11y
):
    election, places, voters, candidates, codes = build_election(home_page)
    place = places["1"]
    first, first_secret = officer(mfa_user, election, "valgstyrer1@kommune.example", place)
    second, second_secret = officer(mfa_user, election, "valgstyrer2@kommune.example", place)
    pollbook = f"/valg/{election.pk}/valgbog/"
    place_path = f"{pollbook}{place.pk}/"

    # The first officer, assigned to Kulturhuset Islands Brygge, logs in and goes straight to that place.
    log_in_via(page, check_a11y, pollbook, first.email, first_secret, lands_on=place_path)
    expect_heading(page, "Kulturhuset Islands Brygge")
    expect(page.get_by_text("Optælling: Ikke indtastet")).to_be_visible()
    check_a11y(page)

    # Another polling place is not theirs: refused with the reason and a way back.
    page.goto(f"{pollbook}{places['2'].pk}/")
    expect_heading(page, "Ikke dit valgsted")
    expect(
        page.get_by_text(
            "Du er valgstyrer på Kulturhuset Islands Brygge og kan ikke bruge valgbogen for Valby Kulturhus."
        )
    ).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Gå til dit valgsted: Kulturhuset Islands Brygge").click()
    expect_heading(page, "Kulturhuset Islands Brygge")

    # Bad input first: an empty search explains what to type.
    page.get_by_role("button", name="Find på valgkortnummer").click()
    expect(page.get_by_role("link", name="Valgkortnummer: Skriv nummeret fra valgkortet.")).to_be_visible()
    check_a11y(page)

    page.get_by_label("Valgkortnummer").fill("101")
    page.get_by_role("button", name="Find på valgkortnummer").click()
    row = page.get_by_role("row", name=re.compile("Amina Hassan"))
    expect(row).to_contain_text("Har ikke stemt.")
    check_a11y(page)
    page.get_by_role("button", name="Tjek Amina Hassan ind").click()
    expect(page.get_by_text("Amina Hassan er tjekket ind. Giv vælgeren en stemmeseddel.")).to_be_visible()
    expect(page.get_by_text("1 tjekket ind her")).to_be_visible()
    check_a11y(page)
    assert Voter.objects.get(pk=voters[101].pk).voted_channel == Voter.Channel.PAPER

    # Looking her up again shows she is checked in, and offers no second check-in.
    page.get_by_label("Valgkortnummer").fill("101")
    page.get_by_role("button", name="Find på valgkortnummer").click()
    expect(page.get_by_role("row", name=re.compile("Amina Hassan"))).to_contain_text(
        "Er allerede tjekket ind på Kulturhuset Islands Brygge"
    )
    expect(page.get_by_role("button", name="Tjek Amina Hassan ind")).to_have_count(0)
    check_a11y(page)

    # The same voter then tries to vote online with her poll card: refused, nothing stored.
    voter_context = browser.new_context(base_url=live_server.url, locale="da-DK")
    voter_page = voter_context.new_page()
    voter_page.goto(f"/valg/{election.pk}/stem/")
    check_a11y(voter_page)
    voter_page.get_by_label("Kode fra dit valgkort").fill(codes[101])
    voter_page.get_by_label("Din fødselsdato").fill("14-03-1980")
    voter_page.get_by_role("button", name="Fortsæt til stemmesedlen").click()
    expect_heading(voter_page, "Du har allerede stemt")
    expect(voter_page.get_by_text("Man kan kun stemme én gang")).to_be_visible()
    check_a11y(voter_page)
    voter_context.close()
    assert Ballot.objects.filter(election=election).count() == 0

    # The polls close (the secretariat closes the election).
    election.close()

    # The first officer enters the paper count; a typo is caught and what was typed is kept.
    page.get_by_role("link", name="Optælling af papirstemmer").click()
    expect_heading(page, "Kulturhuset Islands Brygge")
    check_a11y(page)
    page.get_by_label("Fatima Ali").fill("1")
    page.get_by_label("Goran Petrović").fill("-1")
    page.get_by_label("Hoa Nguyen").fill("0")
    page.get_by_label("Blanke og ugyldige stemmesedler").fill("0")
    page.get_by_role("button", name="Gem optællingen").click()
    expect(page.get_by_role("link", name="Goran Petrović: Antallet kan ikke være negativt.")).to_be_visible()
    expect(page.get_by_label("Fatima Ali")).to_have_value("1")
    expect(page.get_by_label("Goran Petrović")).to_have_value("-1")
    check_a11y(page)
    page.get_by_label("Goran Petrović").fill("0")
    page.get_by_label("Blanke og ugyldige stemmesedler").fill("1")
    page.get_by_role("button", name="Gem optællingen").click()
    expect(page.get_by_text("Optællingen er gemt. En anden valgstyrer skal nu bekræfte den.")).to_be_visible()
    # One blank ballot more than voters checked in: the difference is shown.
    expect(page.get_by_text("Stemmesedler i alt: 2. Vælgere tjekket ind: 1.")).to_be_visible()
    expect(page.get_by_text("Du har selv indtastet optællingen.")).to_be_visible()
    expect(page.get_by_role("button", name="Bekræft optællingen")).to_have_count(0)
    check_a11y(page)

    # A second officer, on another device, checks the numbers and confirms.
    second_context = browser.new_context(base_url=live_server.url, locale="da-DK")
    second_page = second_context.new_page()
    count_path = f"/valg/{election.pk}/valgbog/{place.pk}/optaelling/"
    log_in_via(second_page, check_a11y, count_path, second.email, second_secret)
    expect_heading(second_page, "Kulturhuset Islands Brygge")
    expect(second_page.get_by_role("heading", name="Indtastet optælling – venter på bekræftelse")).to_be_visible()
    expect(second_page.get_by_role("heading", name="Optællingen passer ikke med indtjekningen")).to_be_visible()
    check_a11y(second_page)
    # Confirming a count that does not match the check-ins needs an explanation.
    second_page.get_by_role("button", name="Bekræft optællingen").click()
    expect(second_page.get_by_role("link", name=re.compile("Skriv en forklaring"))).to_be_visible()
    check_a11y(second_page)
    assert PaperTally.objects.get(election=election, polling_place=place).confirmed_at is None
    second_page.get_by_label("Forklaring på uoverensstemmelse").fill(
        "En tom stemmeseddel fra prøveafstemningen lå i urnen."
    )
    second_page.get_by_role("button", name="Bekræft optællingen").click()
    expect(second_page.get_by_text("Optællingen for Kulturhuset Islands Brygge er bekræftet.")).to_be_visible()
    expect(second_page.get_by_text("En tom stemmeseddel fra prøveafstemningen lå i urnen.")).to_be_visible()
    expect(second_page.get_by_role("heading", name="Bekræftet optælling")).to_be_visible()
    expect(second_page.get_by_role("button", name="Gem optællingen")).to_have_count(0)
    check_a11y(second_page)
    second_context.close()

    tally = PaperTally.objects.get(election=election, polling_place=place)
    assert (tally.entered_by, tally.confirmed_by, tally.total, tally.mismatch) == (first, second, 2, 1)

    # Back in the first officer's poll book (their place) the count shows as confirmed.
    page.goto(pollbook)
    page.wait_for_url(re.compile(re.escape(place_path) + r"$"))
    expect(page.get_by_text("Optælling: Bekræftet")).to_be_visible()
    check_a11y(page)
    assert ElectionPage.objects.get(pk=election.pk).closed_at is not None


def test_secretariat_appoints_an_officer_to_a_place_who_then_goes_straight_there(
    page, browser, live_server, home_page, mfa_user, check_a11y
):
    from tests.councils.factories import join_secretariat

    election, places, *_ = build_election(home_page)
    secretariat, secret = mfa_user(email="sekretariat@kommune.example")
    join_secretariat(secretariat, election.get_parent().specific)
    newcomer, newcomer_secret = mfa_user(email="ny.valgstyrer@kommune.example")

    path = f"/valg/{election.pk}/valgbog/valgstyrere/"
    log_in_via(page, check_a11y, path, secretariat.email, secret)
    expect_heading(page, "Valgstyrere")
    expect(page.get_by_text("Der er ingen valgstyrere endnu.")).to_be_visible()
    check_a11y(page)

    # The place is an explicit choice: forgetting it is explained, and the e-mail typed is kept.
    page.get_by_label("E-mail på valgstyrerens konto").fill("findes.ikke@kommune.example")
    page.get_by_role("button", name="Tilføj valgstyrer").click()
    expect(page.get_by_role("link", name=re.compile("Valgsted: Vælg det valgsted, valgstyreren skal"))).to_be_visible()
    expect(page.get_by_label("E-mail på valgstyrerens konto")).to_have_value("findes.ikke@kommune.example")
    check_a11y(page)
    page.get_by_label("Valgsted", exact=True).select_option(label="Valby Kulturhus")
    page.get_by_role("button", name="Tilføj valgstyrer").click()
    expect(page.get_by_role("link", name=re.compile("Der er ingen konto med den e-mail"))).to_be_visible()
    expect(page.get_by_label("E-mail på valgstyrerens konto")).to_have_value("findes.ikke@kommune.example")
    check_a11y(page)
    page.get_by_label("E-mail på valgstyrerens konto").fill(newcomer.email)
    page.get_by_label("Valgsted", exact=True).select_option(label="Valby Kulturhus")
    page.get_by_role("button", name="Tilføj valgstyrer").click()
    expect(page.get_by_text(f"{newcomer.email} er nu valgstyrer på Valby Kulturhus.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(re.escape(newcomer.email)))
    expect(row.get_by_role("cell").first).to_contain_text("Valby Kulturhus")
    expect(row.get_by_role("button", name=f"Fjern {newcomer.email}")).to_be_visible()
    check_a11y(page)
    assert newcomer.groups.filter(pk=officer_group_for(election).pk).exists()

    # The secretariat moves the officer to Kulturhuset Islands Brygge; the change is logged.
    row.get_by_label("Nyt valgsted").select_option(label="Kulturhuset Islands Brygge")
    row.get_by_role("button", name=f"Skift valgsted for {newcomer.email}").click()
    expect(page.get_by_text(f"{newcomer.email} er nu valgstyrer på Kulturhuset Islands Brygge.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(re.escape(newcomer.email)))
    expect(row.get_by_role("cell").first).to_contain_text("Kulturhuset Islands Brygge")
    check_a11y(page)
    assert OfficerAssignment.objects.get(election=election, user=newcomer).polling_place == places["1"]
    entry = AuditLogEntry.objects.get(election=election, action="pollbook.officer.place")
    assert entry.data == {"officer": newcomer.email, "place": "1", "previous": "2"}

    # The officer logs in on their own device and lands straight on their place.
    officer_context = browser.new_context(base_url=live_server.url, locale="da-DK")
    officer_page = officer_context.new_page()
    pollbook = f"/valg/{election.pk}/valgbog/"
    place_path = f"{pollbook}{places['1'].pk}/"
    log_in_via(officer_page, check_a11y, pollbook, newcomer.email, newcomer_secret, lands_on=place_path)
    expect_heading(officer_page, "Kulturhuset Islands Brygge")
    check_a11y(officer_page)
    officer_context.close()
