"""The Wagtail admin speaks Danish where Wagtail's own Danish catalog leaves strings in English.

site/locale_wagtail adds Danish for the admin menus, editor, listings and JavaScript strings a
secretariat sees every day; an editor who chose English in their admin profile keeps English.
"""

import json
import re

import polib
import pytest
from django.conf import settings

from tests.test_translations import ROOT


def menu_labels(html):
    """The sidebar menu's labels, from the JSON props Wagtail renders (escapes decoded)."""
    return {json.loads(f'"{label}"') for label in re.findall(r'"label": "((?:[^"\\]|\\.)*)"', html)}


@pytest.mark.django_db
def test_secretariat_sees_the_admin_menu_and_editor_in_danish(staff_client, home_page):
    dashboard = staff_client.get("/admin/").content.decode()
    labels = menu_labels(dashboard)
    assert {"Billeder", "Dokumenter", "Rapporter", "Hjælp"} <= labels, labels
    assert not {"Images", "Documents", "Reports", "Help"} & labels

    editor = staff_client.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    assert "Sidens titel, som offentligheden skal se den" in editor
    assert "The page title as you&#x27;d like it to be seen by the public" not in editor

    documents = staff_client.get("/admin/documents/").content.decode()
    assert "Tilføj et dokument" in documents


@pytest.mark.django_db
def test_admin_javascript_strings_are_danish(staff_client, home_page):
    catalog = staff_client.get("/admin/jsi18n/").content.decode()  # JSON with ASCII escapes
    assert '"Collapse all": "Fold alle sammen"' in catalog
    assert '"Are you sure?": "Er du sikker?"' in catalog


@pytest.mark.django_db
def test_an_editor_who_chose_english_keeps_the_english_admin(staff_client, home_page):
    from wagtail.users.models import UserProfile

    user = staff_client.get("/admin/").wsgi_request.user
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    labels = menu_labels(staff_client.get("/admin/").content.decode())
    assert {"Images", "Documents", "Reports"} <= labels, labels


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_wagtail_catalog_only_fills_gaps_and_keeps_placeholders(domain):
    path = ROOT / "site" / "locale_wagtail" / "da" / "LC_MESSAGES" / f"{domain}.po"
    assert path.parents[2] in settings.LOCALE_PATHS
    placeholder = re.compile(r"%\(\w+\)[sd]")
    catalog = polib.pofile(str(path))
    assert len(catalog) > 50
    for entry in catalog:
        assert entry.translated(), entry.msgid
        if entry.msgid_plural:
            assert set(placeholder.findall(entry.msgstr_plural[1])) == set(placeholder.findall(entry.msgid_plural))
        else:
            assert set(placeholder.findall(entry.msgstr)) == set(placeholder.findall(entry.msgid)), entry.msgid
