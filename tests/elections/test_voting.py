"""Online voting: poll-card login, ballot, confirm, cast, receipt; refusals; secrecy of the ballot."""

import datetime
import logging

import pytest
from django.urls import reverse

from elections.models import AlreadyVoted, AuditLogEntry, Ballot, ElectionPage, PollCardFailure, Voter

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(election):
    voters = factories.add_voters(election, 5)
    alice = factories.candidate(election, "Alice Ahmadi")
    bob = factories.candidate(election, "Bo Berg")
    election = factories.open_for_voting(election)
    voter = voters[0][1]
    code = voter.issue_poll_card()
    return election, voter, code, alice, bob


def login(client, election, code, birth="17-05-1980"):
    return client.post(reverse("elections:vote", args=[election.pk]), {"code": code, "birth_date": birth})


def test_full_online_vote(client, ready):
    election, voter, code, alice, _bob = ready
    response = login(client, election, code)
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:ballot", args=[election.pk])
    page = client.get(response["Location"])
    assert "Alice Ahmadi" in page.content.decode()
    confirm = client.post(reverse("elections:ballot", args=[election.pk]), {"candidate": alice.pk})
    assert "Bekræft din stemme" in confirm.content.decode()
    assert Ballot.objects.count() == 0, "choosing a candidate stores nothing"
    cast = client.post(reverse("elections:cast", args=[election.pk]), {"candidate": alice.pk, "cast": "1"})
    assert cast.status_code == 302
    receipt = client.get(cast["Location"]).content.decode()
    ballot = Ballot.objects.get()
    assert ballot.tracker in receipt
    assert "Alice Ahmadi" not in receipt
    assert ballot.candidate == alice
    voter.refresh_from_db()
    assert voter.voted_channel == Voter.Channel.ONLINE
    # Same person again: refused, nothing stored.
    client.cookies.clear()
    again = login(client, election, code)
    assert again.status_code == 403
    assert "allerede stemt" in again.content.decode()
    assert Ballot.objects.count() == 1


