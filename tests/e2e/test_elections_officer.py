"""Must hold 3 – the officer's journey: check a voter in at a polling place, the same voter cannot then
vote online, and the paper count is entered by one officer and confirmed by another. axe on every page."""

import re

import pytest

from elections.models import Ballot, ElectionPage, PaperTally, Voter
from elections.pollbook import officer_group_for
from tests.elections.test_pollbook import PASSWORD, build_election
from tests.helpers import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def officer(mfa_user, election, email):
    user, secret = mfa_user(email=email)
    user.groups.add(officer_group_for(election))
    return user, secret


def log_in_via(page, check_a11y, path, email, secret):
    """Open a poll-book page signed out, log in (password, then TOTP) and land back on it."""
    page.goto(path)
    expect_heading(page, "Log ind")
    check_a11y(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    check_a11y(page)
    page.get_by_label("Kode").fill(totp_code(secret))
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(re.escape(path) + r"$"))


def expect_heading(page, text):
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert text in heading.inner_text()


def test_officer_checks_in_a_voter_who_then_cannot_vote_online_and_two_officers_count(
    page, browser, live_server, home_page, mfa_user, check_a11y
):
    election, places, voters, candidates, codes = build_election(home_page)
    place = places["1"]
    first, first_secret = officer(mfa_user, election, "valgstyrer1@kommune.example")
    second, second_secret = officer(mfa_user, election, "valgstyrer2@kommune.example")
    pollbook = f"/valg/{election.pk}/valgbog/"

    # The first officer logs in, chooses the polling place and looks the voter up by poll-card number.
    log_in_via(page, check_a11y, pollbook, first.email, first_secret)
    expect_heading(page, "Valgbog")
    check_a11y(page)
    page.get_by_role("link", name="Kulturhuset Islands Brygge").click()
    expect_heading(page, "Kulturhuset Islands Brygge")
    check_a11y(page)

    # Bad input first: an empty search explains what to type.
    page.get_by_role("button", name="Find på valgkortnummer").click()
    assert page.get_by_role("link", name="Valgkortnummer: Skriv nummeret fra valgkortet.").is_visible()
    check_a11y(page)

    page.get_by_label("Valgkortnummer").fill("101")
    page.get_by_role("button", name="Find på valgkortnummer").click()
    row = page.get_by_role("row", name=re.compile("Amina Hassan"))
    assert "Har ikke stemt." in row.inner_text()
    check_a11y(page)
    page.get_by_role("button", name="Tjek Amina Hassan ind").click()
    assert page.get_by_text("Amina Hassan er tjekket ind. Giv vælgeren en stemmeseddel.").is_visible()
    assert page.get_by_text("1 tjekket ind her").is_visible()
    check_a11y(page)
    assert Voter.objects.get(pk=voters[101].pk).voted_channel == Voter.Channel.PAPER

    # Looking her up again shows she is checked in, and offers no second check-in.
    page.get_by_label("Valgkortnummer").fill("101")
    page.get_by_role("button", name="Find på valgkortnummer").click()
    assert (
        "Er allerede tjekket ind på Kulturhuset Islands Brygge"
        in page.get_by_role("row", name=re.compile("Amina Hassan")).inner_text()
    )
    assert page.get_by_role("button", name="Tjek Amina Hassan ind").count() == 0
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
    assert voter_page.get_by_text("Man kan kun stemme én gang").is_visible()
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
    assert page.get_by_role("link", name="Goran Petrović: Antallet kan ikke være negativt.").is_visible()
    assert page.get_by_label("Fatima Ali").input_value() == "1"
    assert page.get_by_label("Goran Petrović").input_value() == "-1"
    check_a11y(page)
    page.get_by_label("Goran Petrović").fill("0")
    page.get_by_label("Blanke og ugyldige stemmesedler").fill("1")
    page.get_by_role("button", name="Gem optællingen").click()
    assert page.get_by_text("Optællingen er gemt. En anden valgstyrer skal nu bekræfte den.").is_visible()
    # One blank ballot more than voters checked in: the difference is shown.
    assert page.get_by_text("Stemmesedler i alt: 2. Vælgere tjekket ind: 1.").is_visible()
    assert page.get_by_text("Du har selv indtastet optællingen.").is_visible()
    assert page.get_by_role("button", name="Bekræft optællingen").count() == 0
    check_a11y(page)

    # A second officer, on another device, checks the numbers and confirms.
    second_context = browser.new_context(base_url=live_server.url, locale="da-DK")
    second_page = second_context.new_page()
    count_path = f"/valg/{election.pk}/valgbog/{place.pk}/optaelling/"
    log_in_via(second_page, check_a11y, count_path, second.email, second_secret)
    expect_heading(second_page, "Kulturhuset Islands Brygge")
    assert second_page.get_by_role("heading", name="Indtastet optælling – venter på bekræftelse").is_visible()
    assert second_page.get_by_role("heading", name="Optællingen passer ikke med indtjekningen").is_visible()
    check_a11y(second_page)
    # Confirming a count that does not match the check-ins needs an explanation.
    second_page.get_by_role("button", name="Bekræft optællingen").click()
    assert second_page.get_by_role("link", name=re.compile("Skriv en forklaring")).is_visible()
    check_a11y(second_page)
    assert PaperTally.objects.get(election=election, polling_place=place).confirmed_at is None
    second_page.get_by_label("Forklaring på uoverensstemmelse").fill(
        "En tom stemmeseddel fra prøveafstemningen lå i urnen."
    )
    second_page.get_by_role("button", name="Bekræft optællingen").click()
    assert second_page.get_by_text("Optællingen for Kulturhuset Islands Brygge er bekræftet.").is_visible()
    assert second_page.get_by_text("En tom stemmeseddel fra prøveafstemningen lå i urnen.").is_visible()
    assert second_page.get_by_role("heading", name="Bekræftet optælling").is_visible()
    assert second_page.get_by_role("button", name="Gem optællingen").count() == 0
    check_a11y(second_page)
    second_context.close()

    tally = PaperTally.objects.get(election=election, polling_place=place)
    assert (tally.entered_by, tally.confirmed_by, tally.total, tally.mismatch) == (first, second, 2, 1)

    # Back on the first officer's poll book the place shows the confirmed count.
    page.goto(f"/valg/{election.pk}/valgbog/")
    assert "Bekræftet" in page.get_by_role("row", name=re.compile("Kulturhuset Islands Brygge")).inner_text()
    check_a11y(page)
    assert ElectionPage.objects.get(pk=election.pk).closed_at is not None


