"""A survey's date question (the browser journey is tests/e2e/test_surveys_date_question.py): the ways
people write a date in Denmark are read, anything else is refused naming what was typed, a stored date
comes back the Danish way, and an editor's help text is shown as text, never as HTML."""

import datetime

import pytest

from consultations.surveys.forms import SectionForm
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey, question

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(home_page):
    return make_survey(
        SurveyIndexPageFactory(parent=home_page),
        questions=[
            question(
                "date", "moede", "Hvornår var dit seneste møde?", help_text="Dagen for <b>mødet</b>.",
                min_date=datetime.date(2026, 1, 1),
            ),
            question("text", "hvorfor", "Hvorfor?", required=False, help_text="Skriv <i>kort</i>."),
        ],
    )  # fmt: skip


def form(survey, typed=None, answers=None):
    questionnaire = survey.questionnaire
    data = None if typed is None else {"q-moede": typed}
    return SectionForm(
        data, page=survey, survey=questionnaire, section=questionnaire.sections[0], answers=answers or {}
    )


def date_id(survey):
    return survey.questionnaire.questions[0].id


@pytest.mark.parametrize(
    "typed", ["24-12-2026", "24.12.2026", "24/12/2026", "24 12 2026", " 24-12-2026 ", "2026-12-24"]
)
def test_the_ways_a_date_is_written_are_read(survey, typed):
    bound = form(survey, typed)
    assert bound.is_valid(), bound.errors
    assert bound.section_answers == {date_id(survey): "2026-12-24"}


@pytest.mark.parametrize(
    "typed, message",
    [
        ("31-02-2026", "»31-02-2026« er ikke en gyldig dato. Skriv dag-måned-år, fx 24-12-2026."),
        ("12-24-2026", "»12-24-2026« er ikke en gyldig dato. Skriv dag-måned-år, fx 24-12-2026."),
        ("i går", "»i går« er ikke en gyldig dato. Skriv dag-måned-år, fx 24-12-2026."),
        ("24-12-2025", "Skriv en dato, der er 01-01-2026 eller senere."),
    ],
)
def test_a_date_that_cannot_be_read_or_is_too_early_is_refused_saying_why(survey, typed, message):
    bound = form(survey, typed)
    assert not bound.is_valid()
    assert bound.errors == {"q-moede": [message]}


def test_a_stored_date_comes_back_the_danish_way(survey):
    """Going back to the section, or resuming a saved answer, shows the date as it is written here."""
    html = str(form(survey, answers={date_id(survey): "2026-12-24"})["q-moede"])
    assert 'value="24-12-2026"' in html


def test_the_page_shows_the_editors_help_text_as_text_and_marks_the_question_required(client, survey):
    html = client.get(survey.url).content.decode()
    assert "Dagen for &lt;b&gt;mødet&lt;/b&gt;. Skriv dag-måned-år, fx 24-12-2026." in html
    assert "Skriv &lt;i&gt;kort&lt;/i&gt;." in html
    assert "<b>mødet</b>" not in html and "<i>kort</i>" not in html
    label = html[html.index('<label class="form-label" for="id_q-moede">') :].split("</label>", 1)[0]
    assert "valgfrit" not in label
    assert 'aria-required="true"' in html