def test_ballot_needs_the_code_step(client, ready):
    election, _voter, _code, alice, _bob = ready
    response = client.get(reverse("elections:ballot", args=[election.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:vote", args=[election.pk])
    cast = client.post(reverse("elections:cast", args=[election.pk]), {"candidate": alice.pk})
    assert cast.status_code == 302
    assert Ballot.objects.count() == 0


def test_every_login_failure_gets_the_same_message(client, ready):
    election, voter, code, _alice, _bob = ready
    wrong_code = login(client, election, "AAAA-BBBB-CCCC").content.decode()
    wrong_birth = login(client, election, code, birth="18-05-1980").content.decode()

    def message(html):
        start = html.index("error-summary")
        return html[start : html.index("</ul>", start)]

    assert message(wrong_code) == message(wrong_birth)
    assert "Koden eller fødselsdatoen er ikke rigtig" in message(wrong_code)
    assert 'value="AAAA-BBBB-CCCC"' in wrong_code, "the form keeps what was typed"


def test_lockout_after_repeated_failures(client, ready):
    election, voter, code, _alice, _bob = ready
    for _ in range(5):
        login(client, election, code, birth="01-01-1990")
    voter.refresh_from_db()
    assert voter.locked_at is not None
    # Even the right birth date is now refused, with the same message.
    response = login(client, election, code)
    assert response.status_code == 200
    assert "Koden eller fødselsdatoen er ikke rigtig" in response.content.decode()
    assert AuditLogEntry.objects.filter(action="pollcard.lock").exists()


def test_client_lockout_blocks_guessing(client, ready):
    election, _voter, code, _alice, _bob = ready
    for i in range(5):
        login(client, election, f"ZZZZ-ZZZZ-ZZZ{i}")
    assert PollCardFailure.objects.count() == 5
    response = login(client, election, code)
    assert response.status_code == 200, "a correct code from a locked-out address is refused too"
    assert "Koden eller fødselsdatoen er ikke rigtig" in response.content.decode()


def test_cast_that_loses_a_race_to_another_channel_says_already_voted(client, ready, monkeypatch):
    election, _voter, code, alice, _bob = ready
    login(client, election, code)

    def checked_in_meanwhile(self, voter_id, candidate):
        raise AlreadyVoted("Vælgeren har allerede stemt.")

    monkeypatch.setattr(ElectionPage, "cast_ballot", checked_in_meanwhile)
    cast = client.post(reverse("elections:cast", args=[election.pk]), {"candidate": alice.pk, "cast": "1"})
    assert cast.status_code == 403
    assert "Du har allerede stemt ved dette valg." in cast.content.decode()


def test_vote_after_close_is_refused(client, ready):
    election, voter, code, alice, _bob = ready
    login(client, election, code)
    ElectionPage.objects.get(pk=election.pk).close()
    cast = client.post(reverse("elections:cast", args=[election.pk]), {"candidate": alice.pk})
    assert cast.status_code == 403
    assert "Afstemningen er lukket. Der kan ikke længere afgives stemmer." in cast.content.decode()
    assert Ballot.objects.count() == 0
    voter.refresh_from_db()
    assert voter.voted_channel == ""


def test_vote_after_closing_time_is_refused(client, ready, time_machine):
    """Nobody pressed »close«: the closing time alone ends voting, for a voter already logged in."""
    election, voter, code, alice, _bob = ready
    login(client, election, code)
    time_machine.move_to(election.voting_closes_at + datetime.timedelta(minutes=1))
    cast = client.post(reverse("elections:cast", args=[election.pk]), {"candidate": alice.pk, "cast": "1"})
    assert cast.status_code == 403
    assert "Afstemningen er lukket. Der kan ikke længere afgives stemmer." in cast.content.decode()
    assert Ballot.objects.count() == 0
    voter.refresh_from_db()
    assert voter.voted_channel == ""
    assert not voter.has_voted


def test_paper_checkin_blocks_online_vote(client, ready):
    election, voter, code, alice, _bob = ready
    login(client, election, code)
    Voter.objects.filter(pk=voter.pk).update(voted_channel=Voter.Channel.PAPER)
    cast = client.post(reverse("elections:cast", args=[election.pk]), {"candidate": alice.pk})
    assert cast.status_code == 403
    assert "allerede stemt" in cast.content.decode()
    assert Ballot.objects.count() == 0


def test_rejected_candidate_cannot_be_chosen(client, ready):
    election, _voter, code, _alice, _bob = ready
    rejected = factories.candidate(election, "Afvist Person", status="rejected")
    login(client, election, code)
    response = client.post(reverse("elections:cast", args=[election.pk]), {"candidate": rejected.pk})
    assert response.status_code == 200
    assert "Vælg en kandidat fra listen" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_application_log_of_a_vote_has_no_candidate(client, ready, caplog):
    election, _voter, code, alice, _bob = ready
    caplog.set_level(logging.DEBUG)
    login(client, election, code)
    client.post(reverse("elections:ballot", args=[election.pk]), {"candidate": alice.pk})
    client.post(reverse("elections:cast", args=[election.pk]), {"candidate": alice.pk, "cast": "1"})
    assert Ballot.objects.count() == 1
    assert any("ballot cast" in r.getMessage() for r in caplog.records)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Alice" not in text
    assert f"candidate={alice.pk}" not in text and f"candidate {alice.pk}" not in text
    for entry in AuditLogEntry.objects.all():
        assert "Alice" not in entry.message + str(entry.data)


def test_group_restricted_voting(client, council):
    election = factories.election(
        council, slug="gruppevalg", groups=[("Gruppe A", 1, 0), ("Gruppe B", 1, 0)], group_voting_restricted=True
    )
    group_a, group_b = election.groups.all()
    voter = factories.add_voters(election, 1, group=group_a)[0][1]
    in_a = factories.candidate(election, "Anna A", group=group_a)
    in_b = factories.candidate(election, "Bent B", group=group_b)
    factories.candidate(election, "Anders A", group=group_a)
    election = factories.open_for_voting(election)
    code = voter.issue_poll_card()
    login(client, election, code)
    page = client.get(reverse("elections:ballot", args=[election.pk])).content.decode()
    assert "Anna A" in page and "Bent B" not in page
    client.post(reverse("elections:cast", args=[election.pk]), {"candidate": in_b.pk})
    assert Ballot.objects.count() == 0
    client.post(reverse("elections:cast", args=[election.pk]), {"candidate": in_a.pk})
    assert Ballot.objects.get().candidate == in_a


def test_english_visitors_get_the_english_ballot_pages(client, ready):
    election, _voter, _code, _alice, _bob = ready
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("elections:vote", args=[election.pk]))
    html = response.content.decode()
    assert "Code from your poll card" in html
    assert "Continue to the ballot" in html


def test_poll_card_form_is_rate_limited(client, ready):
    election, _voter, _code, _alice, _bob = ready
    for i in range(20):
        assert login(client, election, f"QQQQ-QQQQ-QQ{i:02d}").status_code == 200
    assert login(client, election, "QQQQ-QQQQ-QQQQ").status_code == 429
