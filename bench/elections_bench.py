#!/usr/bin/env python
"""Benchmark the elections app on PostgreSQL behind gunicorn.

    .venv/bin/python bench/elections_bench.py [--voters 100000] [--votes 10000] [--concurrency 50]
                                              [--workers 4] [--port 8019] [--keep-db] [--skip-tally]

1. Roll import: 100,000 voters from a CSV through ``elections.roll.import_roll`` (timed).
2. Baseline: 2,000 requests to a bare view (one ``SELECT 1``, bench/bench_urls.py) with the same
   concurrency against the same gunicorn, before and after the votes, so the figures can be read
   against what the machine gives at that moment (it is shared).
3. Voting: 10,000 voters cast an encrypted ballot over HTTP with 50 concurrent clients against
   gunicorn, each the whole journey a new browser makes: the poll-card page (GET), the login (POST), the ballot page
   (GET), the cast (POST of the ciphertext and proofs, made beforehand by elections.protocol as
   the browser would; the server checks every proof) and the receipt (GET); afterwards 200 of
   them try again and must be refused. Reports errors, median and 95th percentile latency per
   step, and then checks by SQL (psql, not the ORM) that there are exactly as many ballots,
   distinct hashes, distinct chain links and online-voted roll entries as successful casts, no
   α twice, and that the chain is one unbroken line; ``verify_election`` runs the verifier.
4. Server-side proof check per ballot (``protocol.verify_ballot`` on the election's parameters).
5. Count on PostgreSQL: ``BENCH_TALLY_BALLOTS`` (default 100,000) valid encrypted ballots, made by
   bench/fast_ballots.py for a second election and stored in its ballot box; then the site's own
   ``close`` (homomorphic sum of the stored ballots), two trustees' partial decryptions, ``count``
   and ``verify_election`` are timed (bench/elections_tally.py).
It creates its own database (medborger_elbench_http) and drops it at the end; gunicorn on port 8019,
the cache in Redis database 1 (``BENCH_REDIS_URL``).
"""

import argparse
import collections
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
    PG,
    PYTHON,
    ROOT,
    conditions,
    drop_database,
    environment,
    fresh_database,
    gunicorn,
    load_text,
    percentile,
    refuse_if_port_taken,
    run_threads,
)

PORT = 8019
DB_NAME = "medborger_elbench_http"
CODES_FILE = str(Path(tempfile.gettempdir()) / f"elections_bench_codes_{os.getpid()}.csv")


def bench_environment(args):
    return environment(
        DB_NAME,
        "elections_settings",
        BENCH_VOTERS=str(args.voters),
        BENCH_CODES=str(args.votes),
        BENCH_CODES_FILE=CODES_FILE,
        BENCH_TALLY_BALLOTS=str(args.tally_ballots),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
        REDIS_KEY_PREFIX=f"elbench{os.getpid()}",
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
    """Server-side check per ballot (elections.protocol.verify_ballot): median (wall, CPU) seconds over ``ballots``."""
    sys.path.insert(0, str(ROOT))
    from elections import protocol

    wall, cpu = [], []
    for text in ballots:
        ballot = protocol.parse_ballot(text.encode())
        start, used = time.perf_counter(), time.process_time()
        assert protocol.verify_ballot(params, ballot).ok
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return statistics.median(wall), statistics.median(cpu)


def bare_baseline(requests, concurrency):
    """``requests`` GETs of the bare view (one SELECT 1, 2 kB body) with ``concurrency`` keep-alive clients."""
    timings, errors = [], []
    lock = threading.Lock()
    remaining = iter(range(requests))

    def worker():
        client = Client()
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            start = time.perf_counter()
            try:
                status, _loc, _body = client.request("GET", "/bench/bare/2048/")
                if status != 200:
                    raise RuntimeError(f"bare {status}")
            except Exception as exc:  # noqa: BLE001 - count and go on
                with lock:
                    errors.append(str(exc))
                continue
            with lock:
                timings.append(time.perf_counter() - start)

    measured = conditions()
    wall = run_threads(concurrency, worker)
    return {"timings": timings, "errors": errors, "wall": wall, "conditions": measured}


STEPS = ("page", "login", "ballot", "cast", "receipt")


def heading(body):
    """The page's first <h1> (what a person would read first on a refusal), for the error list."""
    match = re.search(rb"<h1[^>]*>(.*?)</h1>", body, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1).decode(errors="replace")).strip() if match else "(no h1)"


