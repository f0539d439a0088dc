"""The verifier runs in a virtual environment holding only PyNaCl: no Django, no project code but the package."""

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from elections.protocol import board as boards

PACKAGE = Path(__file__).resolve().parents[3] / "elections" / "protocol"


@pytest.fixture(scope="session")
def clean_python(tmp_path_factory):
    """A fresh venv (once per test session) with only pynacl from PyPI, and a copy of the package alone.
    The venv gets no pip of its own: the test run's pip installs into it (``--python``), which saves
    ensurepip's 13 s and leaves nothing but pynacl and what it needs."""
    root = tmp_path_factory.mktemp("clean-verifier")
    venv.EnvBuilder(with_pip=False).create(root / "venv")
    python = root / "venv" / "bin" / "python"
    pin = next(line for line in (PACKAGE.parents[1] / "requirements.txt").read_text().splitlines() if "pynacl" in line)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--disable-pip-version-check", pin],
        check=True,
    )
    source = root / "src" / "elections"
    shutil.copytree(PACKAGE, source / "protocol", ignore=shutil.ignore_patterns("__pycache__"))
    (source / "__init__.py").write_text("")
    return python, root / "src"


def run(clean_python, *args):
    python, source = clean_python
    return subprocess.run(
        [python, "-m", "elections.protocol", *args], cwd=source, capture_output=True, text=True, check=False
    )


def test_django_is_not_importable_there(clean_python):
    python, source = clean_python
    probe = subprocess.run([python, "-c", "import django"], cwd=source, capture_output=True, text=True, check=False)
    assert probe.returncode == 1 and "No module named 'django'" in probe.stderr
    assert sys.prefix not in str(python)


def test_the_cli_verifies_an_honest_board_and_names_a_changed_ballot(clean_python, honest_board, tmp_path):
    good = tmp_path / "board.json"
    good.write_bytes(boards.dumps(honest_board))
    verified = run(clean_python, "verify", str(good))
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f"OK: {honest_board['count']} ballots, head {honest_board['head']}")

    choice = honest_board["ballots"][6]["ballot"]["choices"][3]
    choice["proof"][0][0] = choice["proof"][1][0]
    bad = tmp_path / "bad.json"
    bad.write_bytes(boards.dumps(honest_board))
    refused = run(clean_python, "verify", str(bad))
    assert refused.returncode == 1
    assert refused.stderr == "FAILED: ballot 7: proof of choice 4 invalid: it is not shown to be 0 or 1\n"

    diffed = run(clean_python, "diff", str(good), str(bad))
    assert diffed.returncode == 1
    assert diffed.stderr == "FAILED: ballot 7: changed or removed in the later board\n"
