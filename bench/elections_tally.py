"""Run inside ``manage.py shell`` by bench/elections_bench.py: the count of ``BENCH_TALLY_BALLOTS`` encrypted
ballots on PostgreSQL, through the site's own code.

A second election (``BENCH_TALLY_CANDIDATES``, default 6, candidates; three demo trustees, 2 of 3)
gets ``BENCH_TALLY_BALLOTS`` (default 100,000) valid encrypted ballots in its ballot box. They are
made on every core by bench/fast_ballots.py (which knows the election key, so it needs only
fixed-base multiplications; a sample is checked with ``protocol.verify_ballot``) and stored with
bulk inserts in chain order, exactly the rows ``BallotBox.objects.append`` writes: the cast path
itself is what the HTTP part of the benchmark measures. Then, timed, what happens after the close:

* ``ElectionPage.close()``: reads every stored ballot and multiplies the ciphertexts per candidate;
* trustees 1 and 3 each make and submit their partial decryption (``ceremony.submit`` checks it);
* ``ElectionPage.count()``: the final board (the sum again, the combination, the result rows);
* with ``BENCH_TALLY_VERIFY=1`` also ``verify_election`` (the standalone verifier on every ballot;
  bench/election_crypto.py times that on its own board).

The decrypted counts must equal the choices the generator made. Prints one JSON line.
"""

import datetime as dt
import json
import os
import time

import fast_ballots  # bench/ is on PYTHONPATH (bench/common.py environment)
from common import conditions
from django.db import connection, transaction
from django.utils import timezone

from councils.models import CouncilPage
from elections import ceremony, demo, protocol
from elections.models import Ballot, BallotBox, BallotCiphertext, Candidate, ElectionPage, PollingPlace
from elections.protocol import board as boards
from elections.verification import verify

BALLOTS = int(os.environ.get("BENCH_TALLY_BALLOTS", "100000"))
CANDIDATES = int(os.environ.get("BENCH_TALLY_CANDIDATES", "6"))
VERIFY = os.environ.get("BENCH_TALLY_VERIFY") == "1"

council = CouncilPage.objects.get(slug="integrationsraadet")
now = timezone.now()
election = ElectionPage(
    title="Tællevalg",
    slug=f"taellevalg-{os.getpid()}",
    seats=3,
    substitutes=3,
    voting_opens_at=now - dt.timedelta(days=3),
    voting_closes_at=now + dt.timedelta(days=1),
    polling_places=[PollingPlace(code="1", name="Valgsted")],
)
council.add_child(instance=election)
election = ElectionPage.objects.get(pk=election.pk)
for i in range(CANDIDATES):
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


generate_conditions = conditions()
start = time.perf_counter()
secret = fast_ballots.election_secret(box.params, files)
connection.close()  # the workers are forked: they must not share the database connection
made = fast_ballots.ballot_rows(box.params, secret, BALLOTS)
generate_seconds = time.perf_counter() - start
fast_ballots.check_sample(box.params, [protocol.loads(content) for content, _h, _a in made[::997]], every=1)

start = time.perf_counter()
link = box.head
with transaction.atomic():
    rows, alphas = [], []
    for content, digest, ballot_alphas in made:
        chain = boards.chain_link(link, digest)
        rows.append(
            Ballot(
                election=election,
                content=content,
                hash=digest,
                tracker=protocol.tracker_from_hash(digest),
                prev=link,
                chain=chain,
            )
        )
        alphas.extend(BallotCiphertext(election=election, alpha=alpha) for alpha in ballot_alphas)
        link = chain
        if len(rows) >= 2000:
            Ballot.objects.bulk_create(rows)
            BallotCiphertext.objects.bulk_create(alphas)
            rows, alphas = [], []
    Ballot.objects.bulk_create(rows)
    BallotCiphertext.objects.bulk_create(alphas)
    BallotBox.objects.filter(pk=box.pk).update(head=link, count=BALLOTS)
ElectionPage.objects.filter(pk=election.pk).update(voting_opened_at=now - dt.timedelta(days=3))
insert_seconds = time.perf_counter() - start
del made, rows, alphas
with connection.cursor() as cursor:
    cursor.execute("ANALYZE elections_ballot")

election = ElectionPage.objects.get(pk=election.pk)
count_conditions = conditions()
count_cpu_start = time.process_time()  # this process only: PostgreSQL's own CPU is not in it
start = time.perf_counter()
election.close()
close_seconds = time.perf_counter() - start
box.refresh_from_db()
totals = protocol.decode_totals(box.totals, CANDIDATES)
start = time.perf_counter()
for person in election.trustees.filter(index__in=(1, 3)):
    message = protocol.trustee_partial_decryption(box.params, files[person.index - 1], totals)
    ceremony.submit(election, person, ceremony.Step.DECRYPTION, protocol.canonical_json(message).decode())
decrypt_seconds = time.perf_counter() - start
start = time.perf_counter()
result = ElectionPage.objects.get(pk=election.pk).count()
count_seconds = time.perf_counter() - start
count_cpu_seconds = time.process_time() - count_cpu_start
count_conditions_end = conditions()
online = {r.candidate.name: r.online_votes for r in result.rows.select_related("candidate")}
expected = {f"K{i:02d}": len(range(i, BALLOTS, CANDIDATES)) for i in range(CANDIDATES)}
assert online == expected, (online, expected)
verify_seconds = None
if VERIFY:
    start = time.perf_counter()
    report = verify(election)
    verify_seconds = time.perf_counter() - start
    assert report.ok, report.problems[:5]
print(
    json.dumps(
        {
            "ballots": BALLOTS,
            "candidates": CANDIDATES,
            "generate_seconds": generate_seconds,
            "generate_conditions": generate_conditions,
            "insert_seconds": insert_seconds,
            "conditions": count_conditions,
            "conditions_end": count_conditions_end,
            "close_seconds": close_seconds,
            "decrypt_seconds": decrypt_seconds,
            "count_seconds": count_seconds,
            "close_decrypt_count_cpu_seconds": count_cpu_seconds,
            "verify_seconds": verify_seconds,
            "online_votes": online,
        }
    )
)