def vote_all(election, voters, ballots, concurrency):
    """Each voter, as a new browser (no cookies): GET the poll-card page, POST code + birth date with
    the CSRF token that page set, GET the ballot, POST the cast, GET the receipt. A failed step ends
    that voter's journey only; the next voter starts afresh, as the next person at a screen would."""
    timings, steps, errors = [], {step: [] for step in STEPS}, []
    lock = threading.Lock()
    queue = iter(enumerate(voters))
    base = f"/valg/{election}/stem/"

    def worker():
        client = Client()
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                break
            n, (code, birth) = item
            client.cookies.clear()
            times = {}
            try:
                start = time.perf_counter()
                status, _location, body = client.request("GET", base)
                if status != 200 or "csrftoken" not in client.cookies:
                    raise RuntimeError(f"page {status}: {heading(body)}")
                times["page"] = time.perf_counter()
                token = client.cookies["csrftoken"]  # as the page's form carries it
                status, location, body = client.request(
                    "POST", base, {"csrfmiddlewaretoken": token, "code": code, "birth_date": birth}
                )
                if status != 302 or "stemmeseddel" not in location:
                    raise RuntimeError(f"login {status}: {heading(body)} ({code};{birth})")
                times["login"] = time.perf_counter()
                status, _location, body = client.request("GET", base + "stemmeseddel/")
                if status != 200 or b"election-ballot" not in body:
                    raise RuntimeError(f"ballot page {status}: {heading(body)}")
                times["ballot"] = time.perf_counter()
                token = client.cookies.get("csrftoken", token)
                status, location, body = client.request(
                    "POST", base + "afgiv/", {"csrfmiddlewaretoken": token, "ballot": ballots[n]}
                )
                if status != 302 or "kvittering" not in location:
                    raise RuntimeError(f"cast {status}: {heading(body)}")
                times["cast"] = time.perf_counter()
                status, _location, body = client.request("GET", base + "kvittering/")
                if status != 200 or b"kvittering" not in body.lower():
                    raise RuntimeError(f"receipt {status}: {heading(body)}")
                times["receipt"] = time.perf_counter()
            except Exception as exc:  # noqa: BLE001 - count and go on
                with lock:
                    errors.append(str(exc))
                continue
            with lock:
                timings.append(times["receipt"] - start)
                previous = start
                for step in STEPS:
                    steps[step].append(times[step] - previous)
                    previous = times[step]

    wall = run_threads(concurrency, worker)
    return timings, steps, errors, wall


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


SQL_CHECKS = """
SELECT
  (SELECT count(*) FROM elections_ballot WHERE election_id = {e}),
  (SELECT count(DISTINCT hash) FROM elections_ballot WHERE election_id = {e}),
  (SELECT count(DISTINCT chain) FROM elections_ballot WHERE election_id = {e}),
  (SELECT count(DISTINCT prev) FROM elections_ballot WHERE election_id = {e}),
  (SELECT count(*) FROM elections_voter WHERE election_id = {e} AND voted_channel <> ''),
  (SELECT count(*) FROM elections_voter WHERE election_id = {e} AND voted_channel = 'online'),
  (SELECT count(*) FROM elections_ballotciphertext WHERE election_id = {e}),
  (SELECT count(DISTINCT alpha) FROM elections_ballotciphertext WHERE election_id = {e}),
  (SELECT count FROM elections_ballotbox WHERE election_id = {e}),
  (SELECT count(*) FROM elections_ballot b WHERE election_id = {e}
     AND NOT EXISTS (SELECT 1 FROM elections_ballot p WHERE p.election_id = {e} AND p.chain = b.prev)),
  (SELECT count(*) FROM elections_ballot b WHERE election_id = {e}
     AND NOT EXISTS (SELECT 1 FROM elections_ballot n WHERE n.election_id = {e} AND n.prev = b.chain)),
  (SELECT count(*) FROM elections_ballot b JOIN elections_ballotbox x ON x.election_id = b.election_id
     WHERE b.election_id = {e} AND NOT EXISTS (SELECT 1 FROM elections_ballot n
       WHERE n.election_id = {e} AND n.prev = b.chain) AND b.chain = x.head)
"""
SQL_NAMES = (
    "ballots",
    "distinct_hashes",
    "distinct_chain_links",
    "distinct_prev_links",
    "voters_voted",
    "voters_voted_online",
    "ciphertexts",
    "distinct_alphas",
    "box_count",
    "ballots_whose_prev_is_no_ballot",
    "chain_ends",
    "chain_end_is_box_head",
)


