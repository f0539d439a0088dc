"""Run inside ``manage.py shell``: cast ``BENCH_TALLY_BALLOTS`` encrypted ballots into a fresh election and
time the close (homomorphic sum), two trustees' partial decryptions, the count and verify_election.

Ballots are made by elections.protocol and cast through ``BallotBox.objects.append`` (the proofs are
checked first, as the cast view does). Prints one JSON line. The 100,000-ballot tally and verifier
figures, without a database, are bench/election_crypto.py's.
"""

import datetime as dt
import json
import os
import random
import time

from django.utils import timezone

from councils.models import CouncilPage
from elections import ceremony, demo, protocol
from elections.models import BallotBox, Candidate, ElectionPage, PollingPlace
from elections.verification import verify

BALLOTS = int(os.environ.get("BENCH_TALLY_BALLOTS", "2000"))
council = CouncilPage.objects.get(slug="integrationsraadet")
now = timezone.now()
election = ElectionPage(
    title="Tællevalg",
    slug="taellevalg",
    seats=3,
    substitutes=3,
    voting_opens_at=now - dt.timedelta(days=3),
    voting_closes_at=now + dt.timedelta(days=1),
    polling_places=[PollingPlace(code="1", name="Valgsted")],
)
council.add_child(instance=election)
election = ElectionPage.objects.get(pk=election.pk)
for i in range(12):
    Candidate.objects.create(election=election, name=f"K{i:02d}", statement="x", voter_key=f"k{i}", status="approved")
ElectionPage.objects.filter(pk=election.pk).update(
    roll_frozen_at=now, nominations_closed_at=now, roll_fingerprint="0" * 64
)
election = ElectionPage.objects.get(pk=election.pk)
files = demo._demo_trustees(election, lambda _message: None)
box = BallotBox.objects.get(election=election)
box.params = election.election_params(box)
box.fingerprint = protocol.fingerprint(box.params)
box.head = protocol.genesis(box.fingerprint)
box.save()
rng = random.Random(2)
start = time.perf_counter()
for _ in range(BALLOTS):
    choices = [0] * 12
    choices[rng.randrange(12)] = 1
    ballot, _randomness = protocol.encrypt_ballot(box.params, choices)
    verdict = protocol.verify_ballot(box.params, ballot)
    assert verdict.ok
    BallotBox.objects.append(election, ballot, verdict.ballot_hash)
ElectionPage.objects.filter(pk=election.pk).update(voting_opened_at=now - dt.timedelta(days=3))
insert_seconds = time.perf_counter() - start
election = ElectionPage.objects.get(pk=election.pk)
start = time.perf_counter()
election.close()
close_seconds = time.perf_counter() - start
box.refresh_from_db()
totals = protocol.decode_totals(box.totals, 12)
start = time.perf_counter()
for person in election.trustees.filter(index__in=(1, 3)):
    message = protocol.trustee_partial_decryption(box.params, files[person.index - 1], totals)
    ceremony.submit(election, person, ceremony.Step.DECRYPTION, protocol.canonical_json(message).decode())
decrypt_seconds = time.perf_counter() - start
start = time.perf_counter()
result = ElectionPage.objects.get(pk=election.pk).count()
count_seconds = time.perf_counter() - start
start = time.perf_counter()
report = verify(election)
verify_seconds = time.perf_counter() - start
assert report.ok, report.problems[:5]
assert sum(r.online_votes for r in result.rows.all()) == BALLOTS
print(
    json.dumps(
        {
            "ballots": BALLOTS,
            "insert_seconds": insert_seconds,
            "close_seconds": close_seconds,
            "decrypt_seconds": decrypt_seconds,
            "count_seconds": count_seconds,
            "verify_seconds": verify_seconds,
        }
    )
)
