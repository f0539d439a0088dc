"""Election cryptography: ballot checks, tally + decryption and the verifier at scale, browser encryption.

Each figure is printed next to a bare baseline measured in the same run (libsodium's raw scalar
multiplication and point addition, from Python and in Chromium). Runs without Django or a
database. Environment:

* ``BENCH_BALLOTS`` (default 100000): ballots on the benchmark board (6 candidates);
* ``BENCH_BOARD``: where the generated board is kept between runs (default
  ``bench/.data/board-<ballots>x6.json``, git-ignored, with the benchmark's trustee key files beside it
  in ``….ceremony.json``). The ballots are made on every core by bench/fast_ballots.py, which knows the
  election key and so needs only fixed-base multiplications; every ballot is still a valid
  ``encrypt_ballot`` ballot (a sample is checked on generation, the verifier checks all);
* ``BENCH_SKIP_BROWSER=1``: leave out the Chromium measurement.

Prints one JSON object at the end. CPU seconds are printed beside wall-clock seconds: on a machine
shared with other work the wall clock says little, the CPU time (and ``cores_used``) says what the
work costs. Every figure carries ``conditions``: the 1/5/15-minute load average and one libsodium
scalar multiplication timed just before it (the bare baseline under the same load).
"""

import http.server
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, conditions

sys.path.insert(0, str(ROOT))

import fast_ballots  # noqa: E402
from nacl import bindings as sodium  # noqa: E402

from elections import protocol  # noqa: E402
from elections.protocol import board as boards  # noqa: E402
from elections.protocol import ceremony, decryption  # noqa: E402
from elections.protocol import group as g  # noqa: E402
from elections.protocol import verifier as verifier_module  # noqa: E402

BALLOTS = int(os.environ.get("BENCH_BALLOTS", "100000"))
CANDIDATES = 6
BOARD = Path(os.environ.get("BENCH_BOARD", ROOT / "bench" / ".data" / f"board-{BALLOTS}x{CANDIDATES}.json"))


