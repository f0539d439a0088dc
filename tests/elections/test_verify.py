"""verify_election: success on an honest election; names a ballot changed, removed or inserted behind the app."""

import uuid

import pytest
from django.core.management import call_command

from elections import crypto
from elections.models import Ballot, ElectionPage

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(council):
    election = factories.election(council, slug="kontrolvalg", seats=1, substitutes=1)
    voters = factories.add_voters(election, 8)
    a, b = factories.candidate(election, "Anna"), factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    for i, (_number, voter) in enumerate(voters[:6]):
        election.cast_ballot(voter.pk, a if i % 3 else b)
    election.close()
    election.count()
    return ElectionPage.objects.get(pk=election.pk), a, b


def run(slug):
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_election", slug, stdout=out)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue()


def chain(election):
    """Ballots in chain order."""
    by_prev = {b.prev_hash: b for b in Ballot.objects.filter(election=election)}
    current, ordered = crypto.genesis_hash(election.pk), []
    while current in by_prev:
        ordered.append(by_prev[current])
        current = ordered[-1].hash
    return ordered


def test_honest_election_verifies(counted):
    code, out = run("kontrolvalg")
    assert code == 0, out
    assert "OK" in out


def test_changed_ballot_is_named(counted):
    election, a, b = counted
    victim = next(x for x in chain(election) if x.candidate_id == b.pk)
    Ballot.objects.filter(pk=victim.pk).update(candidate=a)
    code, out = run("kontrolvalg")
    assert code == 1
    assert str(victim.pk) in out and "changed" in out
    assert "Anna" in out, "the recount differs from the stored result"


def test_removed_ballot_is_detected_and_its_place_named(counted):
    election, _a, _b = counted
    ordered = chain(election)
    Ballot.objects.filter(pk=ordered[2].pk).delete()
    code, out = run("kontrolvalg")
    assert code == 1
    assert f"after ballot {ordered[1].pk}" in out
    assert str(ordered[3].pk) in out, "the ballots cut off from the chain are named"


def test_removed_last_ballot_is_detected(counted):
    election, _a, _b = counted
    ordered = chain(election)
    Ballot.objects.filter(pk=ordered[-1].pk).delete()
    code, out = run("kontrolvalg")
    assert code == 1
    assert f"after ballot {ordered[-2].pk}" in out


def test_inserted_ballot_is_named(counted):
    election, a, _b = counted
    head = election.ballot_box.head
    forged = Ballot(id=uuid.uuid4(), election=election, candidate=a, tracker="FORGE-D0001", prev_hash=head)
    forged.hash = forged.expected_hash()
    forged.save(force_insert=True)
    code, out = run("kontrolvalg")
    assert code == 1
    assert str(forged.pk) in out and "inserted" in out


def test_inserted_ballot_with_recomputed_box_is_still_caught_by_the_published_head(counted):
    election, a, _b = counted
    box = election.ballot_box
    forged = Ballot(id=uuid.uuid4(), election=election, candidate=a, tracker="FORGE-D0002", prev_hash=box.head)
    forged.hash = forged.expected_hash()
    forged.save(force_insert=True)
    type(box).objects.filter(pk=box.pk).update(head=forged.hash, count=box.count + 1)
    code, out = run("kontrolvalg")
    assert code == 1
    assert str(forged.pk) in out
