#!/usr/bin/env python
"""Benchmark: hearing pages with 2,000 and 20,000 published responses against a bare Django view,
served by the same gunicorn on the same PostgreSQL, with the page cache on (Redis DB 8).

    .venv/bin/python bench/hearing_page.py [--responses 2000 20000] [--requests 600] [--rounds 3]
                                           [--concurrency 8] [--workers 2] [--poll-voters 0.2] [--keep-db]
                                           [--later-pages 0.3] [--db-name consult_bench] [--port 8014] [--redis-db 8]

It creates its own database (consult_bench), migrates it, creates one hearing per size, measures
each in-process (median server time of 30 requests, wall and CPU, with the query count): cold
(every cache cleared before each request), with the page cache switched off, a page-cache miss of
a later page and a hit, and the bare view; then it starts gunicorn on 127.0.0.1:8014 and,
alternating in rounds, sends anonymous visitors to each hearing page (70 % the first page, the rest
a random later page of responses; a share --poll-voters of them with a quick poll's »voted«
cookie) and to a bare view with one query and a body of the same size (bench/bench_urls.py). It
prints both throughputs, their ratio (overall and per round) and the 95th percentiles, how many
hearing answers came from the cache, then stops gunicorn, deletes its Redis keys and drops the
database. It prints the load average (and a bare libsodium operation) before and after the load,
and whether each target was met. It stops by itself. The machine is shared: compare within one run only.
"""

import argparse
import http.client
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time

import redis
from common import (
    HOST,
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

PORT = 8014
DB_NAME = "consult_bench"
REDIS_URL = "redis://127.0.0.1:6379/8"
# A quick poll's »voted« mark as the site sets it (core.browser_marks): the value does not matter to
# the page cache, only whether the page read that name; the bench's hearings have no poll.
POLL_COOKIE = "survey-poll-3f6c1a2e-5b7d-4c1e-9a8b-0d2e4f6a8c1b=1:bench:signature"

SETUP = """
import sys
import datetime as dt
from django.utils import timezone
from home.demo import load_site
from consultations.models import HearingIndexPage, HearingPage, Response
home = load_site()
index = HearingIndexPage(title="Høringer", slug="hoeringer")
home.add_child(instance=index)
now = timezone.now()
for size in SIZES:
    hearing = HearingPage(title=f"Beskæftigelsesplan {size}", slug=f"beskaeftigelsesplan-{size}",
        summary="Benchmark", opens_at=now - dt.timedelta(days=10), closes_at=now + dt.timedelta(days=20))
    index.add_child(instance=hearing)
    hearing.save_revision().publish()
    Response.objects.bulk_create([
        Response(hearing=hearing, name=f"Borger {n}", email=f"b{n}@example.org", postcode="2500",
                 district="valby", text=("Et høringssvar med lidt tekst. " * 20) + str(n), consent=True,
                 status=Response.Status.PUBLISHED, confirmed_at=now - dt.timedelta(minutes=n))
        for n in range(size)
    ], batch_size=1000)
    print(size, hearing.url, Response.objects.filter(hearing=hearing, status="published").count())
"""

RENDER = """
import statistics, time
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings


def timed(client, urls):
    wall, cpu = [], []
    for url in urls:
        w, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured.captured_queries), response.get("X-Page-Cache", "-")


client = Client(HTTP_HOST="127.0.0.1")
with override_settings(PAGE_CACHE_ENABLED=False):
    BODY = len(client.get(URLS[0]).content)
# Cold: the page cache on, every cache emptied before each request (stored pages, kept routes, the
# site-wide values, Wagtail's site lookup): what the first visitor after a full purge pays.
def timed_cleared(client, url, count):
    wall, cpu = [], []
    for _ in range(count):
        for alias in ("pages", "default"):
            caches[alias].clear()
        client.cookies.clear()
        w, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        assert response.status_code == 200 and response.get("X-Page-Cache") == "miss", url
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


for url in URLS:
    # Cold, every cache cleared before each of 30 requests.
    timed_cleared(client, url, 3)
    for alias in ("pages", "default"):
        caches[alias].clear()
    n, _state = queries(client, url)
    print("COLD", url, *timed_cleared(client, url, 30), n)
    # The same without the page cache at all (PAGE_CACHE_ENABLED off: no kept route either).
    with override_settings(PAGE_CACHE_ENABLED=False):
        timed(client, [url] * 3)
        n, _state = queries(client, url)
        print("OFF", url, *timed(client, [url] * 30), n)
    # A page-cache miss as the later pages get it: the cache on, each address new (a query string
    # the load never asks for, so nothing here is served to it), the page's route kept.
    misses = [f"{url}?svar-side={k}&bench=render" for k in range(1, 34)]
    timed(client, misses[:3])
    n, state = queries(client, misses[3])
    assert state == "miss", state
    print("MISS", url, *timed(client, misses[4:]), n)
    # A hit: served from the page cache, as every anonymous visitor after the first.
    n, state = queries(client, misses[3])
    assert state == "hit", state
    client.cookies.clear()
    print("HIT", url, *timed(client, [misses[3]] * 30), n)
bare = "/bench/bare/%d/" % BODY
timed(client, [bare] * 3)
print("BARE", bare, *timed(client, [bare] * 30), queries(client, bare)[0])
"""


def psql_db(env, sql):
    subprocess.run(["psql", env["DATABASE_URL"], "-q", "-c", sql], check=True, capture_output=True)


def prepare(env, sizes):
    fresh_database(DB_NAME, env)
    script = f"SIZES = {list(sizes)!r}\n" + SETUP
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    hearings = []
    for line in out.strip().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].isdigit():
            hearings.append((int(parts[0]), parts[1], int(parts[2])))
    return hearings