def test_secretariat_appoints_an_officer_who_can_then_open_the_poll_book(
    page, home_page, mfa_user, user_factory, check_a11y
):
    from tests.councils.factories import join_secretariat

    election = build_election(home_page)[0]
    secretariat, secret = mfa_user(email="sekretariat@kommune.example")
    join_secretariat(secretariat, election.get_parent().specific)
    newcomer = user_factory(email="ny.valgstyrer@kommune.example")

    path = f"/valg/{election.pk}/valgbog/valgstyrere/"
    log_in_via(page, check_a11y, path, secretariat.email, secret)
    expect_heading(page, "Valgstyrere")
    assert page.get_by_text("Der er ingen valgstyrere endnu.").is_visible()
    check_a11y(page)
    page.get_by_label("E-mail på valgstyrerens konto").fill("findes.ikke@kommune.example")
    page.get_by_role("button", name="Tilføj valgstyrer").click()
    assert page.get_by_role("link", name=re.compile("Der er ingen konto med den e-mail")).is_visible()
    assert page.get_by_label("E-mail på valgstyrerens konto").input_value() == "findes.ikke@kommune.example"
    check_a11y(page)
    page.get_by_label("E-mail på valgstyrerens konto").fill(newcomer.email)
    page.get_by_role("button", name="Tilføj valgstyrer").click()
    assert page.get_by_text(f"{newcomer.email} er nu valgstyrer.").is_visible()
    assert page.get_by_role("button", name=f"Fjern {newcomer.email}").is_visible()
    check_a11y(page)
    assert newcomer.groups.filter(pk=officer_group_for(election).pk).exists()
