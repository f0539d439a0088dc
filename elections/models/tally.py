"""The count: the trustees' decryption of the online totals + confirmed paper counts, seats, substitutes, lots.

Ranking inside each seat group: most votes first; candidates with equal votes are ordered by
their lot, ``seats.lot_key(seed, candidate_id)`` (lower first), where
``seed = seats.tie_break_seed(chain_head)`` and the chain head is published (elections/protocol/seats.py). Anyone can
repeat the draw from the published head and the candidate ids in the JSON download.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count, Sum

from .. import protocol
from ..protocol import seats
from .ballots import BallotBox
from .paper import PaperTally, PaperTallyLine
from .results import CandidateResult, TallyResult
from .roll import Voter
from .trustees import Trustee

# The ranking itself is the protocol's, so the standalone verifier runs the same code.
rank_candidates = seats.rank_candidates

#: The final board's count part, stored in ``TallyResult.board``; the voting board has none of it.
COUNT_KEYS = ("totals", "partial_decryptions", "paper", "result")


def paper_votes(election):
    """{candidate_id: votes} from the confirmed paper tallies."""
    return Counter(
        dict(
            PaperTallyLine.objects.filter(tally__election=election, tally__confirmed_at__isnull=False)
            .values_list("candidate_id")
            .annotate(n=Sum("votes"))
            .values_list("candidate_id", "n")
        )
    )


def count_board(election):
    """The final board's count part from the ballot box: head, count and the totals summed at the close,
    decrypted with any ``threshold`` of the trustees' checked partial decryptions, plus the confirmed paper counts.

    The ballots are not read again: the close summed them under the box's lock after the last cast,
    and the trustees decrypted exactly those totals. The protocol computes the result with the same
    code the standalone verifier runs, and the verifier checks the totals against every ballot.
    """
    box = BallotBox.objects.get(election=election)
    partials = list(
        Trustee.objects.filter(election=election, partial_decryption__isnull=False)
        .order_by("index")
        .values_list("partial_decryption", flat=True)
    )
    totals = protocol.decode_totals(box.totals, len(box.params["candidates"]))
    part = protocol.count_part(box.params, box.head, box.count, totals, partials, election.paper_counts(box.params))
    return {"head": box.head, "count": box.count, **part}


def turnout(election):
    voters = Voter.objects.filter(election=election)
    by_channel = dict(voters.exclude(voted_channel="").values_list("voted_channel").annotate(n=Count("id")))
    registered = dict(voters.values_list("polling_place_id").annotate(n=Count("id")))
    checked_in = dict(
        voters.filter(checked_in_place__isnull=False).values_list("checked_in_place_id").annotate(n=Count("id"))
    )
    tallies = {
        t.polling_place_id: t
        for t in PaperTally.objects.filter(election=election, confirmed_at__isnull=False).prefetch_related("lines")
    }
    places = []
    for place in election.polling_places.all():
        tally = tallies.get(place.pk)
        places.append(
            {
                "id": place.pk,
                "name": place.name,
                "registered": registered.get(place.pk, 0),
                "checked_in": checked_in.get(place.pk, 0),
                "paper_votes": tally.valid_votes if tally else 0,
                "invalid": tally.invalid_votes if tally else 0,
            }
        )
    total = voters.count()
    voted = sum(by_channel.values())
    return {
        "registered": total,
        "voted": voted,
        "online": by_channel.get("online", 0),
        "paper": by_channel.get("paper", 0),
        "invalid": sum(p["invalid"] for p in places),
        "percent": round(100 * voted / total, 1) if total else 0.0,
        "places": places,
    }


def published_board(election, final_only=False):
    """The board as the site publishes it from the stored rows: final (with the stored count) once the result
    is counted, else the voting board (every ballot, no totals). None before voting opens."""
    box = BallotBox.objects.filter(election=election).first()
    if box is None or not box.params:
        return None
    board = protocol.voting_board(box.params, box.entries())
    tally = TallyResult.objects.filter(election=election).first()
    if tally is not None and tally.board:
        board.update(stage="final", **tally.board)
    elif final_only:
        return None
    return board


def compute_uncontested(election):
    """The outcome of a fredsvalg: no votes, every approved candidate ranked by the published lot."""
    seed = seats.tie_break_seed(election.chain_head())
    approved = list(election.approved_candidates().values_list("pk", "group_id"))
    groups = [
        {"id": group.pk if group else None, "name": group.name if group else None, "seats": n, "substitutes": subs}
        for group, n, subs in election.seat_rules()
    ]
    allocation = seats.allocate(groups, approved, {}, paper_votes(election), seed)
    return {"head": election.chain_head(), "seed": seed, "ties": allocation["ties"], "rows": allocation["rows"]}


def compute_tally(election, user=None):
    """Decrypt the count (or settle a fredsvalg) and store it, replacing an earlier unpublished one."""
    if election.uncontested:
        data, tail, ballots = compute_uncontested(election), {}, 0
    else:
        board = count_board(election)
        result = board["result"]
        data = {"head": board["head"], "seed": result["seed"], "ties": result["ties"], "rows": result["rows"]}
        tail = {key: board[key] for key in COUNT_KEYS}
        ballots = board["count"]
    with transaction.atomic():
        stored, _created = TallyResult.objects.update_or_create(
            election=election,
            defaults={
                "chain_head": data["head"],
                "seed": data["seed"],
                "ties": data["ties"],
                "turnout": turnout(election),
                "ballot_count": ballots,
                "board": tail,
            },
        )
        stored.rows.all().delete()
        CandidateResult.objects.bulk_create(
            CandidateResult(
                tally=stored,
                candidate_id=row["candidate"],
                group_id=row["group"],
                online_votes=row["online"],
                paper_votes=row["paper"],
                votes=row["votes"],
                rank=row["rank"],
                outcome=row["outcome"],
                decided_by_lot=row["decided_by_lot"],
            )
            for row in data["rows"]
        )
    return stored
