#!/usr/bin/env python
"""Benchmark the elections app on PostgreSQL behind gunicorn.

    .venv/bin/python bench/elections_bench.py [--voters 100000] [--votes 10000] [--concurrency 50]
                                              [--workers 4] [--ballots 100000] [--keep-db]

1. Roll import: 100,000 voters from a CSV through ``elections.roll.import_roll`` (timed).
2. Voting: 10,000 voters cast an encrypted ballot over HTTP with 50 concurrent clients against
   gunicorn: poll-card login (POST) and cast (POST of the ciphertext and proofs, made beforehand
   by elections.protocol as a browser would; the server checks every proof) per voter; afterwards
   200 of them try again. Reports errors, duplicates (ballots vs. voters marked as voted), median
   and 95th percentile latency, the server-side proof check per ballot, and runs verify_election.
3. Count: ``BENCH_TALLY_BALLOTS`` (2,000) encrypted ballots in a second election; the close
   (homomorphic sum), two trustees' partial decryptions, ``count`` and ``verify`` are timed. The
   100,000-ballot figures without a database are bench/election_crypto.py's.
It creates its own database (elections_bench) and drops it at the end; gunicorn on port 8013.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from common import (
    HOST,
    PYTHON,
    ROOT,
    drop_database,
    environment,
    fresh_database,
    gunicorn,
    percentile,
    refuse_if_port_taken,
)

PORT = 8013
DB_NAME = "elections_bench"
CODES_FILE = str(Path(tempfile.gettempdir()) / f"elections_bench_codes_{os.getpid()}.csv")


def bench_environment(args):
    return environment(
        DB_NAME,
        "elections_settings",
        BENCH_VOTERS=str(args.voters),
        BENCH_CODES=str(args.votes),
        BENCH_CODES_FILE=CODES_FILE,
        BENCH_BALLOTS=str(args.ballots),
        DEMO_TRUSTEE_KEYS_DIR=str(Path(tempfile.gettempdir()) / f"elections_bench_keys_{os.getpid()}"),
    )


def shell(env, script):
    code = (ROOT / "bench" / script).read_text()
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Client:
    """A keep-alive HTTP client with its own cookie jar (one simulated browser)."""

    def __init__(self):
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"Host": f"{HOST}:{PORT}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
            raise
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, response.getheader("Location", ""), data


def _encrypt(job):
    params, index = job
    sys.path.insert(0, str(ROOT))
    from elections import protocol

    choices = [1 if i == index % len(params["candidates"]) else 0 for i in range(len(params["candidates"]))]
    ballot, _randomness = protocol.encrypt_ballot(params, choices)
    return protocol.canonical_json(ballot).decode()


def encrypt_ballots(params, count, jobs=2):
    """The ballots the voters' browsers would send (made before the timed phase, on ``jobs`` processes)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(_encrypt, [(params, n) for n in range(count)], chunksize=50)


def proof_check_seconds(params, ballots):
    """Server-side check per ballot (elections.protocol.verify_ballot), median over the given ballots."""
    sys.path.insert(0, str(ROOT))
    from elections import protocol

    times = []
    for text in ballots:
        start = time.process_time()
        assert protocol.verify_ballot(params, protocol.loads(text)).ok
        times.append(time.process_time() - start)
    return statistics.median(times)


def vote_all(election, voters, ballots, concurrency):
    """Each voter: POST code + birth date, then POST the cast. Returns timings, errors, refusals."""
    timings, errors = [], []
    lock = threading.Lock()
    queue = iter(enumerate(voters))
    vote_path, cast_path = f"/valg/{election}/stem/", f"/valg/{election}/stem/afgiv/"

    def worker():
        client = Client()
        status, _loc, body = client.request("GET", vote_path)
        token = client.cookies.get("csrftoken")
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                break
            n, (code, birth) = item
            for name in ("sessionid", "medborger_stem", "medborger_kvittering"):
                client.cookies.pop(name, None)
            try:
                start = time.perf_counter()
                status, location, _ = client.request(
                    "POST", vote_path, {"csrfmiddlewaretoken": token, "code": code, "birth_date": birth}
                )
                if status != 302 or "stemmeseddel" not in location:
                    raise RuntimeError(f"login {status}")
                status, location, _ = client.request(
                    "POST",
                    cast_path,
                    {"csrfmiddlewaretoken": token, "ballot": ballots[n]},
                )
                elapsed = time.perf_counter() - start
                if status != 302 or "kvittering" not in location:
                    raise RuntimeError(f"cast {status}")
            except Exception as exc:  # noqa: BLE001 - count and go on
                with lock:
                    errors.append(str(exc))
                continue
            with lock:
                timings.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - start


