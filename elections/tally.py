"""The count: votes per candidate (online ballots + confirmed paper counts), seats, substitutes, lots.

Ranking inside each seat group: most votes first; candidates with equal votes are ordered by
their lot, ``seats.lot_key(seed, candidate_id)`` (lower first), where
``seed = seats.tie_break_seed(chain_head)`` and the chain head is published (elections/protocol/seats.py). Anyone can
repeat the draw from the published head and the candidate ids in the JSON download.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count, Sum

from .protocol import seats

# The ranking itself is the protocol's, so the standalone verifier runs the same code.
rank_candidates = seats.rank_candidates


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
    seed = seats.tie_break_seed(chain_head)
    online, paper = count_votes(election)
    approved = list(election.approved_candidates().values_list("pk", "group_id"))
    groups = [
        {
            "id": group.pk if group else None,
            "name": group.name if group else None,
            "seats": seat_count,
            "substitutes": substitutes,
        }
        for group, seat_count, substitutes in election.seat_rules()
    ]
    allocation = seats.allocate(groups, approved, online, paper, seed)
    return {"chain_head": chain_head, "seed": seed, **allocation}


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
