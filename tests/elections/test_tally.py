"""Tally with hand-computed expectations: seats, groups, ties by lot, fredsvalg, zero votes, paper + online."""

import hashlib

import pytest
from django.utils import timezone

from elections.models import AuditLogEntry, CandidateResult, ElectionError, ElectionPage, PaperTally, PaperTallyLine

from . import factories

pytestmark = pytest.mark.django_db


def cast(election, voters, candidate, n):
    for _ in range(n):
        _number, voter = voters.pop()
        factories.cast(election, voter, candidate)


def outcome(election):
    return {
        r.candidate.name: (r.votes, r.outcome, r.rank)
        for r in CandidateResult.objects.filter(tally__election=election).select_related("candidate")
    }


def finish(election, trustees=(1, 2)):
    """Close, let the trustees numbered ``trustees`` decrypt the totals, count."""
    return factories.close_and_count(ElectionPage.objects.get(pk=election.pk), trustees)


def test_plain_seats_substitutes_and_a_candidate_with_zero_votes(council):
    election = factories.election(council, seats=2, substitutes=1)
    voters = factories.add_voters(election, 20)
    a, b, c, _d = (factories.candidate(election, n) for n in ("Anna", "Bo", "Cem", "Dina"))
    election = factories.open_for_voting(election)
    cast(election, voters, a, 5)
    cast(election, voters, b, 4)
    cast(election, voters, c, 2)
    election = finish(election, trustees=(2, 3))  # trustee 1 is absent: any 2 of 3 suffice
    assert outcome(election) == {
        "Anna": (5, "elected", 1),
        "Bo": (4, "elected", 2),
        "Cem": (2, "substitute", 3),
        "Dina": (0, "not_elected", 4),
    }
    assert election.tally.turnout["online"] == 11
    assert election.tally.turnout["registered"] == 20


def test_seat_groups_each_fill_their_own_seats(council):
    election = factories.election(council, groups=[("Gruppe X", 1, 1), ("Gruppe Y", 1, 0)])
    x, y = election.groups.all()
    voters = factories.add_voters(election, 10)
    x1, x2 = factories.candidate(election, "X1", group=x), factories.candidate(election, "X2", group=x)
    _y1, y2 = factories.candidate(election, "Y1", group=y), factories.candidate(election, "Y2", group=y)
    election = factories.open_for_voting(election)
    cast(election, voters, x1, 3)
    cast(election, voters, x2, 1)
    cast(election, voters, y2, 2)
    election = finish(election)
    assert outcome(election) == {
        "X1": (3, "elected", 1),
        "X2": (1, "substitute", 2),
        "Y2": (2, "elected", 1),
        "Y1": (0, "not_elected", 2),
    }


def test_ties_are_settled_by_lot_from_the_chain_head_and_can_be_repeated(council):
    election = factories.election(council, seats=1, substitutes=1)
    voters = factories.add_voters(election, 10)
    tied = [factories.candidate(election, n) for n in ("Ali", "Bea", "Carl")]
    election = factories.open_for_voting(election)
    for candidate in tied:
        cast(election, voters, candidate, 2)
    election = finish(election)
    tally = election.tally
    head = election.ballot_box.head
    assert tally.chain_head == head
    # Repeat the draw by hand from the published rule: seed = sha256("tiebreak:" + head),
    # lot = sha256(seed + ":" + candidate id), lowest first.
    seed = hashlib.sha256(f"tiebreak:{head}".encode()).hexdigest()
    assert tally.seed == seed
    by_hand = sorted(tied, key=lambda c: hashlib.sha256(f"{seed}:{c.pk}".encode()).hexdigest())
    result = outcome(election)
    assert result[by_hand[0].name] == (2, "elected", 1)
    assert result[by_hand[1].name] == (2, "substitute", 2)
    assert result[by_hand[2].name] == (2, "not_elected", 3)
    assert tally.ties == [
        {
            "votes": 2,
            "candidates": [c.pk for c in by_hand],
            "lots": {str(c.pk): hashlib.sha256(f"{seed}:{c.pk}".encode()).hexdigest() for c in by_hand},
            "decisive": True,
            "group": None,
        }
    ]
    assert CandidateResult.objects.filter(decided_by_lot=True).count() == 3
    # Counting again gives the same draw.
    election.count()
    assert outcome(ElectionPage.objects.get(pk=election.pk)) == result


