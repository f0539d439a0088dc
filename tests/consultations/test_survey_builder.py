"""The secretariat's question builder refuses what cannot work, in Danish, naming the question:
a key used twice, a condition on a later or unknown question or on an answer that is not an option,
a condition on a free-text question, min above max, a scale ending below its start."""

import pytest
from django.utils import translation
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from consultations.surveys.blocks import MultipleChoiceBlock, ScaleBlock, SurveyQuestionsBlock
from tests.consultations.survey_factories import question


def errors_of(stream):
    block = SurveyQuestionsBlock()
    with translation.override("da"), pytest.raises(StreamBlockValidationError) as raised:
        block.clean(block.to_python(stream))
    with translation.override("da"):
        return {index: " ".join(error.messages) for index, error in raised.value.block_errors.items()}


def yes_no(key="kontakt"):
    return question("single", key, "Har du været i kontakt?", options=["Ja", "Nej"])


def test_conditions_and_keys_are_checked_with_danish_messages():
    assert errors_of(
        [
            yes_no(),
            yes_no(),  # the same key again
            question("text", "hvorfor", "Hvorfor?", show_if=("senere", "Ja")),
            question("text", "hvordan", "Hvordan?", show_if=("kontakt", "Måske")),
            question("text", "fritekst", "Andet?"),
            question("text", "mere", "Mere?", show_if=("fritekst", "Ja")),
            question("text", "halv", "Halv?", show_if=("kontakt", "")),
        ]
    ) == {
        1: "Nøglen »kontakt« er brugt af et andet spørgsmål.",
        2: "Betingelsen skal henvise til et tidligere spørgsmål; »senere« findes ikke før dette.",
        3: "»Måske« er ikke en svarmulighed i spørgsmålet »kontakt«.",
        5: "Betingelsen skal henvise til et valg- eller skalaspørgsmål.",
        6: "En betingelse skal have både et spørgsmål og et svar.",
    }


def test_a_valid_condition_on_an_earlier_choice_passes():
    block = SurveyQuestionsBlock()
    stream = [yes_no(), question("text", "hvordan", "Hvordan?", show_if=("kontakt", "Ja"))]
    assert len(block.clean(block.to_python(stream))) == 2


def test_min_above_max_and_a_reversed_scale_are_refused():
    multiple = MultipleChoiceBlock()
    value = question("multiple", "hjalp", "Hvad hjalp?", options=["A", "B", "C"], min_choices=3, max_choices=2)
    with translation.override("da"), pytest.raises(StructBlockValidationError) as raised:
        multiple.clean(multiple.to_python(value["value"]))
    assert [str(m) for m in raised.value.block_errors["max_choices"].messages] == [
        "Højst kan ikke være mindre end mindst."
    ]
    scale = ScaleBlock()
    value = question("scale", "tilfreds", "Tilfreds?", scale_min=5, scale_max=1)
    with translation.override("da"), pytest.raises(StructBlockValidationError) as raised:
        scale.clean(scale.to_python(value["value"]))
    assert [str(m) for m in raised.value.block_errors["scale_max"].messages] == [
        "Skalaen skal slutte ved en højere værdi, end den starter."
    ]
