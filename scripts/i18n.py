"""Translation catalogs: make them, fill the Danish ones, and report gaps in English.

Source strings are Danish. Usage (from the repo root):
    .venv/bin/python scripts/i18n.py make            # makemessages for site/ and every app
    .venv/bin/python scripts/i18n.py make-site       # only site/locale (site/templates, home, users, config)
    .venv/bin/python scripts/i18n.py make-app <app>  # only <app>/locale
    .venv/bin/python scripts/i18n.py check  # list untranslated or fuzzy English entries; exit 1 if any
Danish catalogs are filled automatically (msgstr = msgid) by `make`.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["councils", "consultations", "elections"]
PY = sys.executable


def catalogs():
    yield from ROOT.glob("site/locale/*/LC_MESSAGES/django.po")
    for app in APPS:
        yield from (ROOT / app).glob("locale/*/LC_MESSAGES/django.po")


IGNORE = [
    "--ignore=.venv",
    "--ignore=node_modules",
    "--ignore=staticfiles",
    "--ignore=tests",
    "--ignore=bench",
    "--ignore=migrations",
]
COMMON = ["makemessages", "-l", "da", "-l", "en", "--no-obsolete", "--add-location=file"]


def make_site():
    """Site-wide catalog in site/locale: site/templates, home, users, config."""
    site_ignores = [f"--ignore={app}" for app in APPS] + IGNORE
    subprocess.run([PY, str(ROOT / "manage.py"), *COMMON, *site_ignores], cwd=ROOT, check=True)
    fill_danish()


def make_app(app):
    """An app's own catalog in <app>/locale."""
    (ROOT / app / "locale").mkdir(exist_ok=True)
    subprocess.run([PY, str(ROOT / "manage.py"), *COMMON, *IGNORE], cwd=ROOT / app, check=True)
    fill_danish()


def make():
    make_site()
    for app in APPS:
        make_app(app)


def fill_danish():
    import polib

    for path in catalogs():
        if path.parts[-3] != "da":
            continue
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()


def missing(path):
    import polib

    po = polib.pofile(str(path))
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def check():
    problems = 0
    for path in catalogs():
        gaps = missing(path)
        for entry in gaps:
            print(f"{path.relative_to(ROOT)}: untranslated {entry.msgid!r}")
        problems += len(gaps)
    print(f"{problems} untranslated entries")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "make":
        make()
    elif command == "make-site":
        make_site()
    elif command == "make-app":
        make_app(sys.argv[2])
    elif command == "fill-da":
        fill_danish()
    else:
        sys.exit(check())
