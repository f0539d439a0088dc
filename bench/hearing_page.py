#!/usr/bin/env python
"""Benchmark: a hearing page with 2,000 published responses, served by gunicorn on PostgreSQL.

    .venv/bin/python bench/hearing_page.py [--requests 600] [--concurrency 8] [--workers 4] [--keep-db]

It creates its own database (consult_bench), migrates it, creates a hearing with 2,000 published
responses, starts gunicorn on 127.0.0.1:8014, sends a bounded number of requests from a pool of
threads (loopback only), prints median, 95th percentile and throughput, then stops gunicorn and
drops the database. It stops by itself.
"""

import argparse
import http.client
import random
import statistics
import subprocess
import sys
import threading
import time

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

PORT = 8014
DB_NAME = "consult_bench"

SETUP = """
import datetime as dt
from django.utils import timezone
from home.demo import load_site
from consultations.models import HearingIndexPage, HearingPage, Response
home = load_site()
index = HearingIndexPage(title="Høringer", slug="hoeringer")
home.add_child(instance=index)
now = timezone.now()
hearing = HearingPage(title="Beskæftigelsesplan 2027", slug="beskaeftigelsesplan-2027",
    summary="Benchmark", opens_at=now - dt.timedelta(days=10), closes_at=now + dt.timedelta(days=20))
index.add_child(instance=hearing)
hearing.save_revision().publish()
Response.objects.bulk_create([
    Response(hearing=hearing, name=f"Borger {n}", email=f"b{n}@example.org", postcode="2500",
             district="valby", text=("Et høringssvar med lidt tekst. " * 20) + str(n), consent=True,
             status=Response.Status.PUBLISHED, confirmed_at=now - dt.timedelta(minutes=n))
    for n in range(2000)
], batch_size=500)
print(hearing.url, Response.objects.filter(hearing=hearing, status="offentliggjort").count())
"""


def prepare(env):
    fresh_database(DB_NAME, env)
    out = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    url, count = out.split()
    return url, int(count)


def get(conn, path):
    start = time.perf_counter()
    conn.request("GET", path, headers={"Host": f"{HOST}:{PORT}"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed, body


def wait_until_up(url, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=5)
            get(conn, url)
            conn.close()
            return
        except (OSError, RuntimeError, http.client.HTTPException):
            time.sleep(0.3)
    raise SystemExit("gunicorn did not come up")


def load(url, total, concurrency):
    """Bounded: exactly `total` requests, spread over `concurrency` threads, each with keep-alive."""
    timings, errors = [], []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        rng = random.Random()
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            # Most visitors see the first page of responses; some page through them.
            path = url if rng.random() < 0.7 else f"{url}?svar-side={rng.randint(2, 100)}"
            try:
                elapsed, _body = get(conn, path)
            except Exception as exc:  # noqa: BLE001 — count and go on
                with lock:
                    errors.append(str(exc))
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                continue
            with lock:
                timings.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    refuse_if_port_taken(PORT)
    env = environment(DB_NAME, "bench_settings")
    print(f"Preparing database {DB_NAME} …", flush=True)
    url, count = prepare(env)
    print(f"Hearing {url} with {count} published responses.", flush=True)
    try:
        with gunicorn(env, PORT, args.workers):
            wait_until_up(url)
            conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            _t, body = get(conn, url)
            conn.close()
            assert b"2000 offentliggjorte h" in body, "the page does not show the 2,000 responses"
            load(url, 40, args.concurrency)  # warm up every worker
            timings, errors, wall = load(url, args.requests, args.concurrency)
    finally:
        if not args.keep_db:
            drop_database(DB_NAME)
    p95 = percentile(timings, 0.95)
    print()
    print(f"gunicorn workers: {args.workers}, client threads: {args.concurrency}, requests: {len(timings)}")
    print(f"errors:     {len(errors)}")
    print(f"median:     {statistics.median(timings) * 1000:.1f} ms")
    print(f"p95:        {p95 * 1000:.1f} ms")
    print(f"throughput: {len(timings) / wall:.1f} requests/s")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
