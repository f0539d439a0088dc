"""Surveys for the tests: a questionnaire with every question type and a condition.

survey = make_survey(parent=index)                  # open, anonymous, anyone may answer
q = survey.questionnaire; q.questions[0].options[0].id  # stable ids after saving
"""

from datetime import timedelta

import wagtail_factories
from django.utils import timezone

from consultations.models import SurveyIndexPage, SurveyPage


class SurveyIndexPageFactory(wagtail_factories.PageFactory):
    title = "Undersøgelser"
    slug = "undersoegelser"

    class Meta:
        model = SurveyIndexPage


def question(kind, key, text, required=True, show_if=None, **extra):
    value = {"key": key, "text": text, "help_text": extra.pop("help_text", ""), "required": required}
    value["show_if_question"], value["show_if_answer"] = show_if or ("", "")
    value.update(extra)
    return {"type": kind, "value": value}


def section(title, intro=""):
    return {"type": "section", "value": {"title": title, "intro": intro}}


ALL_TYPES = [
    section("Om dig"),
    question("single", "kontakt", "Har du været i kontakt med jobcentret i år?", options=["Ja", "Nej"]),
    question(
        "single",
        "kanal",
        "Hvordan var du i kontakt?",
        options=["Møde", "Telefon", "Digitalt"],
        show_if=("kontakt", "Ja"),
    ),
    question("number", "alder", "Hvor gammel er du?", required=False, min_value="15", max_value="110"),
    section("Din oplevelse"),
    question(
        "scale",
        "tilfreds",
        "Hvor tilfreds er du med jobcentret?",
        scale_min=1,
        scale_max=5,
        min_label="Meget utilfreds",
        max_label="Meget tilfreds",
        dont_know=True,
    ),
    question(
        "multiple",
        "hjalp",
        "Hvad hjalp dig?",
        options=["Samtaler", "Kurser", "Praktik", "Løntilskud"],
        min_choices=1,
        max_choices=2,
        show_if=("kontakt", "Ja"),
    ),
    question(
        "matrix",
        "udsagn",
        "Hvor enig er du?",
        statements=["Jeg blev mødt med respekt", "Jeg fik svar til tiden"],
        options=["Enig", "Hverken eller", "Uenig"],
    ),
    question("date", "moede", "Hvornår var dit seneste møde?", required=False),
    question("text", "kommentar", "Har du andre kommentarer?", required=False, max_length=200, multiline=True),
]


def make_survey(parent, questions=None, title="Tilfredshed med jobcentret 2026", slug="tilfredshed-2026", **fields):
    now = timezone.now()
    defaults = {
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=14),
        "committee_name": "Jobcentret",
    }
    defaults.update(fields)
    page = SurveyPage(title=title, slug=slug, questions=questions or ALL_TYPES, **defaults)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return SurveyPage.objects.get(pk=page.pk)