def test_fredsvalg_when_no_more_candidates_than_seats(client, council):
    election = factories.election(council, seats=3, substitutes=1)
    factories.add_voters(election, 5)
    for name in ("Ayse", "Bilal"):
        factories.candidate(election, name)
    factories.candidate(election, "Afvist", status="rejected")
    election.freeze_roll()
    election.close_nominations()
    election = ElectionPage.objects.get(pk=election.pk)
    assert election.uncontested
    assert election.published_at is not None
    result = outcome(election)
    assert {name: (votes, kind) for name, (votes, kind, _rank) in result.items()} == {
        "Ayse": (0, "elected"),
        "Bilal": (0, "elected"),
    }
    with pytest.raises(ElectionError, match="Der er fredsvalg, så der skal ikke stemmes"):
        election.open_voting()
    page = client.get(election.url).content.decode()
    assert "Fredsvalg" in page
    assert "Stem online" not in page
    assert AuditLogEntry.objects.filter(action="nominations.close", data__uncontested=True).exists()


def test_pending_nominations_block_closing(council):
    election = factories.election(council)
    factories.candidate(election, "Venter", status="pending")
    with pytest.raises(ElectionError, match="Der er kandidater, som endnu ikke er godkendt eller afvist"):
        election.close_nominations()


def test_paper_and_online_are_combined_and_only_confirmed_paper_counts(council, django_user_model):
    election = factories.election(council, seats=1, substitutes=0)
    voters = factories.add_voters(election, 10)
    a, b = factories.candidate(election, "Anna"), factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    cast(election, voters, a, 2)
    cast(election, voters, b, 1)
    place1, place2 = election.polling_places.all()[:2]
    officer = django_user_model.objects.create_user(email="o1@kommune.example")
    second = django_user_model.objects.create_user(email="o2@kommune.example")
    confirmed = PaperTally.objects.create(
        election=election, polling_place=place1, entered_by=officer, confirmed_by=second, confirmed_at=timezone.now()
    )
    PaperTallyLine.objects.create(tally=confirmed, candidate=a, votes=0)
    PaperTallyLine.objects.create(tally=confirmed, candidate=b, votes=3)
    unconfirmed = PaperTally.objects.create(election=election, polling_place=place2, entered_by=officer)
    PaperTallyLine.objects.create(tally=unconfirmed, candidate=a, votes=10)
    election = finish(election)
    assert outcome(election) == {"Bo": (4, "elected", 1), "Anna": (2, "not_elected", 2)}
    bo = CandidateResult.objects.get(candidate=b)
    assert (bo.online_votes, bo.paper_votes) == (1, 3)


def test_the_count_needs_threshold_many_trustees_and_the_online_totals_are_decrypted(council):
    election = factories.election(council, seats=1, substitutes=0)
    voters = factories.add_voters(election, 6)
    a, b = factories.candidate(election, "Anna"), factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    cast(election, voters, a, 1)
    cast(election, voters, b, 3)
    election.close()
    election = ElectionPage.objects.get(pk=election.pk)
    factories.decrypt(election, (3,))
    with pytest.raises(ElectionError, match="2 valgtillidsfolk skal have dekrypteret optællingen; 1 har gjort det"):
        election.count()
    assert not CandidateResult.objects.exists()
    factories.decrypt(election, (1,))
    election.count()
    assert outcome(ElectionPage.objects.get(pk=election.pk)) == {"Bo": (3, "elected", 1), "Anna": (1, "not_elected", 2)}
    tally = ElectionPage.objects.get(pk=election.pk).tally
    assert [p["index"] for p in tally.board["partial_decryptions"]] == [1, 3]
    assert tally.board["result"]["online"] == [1, 3]
