"""Run inside ``manage.py shell`` by bench/elections_bench.py: build the benchmark election.

Prints one JSON line: election id, import seconds, path of the voters file (code;birth date).
Personal numbers are generated (birth date + 4 running digits) and exist only in memory.
"""

import datetime as dt
import json
import os
import random
import time

from django.utils import timezone

from councils.models import CouncilIndexPage, CouncilKind, CouncilPage
from elections import crypto, roll
from elections.models import Candidate, ElectionPage, PollingPlace, Voter
from home.demo import load_site

VOTERS = int(os.environ.get("BENCH_VOTERS", "100000"))
CODES = int(os.environ.get("BENCH_CODES", "10000"))
OUT = os.environ["BENCH_CODES_FILE"]

home = load_site()
index = CouncilIndexPage(title="Råd og udvalg", slug="raad-og-udvalg")
home.add_child(instance=index)
council = CouncilPage(title="Integrationsrådet", slug="integrationsraadet", kind=CouncilKind.INTEGRATION)
index.add_child(instance=council)
now = timezone.now()
election = ElectionPage(
    title="Benchmarkvalg",
    slug="benchmarkvalg",
    seats=2,
    substitutes=2,
    voting_opens_at=now - dt.timedelta(hours=1),
    voting_closes_at=now + dt.timedelta(days=2),
    polling_places=[PollingPlace(code=str(i), name=f"Valgsted {i}") for i in (1, 2, 3)],
)
council.add_child(instance=election)
election.save_revision().publish()
election = ElectionPage.objects.get(pk=election.pk)

rng = random.Random(1)
lines = ["personnummer;navn;fødselsdato;adresse;valgsted"]
for n in range(VOTERS):
    birth = dt.date(1940 + n % 60, 1 + n % 12, 1 + n % 28)
    lines.append(f"{birth:%d%m%y}-{n // 21000:01d}{n % 1000:03d};Vælger {n};{birth:%d-%m-%Y};Gade {n};{1 + n % 3}")
data = ("\n".join(lines) + "\n").encode()
start = time.perf_counter()
report = roll.import_roll(election, data)
import_seconds = time.perf_counter() - start
assert report.ok, report.errors[:5]

for name in ("Anna", "Bo", "Cem", "Dina", "Emil"):
    Candidate.objects.create(
        election=election,
        name=name,
        statement="Benchmark",
        voter_key=crypto.voter_key(f"010150-{rng.randint(0, 9999):04d}"),
        status=Candidate.Status.APPROVED,
    )
start = time.perf_counter()
election.freeze_roll()
freeze_seconds = time.perf_counter() - start
election.close_nominations()
# Three trustees (2 of 3) run the key ceremony in this process: benchmark only (elections.demo).
from elections import demo  # noqa: E402

demo._demo_trustees(election, lambda _message: None)
election.open_voting()

voters = list(Voter.objects.filter(election=election).order_by("?")[:CODES])
rows = []
for voter in voters:
    code = crypto.new_poll_card_code()
    voter.poll_card_code_hash = crypto.poll_card_hash(election.pk, code)
    rows.append(f"{code};{voter.birth_date:%d-%m-%Y}")
Voter.objects.bulk_update(voters, ["poll_card_code_hash"], batch_size=2000)
with open(OUT, "w") as handle:
    handle.write("\n".join(rows) + "\n")
candidates = list(Candidate.objects.filter(election=election).values_list("pk", flat=True))
print(
    json.dumps(
        {
            "election": election.pk,
            "import_seconds": import_seconds,
            "freeze_seconds": freeze_seconds,
            "codes": OUT,
            "candidates": candidates,
            "voters": VOTERS,
            "params": ElectionPage.objects.get(pk=election.pk).ballot_box.params,
        }
    )
)
