"""The catalogs are complete: English entirely, every other language for each string a citizen,
respondent or voter sees (scripts/i18n.py is_public), placeholders and plural forms intact; and the
compiled catalogs are used."""

import importlib.util
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "node_modules", "staticfiles", ".git"}


def english_catalogs():
    return sorted(
        path
        for path in ROOT.glob("**/locale/en/LC_MESSAGES/django.po")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
    )


def translated_catalogs():
    """Every catalog but Danish (the source language): English and the voters' languages."""
    return sorted(
        path
        for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
        and path.parts[-3] != "da"
        and "locale_wagtail" not in path.parts
        and "locale_overrides" not in path.parts
    )


def i18n_script():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_site_catalog_exists():
    assert ROOT / "site" / "locale" / "en" / "LC_MESSAGES" / "django.po" in english_catalogs()


@pytest.mark.parametrize("path", english_catalogs(), ids=lambda path: str(path.relative_to(ROOT)))
def test_english_catalog_is_complete(path):
    gaps = i18n_script().missing(path)
    assert not gaps, f"{path.relative_to(ROOT)}: untranslated or fuzzy: " + "; ".join(
        repr(entry.msgid[:60]) for entry in gaps[:20]
    )


@pytest.mark.parametrize("path", english_catalogs(), ids=lambda path: str(path.relative_to(ROOT)))
def test_english_catalog_keeps_placeholders(path):
    """A translation must use the same %(name)s placeholders as its Danish source."""
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.translated():
            continue
        if entry.msgid_plural:
            expected = set(placeholder.findall(entry.msgid_plural))
            for text in entry.msgstr_plural.values():
                assert set(placeholder.findall(text)) <= expected | set(placeholder.findall(entry.msgid)), entry.msgid
        else:
            assert set(placeholder.findall(entry.msgstr)) == set(placeholder.findall(entry.msgid)), entry.msgid


def test_compiled_english_catalog_switches_strings():
    """Needs compiled catalogs (`make messages`, run by `make test`)."""
    with translation.override("en"):
        assert gettext("Høringer") == "Hearings"
        assert gettext("Gå til sidens indhold") == "Skip to content"
    with translation.override("da"):
        assert gettext("Høringer") == "Høringer"


def test_danish_wording_overrides_for_allauth_are_used():
    with translation.override("da"):
        assert gettext("Password Reset") == "Nulstil adgangskode"
        assert gettext("Email") == "E-mail"
    with translation.override("en"):
        assert gettext("Password Reset") == "Password Reset"


@pytest.mark.parametrize("path", translated_catalogs(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_public_string_is_translated(path):
    """A string on a public or voter page left untranslated in any language fails here."""
    gaps = i18n_script().missing(path)
    assert not gaps, f"{path.relative_to(ROOT)}: {len(gaps)} untranslated or fuzzy: " + "; ".join(
        repr(entry.msgid[:60]) for entry in gaps[:20]
    )


@pytest.mark.parametrize("path", translated_catalogs(), ids=lambda path: str(path.relative_to(ROOT)))
def test_placeholders_and_plural_forms_are_intact(path):
    problems = i18n_script().broken_placeholders(path)
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(
        f"{entry.msgid[:50]!r}: {problem}" for entry, problem in problems[:20]
    )


def test_every_language_has_every_catalog():
    from core import languages

    for catalog in ("site/locale", "consultations/locale", "elections/locale", "councils/locale"):
        for code in languages.CODES:
            assert (ROOT / catalog / code / "LC_MESSAGES" / "django.po").exists(), (catalog, code)


def _copy_with(path, tmp_path, change):
    po = polib.pofile(str(path))
    change(po)
    copy = tmp_path / path.relative_to(ROOT)
    copy.parent.mkdir(parents=True)
    po.save(str(copy))
    return copy


def test_a_missing_ukrainian_string_fails_the_check(tmp_path):
    """The check itself: a Ukrainian catalog with one public string removed is reported."""
    path = ROOT / "consultations" / "locale" / "uk" / "LC_MESSAGES" / "django.po"
    assert i18n_script().missing(path) == []

    def remove(po):
        po.find("Send høringssvar").msgstr = ""

    gaps = i18n_script().missing(_copy_with(path, tmp_path, remove))
    assert [entry.msgid for entry in gaps] == ["Send høringssvar"]


def test_a_broken_placeholder_or_plural_form_fails_the_check(tmp_path):
    path = ROOT / "elections" / "locale" / "uk" / "LC_MESSAGES" / "django.po"

    def break_them(po):
        po.find("Tak for din stemme").msgstr = "Дякуємо %(name)s"  # a placeholder the source lacks
        votes = po.find("%(votes)s stemme")
        votes.msgstr_plural = {0: "%(votes)s голос", 1: "голоси", 2: "%(votes)s голосів"}  # 3 of 4 forms

    problems = i18n_script().broken_placeholders(_copy_with(path, tmp_path, break_them))
    found = {(entry.msgid, problem.split(" ")[0]) for entry, problem in problems}
    assert ("Tak for din stemme", "'Дякуємо") in found
    assert any(
        msgid == "%(votes)s stemme" and "plural forms" in problem
        for msgid, problem in [(entry.msgid, problem) for entry, problem in problems]
    )
    assert any("lost %(votes)s" in problem for _entry, problem in problems)


TRANSLATE_TAG = re.compile(
    r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.+?)(?P=q)(?:\s+context\s+(?P<c>["'])(?P<ctx>.+?)(?P=c))?"""
)


def public_templates():
    script = i18n_script()
    for path in sorted(ROOT.glob("**/templates/**/*.html")) + sorted(ROOT.glob("**/templates/**/*.txt")):
        relative = path.relative_to(ROOT)
        if SKIP_DIRS.intersection(relative.parts) or relative.parts[0] == "tests":
            continue
        if script.is_public(polib.POEntry(msgid="x", occurrences=[(str(relative), "")])):
            yield relative


def test_every_translate_tag_on_a_public_template_is_in_the_catalogs():
    """A {% translate "…" %} added to a public template without running `scripts/i18n.py make`
    would show Danish to every reader: its text must be a msgid of the catalogs."""
    from core import languages

    known = {code: set() for code in languages.TRANSLATED}
    for path in translated_catalogs():
        code = path.parts[-3]
        if code in known:
            known[code] |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}
    missing = []
    for relative in public_templates():
        for match in TRANSLATE_TAG.finditer((ROOT / relative).read_text(encoding="utf-8")):
            key = (match["ctx"], match["text"])
            for code, entries in known.items():
                if key not in entries:
                    missing.append(f"{relative}: {match['text']!r} not in the {code} catalogs")
    assert not missing, "; ".join(missing[:20])


@pytest.mark.parametrize("code", ["ar", "fa", "ur", "tr", "so", "pl", "uk"])
def test_compiled_catalogs_switch_the_public_strings(code):
    with translation.override(code):
        assert gettext("Høringer") not in ("Høringer", "Hearings")
        assert gettext("Afgiv stemme") != "Afgiv stemme"
