"""A migrated SQLite test database, made once and copied for each test process.

Migrating the test database is the longest step of a small test run, and with pytest-xdist every
worker would migrate its own. Instead the first process that needs one runs `manage.py migrate`
into a template file named after everything that decides its schema (the migration files, the
installed packages and Python's version); every process then copies the template to its own test
database and Django keeps it (``keepdb``: the migrations are all applied already). The template
stays in the system's temporary directory, so the next run starts from it too, until a
migration, a setting or a package changes (templates unused for a week are deleted). PostgreSQL
runs migrate as before.
"""

import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(tempfile.gettempdir()) / "medborger-test-db"
SKIP_DIRS = {".venv", "node_modules", ".git", "staticfiles"}


def schema_key():
    """A hash of what decides the migrated schema: our migrations and settings, the installed packages, Python."""
    digest = hashlib.sha256(sys.version.encode())
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: (d.metadata["Name"] or "").lower()):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    for path in sorted([*ROOT.glob("*/migrations/*.py"), *ROOT.glob("config/settings/*.py")]):
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def copy_to(test_database):
    """Put a copy of the migrated template where this process's test database goes (made first
    if it does not exist yet: one process migrates, the others wait for it under the lock)."""
    TEMPLATES.mkdir(exist_ok=True)
    key = schema_key()
    path = TEMPLATES / f"{key}.sqlite3"
    with open(TEMPLATES / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = path.with_suffix(f".{os.getpid()}.building")
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": f"sqlite:///{building}",
            }
            subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
            building.rename(path)
        Path(test_database).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, test_database)
    path.touch()  # in use: the clean-up below leaves it alone
    for old in TEMPLATES.glob("*.sqlite3"):
        if time.time() - old.stat().st_mtime > 7 * 24 * 3600:
            old.unlink(missing_ok=True)
