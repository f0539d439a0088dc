"""The secretariat manages who the election's officers (valgstyrere) are and where each serves;
an officer may use the poll book only at their own polling place (a coordinator at all of them)."""

import pytest
from django.urls import reverse

from elections.errors import WrongPlace
from elections.models import AuditLogEntry, OfficerAssignment, PaperTally, PollingPlace, Voter
from elections.pollbook.access import officer_group_for
from elections.pollbook.checkin import check_in
from elections.pollbook.counting import confirm_paper_count, enter_paper_count, tally_fingerprint
from tests.councils import factories as council_factories

from .test_pollbook import (
    build_election,
    check_in_url,
    close_polls,
    count_data,
    count_url,
    log_actions,
    make_officer,
    place_url,
)

WRONG_PLACE = "Du er valgstyrer på Kulturhuset Islands Brygge og kan ikke bruge valgbogen for Valby Kulturhus."

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(home_page):
    return build_election(home_page, open_voting=False)[0]


@pytest.fixture
def url(election):
    return reverse("elections:pollbook_officers", args=[election.pk])


@pytest.fixture
def secretariat(mfa_user, election):
    user, _secret = mfa_user(email="sekretariat@kommune.example")
    return council_factories.join_secretariat(user, election.get_parent().specific)


@pytest.fixture
def other_secretariat(mfa_user, home_page):
    user, _secret = mfa_user(email="valby@kommune.example")
    index = council_factories.council_index(home_page)
    valby = council_factories.council(index, "Valby Lokaludvalg", "lokaludvalg-valby")
    return council_factories.join_secretariat(user, valby)


def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_cannot_change_a_place(client, mfa_user, election, url):
    place = election.polling_places.get(code="1")
    officer = make_officer(mfa_user, election, "valgstyrer@kommune.example", place=place)
    response = client.post(url, {"action": "place", "user": officer.pk, f"o{officer.pk}-place": "alle"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert OfficerAssignment.objects.get(user=officer).polling_place == place


@pytest.mark.parametrize("role", ["citizen", "officer", "other_election_officer", "other_secretariat"])
def test_others_are_refused(client, user_factory, mfa_user, home_page, election, url, other_secretariat, role):
    place = election.polling_places.get(code="1")
    officer = make_officer(mfa_user, election, "valgstyrer@kommune.example", place=place)
    if role == "citizen":
        user = user_factory(email="borger@example.org")
    elif role == "officer":
        user = officer
    elif role == "other_election_officer":
        other = build_election(home_page, title="Valg 2022", slug="valg-2022", open_voting=False)[0]
        user = make_officer(mfa_user, other, "anden@kommune.example", all_places=True)
    else:
        user = other_secretariat
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "add", "email": user.email, "place": "alle"}).status_code == 403
    change = {"action": "place", "user": officer.pk, f"o{officer.pk}-place": "alle"}
    assert client.post(url, change).status_code == 403
    assert client.post(url, {"action": "remove", "user": officer.pk}).status_code == 403
    assert list(officer_group_for(election).user_set.all()) == [officer]
    assignment = OfficerAssignment.objects.get(election=election, user=officer)
    assert (assignment.polling_place, assignment.all_places) == (place, False)
    assert not AuditLogEntry.objects.filter(election=election, action__startswith="pollbook.officer").exists()


def test_secretariat_and_superuser_may_manage_officers(client, mfa_user, secretariat, url):
    superuser, _secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    for user in (secretariat, superuser):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Valgstyrer: Valg til Integrationsrådet 2026" in response.content.decode()


def test_secretariat_without_two_factor_is_sent_to_set_it_up(client, user_factory, election, url):
    user = council_factories.join_secretariat(
        user_factory(email="ny-sekretaer@kommune.example"), election.get_parent().specific
    )
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next={url}"


