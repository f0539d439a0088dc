"""The hearing's admin screens in the Danish admin show no English of Wagtail's or the browser's own:
the comment button on the draft's fields (Wagtail's »Add Comment«, filled in by site/locale_wagtail)
and the decision's date field (the browser's »mm/dd/yyyy« of a type="date" field)."""

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_draft_editors_comment_buttons_say_tilfoej_kommentar(staff_client, sectioned):
    editor = html.unescape(staff_client.get(f"/admin/pages/{sectioned.pk}/edit/").content.decode())
    # The StreamField's block definitions carry the button's label for the editor's JavaScript.
    labels = {bytes(v, "ascii").decode("unicode_escape") for v in re.findall(r'"ADD_COMMENT": "([^"]*)"', editor)}
    assert labels == {"Tilføj kommentar"}, labels
    assert "Add Comment" not in editor and "Add comment" not in editor


def test_the_decision_date_is_wagtails_date_field_with_a_danish_hint(staff_client, sectioned):
    page = staff_client.get(reverse("consultations_admin_decision", args=[sectioned.pk])).content.decode()
    field = re.search(r'<input[^>]*name="decided_on"[^>]*>', page).group(0)
    assert 'type="text"' in field  # not type="date": the browser would draw it in its own language
    assert 'placeholder="åååå-mm-dd"' in field
    assert "initDateChooser" in page


def test_the_hearing_editor_has_no_english_of_wagtails_own(staff_client, sectioned):
    """Found on screenshots of the editor in an English Chromium: the title's placeholder, the header's
    »Actions« (a string Wagtail's template does not translate), the checks panel and its accessibility
    checker's messages, the warning about unsaved edits."""
    editor = html.unescape(staff_client.get(f"/admin/pages/{sectioned.pk}/edit/").content.decode())
    editor = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), editor)
    assert 'placeholder="Sidens titel*"' in editor
    assert 'aria-label="Handlinger"' in editor
    for danish in ["Vis problemet", "En overskrift er tom", "Du har <span>ændringer, der ikke er gemt</span>"]:
        assert danish in editor, danish
    for english in ["Page title*", 'aria-label="Actions"', "Show issue", "Empty heading found", "unsaved edits"]:
        assert english not in editor, english
