"""The poll book: who may use it, checking voters in, and the paper count with a second officer."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection

from councils.models import CouncilKind
from elections import crypto
from elections.models import (
    AlreadyVoted,
    AuditLogEntry,
    Ballot,
    Candidate,
    ElectionPage,
    OfficerAssignment,
    PaperTally,
    PollingPlace,
    Voter,
)
from elections.pollbook.access import officer_group_for
from elections.pollbook.checkin import check_in
from elections.pollbook.counting import tally_fingerprint
from tests.councils import factories as council_factories

from . import factories

PASSWORD = "Kodeord-der-er-langt-42"

VOTERS = [
    # (card number, name, birth date, polling place code)
    (101, "Amina Hassan", date(1980, 3, 14), "1"),
    (102, "Bilal Karimi", date(1992, 11, 2), "1"),
    (103, "Chen Li", date(1975, 6, 30), "1"),
    (104, "Dorota Nowak", date(1988, 1, 9), "2"),
    (105, "Amina Hassan", date(2001, 8, 21), "2"),
]
CANDIDATES = ["Fatima Ali", "Goran Petrović", "Hoa Nguyen"]


def build_election(
    home, title="Valg til Integrationsrådet 2026", slug="valg-integrationsraadet-2026", open_voting=True
):
    """An election with two polling places, five voters, three approved candidates and voting open today.

    Returns (election, {code: place}, {card number: voter}, [candidates], {card number: poll-card code}).
    """
    if Collection.get_first_root_node() is None:
        # Transactional tests flush the root collection the migrations made; councils need it.
        Collection.add_root(name="Root")
    index = council_factories.council_index(home)
    council = council_factories.council(index, "Integrationsrådet", "integrationsraadet", kind=CouncilKind.INTEGRATION)
    now = timezone.now()
    election = ElectionPage(
        title=title,
        slug=slug,
        seats=1,
        substitutes=1,
        voting_opens_at=now - timedelta(hours=2),
        voting_closes_at=now + timedelta(days=1),
        election_day=timezone.localdate(),
        polling_places=[
            PollingPlace(code="1", name="Kulturhuset Islands Brygge", address="Islands Brygge 18"),
            PollingPlace(code="2", name="Valby Kulturhus", address="Valgårdsvej 4"),
        ],
    )
    council.add_child(instance=election)
    election.save_revision().publish()
    election = ElectionPage.objects.get(pk=election.pk)
    places = {p.code: p for p in election.polling_places.all()}
    voters, codes = {}, {}
    for number, name, born, place in VOTERS:
        voter = Voter.objects.create(
            election=election,
            voter_key=crypto.voter_key(f"{born:%d%m%y}{number:04d}"),
            card_number=number,
            name=name,
            birth_date=born,
            polling_place=places[place],
        )
        codes[number] = voter.issue_poll_card()
        voters[number] = voter
    candidates = [
        Candidate.objects.create(
            election=election,
            name=name,
            statement="Jeg vil arbejde for et stærkere fællesskab.",
            voter_key=crypto.voter_key(f"01018{i}1234"),
            status=Candidate.Status.APPROVED,
        )
        for i, name in enumerate(CANDIDATES)
    ]
    if open_voting:
        election.freeze_roll()
        election.close_nominations()
        factories.trustees(election)
        election.open_voting()
    return election, places, voters, candidates, codes


def make_officer(mfa_user, election, email, place=None, all_places=False):
    """An officer with two-factor set up; assigned to ``place`` or to all places if given (else unassigned)."""
    user, _secret = mfa_user(email=email)
    user.groups.add(officer_group_for(election))
    if place is not None or all_places:
        OfficerAssignment.objects.create(election=election, user=user, polling_place=place, all_places=all_places)
    return user


def log_actions(election):
    return list(AuditLogEntry.objects.filter(election=election).order_by("pk").values_list("action", flat=True))


def close_polls(election):
    election.close()
    return ElectionPage.objects.get(pk=election.pk)


@pytest.fixture
def setup(home_page):
    return build_election(home_page)


@pytest.fixture
def election(setup):
    return setup[0]


@pytest.fixture
def places(setup):
    return setup[1]


@pytest.fixture
def voters(setup):
    return setup[2]


@pytest.fixture
def candidates(setup):
    return setup[3]


@pytest.fixture
def officer(mfa_user, election):
    return make_officer(mfa_user, election, "valgstyrer1@kommune.example")


@pytest.fixture
def second_officer(mfa_user, election):
    return make_officer(mfa_user, election, "valgstyrer2@kommune.example")


def place_url(election, place):
    return reverse("elections:pollbook_place", args=[election.pk, place.pk])


def check_in_url(election, place, voter):
    return reverse("elections:pollbook_check_in", args=[election.pk, place.pk, voter.pk])


def count_url(election, place):
    return reverse("elections:pollbook_count", args=[election.pk, place.pk])


# --- Who may use the poll book --------------------------------------------------------------


@pytest.fixture
def pollbook_urls(election, places):
    place = places["1"]
    return [
        reverse("elections:pollbook", args=[election.pk]),
        place_url(election, place),
        count_url(election, place),
    ]


def test_anonymous_is_sent_to_login(client, pollbook_urls):
    for url in pollbook_urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]


def test_citizen_is_refused(client, user_factory, pollbook_urls):
    client.force_login(user_factory(email="borger@example.org"))
    for url in pollbook_urls:
        response = client.get(url)
        assert response.status_code == 403
        assert "Ingen adgang til valgbogen" in response.content.decode()


def test_officer_of_another_election_is_refused(client, mfa_user, home_page, election, pollbook_urls):
    other = build_election(home_page, title="Valg til Integrationsrådet 2022", slug="valg-2022", open_voting=False)[0]
    client.force_login(make_officer(mfa_user, other, "anden@kommune.example"))
    for url in pollbook_urls:
        assert client.get(url).status_code == 403


def test_secretariat_staff_who_are_not_officers_are_refused(client, mfa_user, pollbook_urls):
    staff, _secret = mfa_user(email="sekretariat@kommune.example", is_staff=True)
    client.force_login(staff)
    assert client.get(pollbook_urls[0]).status_code == 403


def test_officer_and_superuser_may_use_the_poll_book(client, officer, mfa_user, election, pollbook_urls):
    superuser, _secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    for user in (officer, superuser):
        client.force_login(user)
        for url in pollbook_urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Kulturhuset Islands Brygge" in response.content.decode()


def test_poll_book_lists_each_place_with_roll_size_check_ins_and_count_status(
    client, officer, election, places, voters
):
    check_in(election, voters[101].pk, places["1"], officer)
    client.force_login(officer)
    response = client.get(reverse("elections:pollbook", args=[election.pk]))
    rows = [(p.name, p.roll_size, p.checked_in, p.tally) for p in response.context["places"]]
    assert rows == [("Kulturhuset Islands Brygge", 3, 1, None), ("Valby Kulturhus", 2, 0, None)]
    body = response.content.decode()
    assert "Valgstederne er åbne. Vælg dit valgsted for at tjekke vælgere ind." in body
    assert body.count("Ikke indtastet") == 2


def test_officer_without_two_factor_is_sent_to_set_it_up(client, user_factory, election, pollbook_urls):
    user = user_factory(email="ny-valgstyrer@kommune.example")
    user.groups.add(officer_group_for(election))
    client.force_login(user)
    response = client.get(pollbook_urls[1])
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next={pollbook_urls[1]}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Valgbogen viser oplysninger fra valglisten, så du skal opsætte tofaktorgodkendelse først. "
        "Åbn en godkendelsesapp, scan QR-koden og indtast koden fra appen."
    ]


def test_officer_group_is_created_once_and_linked_to_the_election(election):
    group = officer_group_for(election)
    assert group.name == "Valgstyrer: Valg til Integrationsrådet 2026"
    assert ElectionPage.objects.get(pk=election.pk).officers_group == group
    assert officer_group_for(ElectionPage.objects.get(pk=election.pk)) == group
    assert Group.objects.filter(name__startswith="Valgstyrer:").count() == 1


def test_elections_with_the_same_title_get_separate_officer_groups(client, mfa_user, home_page, election):
    namesake = build_election(home_page, slug="valg-igen", open_voting=False)[0]
    assert namesake.title == election.title
    first = officer_group_for(election)
    second = officer_group_for(namesake)
    assert first != second
    assert second.name == f"Valgstyrer: Valg til Integrationsrådet 2026 ({namesake.pk})"
    client.force_login(make_officer(mfa_user, namesake, "navnebror@kommune.example"))
    assert client.get(reverse("elections:pollbook", args=[election.pk])).status_code == 403
    assert client.get(reverse("elections:pollbook", args=[namesake.pk])).status_code == 200


def test_unknown_polling_place_or_one_of_another_election_is_not_found(client, officer, home_page, election, places):
    other, other_places, *_ = build_election(home_page, title="Valg 2022", slug="valg-2022", open_voting=False)
    client.force_login(officer)
    assert client.get(place_url(election, other_places["1"])).status_code == 404
    assert client.get(reverse("elections:pollbook_place", args=[election.pk, 999999])).status_code == 404


# --- Looking voters up ----------------------------------------------------------------------


def test_look_up_by_card_number(client, officer, election, places):
    client.force_login(officer)
    response = client.post(place_url(election, places["1"]), {"lookup": "card", "kort-card": "102"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bilal Karimi" in body
    assert "Amina Hassan" not in body
    assert "Tjek Bilal Karimi ind" in body


def test_look_up_by_poll_card_code_compares_hashes(client, officer, setup):
    election, places, _voters, _candidates, codes = setup
    client.force_login(officer)
    response = client.post(place_url(election, places["1"]), {"lookup": "card", "kort-card": codes[103].lower()})
    assert "Chen Li" in response.content.decode()


def test_look_up_by_name_and_birth_date(client, officer, election, places):
    client.force_login(officer)
    response = client.post(
        place_url(election, places["1"]), {"lookup": "name", "navn-name": "amina", "navn-birth_date": "14-03-1980"}
    )
    body = response.content.decode()
    assert "Amina Hassan" in body
    assert "14.03.1980" in body
    assert "21.08.2001" not in body  # the other Amina Hassan has another birth date


def test_voter_of_another_polling_place_is_shown_but_cannot_be_checked_in_here(client, officer, election, places):
    client.force_login(officer)
    body = client.post(place_url(election, places["1"]), {"lookup": "card", "kort-card": "104"}).content.decode()
    assert "Hører til valgstedet Valby Kulturhus" in body
    assert "Tjek Dorota Nowak ind" not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lookup": "card", "kort-card": ""}, "Skriv nummeret fra valgkortet."),
        ({"lookup": "card", "kort-card": "---"}, "Skriv valgkortets nummer med tal, fx 1024."),
        ({"lookup": "name", "navn-name": "Chen Li", "navn-birth_date": ""}, "Skriv vælgerens fødselsdato."),
        ({"lookup": "name", "navn-name": "  ", "navn-birth_date": "30-06-1975"}, "Skriv vælgerens navn."),
        (
            {"lookup": "name", "navn-name": "Chen Li", "navn-birth_date": "30. juni"},
            "Skriv fødselsdatoen som dag-måned-år, fx 31-12-1990.",
        ),
    ],
)
def test_bad_lookup_gets_a_danish_message_and_keeps_what_was_typed(client, officer, election, places, data, message):
    client.force_login(officer)
    response = client.post(place_url(election, places["1"]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer med det, du har udfyldt" in body
    assert message in body
    for name, value in data.items():
        if name != "lookup" and value.strip():
            assert f'name="{name}" value="{value}"' in body
    assert "Resultat" not in body


def test_no_match_says_so(client, officer, election, places):
    client.force_login(officer)
    body = client.post(place_url(election, places["1"]), {"lookup": "card", "kort-card": "999"}).content.decode()
    assert "Ingen vælgere på valglisten passer på søgningen" in body


# --- Checking in ----------------------------------------------------------------------------


def test_check_in_marks_the_voter_and_writes_the_audit_log(client, officer, election, places, voters):
    client.force_login(officer)
    response = client.post(check_in_url(election, places["1"], voters[101]), follow=True)
    assert "Amina Hassan er tjekket ind. Giv vælgeren en stemmeseddel." in response.content.decode()
    voter = Voter.objects.get(pk=voters[101].pk)
    assert voter.voted_channel == Voter.Channel.PAPER
    assert voter.checked_in_place == places["1"]
    assert voter.checked_in_by == officer
    assert voter.checked_in_at is not None
    entry = AuditLogEntry.objects.get(election=election, action="pollbook.checkin")
    assert entry.user == officer
    assert entry.data == {"place": "1", "card_number": 101}
    assert voters[101].voter_key not in str(entry.data)
    # The place page now counts the check-in and shows the voter as checked in.
    body = client.post(place_url(election, places["1"]), {"lookup": "card", "kort-card": "101"}).content.decode()
    assert "1 tjekket ind her" in body
    assert "Er allerede tjekket ind på Kulturhuset Islands Brygge" in body
    assert "Tjek Amina Hassan ind" not in body


def test_check_in_is_refused_when_the_voter_voted_online(client, officer, election, places, voters, candidates):
    factories.cast(election, voters[102], candidates[0])
    client.force_login(officer)
    body = client.post(place_url(election, places["1"]), {"lookup": "card", "kort-card": "102"}).content.decode()
    assert "Har allerede stemt online og må ikke stemme igen." in body
    assert "Tjek Bilal Karimi ind" not in body
    # Even a forged or stale check-in request is refused and changes nothing.
    response = client.post(check_in_url(election, places["1"], voters[102]), follow=True)
    assert "Bilal Karimi har allerede stemt online og må ikke stemme igen." in response.content.decode()
    voter = Voter.objects.get(pk=voters[102].pk)
    assert voter.voted_channel == Voter.Channel.ONLINE
    assert voter.checked_in_at is None
    assert "pollbook.checkin" not in log_actions(election)


def test_double_check_in_is_refused(client, officer, second_officer, election, places, voters):
    client.force_login(officer)
    client.post(check_in_url(election, places["1"], voters[103]))
    client.force_login(second_officer)
    response = client.post(check_in_url(election, places["1"], voters[103]), follow=True)
    assert "Chen Li er allerede tjekket ind på Kulturhuset Islands Brygge og må ikke stemme igen." in (
        response.content.decode()
    )
    assert Voter.objects.get(pk=voters[103].pk).checked_in_by == officer
    assert log_actions(election).count("pollbook.checkin") == 1


def test_a_checked_in_voter_cannot_vote_online(officer, election, places, voters, candidates):
    check_in(election, voters[101].pk, places["1"], officer)
    with pytest.raises(AlreadyVoted, match="Du har allerede stemt ved dette valg"):
        factories.cast(election, voters[101], candidates[1])
    assert Ballot.objects.filter(election=election).count() == 0
    assert Voter.objects.get(pk=voters[101].pk).voted_channel == Voter.Channel.PAPER


def test_check_in_at_the_wrong_polling_place_is_refused(client, officer, election, places, voters):
    client.force_login(officer)
    response = client.post(check_in_url(election, places["1"], voters[104]), follow=True)
    assert "Dorota Nowak hører til valgstedet Valby Kulturhus og skal stemme der." in response.content.decode()
    assert not Voter.objects.get(pk=voters[104].pk).voted_channel


def test_check_in_needs_a_post(client, officer, election, places, voters):
    client.force_login(officer)
    assert client.get(check_in_url(election, places["1"], voters[101])).status_code == 405
    assert not Voter.objects.get(pk=voters[101].pk).voted_channel


def test_check_in_only_while_the_polls_are_open_on_election_day(client, officer, election, places, voters):
    client.force_login(officer)
    ElectionPage.objects.filter(pk=election.pk).update(election_day=timezone.localdate() + timedelta(days=1))
    response = client.post(check_in_url(election, places["1"], voters[101]), follow=True)
    assert "Vælgere kan kun tjekkes ind på valgstedet på valgdagen" in response.content.decode()
    ElectionPage.objects.filter(pk=election.pk).update(election_day=timezone.localdate())
    close_polls(election)
    response = client.post(check_in_url(election, places["1"], voters[101]), follow=True)
    assert "Afstemningen er lukket. Der kan ikke tjekkes flere vælgere ind." in response.content.decode()
    assert not Voter.objects.get(pk=voters[101].pk).voted_channel


def test_check_in_before_voting_opens_is_refused(client, mfa_user, home_page):
    election, places, voters, *_ = build_election(home_page, open_voting=False)
    client.force_login(make_officer(mfa_user, election, "tidlig@kommune.example"))
    response = client.post(check_in_url(election, places["1"], voters[101]), follow=True)
    assert "Afstemningen er ikke åbnet endnu. Der kan ikke tjekkes vælgere ind." in response.content.decode()
    assert not Voter.objects.get(pk=voters[101].pk).voted_channel


# --- Paper count ----------------------------------------------------------------------------


def count_data(candidates, votes, invalid="0", note=""):
    data = {"action": "enter", "invalid_votes": invalid, "note": note}
    for candidate, value in zip(candidates, votes, strict=True):
        data[f"candidate_{candidate.pk}"] = value
    return data


def confirm(client, election, place, note=""):
    """Open the count page as the confirming officer and submit its confirm form as shown."""
    page = client.get(count_url(election, place))
    fingerprint = page.context["confirm_form"]["fingerprint"].value()
    return client.post(
        count_url(election, place), {"action": "confirm", "fingerprint": fingerprint, "note": note}, follow=True
    )


@pytest.fixture
def two_checked_in(officer, election, places, voters):
    for number in (101, 102):
        check_in(election, voters[number].pk, places["1"], officer)
    return close_polls(election)


def test_count_cannot_be_entered_while_the_polls_are_open(client, officer, election, places, candidates):
    client.force_login(officer)
    page = client.get(count_url(election, places["1"])).content.decode()
    assert "Optællingen kan først indtastes, når afstemningen er lukket." in page
    assert "Gem optællingen" not in page
    response = client.post(count_url(election, places["1"]), count_data(candidates, ["1", "1", "0"]), follow=True)
    assert "Optællingen kan først indtastes, når afstemningen er lukket." in response.content.decode()
    assert not PaperTally.objects.exists()


def test_count_entry_and_second_officer_confirmation(
    client, officer, second_officer, two_checked_in, places, candidates
):
    election = two_checked_in
    place = places["1"]
    client.force_login(officer)
    response = client.post(count_url(election, place), count_data(candidates, ["2", "0", "0"]), follow=True)
    body = response.content.decode()
    assert "Optællingen er gemt. En anden valgstyrer skal nu bekræfte den." in body
    assert "Antallet af stemmesedler svarer til antallet af vælgere, der er tjekket ind." in body
    assert "Du har selv indtastet optællingen." in body
    assert "Bekræft optællingen</button>" not in body
    tally = PaperTally.objects.get(election=election, polling_place=place)
    assert tally.entered_by == officer
    assert {line.candidate_id: line.votes for line in tally.lines.all()} == {
        candidates[0].pk: 2,
        candidates[1].pk: 0,
        candidates[2].pk: 0,
    }
    assert not tally.is_confirmed

    client.force_login(second_officer)
    body = confirm(client, election, place).content.decode()
    assert "Optællingen for Kulturhuset Islands Brygge er bekræftet." in body
    assert "Bekræftet af valgstyrer2@kommune.example" in body
    tally.refresh_from_db()
    assert tally.confirmed_by == second_officer
    assert tally.is_confirmed
    assert log_actions(election)[-2:] == ["paper.enter", "paper.confirm"]
    entered = AuditLogEntry.objects.get(election=election, action="paper.enter")
    assert entered.user == officer
    assert entered.data["total"] == 2
    assert entered.data["checked_in"] == 2
    confirmed = AuditLogEntry.objects.get(election=election, action="paper.confirm")
    assert confirmed.user == second_officer
    assert confirmed.data["difference"] == 0


def test_an_officer_cannot_confirm_their_own_count(client, officer, two_checked_in, places, candidates):
    election = two_checked_in
    place = places["1"]
    client.force_login(officer)
    client.post(count_url(election, place), count_data(candidates, ["1", "1", "0"]))
    tally = PaperTally.objects.get(election=election, polling_place=place)
    response = client.post(
        count_url(election, place), {"action": "confirm", "fingerprint": tally_fingerprint(tally)}, follow=True
    )
    assert "Du kan ikke bekræfte en optælling, du selv har indtastet." in response.content.decode()
    tally.refresh_from_db()
    assert not tally.is_confirmed
    assert "paper.confirm" not in log_actions(election)


def test_a_mismatch_is_shown_and_must_be_explained_before_confirmation(
    client, officer, second_officer, two_checked_in, places, candidates
):
    election = two_checked_in
    place = places["1"]
    client.force_login(officer)
    body = client.post(
        count_url(election, place), count_data(candidates, ["2", "1", "0"], invalid="1"), follow=True
    ).content.decode()
    assert "Optællingen passer ikke med indtjekningen" in body
    assert "Stemmesedler i alt: 4. Vælgere tjekket ind: 2." in body

    client.force_login(second_officer)
    body = confirm(client, election, place).content.decode()
    assert "Antallet af stemmesedler svarer ikke til antallet af tjekket ind. Skriv en forklaring." in body
    assert not PaperTally.objects.get(polling_place=place).is_confirmed

    note = "To stemmesedler lå i urnen fra prøveafstemningen om morgenen."
    body = confirm(client, election, place, note=note).content.decode()
    assert "er bekræftet" in body
    tally = PaperTally.objects.get(polling_place=place)
    assert tally.is_confirmed
    assert tally.note == note
    entry = AuditLogEntry.objects.get(election=election, action="paper.confirm")
    assert entry.data["difference"] == 2
    assert entry.data["note"] == note


def test_a_note_written_at_entry_explains_the_mismatch(
    client, officer, second_officer, two_checked_in, places, candidates
):
    election = two_checked_in
    place = places["1"]
    client.force_login(officer)
    note = "En vælger gik uden at stemme."
    client.post(count_url(election, place), count_data(candidates, ["1", "0", "0"], note=note))
    client.force_login(second_officer)
    assert "er bekræftet" in confirm(client, election, place).content.decode()
    assert PaperTally.objects.get(polling_place=place).note == note


@pytest.mark.parametrize(
    ("votes", "invalid", "message"),
    [
        (["2", "-1", "0"], "0", "Antallet kan ikke være negativt."),
        (["2", "", "0"], "0", "Skriv antallet – skriv 0, hvis der ikke er nogen."),
        (["to", "0", "0"], "0", "Skriv et helt tal, fx 12."),
        (["2", "0", "0"], "1,5", "Skriv et helt tal, fx 12."),
    ],
)
def test_bad_count_input_gets_a_danish_message_keeps_values_and_stores_nothing(
    client, officer, two_checked_in, places, candidates, votes, invalid, message
):
    election = two_checked_in
    client.force_login(officer)
    response = client.post(count_url(election, places["1"]), count_data(candidates, votes, invalid=invalid))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer med det, du har udfyldt" in body
    assert message in body
    for candidate, value in zip(candidates, votes, strict=True):
        assert f'name="candidate_{candidate.pk}" value="{value}"' in body or (
            value == "" and f'name="candidate_{candidate.pk}"' in body
        )
    assert f'value="{invalid}"' in body
    assert not PaperTally.objects.exists()
    assert "paper.enter" not in log_actions(election)


def test_a_missing_candidate_is_refused(client, officer, two_checked_in, places, candidates):
    election = two_checked_in
    client.force_login(officer)
    data = count_data(candidates, ["2", "0", "0"])
    del data[f"candidate_{candidates[2].pk}"]
    body = client.post(count_url(election, places["1"]), data).content.decode()
    assert f'<a class="function-link" href="#id_candidate_{candidates[2].pk}">Hoa Nguyen: Skriv antallet' in body
    assert not PaperTally.objects.exists()


def test_count_can_be_corrected_until_confirmed_then_never(
    client, officer, second_officer, two_checked_in, places, candidates
):
    election = two_checked_in
    place = places["1"]
    client.force_login(officer)
    client.post(count_url(election, place), count_data(candidates, ["3", "0", "0"]))
    client.force_login(second_officer)
    # The second officer recounts and corrects; now the first officer must confirm.
    client.post(count_url(election, place), count_data(candidates, ["1", "1", "0"]))
    tally = PaperTally.objects.get(polling_place=place)
    assert tally.entered_by == second_officer
    assert tally.valid_votes == 2
    client.force_login(officer)
    assert "er bekræftet" in confirm(client, election, place).content.decode()

    page = client.get(count_url(election, place)).content.decode()
    assert "Gem optællingen" not in page
    assert "Bekræftet optælling" in page
    response = client.post(count_url(election, place), count_data(candidates, ["0", "0", "2"]), follow=True)
    assert "Optællingen er bekræftet og kan ikke ændres." in response.content.decode()
    assert {line.candidate_id: line.votes for line in tally.lines.all()}[candidates[0].pk] == 1
    assert log_actions(election).count("paper.enter") == 2
    assert log_actions(election).count("paper.confirm") == 1


def test_confirming_numbers_that_changed_meanwhile_is_refused(
    client, officer, second_officer, two_checked_in, places, candidates
):
    election = two_checked_in
    place = places["1"]
    client.force_login(officer)
    client.post(count_url(election, place), count_data(candidates, ["2", "0", "0"]))
    client.force_login(second_officer)
    stale = client.get(count_url(election, place)).context["confirm_form"]["fingerprint"].value()
    client.force_login(officer)
    client.post(count_url(election, place), count_data(candidates, ["0", "2", "0"]))
    client.force_login(second_officer)
    response = client.post(count_url(election, place), {"action": "confirm", "fingerprint": stale}, follow=True)
    assert "Optællingen er blevet rettet, mens du så på den." in response.content.decode()
    assert not PaperTally.objects.get(polling_place=place).is_confirmed


def test_confirmed_paper_counts_are_counted_with_the_online_votes(
    client, officer, second_officer, election, places, voters, candidates
):
    factories.cast(election, voters[103], candidates[1])
    check_in(election, voters[101].pk, places["1"], officer)
    check_in(election, voters[104].pk, places["2"], officer)
    election = close_polls(election)
    for place, votes in ((places["1"], ["1", "0", "0"]), (places["2"], ["1", "0", "0"])):
        client.force_login(officer)
        client.post(count_url(election, place), count_data(candidates, votes))
        client.force_login(second_officer)
        confirm(client, election, place)
    factories.decrypt(election)
    result = election.count()
    rows = {row.candidate_id: row for row in result.rows.all()}
    assert (rows[candidates[0].pk].paper_votes, rows[candidates[0].pk].online_votes) == (2, 0)
    assert (rows[candidates[1].pk].paper_votes, rows[candidates[1].pk].online_votes) == (0, 1)
    assert rows[candidates[0].pk].outcome == "elected"