def test_secretariat_adds_and_removes_an_officer(client, user_factory, secretariat, election, url):
    officer = user_factory(email="Valgstyrer@Kommune.example")
    place = election.polling_places.get(code="1")
    client.force_login(secretariat)
    response = client.post(
        url, {"action": "add", "email": "valgstyrer@kommune.example", "place": place.pk}, follow=True
    )
    body = response.content.decode()
    assert f"{officer.email} er nu valgstyrer på Kulturhuset Islands Brygge." in body
    assert officer.groups.filter(pk=officer_group_for(election).pk).exists()
    row = response.context["officers"][0]
    assert (row["user"], row["place"]) == (officer, "Kulturhuset Islands Brygge")
    assignment = OfficerAssignment.objects.get(election=election, user=officer)
    assert (assignment.polling_place, assignment.all_places, assignment.assigned_by) == (place, False, secretariat)
    entry = AuditLogEntry.objects.get(election=election, action="pollbook.officer.add")
    assert (entry.user, entry.data) == (secretariat, {"officer": officer.email, "place": "1"})
    assert entry.message == f"Valgstyrer tilføjet: {officer.email}, Kulturhuset Islands Brygge"

    again = client.post(url, {"action": "add", "email": officer.email, "place": "alle"}).content.decode()
    assert f"{officer.email} er allerede valgstyrer." in again
    assert OfficerAssignment.objects.get(election=election, user=officer).polling_place == place

    response = client.post(url, {"action": "remove", "user": officer.pk}, follow=True)
    assert "er ikke længere valgstyrer." in response.content.decode()
    assert not officer.groups.exists()
    assert not OfficerAssignment.objects.filter(election=election, user=officer).exists()
    removed = AuditLogEntry.objects.get(election=election, action="pollbook.officer.remove")
    assert removed.data == {"officer": officer.email, "place": "1"}


def test_secretariat_must_choose_a_place_or_all_places_on_purpose(client, user_factory, secretariat, election, url):
    officer = user_factory(email="valgstyrer@kommune.example")
    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert '<option value="" selected>Vælg valgsted</option>' in page
    assert '<option value="alle">Alle valgsteder (koordinator)</option>' in page

    body = client.post(url, {"action": "add", "email": officer.email, "place": ""}).content.decode()
    assert "Der er problemer med det, du har udfyldt" in body
    assert "Vælg det valgsted, valgstyreren skal arbejde på, eller »Alle valgsteder« for en koordinator." in body
    assert f'value="{officer.email}"' in body
    assert not officer_group_for(election).user_set.exists()

    response = client.post(url, {"action": "add", "email": officer.email, "place": "alle"}, follow=True)
    assert f"{officer.email} er nu koordinator og kan bruge valgbogen på alle valgsteder." in response.content.decode()
    assignment = OfficerAssignment.objects.get(election=election, user=officer)
    assert (assignment.polling_place, assignment.all_places) == (None, True)
    entry = AuditLogEntry.objects.get(election=election, action="pollbook.officer.add")
    assert entry.data == {"officer": officer.email, "place": "alle"}


def test_a_place_of_another_election_cannot_be_chosen(client, user_factory, home_page, secretariat, election, url):
    other_places = build_election(home_page, title="Valg 2022", slug="valg-2022", open_voting=False)[1]
    officer = user_factory(email="valgstyrer@kommune.example")
    client.force_login(secretariat)
    body = client.post(url, {"action": "add", "email": officer.email, "place": other_places["1"].pk}).content.decode()
    assert "Vælg et af valgstederne på listen." in body
    assert not officer_group_for(election).user_set.exists()
    assert not OfficerAssignment.objects.exists()


def test_secretariat_changes_an_officers_place_and_it_is_logged(client, mfa_user, secretariat, election, url):
    places = {p.code: p for p in election.polling_places.all()}
    officer = make_officer(mfa_user, election, "valgstyrer@kommune.example", place=places["1"])
    field = f"o{officer.pk}-place"
    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert f'<option value="{places["1"].pk}" selected>Kulturhuset Islands Brygge</option>' in page

    response = client.post(url, {"action": "place", "user": officer.pk, field: places["2"].pk}, follow=True)
    assert f"{officer.email} er nu valgstyrer på Valby Kulturhus." in response.content.decode()
    assert response.context["officers"][0]["place"] == "Valby Kulturhus"
    assignment = OfficerAssignment.objects.get(election=election, user=officer)
    assert (assignment.polling_place, assignment.assigned_by) == (places["2"], secretariat)
    entry = AuditLogEntry.objects.get(election=election, action="pollbook.officer.place")
    assert entry.user == secretariat
    assert entry.data == {"officer": officer.email, "place": "2", "previous": "1"}
    assert entry.message == (
        f"Valgsted ændret for valgstyrer {officer.email}: fra Kulturhuset Islands Brygge til Valby Kulturhus"
    )

    client.post(url, {"action": "place", "user": officer.pk, field: "alle"})
    assignment.refresh_from_db()
    assert (assignment.polling_place, assignment.all_places) == (None, True)
    assert AuditLogEntry.objects.filter(election=election, action="pollbook.officer.place").first().data == {
        "officer": officer.email,
        "place": "alle",
        "previous": "2",
    }

    # Choosing the place they already have changes and logs nothing.
    response = client.post(url, {"action": "place", "user": officer.pk, field: "alle"}, follow=True)
    assert "er allerede koordinator og kan bruge valgbogen på alle valgsteder." in response.content.decode()
    assert AuditLogEntry.objects.filter(election=election, action="pollbook.officer.place").count() == 2