def render_times(env, urls):
    """Server time of each page in-process, median of 30 (wall and CPU) with the query count: cold
    (page cache and kept routes off), a page-cache miss of a later page, a hit; and the bare view."""
    script = f"URLS = {list(urls)!r}\n" + RENDER
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    times = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("COLD", "OFF", "MISS", "HIT", "BARE"):
            kind, url, wall, cpu, n = parts
            times[(kind, url)] = (float(wall), float(cpu), int(n))
    return times


def get(conn, path, cookie=None):
    start = time.perf_counter()
    headers = {"Host": f"{HOST}:{PORT}"}
    if cookie:
        headers["Cookie"] = cookie
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed, body, response.getheader("X-Page-Cache") or "-"


def wait_until_up(url, timeout=120):
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


def load(url, total, concurrency, paged=True, poll_voters=0.0, states=None, later_pages=0.3):
    """Bounded: exactly `total` requests, spread over `concurrency` threads, each with keep-alive.
    A share `poll_voters` of them carries a quick poll's »voted« mark (survey-poll-<id>, path /, 400
    days: a visitor who voted in the home page's poll), as real visitors of a site with a poll do.
    `states` counts the answers' X-Page-Cache (hit, miss, - = not from the cache)."""
    timings, errors = [], []
    states = {} if states is None else states
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
            # Most visitors see the first page of responses; some (--later-pages) page through them.
            later = paged and rng.random() < later_pages
            path = f"{url}?svar-side={rng.randint(2, 100)}" if later else url
            cookie = POLL_COOKIE if paged and rng.random() < poll_voters else None
            try:
                elapsed, _body, state = get(conn, path, cookie)
            except Exception as exc:  # noqa: BLE001 — count and go on
                with lock:
                    errors.append(str(exc))
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                continue
            with lock:
                timings.append(elapsed)
                states[state] = states.get(state, 0) + 1
        conn.close()

    wall = run_threads(concurrency, worker)
    return timings, errors, wall


