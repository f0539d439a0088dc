"""Seat allocation: the one implementation the app (elections/tally.py) and the verifier both run.

Per seat group, candidates are ranked by votes (online + paper), most first; the first
``seats`` are elected, the next ``substitutes`` are substitutes in that order, the rest are not
elected. Candidates with equal votes are ordered by their lot, ``lot_key(seed, id)`` (lower
first), where ``seed = tie_break_seed(chain head)``: anyone can repeat the draw from the
published head. A tie is *decisive* when the tied candidates do not all get the same outcome
(or several of them are substitutes, whose order matters).
"""

import hashlib
from collections import defaultdict


def tie_break_seed(chain_head: str) -> str:
    return hashlib.sha256(f"tiebreak:{chain_head}".encode()).hexdigest()


def lot_key(seed: str, candidate_id) -> str:
    """A candidate's lot: lower wins. Sorting tied candidates by this is the draw."""
    return hashlib.sha256(f"{seed}:{candidate_id}".encode()).hexdigest()


def _outcome(index, seats, substitutes):
    if index < seats:
        return "elected"
    if index < seats + substitutes:
        return "substitute"
    return "not_elected"


def rank_candidates(candidates, votes, seats, substitutes, seed):
    """Rank one group. ``candidates`` is a list of ids, ``votes`` {id: total}.

    Returns (rows, ties): rows = [(id, rank, outcome, decided_by_lot)], ties = the recorded draws.
    """
    order = sorted(candidates, key=lambda c: (-votes.get(c, 0), lot_key(seed, c)))
    outcomes = {c: _outcome(i, seats, substitutes) for i, c in enumerate(order)}
    by_votes = defaultdict(list)
    for candidate in order:
        by_votes[votes.get(candidate, 0)].append(candidate)
    ties, by_lot = [], set()
    for total, tied in by_votes.items():
        if len(tied) < 2:
            continue
        kinds = [outcomes[c] for c in tied]
        decisive = len(set(kinds)) > 1 or kinds.count("substitute") > 1
        if decisive:
            by_lot.update(tied)
        ties.append(
            {"votes": total, "candidates": tied, "lots": {str(c): lot_key(seed, c) for c in tied}, "decisive": decisive}
        )
    rows = [(c, i + 1, outcomes[c], c in by_lot) for i, c in enumerate(order)]
    return rows, ties


def allocate(seat_groups, candidates, online, paper, seed):
    """Rows and ties for every seat group.

    ``seat_groups``: [{"id": group id or None (all candidates), "name", "seats", "substitutes"}];
    ``candidates``: [(candidate id, group id or None)] of the approved candidates;
    ``online``, ``paper``: {candidate id: votes}. Returns {"ties": [...], "rows": [...]}.
    """
    rows, ties = [], []
    for group in seat_groups:
        ids = [pk for pk, group_id in candidates if group["id"] is None or group_id == group["id"]]
        votes = {pk: online.get(pk, 0) + paper.get(pk, 0) for pk in ids}
        ranked, group_ties = rank_candidates(ids, votes, group["seats"], group["substitutes"], seed)
        for tie in group_ties:
            tie["group"] = group["name"]
        ties.extend(group_ties)
        rows.extend(
            {
                "candidate": pk,
                "group": group["id"],
                "online": online.get(pk, 0),
                "paper": paper.get(pk, 0),
                "votes": votes[pk],
                "rank": rank,
                "outcome": outcome,
                "decided_by_lot": by_lot,
            }
            for pk, rank, outcome, by_lot in ranked
        )
    return {"ties": ties, "rows": rows}
