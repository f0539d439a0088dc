"""Fail when the committed translation catalogs do not match the code.

Runs `scripts/i18n.py make` (makemessages for site/ and every app) on a copy of the tree in a
temporary directory, then compares the entries (context, msgid, msgid_plural) of every catalog it
made with the committed one. The working tree is never touched. Exit status 1 lists what differs:
a string in the code that no catalog has (run `scripts/i18n.py make` and translate it), or an entry
the code no longer uses (run `scripts/i18n.py make` to drop it).

Usage (from the repo root): .venv/bin/python scripts/check_catalogs.py
"""

import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_i18n(root):
    spec = importlib.util.spec_from_file_location("i18n_for_check", root / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_tree(target):
    """The files git knows or would add (tracked and untracked, not ignored) into ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.is_file():  # deleted in the working tree
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


def entries(path):
    import polib

    if not path.exists():
        return set()
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(path)) if not e.obsolete and e.msgid}


def describe(entry):
    context, msgid, plural = entry
    text = repr(msgid[:70])
    if plural:
        text += f" / {plural[:40]!r}"
    if context:
        text += f" (context {context!r})"
    return text


def main():
    problems = []
    with tempfile.TemporaryDirectory(prefix="medborger-catalogs-") as tmp:
        copy = Path(tmp)
        copy_tree(copy)
        i18n = load_i18n(copy)
        made = sorted(path.relative_to(copy) for path in i18n.catalogs())  # catalogs before make
        i18n.make()
        made = sorted({*made, *(path.relative_to(copy) for path in i18n.catalogs())})
        for relative in made:
            fresh, committed = entries(copy / relative), entries(ROOT / relative)
            for entry in sorted(fresh - committed, key=str):
                problems.append(f"{relative}: missing {describe(entry)}")
            for entry in sorted(committed - fresh, key=str):
                problems.append(f"{relative}: no longer in the code {describe(entry)}")
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} catalog entries differ from the code: run `.venv/bin/python scripts/i18n.py make`.")
        return 1
    print(f"{len(made)} catalogs match the code.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
