"""The response form and the response list are written in Python (consultations.widget_html,
consultations.response_list): markup typed by a visitor or entered by an editor comes back as text.

Posted through the hearing page with an error, so every typed value is written back into its
widget (input value, textarea body, hidden input, a choice the form refused) next to the errors.
"""

import re

import pytest

from consultations.forms import ResponseForm
from tests.consultations.drafts import chapter, section
from tests.consultations.factories import HearingFactory, HearingPartyFactory, ResponseFactory

pytestmark = pytest.mark.django_db

SCRIPT = '"><script>alert(1)</script>'
ATTRIBUTE = "' onmouseover=alert(2) x='"
TEXTAREA = "</textarea><script>alert(3)</script>"


def escaped(text):
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


@pytest.fixture
def marked_up(hearing_index):
    """A hearing whose editor wrote markup in a section heading, with a hearing-list party whose
    name holds markup and a published response whose name and text do."""
    hearing = HearingFactory(
        parent=hearing_index,
        title="Trafikplan",
        slug="trafikplan-markup",
        draft=[chapter("Biler", section("s-1-1", f"Parkering {SCRIPT}", "Færre pladser."))],
    )
    party = HearingPartyFactory(name=f"Forening {ATTRIBUTE}")
    hearing.hearing_lists.add(party.hearing_list)
    hearing.save_revision().publish()
    hearing.refresh_from_db()
    ResponseFactory(hearing=hearing, published=True, name=f"Borger {SCRIPT}", text=f"Svar {TEXTAREA} {ATTRIBUTE}")
    return hearing


def test_typed_and_edited_markup_is_shown_as_text_on_the_hearing_page(client, marked_up):
    response = client.post(
        marked_up.url,
        {
            "name": SCRIPT,
            "email": f"x{SCRIPT}",
            "postcode": ATTRIBUTE,
            "district": SCRIPT,
            "respondent": "organisation",
            "kind": SCRIPT,
            "organisation_name": ATTRIBUTE,
            "party": ATTRIBUTE,
            "text": TEXTAREA,
            "afsnit_s-1-1": TEXTAREA + ATTRIBUTE,
            "website": "",
            "submission_key": SCRIPT,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    form = ResponseForm
    assert 'class="form-error-message"' in html  # bound with errors: the values are written back
    for raw in ("<script>alert", "</textarea><script>", "' onmouseover", "x=''"):
        assert raw not in html, raw
    # Each value where the form writes it back, escaped:
    assert f'name="name" value="{escaped(SCRIPT)}"' in html  # an input's value
    assert f'name="organisation_name" value="{escaped(ATTRIBUTE)}"' in html
    assert f'name="postcode" value="{escaped(ATTRIBUTE)}"' in html
    assert f'name="email" value="x{escaped(SCRIPT)}"' in html
    # (a malformed submission key is replaced, not written back: forms.ResponseForm.clean_submission_key)
    assert re.search(r'type="hidden" name="submission_key" value="[0-9a-f]{32}"', html)
    assert f">\n{escaped(TEXTAREA)}</textarea>" in html  # the response's textarea body
    assert f">\n{escaped(TEXTAREA + ATTRIBUTE)}</textarea>" in html  # the section comment's
    # An editor's section heading in the comment field's label, a party's name as an option label:
    assert f"Din kommentar til afsnit 1.1 Parkering {escaped(SCRIPT)} <span" in html
    assert f">Forening {escaped(ATTRIBUTE)}</option>" in html
    # The published response (the response list): its name and text.
    assert f"<bdi>Borger {escaped(SCRIPT)}</bdi>" in html
    assert f"Svar {escaped(TEXTAREA)} {escaped(ATTRIBUTE)}" in html
    assert form.default_renderer.__class__.__name__ == "WidgetRenderer"  # the Python widgets wrote it