def test_an_empty_place_change_gets_a_danish_message_and_changes_nothing(client, mfa_user, secretariat, election, url):
    place = election.polling_places.get(code="1")
    officer = make_officer(mfa_user, election, "valgstyrer@kommune.example", place=place)
    client.force_login(secretariat)
    response = client.post(url, {"action": "place", "user": officer.pk, f"o{officer.pk}-place": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer med det, du har udfyldt" in body
    assert f'href="#id_o{officer.pk}-place">Nyt valgsted: Vælg det valgsted' in body
    assert OfficerAssignment.objects.get(user=officer).polling_place == place
    assert not AuditLogEntry.objects.filter(election=election, action="pollbook.officer.place").exists()


def test_changing_the_place_of_someone_who_is_not_an_officer_changes_nothing(
    client, user_factory, secretariat, election, url
):
    bystander = user_factory(email="anden@example.org")
    client.force_login(secretariat)
    client.post(url, {"action": "place", "user": bystander.pk, f"o{bystander.pk}-place": "alle"})
    assert not OfficerAssignment.objects.exists()
    assert not officer_group_for(election).user_set.exists()
    assert not AuditLogEntry.objects.filter(election=election, action__startswith="pollbook.officer").exists()


def test_officers_from_before_places_are_listed_as_unassigned_and_can_be_assigned(
    client, mfa_user, secretariat, election, url
):
    legacy = make_officer(mfa_user, election, "gammel@kommune.example")  # group member, no assignment
    client.force_login(secretariat)
    response = client.get(url)
    row = response.context["officers"][0]
    assert (row["user"], row["place"], row["unassigned"]) == (legacy, "Alle valgsteder (ikke tildelt)", True)
    assert "Vælg et valgsted." in response.content.decode()
    place = election.polling_places.get(code="2")
    client.post(url, {"action": "place", "user": legacy.pk, f"o{legacy.pk}-place": place.pk})
    assert OfficerAssignment.objects.get(user=legacy).polling_place == place
    entry = AuditLogEntry.objects.get(election=election, action="pollbook.officer.place")
    assert entry.data == {"officer": legacy.email, "place": "2", "previous": None}
    assert "fra Alle valgsteder (ikke tildelt) til Valby Kulturhus" in entry.message


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Skriv valgstyrerens e-mail."),
        ("ikke-en-email", "Skriv en gyldig e-mail, fx navn@kommune.dk."),
        ("ukendt@kommune.example", "Der er ingen konto med den e-mail."),
    ],
)
def test_bad_officer_email_gets_a_danish_message_and_keeps_it(client, secretariat, election, url, email, message):
    client.force_login(secretariat)
    body = client.post(url, {"action": "add", "email": email, "place": "alle"}).content.decode()
    assert "Der er problemer med det, du har udfyldt" in body
    assert message in body
    if email:
        assert f'value="{email}"' in body
    assert not officer_group_for(election).user_set.exists()
    assert not AuditLogEntry.objects.filter(election=election, action__startswith="pollbook.officer").exists()


def test_removing_someone_who_is_not_an_officer_changes_nothing(client, user_factory, secretariat, election, url):
    bystander = user_factory(email="anden@example.org")
    group = officer_group_for(election)
    client.force_login(secretariat)
    client.post(url, {"action": "remove", "user": bystander.pk})
    client.post(url, {"action": "remove", "user": "ikke-et-tal"})
    assert not group.user_set.exists()
    assert not AuditLogEntry.objects.filter(election=election, action="pollbook.officer.remove").exists()


def test_the_poll_book_links_managers_to_the_officer_page(client, mfa_user, election, url):
    superuser, _secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert url in client.get(reverse("elections:pollbook", args=[election.pk])).content.decode()


# --- In the poll book: an officer works at their own polling place -------------------------


@pytest.fixture
def open_setup(home_page):
    """An election open for voting today, places »1« and »2«, voters 101-103 at 1 and 104-105 at 2."""
    return build_election(home_page)