def sql_checks(election):
    """The counts above, straight from PostgreSQL with psql (not through the app)."""
    out = subprocess.run(
        ["psql", f"{PG}/{DB_NAME}", "-At", "-F", " ", "-c", SQL_CHECKS.format(e=int(election))],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(zip(SQL_NAMES, map(int, out.stdout.split()), strict=True))


def wait_for_server():
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            Client().request("GET", "/bench/bare/16/")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def ms(values, fraction=None):
    if not values:
        return "–"
    value = statistics.median(values) if fraction is None else percentile(values, fraction)
    return f"{value * 1000:.0f}"


def main():
    global PORT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--tally-ballots", type=int, default=100_000)
    parser.add_argument("--skip-tally", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    PORT = args.port

    refuse_if_port_taken(PORT)
    env = bench_environment(args)
    print(f"start: {load_text(conditions())}", flush=True)
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
    check_conditions = conditions()
    check_wall, check_cpu = proof_check_seconds(setup["params"], ballots[:300])
    print(
        f"server-side proof check: median {check_cpu * 1000:.2f} ms CPU, {check_wall * 1000:.2f} ms wall per ballot "
        f"({len(setup['params']['candidates'])} candidates, 300 ballots; {load_text(check_conditions)})",
        flush=True,
    )
    try:
        with gunicorn(env, PORT, args.workers):
            wait_for_server()
            before = bare_baseline(2000, args.concurrency)
            print(f"Casting {len(voters)} votes with {args.concurrency} concurrent voters …", flush=True)
            vote_conditions = conditions()
            timings, steps, errors, wall = vote_all(setup["election"], voters, ballots, args.concurrency)
            vote_conditions_end = conditions()
            after = bare_baseline(2000, args.concurrency)
            again = voters[:200]
            refused = try_again(setup["election"], again)
    finally:
        Path(CODES_FILE).unlink(missing_ok=True)
    sql = sql_checks(setup["election"])
    verify_start = time.perf_counter()
    verified = subprocess.run([PYTHON, "manage.py", "verify_election", "benchmarkvalg"], cwd=ROOT, env=env).returncode
    verify_seconds = time.perf_counter() - verify_start
    tally = None
    if not args.skip_tally:
        print(f"Storing {args.tally_ballots} encrypted ballots in a second election and counting them …", flush=True)
        tally = shell(env, "elections_tally.py")
        print(json.dumps(tally), flush=True)
    if not args.keep_db:
        drop_database(DB_NAME)
    print()
    for name, base in (("before", before), ("after", after)):
        print(
            f"bare view baseline ({name}): {len(base['timings'])} ok, {len(base['errors'])} errors, "
            f"{len(base['timings']) / base['wall']:.0f} req/s, median {ms(base['timings'])} ms, "
            f"p95 {ms(base['timings'], 0.95)} ms ({load_text(base['conditions'])})"
        )
    print(
        f"votes over HTTP: {len(timings)} ok, {len(errors)} errors, gunicorn workers {args.workers}, "
        f"{args.concurrency} concurrent voters, {wall:.1f} s ({len(timings) / wall:.1f} votes/s) "
        f"(start {load_text(vote_conditions)}; end {load_text(vote_conditions_end)})"
    )
    if errors:
        kinds = collections.Counter(error.split(" (")[0] for error in errors)
        print(f"  errors by kind: {dict(kinds.most_common())}")
        print(f"  first errors: {errors[:3]}")
    print(f"  whole journey (5 requests): median {ms(timings)} ms, p95 {ms(timings, 0.95)} ms")
    for step in STEPS:
        print(f"  {step:8}: median {ms(steps[step])} ms, p95 {ms(steps[step], 0.95)} ms")
    duplicates = sql["ballots"] - len(timings)
    print(f"SQL afterwards: {json.dumps(sql)}")
    print(
        f"  ballots stored {sql['ballots']} for {len(timings)} successful casts, voters marked voted "
        f"{sql['voters_voted']}, duplicates {duplicates}"
    )
    print(f"second attempts refused: {refused} of {len(again)}")
    print(f"verify_election: {'OK' if verified == 0 else 'MISMATCH'} ({verify_seconds:.1f} s)")
    print(
        f"server-side proof check: median {check_cpu * 1000:.2f} ms CPU per ballot "
        f"({len(setup['params']['candidates'])} candidates; {load_text(check_conditions)}); encrypting "
        f"{len(voters)} ballots with elections.protocol on 2 processes took {encrypt_wall:.1f} s"
    )
    if tally:
        print(
            f"count on PostgreSQL of {tally['ballots']} encrypted ballots ({tally['candidates']} candidates): "
            f"close (homomorphic sum of the stored ballots) {tally['close_seconds']:.1f} s, "
            f"2 partial decryptions {tally['decrypt_seconds']:.1f} s, count {tally['count_seconds']:.1f} s "
            f"= {tally['close_seconds'] + tally['decrypt_seconds'] + tally['count_seconds']:.1f} s wall, "
            f"{tally['close_decrypt_count_cpu_seconds']:.1f} s CPU of the Django process; "
            f"({load_text(tally['conditions'])}; "
            f"storing them: {tally['insert_seconds']:.1f} s)"
        )
    chain_ok = (sql["ballots_whose_prev_is_no_ballot"] == 1 or sql["ballots"] == 0) and sql["chain_ends"] == sql[
        "chain_end_is_box_head"
    ] == (1 if sql["ballots"] else 0)
    ok = (
        not errors
        and sql["ballots"] == sql["distinct_hashes"] == sql["distinct_chain_links"] == sql["distinct_prev_links"]
        and sql["ballots"] == sql["voters_voted"] == sql["voters_voted_online"] == sql["box_count"] == len(timings)
        and sql["ciphertexts"] == sql["distinct_alphas"] == sql["ballots"] * len(setup["params"]["candidates"])
        and chain_ok
        and refused == len(again)
        and verified == 0
    )
    print("ALL CHECKS OK" if ok else "SOME CHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
