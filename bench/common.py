"""What the benchmarks share: their own PostgreSQL database, gunicorn on loopback, percentiles."""

import contextlib
import os
import secrets
import socket
import subprocess
import tempfile
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


def environment_with_files(db_name, prefix):
    """``environment`` with uploads and exports in a new temporary folder: (that folder, the env)."""
    files = tempfile.mkdtemp(prefix=prefix)
    env = environment(
        db_name,
        "bench_settings",
        PRIVATE_MEDIA_ROOT=os.path.join(files, "private"),
        MEDIA_ROOT=os.path.join(files, "media"),
    )
    return files, env


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


# --- Background exports run by the production task worker (survey_scale.py, hearing_export.py) ---


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def shell(env, script, **values):
    """Run ``script`` in ``manage.py shell`` with ``values`` bound as variables; its stdout."""
    prefix = "".join(f"{name} = {value!r}\n" for name, value in values.items())
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", prefix + script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def tagged(out, tag):
    """The lines of a script's output that start with ``tag``, split (manage.py shell prints more)."""
    return [line.split()[1:] for line in out.splitlines() if line.startswith(tag + " ")]


def proc_status(pid):
    """VmRSS and VmHWM (peak resident set) of a process, in MB."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _sep, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values


def cpu_seconds(pid):
    """User + system CPU seconds a process has used so far (/proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def task_worker(env):
    """django-tasks-db's ``db_worker`` (the production task backend) as a separate process."""
    return subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_idle(worker, timeout=180):
    """Wait until a freshly started worker has finished starting (imports, Django set-up): its CPU
    use drops below 5 % of a core for two seconds in a row. Returns the seconds waited."""
    start = time.perf_counter()
    quiet, last = 0, cpu_seconds(worker.pid)
    while quiet < 2 and time.perf_counter() - start < timeout:
        time.sleep(1)
        if worker.poll() is not None:
            raise SystemExit(f"the worker stopped: {worker.stderr.read()[-2000:]}")
        now = cpu_seconds(worker.pid)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
    return time.perf_counter() - start


def export_state(db_name, table, export_pk):
    """(status, done, total, file name) of a background export row, read with psql (no Django start-up)."""
    out = subprocess.run(
        [
            "psql",
            f"{PG}/{db_name}",
            "-At",
            "-F",
            "\t",
            "-c",
            f"SELECT status, done, total, file FROM {table} WHERE id = {int(export_pk)}",  # noqa: S608 (a table name from the bench, an int)
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.rstrip("\n")
    status, done, total, name = out.split("\t")
    return status, int(done), int(total), name


def wait_for_export(db_name, table, worker, export_pk, samples, every=1.0, show=None, timeout=3600):
    """Poll the export row and the worker's memory until the export is done; (seconds, done, file name).

    Every poll appends (seconds since the start, status, done, total, worker VmRSS in MB) to
    ``samples`` and passes it to ``show`` (to print progress while it runs)."""
    start = time.perf_counter()
    while True:
        time.sleep(every)
        if worker.poll() is not None:
            raise SystemExit(f"the worker stopped: {worker.stderr.read()[-2000:]}")
        rss = proc_status(worker.pid)["VmRSS"]
        status, done, total, name = export_state(db_name, table, export_pk)
        sample = (time.perf_counter() - start, status, done, total, rss)
        samples.append(sample)
        if show is not None:
            show(sample)
        if status in ("done", "failed"):
            break
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"export did not finish within {timeout} s")
    if status != "done":
        raise SystemExit(
            f"export {export_pk} failed: {worker.stderr.read()[-2000:] if worker.poll() is not None else ''}"
        )
    return time.perf_counter() - start, done, name