@pytest.fixture
def place_one_officer(mfa_user, open_setup):
    election, places, *_ = open_setup
    return make_officer(mfa_user, election, "sted1@kommune.example", place=places["1"])


@pytest.fixture
def place_two_officer(mfa_user, open_setup):
    election, places, *_ = open_setup
    return make_officer(mfa_user, election, "sted2@kommune.example", place=places["2"])


@pytest.fixture
def coordinator(mfa_user, open_setup):
    return make_officer(mfa_user, open_setup[0], "koordinator@kommune.example", all_places=True)


def test_an_officer_with_one_place_goes_straight_to_it_and_sees_only_it(client, place_one_officer, open_setup):
    election, places, *_ = open_setup
    client.force_login(place_one_officer)
    response = client.get(reverse("elections:pollbook", args=[election.pk]))
    assert response.status_code == 302
    assert response["Location"] == place_url(election, places["1"])
    body = client.get(response["Location"]).content.decode()
    assert "<h1>Kulturhuset Islands Brygge</h1>" in body
    assert "Optælling: Ikke indtastet" in body


def test_an_officer_cannot_open_or_check_in_at_another_place(client, place_one_officer, open_setup):
    election, places, voters, *_ = open_setup
    client.force_login(place_one_officer)
    for response in (
        client.get(place_url(election, places["2"])),
        client.post(place_url(election, places["2"]), {"lookup": "card", "kort-card": "104"}),
        client.get(count_url(election, places["2"])),
        client.post(check_in_url(election, places["2"], voters[104])),
    ):
        body = response.content.decode()
        assert response.status_code == 403
        assert "Ikke dit valgsted" in body
        assert WRONG_PLACE in body
        assert "Dorota Nowak" not in body
        assert f'href="{place_url(election, places["1"])}">Gå til dit valgsted: Kulturhuset Islands Brygge' in body
    voter = Voter.objects.get(pk=voters[104].pk)
    assert (voter.voted_channel, voter.checked_in_at) == ("", None)
    assert "pollbook.checkin" not in log_actions(election)


def test_check_in_refuses_another_place_in_the_function_too(place_one_officer, open_setup):
    election, places, voters, *_ = open_setup
    with pytest.raises(WrongPlace, match=WRONG_PLACE):
        check_in(election, voters[104].pk, places["2"], place_one_officer)
    assert not Voter.objects.get(pk=voters[104].pk).voted_channel
    assert check_in(election, voters[101].pk, places["1"], place_one_officer).voted_channel == Voter.Channel.PAPER


def test_an_officer_cannot_enter_or_confirm_another_places_count(
    client, place_one_officer, place_two_officer, coordinator, open_setup
):
    election, places, voters, candidates, _codes = open_setup
    check_in(election, voters[104].pk, places["2"], place_two_officer)
    election = close_polls(election)
    data = count_data(candidates, ["1", "0", "0"])

    # Entering place 2's count: refused in the view and in the function.
    client.force_login(place_one_officer)
    response = client.post(count_url(election, places["2"]), data)
    assert response.status_code == 403
    assert WRONG_PLACE in response.content.decode()
    votes = {c.pk: 1 if i == 0 else 0 for i, c in enumerate(candidates)}
    with pytest.raises(WrongPlace, match=WRONG_PLACE):
        enter_paper_count(election, places["2"], place_one_officer, votes, 0)
    assert not PaperTally.objects.exists()

    # Place 2's own officer enters it; the officer of place 1 cannot confirm it, in the view or the function.
    tally = enter_paper_count(election, places["2"], place_two_officer, votes, 0)
    fingerprint = tally_fingerprint(tally)
    response = client.post(count_url(election, places["2"]), {"action": "confirm", "fingerprint": fingerprint})
    assert response.status_code == 403
    assert WRONG_PLACE in response.content.decode()
    with pytest.raises(WrongPlace, match=WRONG_PLACE):
        confirm_paper_count(election, places["2"], place_one_officer, fingerprint)
    tally.refresh_from_db()
    assert not tally.is_confirmed
    assert "paper.confirm" not in log_actions(election)

    # The coordinator may confirm it.
    client.force_login(coordinator)
    page = client.get(count_url(election, places["2"]))
    assert page.status_code == 200
    response = client.post(
        count_url(election, places["2"]),
        {"action": "confirm", "fingerprint": page.context["confirm_form"]["fingerprint"].value()},
        follow=True,
    )
    assert "Optællingen for Valby Kulturhus er bekræftet." in response.content.decode()
    tally.refresh_from_db()
    assert tally.confirmed_by == coordinator