def try_again(election, voters):
    """Voters who already voted log in again: every attempt must be refused (HTTP 403)."""
    client = Client()
    client.request("GET", f"/valg/{election}/stem/")
    token = client.cookies.get("csrftoken")
    refused = 0
    for code, birth in voters:
        for name in ("sessionid", "medborger_stem", "medborger_kvittering"):
            client.cookies.pop(name, None)
        status, _loc, body = client.request(
            "POST", f"/valg/{election}/stem/", {"csrfmiddlewaretoken": token, "code": code, "birth_date": birth}
        )
        if status == 403 and re.search(rb"allerede stemt", body):
            refused += 1
    return refused


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    refuse_if_port_taken(PORT)
    env = bench_environment(args)
    fresh_database(DB_NAME, env)
    print(f"Importing a roll of {args.voters} voters …", flush=True)
    setup = shell(env, "elections_setup.py")
    print(f"roll import:  {setup['import_seconds']:.1f} s for {setup['voters']} voters", flush=True)
    print(f"roll freeze:  {setup['freeze_seconds']:.2f} s (fingerprint over {setup['voters']} keys)", flush=True)
    codes = [tuple(line.split(";")) for line in Path(CODES_FILE).read_text().split()]
    voters = codes[: args.votes]
    print(f"Encrypting {len(voters)} ballots (as the voters' browsers would) …", flush=True)
    start = time.perf_counter()
    ballots = encrypt_ballots(setup["params"], len(voters))
    encrypt_wall = time.perf_counter() - start
    check_seconds = proof_check_seconds(setup["params"], ballots[:200])
    try:
        with gunicorn(env, PORT, args.workers):
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    Client().request("GET", "/valg/")
                    break
                except OSError:
                    time.sleep(0.3)
            print(f"Casting {len(voters)} votes with {args.concurrency} concurrent voters …", flush=True)
            timings, errors, wall = vote_all(setup["election"], voters, ballots, args.concurrency)
            again = voters[:200]
            refused = try_again(setup["election"], again)
    finally:
        Path(CODES_FILE).unlink(missing_ok=True)
    check = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from elections.models import *; e=ElectionPage.objects.get(slug='benchmarkvalg'); "
            "print(Ballot.objects.filter(election=e).count(), Voter.objects.filter(election=e).voted().count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    ballots, voted = map(int, check.stdout.split()[-2:])
    verified = subprocess.run([PYTHON, "manage.py", "verify_election", "benchmarkvalg"], cwd=ROOT, env=env).returncode
    print("Casting encrypted ballots into a second election and counting them …", flush=True)
    tally = shell(env, "elections_tally.py")
    if not args.keep_db:
        drop_database(DB_NAME)
    print()
    print(
        f"votes over HTTP: {len(timings)} ok, {len(errors)} errors, gunicorn workers {args.workers}, "
        f"{args.concurrency} concurrent voters, {wall:.1f} s ({len(timings) / wall:.1f} votes/s)"
    )
    if errors:
        print(f"  first errors: {errors[:3]}")
    print(
        f"login + cast latency: median {statistics.median(timings) * 1000:.0f} ms, "
        f"p95 {percentile(timings, 0.95) * 1000:.0f} ms"
    )
    print(f"ballots stored {ballots}, voters marked voted {voted}, duplicates {ballots - len(timings)}")
    print(f"second attempts refused: {refused} of {len(again)}")
    print(f"verify_election: {'OK' if verified == 0 else 'MISMATCH'}")
    print(
        f"server-side proof check: median {check_seconds * 1000:.1f} ms CPU per ballot "
        f"({len(setup['params']['candidates'])} candidates); encrypting {len(voters)} ballots "
        f"on 2 processes took {encrypt_wall:.1f} s"
    )
    print(
        f"count of {tally['ballots']} encrypted ballots: close (homomorphic sum) {tally['close_seconds']:.2f} s, "
        f"2 partial decryptions {tally['decrypt_seconds']:.2f} s, count {tally['count_seconds']:.2f} s, "
        f"verify_election {tally['verify_seconds']:.2f} s (casting them: {tally['insert_seconds']:.1f} s)"
    )
    ok = not errors and ballots == voted == len(timings) and refused == len(again) and verified == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
