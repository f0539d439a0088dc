"""Run inside ``manage.py shell``: time the tally and verify_election of an election with 100,000 ballots.

The ballots are written straight into a fresh election as a proper hash chain (as casting would),
then ``compute_tally`` and ``verify`` are timed. Prints one JSON line.
"""

import datetime as dt
import json
import os
import random
import time

from django.utils import timezone

from councils.models import CouncilPage
from elections import crypto
from elections.models import Ballot, BallotBox, Candidate, ElectionPage, PollingPlace
from elections.tally import compute_tally
from elections.verification import verify

BALLOTS = int(os.environ.get("BENCH_BALLOTS", "100000"))
council = CouncilPage.objects.get(slug="integrationsraadet")
now = timezone.now()
election = ElectionPage(
    title="Tællevalg",
    slug="taellevalg",
    seats=3,
    substitutes=3,
    voting_opens_at=now - dt.timedelta(days=3),
    voting_closes_at=now - dt.timedelta(days=1),
    polling_places=[PollingPlace(code="1", name="Valgsted")],
)
council.add_child(instance=election)
election = ElectionPage.objects.get(pk=election.pk)
candidates = [
    Candidate.objects.create(election=election, name=f"K{i}", statement="x", voter_key=f"k{i}", status="approved")
    for i in range(12)
]
rng = random.Random(2)
head = crypto.genesis_hash(election.pk)
batch = []
start = time.perf_counter()
for _ in range(BALLOTS):
    candidate = rng.choice(candidates)
    ballot = Ballot(election=election, candidate=candidate, tracker=crypto.new_tracker(), prev_hash=head)
    ballot.hash = crypto.ballot_hash(head, ballot.pk, candidate.pk, ballot.tracker)
    head = ballot.hash
    batch.append(ballot)
    if len(batch) == 5000:
        Ballot.objects.bulk_create(batch)
        batch = []
Ballot.objects.bulk_create(batch)
BallotBox.objects.create(election=election, head=head, count=BALLOTS)
ElectionPage.objects.filter(pk=election.pk).update(voting_opened_at=now - dt.timedelta(days=3), closed_at=now)
insert_seconds = time.perf_counter() - start
start = time.perf_counter()
result = compute_tally(election)
tally_seconds = time.perf_counter() - start
start = time.perf_counter()
report = verify(election)
verify_seconds = time.perf_counter() - start
assert report.ok, report.problems[:5]
assert sum(r.votes for r in result.rows.all()) == BALLOTS
print(
    json.dumps(
        {
            "ballots": BALLOTS,
            "insert_seconds": insert_seconds,
            "tally_seconds": tally_seconds,
            "verify_seconds": verify_seconds,
        }
    )
)
