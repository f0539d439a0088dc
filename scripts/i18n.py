"""Translation catalogs: make them, fill the Danish ones, and report gaps.

Source strings are Danish. Usage (from the repo root):
    .venv/bin/python scripts/i18n.py make            # makemessages for site/ and every app, every language
    .venv/bin/python scripts/i18n.py make-site       # only site/locale (site/templates, home, users, config)
    .venv/bin/python scripts/i18n.py make-app <app>  # only <app>/locale
    .venv/bin/python scripts/i18n.py headers         # Language, Plural-Forms and X-Review-Status headers
    .venv/bin/python scripts/i18n.py check  # list gaps (see below); exit 1 if any
Danish catalogs are filled automatically (msgstr = msgid) by `make`.

What must be translated: English completely; the other languages (core/languages.py) every
string used on a public or voter page – a string whose source is a public template (not under
``admin/`` or ``pollbook/``) or a public forms/views/voting/emails module (``is_public``). The
admin stays Danish/English, so its strings may stay untranslated there (they show in Danish).
tests/test_translations.py fails on any gap or broken placeholder.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core import languages  # noqa: E402  (pure data, no Django needed)

APPS = ["councils", "consultations", "elections"]
PY = sys.executable

PLURAL_FORMS = {
    "da": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 && n%100<=99 ? 4 : 5;",
    "fa": "nplurals=2; plural=(n > 1);",
    "ur": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n > 1);",
    "so": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=4; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : "
    "n!=1 && (n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && n%100<=14) ? 2 : 3);",
    "uk": "nplurals=4; plural=(n % 1 == 0 && n % 10 == 1 && n % 100 != 11 ? 0 : n % 1 == 0 && "
    "n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : n % 1 == 0 && "
    "(n % 10 ==0 || (n % 10 >=5 && n % 10 <=9) || (n % 100 >=11 && n % 100 <=14 )) ? 2: 3);",
}
PUBLIC_MODULES = {
    "forms.py",
    "views.py",
    "voting.py",
    "emails.py",
    "letters.py",
    "context_processors.py",
    "listing.py",
    "response_list.py",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w*\}")


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
COMMON = ["makemessages", *(f"-l{code}" for code in languages.CODES), "--no-obsolete", "--add-location=file"]


def make_site():
    """Site-wide catalog in site/locale: site/templates, home, users, config."""
    site_ignores = [f"--ignore={app}" for app in APPS] + IGNORE
    subprocess.run([PY, str(ROOT / "manage.py"), *COMMON, *site_ignores], cwd=ROOT, check=True)
    fill_danish()
    set_headers()


def make_app(app):
    """An app's own catalog in <app>/locale."""
    (ROOT / app / "locale").mkdir(exist_ok=True)
    subprocess.run([PY, str(ROOT / "manage.py"), *COMMON, *IGNORE], cwd=ROOT / app, check=True)
    fill_danish()
    set_headers()


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


def language_of(path):
    return Path(path).parts[-3]


def set_headers():
    """Language, Plural-Forms and the honest X-Review-Status (core/languages.py) in every catalog.

    Edits the header text only, so the entries keep makemessages' wrapping (no noisy diffs).
    """
    for path in catalogs():
        code = language_of(path)
        wanted = {
            "Language": code,
            "Plural-Forms": PLURAL_FORMS[code],
            "X-Review-Status": languages.get(code).review_header,
        }
        text = path.read_text(encoding="utf-8")
        head, sep, rest = text.partition("\n\n")
        lines = head.split("\n")
        start = lines.index('msgstr ""') + 1
        # The header is one string split over quoted lines (wrapped anywhere): join, edit, re-emit.
        joined = "".join(line[1:-1] for line in lines[start:])
        fields = [field for field in joined.split("\\n") if ":" in field]  # drops stray wrapped tails
        fields = [field for field in fields if field.split(":", 1)[0] not in wanted]
        fields += [f"{key}: {value}" for key, value in wanted.items()]
        lines = lines[:start] + [f'"{field}\\n"' for field in fields]
        path.write_text("\n".join(lines) + sep + rest, encoding="utf-8")


def is_public(entry):
    """Whether the string is used on a public or voter page (see the module docstring)."""
    for source, _line in entry.occurrences:
        parts = Path(source).parts
        if "admin" in parts or "pollbook" in parts or parts[-1].startswith(("admin", "pollbook")):
            continue
        if "templates" in parts or parts[-1] in PUBLIC_MODULES:
            return True
    return False


def translated_elsewhere(path):
    """(msgctxt, msgid) of the entries some other voter language of this catalog translates.

    Strings outside the public templates and modules that citizens still see (a hearing's status,
    a respondent's kind, an election's stage: choices in models.py) are translated where they
    show; once translated in one language they are required in all, so no language falls behind.
    """
    import polib

    keys = set()
    for code in languages.TRANSLATED:
        other = Path(path).parents[2] / code / "LC_MESSAGES" / "django.po"
        if code in ("en", language_of(path)) or not other.exists():
            continue
        keys |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(other)) if e.translated() and not e.obsolete}
    return keys


def required(path, po):
    """The entries of a catalog that must be translated."""
    code = language_of(path)
    entries = [e for e in po if not e.obsolete]
    if code in ("da", "en"):
        return entries
    elsewhere = translated_elsewhere(path)
    return [e for e in entries if is_public(e) or (e.msgctxt, e.msgid) in elsewhere]


def missing(path):
    """Entries that must be translated but are not (untranslated, fuzzy or a plural form empty)."""
    import polib

    po = polib.pofile(str(path))
    gaps = []
    for entry in required(path, po):
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not all(text.strip() for text in forms):
            gaps.append(entry)
    return gaps


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def broken_placeholders(path):
    """Translated entries whose placeholders differ from the source's: (entry, problem) pairs.

    A singular translation has exactly the source's placeholders. Plural forms may drop the
    count (Arabic's "one" form says "one", not "%(counter)s") but no other placeholder, and
    may add none the source lacks; a catalog has as many forms as its Plural-Forms header says.
    """
    import polib

    po = polib.pofile(str(path))
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata.get("Plural-Forms", "nplurals=2")).group(1))
    problems = []
    for entry in po:
        if entry.obsolete or not entry.translated():
            continue
        if not entry.msgid_plural:
            if placeholders(entry.msgstr) != placeholders(entry.msgid):
                problems.append((entry, f"{entry.msgstr!r} has {placeholders(entry.msgstr)}"))
            continue
        if len(entry.msgstr_plural) != nplurals:
            problems.append((entry, f"{len(entry.msgstr_plural)} plural forms, the header says {nplurals}"))
        source = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
        for index, text in entry.msgstr_plural.items():
            found = set(placeholders(text))
            if not found <= source:
                problems.append((entry, f"form {index} {text!r} has {sorted(found - source)}"))
            if "%%" in entry.msgid_plural and "%%" not in found:
                problems.append((entry, f"form {index} {text!r} lost %%"))
            other = source - {"%(counter)s", "%(count)s", "%%"}
            for name in other:
                if name not in found:
                    problems.append((entry, f"form {index} {text!r} lost {name}"))
    return problems


def check():
    problems = 0
    for path in catalogs():
        gaps = missing(path)
        for entry in gaps:
            print(f"{path.relative_to(ROOT)}: untranslated {entry.msgid!r}")
        broken = broken_placeholders(path)
        for entry, problem in broken:
            print(f"{path.relative_to(ROOT)}: placeholders in {entry.msgid!r}: {problem}")
        problems += len(gaps) + len(broken)
    print(f"{problems} problems")
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
    elif command == "headers":
        set_headers()
    else:
        sys.exit(check())
