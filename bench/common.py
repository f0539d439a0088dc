"""What the benchmarks share: their own PostgreSQL database, gunicorn on loopback, percentiles."""

import contextlib
import os
import secrets
import socket
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def psql(sql):
    subprocess.run(["psql", f"{PG}/postgres", "-q", "-c", sql], check=True, capture_output=True)


def refuse_if_port_taken(port):
    with socket.socket() as probe:
        if probe.connect_ex((HOST, port)) == 0:
            raise SystemExit(f"Port {port} is in use; stop what runs there first.")


def environment(db_name, settings_module, **extra):
    """Production-like settings on the benchmark's own database, with throw-away keys."""
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{db_name}",
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "VOTER_ID_HMAC_KEY": secrets.token_urlsafe(40),
        "DB_CONN_MAX_AGE": "600",
        **extra,
    }


def fresh_database(db_name, env):
    """Drop and create the benchmark database and migrate it."""
    drop_database(db_name)
    psql(f"CREATE DATABASE {db_name}")
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def drop_database(db_name):
    psql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")


@contextlib.contextmanager
def gunicorn(env, port, workers):
    """gunicorn serving the site on loopback for the duration of the block."""
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_threads(concurrency, worker):
    """Run ``worker`` on ``concurrency`` threads at once; the wall-clock seconds until the last one ends."""
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def percentile(values, fraction):
    values = sorted(values)
    return values[max(0, int(round(fraction * len(values))) - 1)]


def conditions():
    """The machine's state when a figure is taken: load averages and one bare libsodium scalar multiplication.

    The machine is shared; a figure is only readable next to the load it was measured under and the
    cost of the primitive every election figure is made of, timed in the same moment.
    """
    from nacl import bindings as sodium

    scalar = sodium.crypto_core_ed25519_scalar_reduce(secrets.token_bytes(64))
    point = sodium.crypto_scalarmult_ed25519_base_noclamp(scalar)
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(40):
            sodium.crypto_scalarmult_ed25519_noclamp(scalar, point)
        batches.append((time.perf_counter() - start) / 40 * 1e6)
    return {"load": [round(x, 2) for x in os.getloadavg()], "scalarmult_us": round(sorted(batches)[2], 1)}


def load_text(measured):
    """'load 3.1/2.5/1.2, scalarmult 74 µs' for a conditions() dict."""
    return "load {}/{}/{}, bare scalarmult {:.0f} µs".format(*measured["load"], measured["scalarmult_us"])
