"""The count: votes per candidate (online ballots + confirmed paper counts), seats, substitutes, lots.

Ranking inside each seat group: most votes first; candidates with equal votes are ordered by
their lot, ``crypto.lot_key(seed, candidate_id)`` (lower first), where
``seed = crypto.tie_break_seed(chain_head)`` and the chain head is published. Anyone can
repeat the draw from the published head and the candidate ids in the JSON download.
"""

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count, Sum

from . import crypto


def count_votes(election):
    """{candidate_id: (online, paper)} from the stored ballots and the confirmed paper tallies."""
    from .models import Ballot, PaperTallyLine

    online = Counter(
        dict(
            Ballot.objects.filter(election=election)
            .values_list("candidate_id")
            .annotate(n=Count("id"))
            .values_list("candidate_id", "n")
        )
    )
    paper = Counter(
        dict(
            PaperTallyLine.objects.filter(tally__election=election, tally__confirmed_at__isnull=False)
            .values_list("candidate_id")
            .annotate(n=Sum("votes"))
            .values_list("candidate_id", "n")
        )
    )
    return online, paper


def rank_candidates(candidates, votes, seats, substitutes, seed):
    """Rank one group. ``candidates`` is a list of ids, ``votes`` {id: total}.

    Returns (rows, ties): rows = [(id, rank, outcome, decided_by_lot)], ties = the recorded draws.
    """
    order = sorted(candidates, key=lambda c: (-votes.get(c, 0), crypto.lot_key(seed, c)))
    outcomes = {}
    for index, candidate in enumerate(order):
        if index < seats:
            outcomes[candidate] = "elected"
        elif index < seats + substitutes:
            outcomes[candidate] = "substitute"
        else:
            outcomes[candidate] = "not_elected"
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
            {
                "votes": total,
                "candidates": tied,
                "lots": {str(c): crypto.lot_key(seed, c) for c in tied},
                "decisive": decisive,
            }
        )
    rows = [(c, i + 1, outcomes[c], c in by_lot) for i, c in enumerate(order)]
    return rows, ties


def turnout(election):
    from .models import PaperTally, Voter

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


def compute(election, chain_head=None):
    """Pure computation (nothing stored): {"chain_head", "seed", "ties", "rows": [...]}."""
    chain_head = chain_head or election.chain_head()
    seed = crypto.tie_break_seed(chain_head)
    online, paper = count_votes(election)
    approved = list(election.approved_candidates().values_list("pk", "group_id"))
    rows, ties = [], []
    for group, seats, substitutes in election.seat_rules():
        ids = [pk for pk, group_id in approved if group is None or group_id == group.pk]
        votes = {pk: online.get(pk, 0) + paper.get(pk, 0) for pk in ids}
        ranked, group_ties = rank_candidates(ids, votes, seats, substitutes, seed)
        for tie in group_ties:
            tie["group"] = group.name if group else None
        ties.extend(group_ties)
        for pk, rank, outcome, by_lot in ranked:
            rows.append(
                {
                    "candidate": pk,
                    "group": group.pk if group else None,
                    "online": online.get(pk, 0),
                    "paper": paper.get(pk, 0),
                    "votes": votes[pk],
                    "rank": rank,
                    "outcome": outcome,
                    "decided_by_lot": by_lot,
                }
            )
    return {"chain_head": chain_head, "seed": seed, "ties": ties, "rows": rows}


def compute_tally(election, user=None):
    """Compute and store the tally (replacing an earlier unpublished one)."""
    from .models import Ballot, CandidateResult, TallyResult

    data = compute(election)
    with transaction.atomic():
        result, _created = TallyResult.objects.update_or_create(
            election=election,
            defaults={
                "chain_head": data["chain_head"],
                "seed": data["seed"],
                "ties": data["ties"],
                "turnout": turnout(election),
                "ballot_count": Ballot.objects.filter(election=election).count(),
            },
        )
        result.rows.all().delete()
        CandidateResult.objects.bulk_create(
            CandidateResult(
                tally=result,
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
    return result
