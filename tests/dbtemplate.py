"""A migrated test database, made once and copied for each test process (SQLite and PostgreSQL).

Migrating the test database is the longest step of a small test run, and with pytest-xdist every
worker would migrate its own. Instead the first process that needs one runs `manage.py migrate`
into a template named after everything that decides its schema (the migration files, the
installed packages and Python's version); every process then copies the template to its own test
database and Django keeps it (``keepdb``: the migrations are all applied already).

On SQLite the template is a file in the system's temporary directory, copied with the file
system. On PostgreSQL it is a database on the same server, ``medborger_tmpl_<key>``, copied with
``CREATE DATABASE … TEMPLATE`` (0.3 s instead of a migration of 2 minutes per worker at load 8);
the test run drops its copies when it ends. Either template serves the next run too, until a
migration, a setting or a package changes; templates unused for a week are deleted.
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


# --- PostgreSQL ---------------------------------------------------------------------------------

PG_PREFIX = "medborger_tmpl_"
_pg_copies = []  # the test databases this process made from the template (pg_drop drops them)
_PG_LOCK = 0x6D656462  # pg_advisory_lock key of the template build ("medb")


def _pg_admin(db):
    """An autocommit connection to the server's maintenance database (CREATE DATABASE needs one)."""
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def _pg_url(db, name):
    from urllib.parse import quote

    auth = quote(db.get("USER") or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{name}" if host else f"postgres:///{name}"


def pg_test_name(db):
    return (db.get("TEST") or {}).get("NAME") or f"test_{db['NAME']}"


def pg_copy_to(db, reuse=False):
    """Create this process's PostgreSQL test database as a copy of the migrated template (built
    first if it does not exist yet: one process migrates, the others wait for it under the lock).
    With ``reuse`` (pytest's --reuse-db) an existing test database is kept as it is."""
    from psycopg import sql

    template = PG_PREFIX + schema_key()
    target = pg_test_name(db)
    with _pg_admin(db) as admin:
        if reuse and admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone():
            return
        _pg_copies.append(target)
        admin.execute("SELECT pg_advisory_lock(%s)", [_PG_LOCK])
        try:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
            if not exists:
                building = f"{template}_{os.getpid()}"
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(building)))
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
                env = {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "config.settings.test",
                    "DATABASE_URL": _pg_url(db, building),
                }
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
                )
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(template))
                )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(template))
            )
            # In use (the clean-up below leaves it alone): the time of its last use as its comment.
            admin.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(template), sql.Literal(str(int(time.time())))
                )
            )
            rows = admin.execute(
                "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database WHERE starts_with(datname, %s)",
                [PG_PREFIX],
            ).fetchall()
            for name, used in rows:
                # Another key's template unused for a week, or a build that never finished (none is
                # running: builds happen under the lock held here).
                stale = name != template and (not (used or "").isdigit() or time.time() - int(used) > 7 * 24 * 3600)
                if stale:
                    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [_PG_LOCK])


def pg_drop(db):
    """Drop the copies this process made (their connections, the live server's included, are ended)."""
    from psycopg import sql

    with _pg_admin(db) as admin:
        while _pg_copies:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_pg_copies.pop())))
