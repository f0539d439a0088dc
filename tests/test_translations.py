"""Every English catalog in the repository is complete, and the compiled site catalog is used."""

import importlib.util
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