def cpu_seconds():
    """CPU seconds used so far by this process and its finished children (user + system)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def per_op(function, repeat):
    """(wall, CPU) microseconds of one call: medians over 5 batches of ``repeat // 5`` calls."""
    wall, cpu = [], []
    for _ in range(5):
        start, used = time.perf_counter(), time.process_time()
        for _ in range(repeat // 5):
            function()
        wall.append((time.perf_counter() - start) / (repeat // 5) * 1e6)
        cpu.append((time.process_time() - used) / (repeat // 5) * 1e6)
    return statistics.median(wall), statistics.median(cpu)


def baseline():
    """Raw libsodium rates from Python: the floor every protocol figure is built of."""
    scalar, other = g.random_scalar(), g.random_scalar()
    point, second = g.base_mul(scalar), g.base_mul(other)
    out = {}
    for name, function, repeat in (
        ("scalarmult", lambda: sodium.crypto_scalarmult_ed25519_noclamp(scalar, point), 1000),
        ("scalarmult_base", lambda: sodium.crypto_scalarmult_ed25519_base_noclamp(scalar), 1000),
        ("point_add", lambda: sodium.crypto_core_ed25519_add(point, second), 2000),
        ("is_valid_point", lambda: sodium.crypto_core_ed25519_is_valid_point(point), 1000),
    ):
        out[f"{name}_us"], out[f"{name}_cpu_us"] = per_op(function, repeat)
    return out


def election(candidates, setup):
    record, public_key, _key_files = setup
    return protocol.new_election(
        "bench",
        "Benchmark",
        [{"id": i + 1, "name": f"K{i + 1}", "group": None} for i in range(candidates)],
        [{"id": None, "name": None, "seats": 3, "substitutes": 3}],
        [{"id": 1, "name": "Valgsted"}],
        "00" * 32,
        record,
        public_key,
    )


def verify_per_ballot(setup):
    """Server-side check (verify_ballot) per ballot, 6 and 12 candidates."""
    result = {}
    for candidates in (6, 12):
        params = protocol.prepare(election(candidates, setup))
        ballots = [protocol.encrypt_ballot(params, fast_ballots.one_hot(i, candidates))[0] for i in range(40)]
        start, cpu = time.perf_counter(), cpu_seconds()
        for ballot in ballots:
            assert protocol.verify_ballot(params, ballot).ok
        result[f"verify_ballot_{candidates}_ms"] = (time.perf_counter() - start) / len(ballots) * 1e3
        result[f"verify_ballot_{candidates}_cpu_ms"] = (cpu_seconds() - cpu) / len(ballots) * 1e3
    return result


# --- the 100,000-ballot board --------------------------------------------------------------------


def cached_board():
    """(ceremony, board) from an earlier run, or None."""
    if not BOARD.exists():
        return None
    cached = protocol.loads(BOARD.with_suffix(".ceremony.json").read_bytes())
    return tuple(cached), protocol.loads(BOARD.read_bytes())


def generate_board(params, key_files, setup):
    """Encrypt BALLOTS ballots on both cores, chain them, decrypt with trustees 1 and 3; kept on disk."""
    start, cpu = time.perf_counter(), cpu_seconds()
    secret = fast_ballots.election_secret(params, key_files)
    ballots = fast_ballots.ballots(params, secret, BALLOTS)
    encrypt_seconds, encrypt_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    fast_ballots.check_sample(params, ballots)
    entries, link = [], protocol.genesis(protocol.prepare(params).fingerprint)
    for ballot in ballots:
        entries.append(protocol.chain_entry(link, ballot))
        link = entries[-1]["chain"]
    totals = boards.totals_of(params, entries, jobs=os.cpu_count())
    partials = [decryption.trustee_partial_decryption(params, key_files[i], totals) for i in (0, 2)]
    paper = [{"place": 1, "votes": [0] * CANDIDATES, "invalid": 0}]
    board = protocol.final_board(params, entries, partials, paper, jobs=os.cpu_count())
    BOARD.parent.mkdir(parents=True, exist_ok=True)
    BOARD.with_suffix(".ceremony.json").write_bytes(protocol.canonical_json(list(setup)))
    BOARD.write_bytes(boards.dumps(board))
    return board, {"encrypt_s": encrypt_seconds, "encrypt_cpu_s": encrypt_cpu, "board_s": time.perf_counter() - start}


def tally_and_decrypt(params, key_files, board):
    """What happens after the close: Σ per candidate over all ballots, two trustees decrypt, combine."""
    start = time.perf_counter()
    one_core = boards.totals_of(params, board["ballots"][:5000])
    one_core_per_ballot = (time.perf_counter() - start) / min(5000, len(board["ballots"]))
    start, cpu = time.perf_counter(), cpu_seconds()
    totals = boards.totals_of(params, board["ballots"], jobs=os.cpu_count())
    tally_seconds, tally_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert len(one_core) == len(totals)
    start = time.perf_counter()
    _y, verification_keys = protocol.check_record(params["trustees"])
    partials = dict(
        decryption.check_partial_decryption(
            params, verification_keys, totals, decryption.trustee_partial_decryption(params, key_files[i], totals)
        )
        for i in (0, 2)
    )
    counts = decryption.combine(totals, partials, 2, len(board["ballots"]))
    decrypt_seconds = time.perf_counter() - start
    assert counts == [len(range(i, BALLOTS, CANDIDATES)) for i in range(CANDIDATES)], counts
    return {
        "tally_s": tally_seconds,
        "tally_cpu_s": tally_cpu,
        "tally_one_core_ms_per_ballot": one_core_per_ballot * 1e3,
        "decrypt_combine_s": decrypt_seconds,
        "total_s": tally_seconds + decrypt_seconds,
    }


def full_verifier(board):
    """The standalone verifier's whole run (CLI, both cores, reading the file), and one core on 2,000 ballots."""
    start, cpu = time.perf_counter(), cpu_seconds()
    done = subprocess.run(
        [sys.executable, "-m", "elections.protocol", "verify", str(BOARD)], cwd=ROOT, capture_output=True, text=True
    )
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert done.returncode == 0, done.stderr
    sample = protocol.voting_board(board["election"], board["ballots"][:2000])
    start = time.perf_counter()
    verifier_module.verify_board(sample, jobs=1)
    one_core_per_ballot = (time.perf_counter() - start) / 2000
    return {
        "ballots": board["count"],
        "seconds": seconds,
        "cpu_seconds": cpu,
        "cores_used": cpu / seconds,
        "cores": os.cpu_count(),
        "one_core_ms_per_ballot": one_core_per_ballot * 1e3,
        "speedup_vs_one_core": one_core_per_ballot * board["count"] / seconds,
        "output": done.stdout.strip(),
    }


# --- Chromium ------------------------------------------------------------------------------------

PAGE = """<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Kryptering</title>
<script src="libsodium-sumo.js"></script><script src="libsodium-wrappers.js"></script>
<script src="election-protocol.js"></script></head><body></body></html>"""

MEASURE = """async ([params, rounds]) => {
  const protocol = await MedborgerElection.ready();
  const choices = params.candidates.map((_c, i) => (i === 3 ? 1 : 0));
  protocol.encryptBallot(params, choices);  // warm-up
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    protocol.encryptBallot(params, choices);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const s = sodium.crypto_core_ed25519_scalar_random();
  const p = sodium.crypto_scalarmult_ed25519_base_noclamp(s);
  const start = performance.now();
  for (let i = 0; i < 500; i++) sodium.crypto_scalarmult_ed25519_noclamp(s, p);
  return {
    encrypt_ms: times[Math.floor(times.length / 2)],
    encrypt_min_ms: times[0],
    encrypt_max_ms: times[times.length - 1],
    rounds,
    scalarmult_us: (performance.now() - start) / 500 * 1000,
  };
}"""


def serve(directory, csp):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=directory, **kwargs)

        def end_headers(self):
            self.send_header("Content-Security-Policy", csp)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def browser(params):
    """Median encryptBallot time of a 12-candidate ballot in Chromium; without 'wasm-unsafe-eval' it must fail."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    directory = Path(tempfile.mkdtemp(prefix="election-bench-"))
    for source in (
        ROOT / "node_modules/libsodium-sumo/dist/modules-sumo/libsodium-sumo.js",
        ROOT / "node_modules/libsodium-wrappers-sumo/dist/modules-sumo/libsodium-wrappers.js",
        ROOT / "elections/static/elections/js/election-protocol.js",
    ):
        shutil.copy(source, directory)
    (directory / "index.html").write_text(PAGE)
    results = {}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for name, csp in (
                ("wasm", "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'"),
                ("no_wasm_fallback", "default-src 'none'; script-src 'self'"),
            ):
                server = serve(str(directory), csp)
                try:
                    page = chromium.new_page()
                    page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                    try:
                        results[name] = page.evaluate(MEASURE, [params, 21])
                    except PlaywrightError as error:  # libsodium cannot start without 'wasm-unsafe-eval'
                        results[name] = {"fails": str(error).splitlines()[0]}
                    page.close()
                finally:
                    server.shutdown()
                    server.server_close()
        finally:
            chromium.close()
    shutil.rmtree(directory)
    return results


def main():
    out = {"conditions_start": conditions(), "baseline_python": baseline()}
    start = time.perf_counter()
    cached = cached_board()
    load_seconds = time.perf_counter() - start
    setup = cached[0] if cached else ceremony.run_ceremony("bench", 2, 3)
    out["verify_ballot"] = {"conditions": conditions(), **verify_per_ballot(setup)}
    print(json.dumps(out, indent=1), flush=True)
    params = election(CANDIDATES, setup)
    measured = conditions()
    board, generated = (cached[1], None) if cached else generate_board(params, setup[2], setup)
    out["board"] = {
        "conditions": measured,
        "ballots": board["count"],
        "candidates": CANDIDATES,
        "file": str(BOARD),
        "bytes": BOARD.stat().st_size,
        "generated": generated,
        "loaded_from_cache_s": load_seconds if cached else None,
    }
    out["tally_and_decryption"] = {"conditions": conditions(), **tally_and_decrypt(params, setup[2], board)}
    print(json.dumps(out, indent=1), flush=True)
    del cached
    measured = conditions()
    out["full_verifier"] = {"conditions": measured, **full_verifier(board)}
    out["full_verifier"]["conditions_end"] = conditions()
    print(json.dumps(out, indent=1), flush=True)
    if os.environ.get("BENCH_SKIP_BROWSER") != "1":
        out["chromium_12_candidates"] = {"conditions": conditions(), **browser(election(12, setup))}
    out["conditions_end"] = conditions()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