def main():
    global PORT, DB_NAME, REDIS_URL  # noqa: PLW0603 - read by get(), wait_until_up() and clear_redis()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--requests", type=int, default=600, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-db", action="store_true")
    # Engineers sharing a machine each give the bench their own database, port and Redis DB.
    parser.add_argument("--db-name", default=DB_NAME, help="PostgreSQL database (dropped and created)")
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--redis-db", type=int, default=8, help="Redis DB number on 127.0.0.1:6379")
    parser.add_argument(
        "--poll-voters", type=float, default=0.0, help="share of hearing requests with a quick poll's cookie"
    )
    parser.add_argument(
        "--later-pages",
        type=float,
        default=0.3,
        help="share of hearing requests for a random later page (?svar-side=2..100); 0: the hearing page only",
    )
    args = parser.parse_args()
    PORT, DB_NAME, REDIS_URL = args.port, args.db_name, f"redis://127.0.0.1:6379/{args.redis_db}"

    refuse_if_port_taken(PORT)
    prefix = f"bench-{secrets.token_hex(4)}"
    env = environment(DB_NAME, "bench_settings", REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix)
    print(f"Preparing database {DB_NAME} …", flush=True)
    hearings = prepare(env, args.responses)
    # As autovacuum leaves a table some time after a bulk load: statistics and the visibility map
    # (PostgreSQL then counts and skips responses from the index alone).
    psql_db(env, "VACUUM ANALYZE")
    for _size, url, count in hearings:
        print(f"Hearing {url} with {count} published responses.", flush=True)
    at_render = conditions()
    renders = render_times(env, [url for _size, url, _count in hearings])
    results = {}
    before = after = None
    try:
        with gunicorn(env, PORT, args.workers):
            wait_until_up(hearings[0][1])
            targets = []
            for size, url, _count in hearings:
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                _t, body, _state = get(conn, url)
                conn.close()
                assert f"{size} offentliggjorte h".encode() in body, "the page does not show its responses"
                targets.append((f"hearing {size}", url, True))
                targets.append((f"bare {len(body)} B", f"/bench/bare/{len(body)}/", False))
            for _name, url, paged in targets:
                load(
                    url, 60, args.concurrency, paged, args.poll_voters, later_pages=args.later_pages
                )  # warm up every worker (and the cache)
            before = conditions()
            for _round in range(args.rounds):
                for name, url, paged in targets:  # alternating: each round visits every target
                    entry = results.setdefault(name, {"timings": [], "errors": 0, "wall": 0.0, "states": {}})
                    timings, errors, wall = load(
                        url, args.requests, args.concurrency, paged, args.poll_voters, entry["states"], args.later_pages
                    )
                    entry["timings"] += timings
                    entry["errors"] += len(errors)
                    entry["wall"] += wall
                    entry.setdefault("rounds", []).append(len(timings) / wall)
            after = conditions()
    finally:
        clear_redis(prefix)
        if not args.keep_db:
            drop_database(DB_NAME)
    print()
    print(f"gunicorn workers: {args.workers}, client threads: {args.concurrency}, ")
    print(f"requests per target: {args.rounds} rounds × {args.requests}, page cache on (Redis DB {args.redis_db})")
    print(f"hearing requests with a quick poll's cookie: {args.poll_voters:.0%}")
    print(f"hearing requests for a random later page (?svar-side=2..100): {args.later_pages:.0%}")
    print(f"machine before the load: {load_text(before)}; after: {load_text(after)}")
    print(f"before the in-process render timings: {load_text(at_render)}")
    bare = next((v for k, v in renders.items() if k[0] == "BARE"), (float("nan"),) * 3)
    print(f"bare view in-process: {bare[0]:.1f} ms wall, {bare[1]:.1f} ms CPU, {bare[2]} queries (median of 30)")
    failed = 0
    verdicts = []
    names = list(results)
    for i in range(0, len(names), 2):
        page, bare = results[names[i]], results[names[i + 1]]
        page_rate = len(page["timings"]) / page["wall"]
        bare_rate = len(bare["timings"]) / bare["wall"]
        url = hearings[i // 2][1]
        cold = renders.get(("COLD", url), (float("nan"),) * 3)
        miss = renders.get(("MISS", url), (float("nan"),) * 3)
        hit = renders.get(("HIT", url), (float("nan"),) * 3)
        wall = cold[0]
        print()
        print(
            f"{names[i]:>22}: {page_rate:8.1f} req/s  p95 {percentile(page['timings'], 0.95) * 1000:6.1f} ms"
            f"  median {statistics.median(page['timings']) * 1000:6.1f} ms  errors {page['errors']}"
        )
        print(
            f"{names[i + 1]:>22}: {bare_rate:8.1f} req/s  p95 {percentile(bare['timings'], 0.95) * 1000:6.1f} ms"
            f"  median {statistics.median(bare['timings']) * 1000:6.1f} ms  errors {bare['errors']}"
        )
        print(f"{'ratio':>22}: {page_rate / bare_rate:.2f}   (target ≥ 0.5; p95 target < 100 ms)")
        states = ", ".join(f"{k} {v}" for k, v in sorted(page["states"].items()))
        print(f"{'answers by X-Page-Cache':>22}: {states}   (miss = rendered and stored, - = rendered, not stored)")
        off = renders.get(("OFF", url), (float("nan"),) * 3)
        for label, (w, c, n) in (
            ("cold, caches cleared", cold),
            ("page cache switched off", off),
            ("page-cache miss", miss),
            ("page-cache hit", hit),
        ):
            print(f"{label:>22}: {w:6.1f} ms wall, {c:5.1f} ms CPU, {n} queries (median of 30, in-process)")
        rounds = "  ".join(
            f"{n + 1}: {p:.0f}/{b:.0f} = {p / b:.2f}"
            for n, (p, b) in enumerate(zip(page["rounds"], bare["rounds"], strict=True))
        )
        print(f"{'per round, req/s':>22}: {rounds}   (round 1 renders most later pages for the first time)")
        failed += page["errors"] + bare["errors"]
        p95 = percentile(page["timings"], 0.95) * 1000
        verdicts.append(
            f"{names[i]}: ratio {'met' if page_rate / bare_rate >= 0.5 else 'MISSED'}, "
            f"p95 {'met' if p95 < 100 else 'MISSED'}, uncached render (cold, wall) {'met' if wall < 25 else 'MISSED'}"
        )
    print()
    for verdict in verdicts:
        print(verdict)
    return 1 if failed else 0


def clear_redis(prefix):
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"{prefix}*"):
        server.delete(key)


if __name__ == "__main__":
    sys.exit(main())
