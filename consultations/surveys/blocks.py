"""The question blocks the secretariat builds a survey from in the Wagtail editor.

A survey's ``questions`` StreamField holds section breaks and questions in order. Every question
has a short key (used in exports, the codebook and conditions), its text, help text, whether it
is required and an optional condition: show it only when an earlier question has a given answer.
Options are ListBlock items, so each option has a stable id that answers store (copies of a
survey keep the ids, which is what makes two runs comparable).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError

KEY_HELP = _("Kort entydigt navn, fx »q1« eller »tilfreds«. Bruges i eksport, kodebog og betingelser.")


class ListItemBlock(blocks.CharBlock):
    """One item of a list (an option, a statement). Wagtail's editor shows no label for the items of
    a ListBlock, so a screen reader announced an unnamed text box (axe: »Form elements must have
    labels«): the input carries the item's label itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field.widget.attrs["aria-label"] = self.label


class QuestionBlock(blocks.StructBlock):
    """Fields every question has (subclasses add their own)."""

    key = blocks.RegexBlock(
        regex=r"^[a-z0-9_-]{1,30}$",
        label=_("Nøgle"),
        help_text=KEY_HELP,
        error_messages={"invalid": _("Brug 1–30 små bogstaver a–z, tal, - eller _.")},
    )
    text = blocks.CharBlock(max_length=500, label=_("Spørgsmål"))
    help_text = blocks.CharBlock(required=False, max_length=500, label=_("Hjælpetekst"))
    required = blocks.BooleanBlock(required=False, default=True, label=_("Skal besvares"))
    show_if_question = blocks.CharBlock(
        required=False,
        max_length=30,
        label=_("Vis kun hvis spørgsmål (nøgle)"),
        help_text=_("Nøglen på et tidligere valg-spørgsmål. Tom: vis altid."),
    )
    show_if_answer = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("… har svaret"),
        help_text=_("Svarmuligheden (teksten) der skal være valgt, fx »Ja«."),
    )

    class Meta:
        icon = "help"


def _options(label=None):
    return blocks.ListBlock(
        ListItemBlock(max_length=200, label=_("Svarmulighed")), min_num=1, label=label or _("Svarmuligheder")
    )


class SingleChoiceBlock(QuestionBlock):
    options = _options()

    class Meta:
        label = _("Ét valg")
        icon = "radio-full"


class MultipleChoiceBlock(QuestionBlock):
    options = _options()
    min_choices = blocks.IntegerBlock(required=False, min_value=0, label=_("Mindst antal valg"))
    max_choices = blocks.IntegerBlock(required=False, min_value=1, label=_("Højst antal valg"))

    class Meta:
        label = _("Flere valg")
        icon = "tasks"

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_choices"), value.get("max_choices")
        if low and high and low > high:
            raise blocks.StructBlockValidationError(
                block_errors={"max_choices": ValidationError(_("Højst kan ikke være mindre end mindst."))}
            )
        return value


class ScaleBlock(QuestionBlock):
    scale_min = blocks.IntegerBlock(default=1, min_value=0, max_value=10, label=_("Skalaen starter ved"))
    scale_max = blocks.IntegerBlock(default=5, min_value=1, max_value=11, label=_("Skalaen slutter ved"))
    min_label = blocks.CharBlock(required=False, max_length=100, label=_("Tekst ved laveste værdi"))
    max_label = blocks.CharBlock(required=False, max_length=100, label=_("Tekst ved højeste værdi"))
    dont_know = blocks.BooleanBlock(required=False, default=True, label=_("Med »Ved ikke«"))

    class Meta:
        label = _("Skala")
        icon = "order"

    def clean(self, value):
        value = super().clean(value)
        if value["scale_min"] >= value["scale_max"]:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "scale_max": ValidationError(_("Skalaen skal slutte ved en højere værdi, end den starter."))
                }
            )
        return value


class FreeTextBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(default=2000, min_value=10, max_value=10000, label=_("Højst antal tegn"))
    multiline = blocks.BooleanBlock(required=False, default=True, label=_("Flere linjer"))

    class Meta:
        label = _("Fritekst")
        icon = "pilcrow"


class NumberBlock(QuestionBlock):
    min_value = blocks.DecimalBlock(required=False, label=_("Mindste tal"))
    max_value = blocks.DecimalBlock(required=False, label=_("Største tal"))

    class Meta:
        label = _("Tal")
        icon = "plus-inverse"


class DateQuestionBlock(QuestionBlock):
    min_date = blocks.DateBlock(required=False, label=_("Tidligste dato"))
    max_date = blocks.DateBlock(required=False, label=_("Seneste dato"))

    class Meta:
        label = _("Dato")
        icon = "date"


class MatrixBlock(QuestionBlock):
    statements = blocks.ListBlock(
        ListItemBlock(max_length=300, label=_("Udsagn")), min_num=1, label=_("Udsagn (rækker)")
    )
    options = _options(_("Skala (kolonner)"))

    class Meta:
        label = _("Matrix (udsagn × skala)")
        icon = "table"


class SectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, label=_("Overskrift"))
    intro = blocks.TextBlock(required=False, label=_("Indledning"))

    class Meta:
        label = _("Nyt afsnit (ny side)")
        icon = "horizontalrule"


CHOICE_KINDS = ("single", "multiple", "scale")


class SurveyQuestionsBlock(blocks.StreamBlock):
    section = SectionBlock()
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    scale = ScaleBlock()
    text = FreeTextBlock()
    number = NumberBlock()
    date = DateQuestionBlock()
    matrix = MatrixBlock()

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        seen = {}  # key -> (kind, option labels)
        for index, child in enumerate(value):
            if child.block_type == "section":
                continue
            key = child.value["key"]
            if key in seen:
                errors[index] = ValidationError(_("Nøglen »%(key)s« er brugt af et andet spørgsmål.") % {"key": key})
                continue
            condition_key = child.value.get("show_if_question") or ""
            condition_answer = child.value.get("show_if_answer") or ""
            if condition_key or condition_answer:
                problem = condition_problem(seen, condition_key, condition_answer)
                if problem:
                    errors[index] = ValidationError(problem)
            labels = []
            if child.block_type in ("single", "multiple"):
                labels = [str(option) for option in child.value["options"]]
            elif child.block_type == "scale":
                labels = [str(n) for n in range(child.value["scale_min"], child.value["scale_max"] + 1)]
            seen[key] = (child.block_type, labels)
        if errors:
            raise StreamBlockValidationError(block_errors=errors)
        return value


def condition_problem(earlier, key, answer):
    """Why a condition (question key, answer text) cannot work, or None. ``earlier`` holds the questions before it."""
    if not key or not answer:
        return _("En betingelse skal have både et spørgsmål og et svar.")
    if key not in earlier:
        return _("Betingelsen skal henvise til et tidligere spørgsmål; »%(key)s« findes ikke før dette.") % {"key": key}
    kind, labels = earlier[key]
    if kind not in CHOICE_KINDS:
        return _("Betingelsen skal henvise til et valg- eller skalaspørgsmål.")
    if answer not in labels:
        return _("»%(answer)s« er ikke en svarmulighed i spørgsmålet »%(key)s«.") % {"answer": answer, "key": key}
    return None
