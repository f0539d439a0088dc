"""Must hold 5 – the server checks every proof before it accepts a ballot: a choice of 2, a negative choice,
two candidates chosen, a proof for another election's key, a copied ciphertext and garbage are refused
through the site with a clear Danish message, the voter is still marked as not voted, nothing is stored."""

import json

import pytest
from django.urls import reverse

from elections import protocol
from elections.models import Ballot, BallotBox, BallotCiphertext, Voter
from elections.protocol import group as g
from elections.protocol.ballot import CHOICE_VALUES
from tests.elections.protocol.test_ballots import cheating_ballot

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(client, council):
    election = factories.election(council, slug="bevisvalg")
    voters = factories.add_voters(election, 3)
    anna, bo = factories.candidate(election, "Anna"), factories.candidate(election, "Bo")
    factories.candidate(election, "Cem")
    election = factories.open_for_voting(election)
    voter = voters[0][1]
    code = voter.issue_poll_card()
    response = client.post(reverse("elections:vote", args=[election.pk]), {"code": code, "birth_date": "17-05-1980"})
    assert response.status_code == 302
    return election, voter, anna, bo


def other_election_params(council):
    other = factories.election(council, slug="andetvalg", title="Et andet valg")
    factories.add_voters(other, 2, start=50)
    for name in ("Anna", "Bo", "Cem"):
        factories.candidate(other, name)
    return factories.open_for_voting(other).ballot_box.params


def post(client, election, ballot):
    text = ballot if isinstance(ballot, str) else protocol.canonical_json(ballot).decode()
    return client.post(reverse("elections:cast", args=[election.pk]), {"ballot": text})


def assert_refused(response, message, election, voter):
    assert response.status_code == 400
    html = response.content.decode()
    assert "Stemmen blev ikke afgivet" in html and message in html
    assert 'id="election-params"' in html, "the ballot page is shown again so the voter can try once more"
    assert not Ballot.objects.filter(election=election).exists()
    assert not BallotCiphertext.objects.exists()
    assert BallotBox.objects.get(election=election).count == 0
    assert Voter.objects.get(pk=voter.pk).voted_channel == "", "a refused ballot does not use up the vote"


def test_a_choice_of_two_is_refused(client, ready):
    election, voter, _anna, _bo = ready
    params = election.ballot_box.params
    ballot = cheating_ballot(params, [2, 0, 0], [[0, 2], CHOICE_VALUES, CHOICE_VALUES])
    assert_refused(post(client, election, ballot), "hver kandidat har fået 0 eller 1 stemme", election, voter)


def test_a_negative_choice_is_refused(client, ready):
    election, voter, _anna, _bo = ready
    params = election.ballot_box.params
    minus_one = g.L - 1
    ballot = cheating_ballot(params, [1, minus_one, 1], [CHOICE_VALUES, [minus_one, 0], CHOICE_VALUES])
    assert_refused(post(client, election, ballot), "hver kandidat har fået 0 eller 1 stemme", election, voter)


def test_two_candidates_chosen_is_refused(client, ready):
    election, voter, _anna, _bo = ready
    ballot = cheating_ballot(election.ballot_box.params, [1, 1, 0], [CHOICE_VALUES] * 3)
    assert_refused(post(client, election, ballot), "det tilladte antal kandidater", election, voter)


def test_a_ballot_for_another_elections_key_is_refused(client, ready, council):
    election, voter, _anna, _bo = ready
    other = other_election_params(council)
    ballot, _r = protocol.encrypt_ballot(other, [1, 0, 0])
    assert_refused(post(client, election, ballot), "et andet valg eller med en anden valgnøgle", election, voter)
    # Relabelled with this election's fingerprint, its proofs still belong to the other key.
    ballot["election"] = election.ballot_box.fingerprint
    assert_refused(post(client, election, ballot), "0 eller 1 stemme", election, voter)


def test_garbage_and_an_empty_post_are_refused_without_an_error(client, ready):
    election, voter, _anna, _bo = ready
    for text in (
        "",
        "{",
        '{"a": 1, "a": 2}',
        "[]",
        json.dumps({"election": "x", "choices": [], "overall": []}),
        "x" * 70000,
    ):
        assert_refused(post(client, election, text), "Din stemme er ikke afgivet", election, voter)


def test_a_copied_ciphertext_is_refused(client, ready):
    """Another voter's ciphertext for Anna, reused in a new ballot: the proofs hold, the copy is refused."""
    election, voter, anna, _bo = ready
    other_voter = Voter.objects.filter(election=election).exclude(pk=voter.pk).first()
    first = factories.cast(election, other_voter, anna)
    copied = json.loads(first.content)
    response = post(client, election, copied)
    assert response.status_code == 400
    assert "kopi af en anden stemmeseddel" in response.content.decode()
    assert Ballot.objects.filter(election=election).count() == 1
    assert Voter.objects.get(pk=voter.pk).voted_channel == ""