def test_a_coordinator_sees_every_place_and_works_at_any(client, coordinator, place_one_officer, open_setup):
    election, places, voters, candidates, _codes = open_setup
    client.force_login(coordinator)
    response = client.get(reverse("elections:pollbook", args=[election.pk]))
    assert response.status_code == 200
    assert [p.code for p in response.context["places"]] == ["1", "2"]
    assert "Du kan bruge valgbogen på alle valgsteder ved dette valg." in response.content.decode()
    for number, code in ((101, "1"), (104, "2")):
        response = client.post(check_in_url(election, places[code], voters[number]), follow=True)
        assert "er tjekket ind." in response.content.decode()
        assert Voter.objects.get(pk=voters[number].pk).checked_in_by == coordinator
    election = close_polls(election)
    client.post(count_url(election, places["1"]), count_data(candidates, ["1", "0", "0"]))
    assert PaperTally.objects.get(polling_place=places["1"]).entered_by == coordinator
    # The place's own officer confirms the coordinator's count.
    tally = PaperTally.objects.get(polling_place=places["1"])
    confirm_paper_count(election, places["1"], place_one_officer, tally_fingerprint(tally))
    tally.refresh_from_db()
    assert (tally.entered_by, tally.confirmed_by) == (coordinator, place_one_officer)


def test_officers_from_before_places_keep_working_at_every_place(client, mfa_user, open_setup):
    election, places, voters, *_ = open_setup
    legacy = make_officer(mfa_user, election, "gammel@kommune.example")  # group member, no assignment
    client.force_login(legacy)
    response = client.get(reverse("elections:pollbook", args=[election.pk]))
    assert [p.code for p in response.context["places"]] == ["1", "2"]
    client.post(check_in_url(election, places["2"], voters[104]))
    assert Voter.objects.get(pk=voters[104].pk).checked_in_place == places["2"]


def test_a_superuser_keeps_full_access_even_if_assigned(client, mfa_user, open_setup):
    election, places, voters, *_ = open_setup
    superuser, _secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    OfficerAssignment.objects.create(election=election, user=superuser, polling_place=places["1"])
    client.force_login(superuser)
    assert client.get(reverse("elections:pollbook", args=[election.pk])).status_code == 200
    assert client.get(place_url(election, places["2"])).status_code == 200
    check_in(election, voters[104].pk, places["2"], superuser)
    assert Voter.objects.get(pk=voters[104].pk).checked_in_by == superuser


def test_an_officer_whose_place_is_deleted_has_no_place_until_reassigned(client, mfa_user, open_setup):
    election, places, *_ = open_setup
    spare = PollingPlace.objects.create(election=election, code="3", name="Nørrebrohallen")
    officer = make_officer(mfa_user, election, "sted3@kommune.example", place=spare)
    spare.delete()
    assignment = OfficerAssignment.objects.get(user=officer)
    assert (assignment.polling_place, assignment.all_places) == (None, False)
    client.force_login(officer)
    response = client.get(reverse("elections:pollbook", args=[election.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Du er ikke tildelt et valgsted" in body
    assert response.context["places"] == []
    response = client.get(place_url(election, places["1"]))
    assert response.status_code == 403
    assert "Du er ikke tildelt et valgsted ved dette valg" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "citizen", "other_election_officer", "other_secretariat"])
def test_others_still_cannot_use_the_poll_book(
    client, user_factory, mfa_user, home_page, open_setup, other_secretariat, role
):
    election, places, voters, *_ = open_setup
    if role == "citizen":
        client.force_login(user_factory(email="borger@example.org"))
    elif role == "other_election_officer":
        other, other_places, *_ = build_election(home_page, title="Valg 2022", slug="valg-2022", open_voting=False)
        client.force_login(make_officer(mfa_user, other, "anden@kommune.example", place=other_places["1"]))
    elif role == "other_secretariat":
        client.force_login(other_secretariat)
    responses = [
        client.get(reverse("elections:pollbook", args=[election.pk])),
        client.get(place_url(election, places["1"])),
        client.get(count_url(election, places["1"])),
        client.post(check_in_url(election, places["1"], voters[101])),
    ]
    for response in responses:
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code == 403
            assert "Ingen adgang til valgbogen" in response.content.decode()
    assert not Voter.objects.get(pk=voters[101].pk).voted_channel
