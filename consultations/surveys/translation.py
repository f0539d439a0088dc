"""A survey in the reader's language (core.translated_pages): the questionnaire of the translated
page, with the conditions of the Danish one.

Answers store option ids, never labels (consultations.surveys.questions: a single choice is the
option's ListBlock id, a scale its value, a matrix row statement id -> option id), so translated
labels change nothing that is stored, counted or exported. A condition names its answer by the
Danish label (»… har svaret« in the editor), which the translated labels no longer contain: each
question's condition is therefore taken from the Danish questionnaire by question and option id,
and its sentence is written with the translated texts.
"""

from django.utils.translation import gettext as _


def with_danish_conditions(translated, danish):
    """``translated`` (a parsed Survey) with every question's condition from ``danish``."""
    for question in translated.questions:
        source = danish.question(question.id)
        question.condition = source.condition if source is not None else None
        question.condition_text = ""
        if question.condition is None:
            continue
        asked = translated.question(question.condition[0])
        if asked is None:
            question.condition = None
            continue
        question.condition_text = _("Besvares kun, hvis du har svaret »%(answer)s« til »%(question)s«.") % {
            "answer": asked.option_label(question.condition[1]),
            "question": asked.text,
        }
    return translated
