"""Double voting under concurrency: 50 threads for the same voter store exactly one encrypted ballot.

Runs on whichever database the suite uses (SQLite locally, PostgreSQL in CI).
"""

import functools

import pytest
from django.utils import timezone

from elections.errors import PollBookError
from elections.models import AlreadyVoted, Ballot, BallotBox, ElectionPage, Voter
from elections.pollbook.checkin import check_in

from . import factories
from .races import race

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 50


def hammer(work, election):
    """Run ``work(i, election)`` in THREADS threads released at once; returns [(outcome, detail)].

    Each thread loads the election before the barrier, so only the cast itself races.
    """
    return race(
        [functools.partial(work, i) for i in range(THREADS)],
        refused=(AlreadyVoted, PollBookError),
        prepare=lambda: ElectionPage.objects.get(pk=election.pk),
    )


@pytest.fixture
def open_election(council):
    election = factories.election(council, slug="samtidig", election_day=timezone.localdate())
    voters = factories.add_voters(election, 3)
    a = factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    return factories.open_for_voting(election), voters[0][1], a


def test_fifty_simultaneous_online_casts_store_one_ballot(open_election):
    election, voter, candidate = open_election
    ballots = [factories.ballot_for(election, candidate) for _ in range(THREADS)]
    results = hammer(lambda i, own: own.cast_ballot(voter.pk, ballots[i]).tracker, election)
    kinds = [r[0] for r in results]
    assert kinds.count("ok") == 1, results
    assert kinds.count("refused") == THREADS - 1, results
    assert Ballot.objects.filter(election=election).count() == 1
    assert BallotBox.objects.get(election=election).count == 1
    assert Voter.objects.get(pk=voter.pk).voted_channel == Voter.Channel.ONLINE


def test_online_casts_and_check_ins_at_once_leave_one_vote(open_election, django_user_model):
    election, voter, candidate = open_election
    officer = django_user_model.objects.create_user(email="officer@kommune.example")
    place = voter.polling_place
    ballots = [factories.ballot_for(election, candidate) for _ in range(THREADS)]

    def work(i, own):
        if i % 2:
            return own.cast_ballot(voter.pk, ballots[i]).tracker
        return check_in(own, voter.pk, place, officer).voted_channel

    results = hammer(work, election)
    assert [r[0] for r in results].count("ok") == 1, results
    stored = Voter.objects.get(pk=voter.pk)
    ballots = Ballot.objects.filter(election=election).count()
    if stored.voted_channel == Voter.Channel.ONLINE:
        assert ballots == 1 and stored.checked_in_at is None
    else:
        assert stored.voted_channel == Voter.Channel.PAPER and ballots == 0


def test_many_voters_at_once_keep_the_chain_linear(open_election):
    election, _voter, candidate = open_election
    voters = [v for _n, v in factories.add_voters(election, 20, start=100)]
    ballots = [factories.ballot_for(election, candidate) for _ in range(THREADS)]
    results = hammer(lambda i, own: own.cast_ballot(voters[i % 20].pk, ballots[i]).tracker, election)
    kinds = [r[0] for r in results]
    assert kinds.count("ok") == 20, results
    assert kinds.count("refused") == THREADS - 20, results
    stored = Ballot.objects.filter(election=election).count()
    assert stored == Voter.objects.filter(election=election, voted_channel="online").count()
    from elections.verification import verify

    report = verify(election)
    assert report.ok, report.problems
    assert report.ballots == 20
