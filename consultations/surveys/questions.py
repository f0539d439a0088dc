"""A survey's questions as plain objects: sections, options with stable ids, conditions, answers.

Built from the page's ``questions`` StreamField by :func:`parse`. Answers are a dict from
question id (the StreamField block id) to a JSON value:

* single, scale: the option id (a scale's options are its values as text, and ``"dk"`` for
  »Ved ikke«)
* multiple: a list of option ids
* text: the text; number: a number; date: ``"YYYY-MM-DD"``
* matrix: a dict from statement id to option id

Whether a question is shown is decided here, once, for the server and the browser
(``data-show-if`` attributes carry the same rule to ``survey.js``).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

DONT_KNOW = "dk"


@dataclass
class Option:
    id: str
    label: str


@dataclass
class Question:
    id: str
    key: str
    kind: str
    text: str
    help_text: str = ""
    required: bool = True
    section: int = 0
    options: list = field(default_factory=list)
    statements: list = field(default_factory=list)
    min_choices: int | None = None
    max_choices: int | None = None
    min_label: str = ""
    max_label: str = ""
    max_length: int = 2000
    multiline: bool = True
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    min_date: object = None
    max_date: object = None
    condition: tuple | None = None  # (question id, option id)
    condition_text: str = ""  # »Besvares kun, hvis du har svaret »Ja« til »…««

    @property
    def option_ids(self):
        return {option.id for option in self.options}

    def option_label(self, option_id):
        for option in self.options:
            if option.id == option_id:
                return option.label
        return ""

    @property
    def is_choice(self):
        return self.kind in ("single", "multiple", "scale")


@dataclass
class Section:
    index: int
    title: str = ""
    intro: str = ""
    questions: list = field(default_factory=list)


@dataclass
class Survey:
    """The parsed questionnaire (built complete by :func:`parse`, never changed afterwards)."""

    sections: list

    @cached_property
    def questions(self):
        return [q for section in self.sections for q in section.questions]

    def question(self, question_id):
        return self.by_id.get(question_id)

    @cached_property
    def by_id(self):
        return {q.id: q for q in self.questions}

    def is_visible(self, question, answers):
        """Shown to someone with these answers: no condition, or its question shown and answered so."""
        seen = set()
        while question.condition:
            if question.id in seen:  # a cycle cannot be built in the editor; never loop for ever
                return False
            seen.add(question.id)
            source_id, option_id = question.condition
            source = self.question(source_id)
            if source is None or option_id not in as_list(answers.get(source_id)):
                return False
            question = source
        return True

    def visible_answers(self, answers):
        """``answers`` without the answers to questions no longer shown (an earlier answer changed)."""
        return {
            qid: value
            for qid, value in answers.items()
            if qid in self.by_id and self.is_visible(self.by_id[qid], answers)
        }

    def section_has_visible(self, section, answers):
        """Whether a section shows anything: a question without a condition on this section's own
        questions decides on the answers so far; one conditional on the same section is shown with JS."""
        return any(self.shown_on_page(q, answers) for q in section.questions)

    def shown_on_page(self, question, answers):
        """Rendered when its section is shown: visible, or conditional on a question in the same section
        (then the browser shows or hides it, and without JavaScript it is shown with its condition)."""
        if self.is_visible(question, answers):
            return True
        source = self.question(question.condition[0]) if question.condition else None
        return source is not None and source.section == question.section and self.shown_on_page(source, answers)


def as_list(value):
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _text(value):
    return str(value or "").strip()


def parse(stream):
    """The :class:`Survey` of a ``questions`` StreamValue (section breaks start new sections)."""
    sections = [Section(0)]
    by_key = {}
    for child in stream:
        value = child.value
        if child.block_type == "section":
            if sections[-1].questions or sections[-1].title:
                sections.append(Section(len(sections)))
            sections[-1].title = _text(value.get("title"))
            sections[-1].intro = _text(value.get("intro"))
            continue
        question = Question(
            id=str(child.id),
            key=value.get("key") or str(child.id),
            kind=child.block_type,
            text=_text(value.get("text")),
            help_text=_text(value.get("help_text")),
            required=bool(value.get("required")),
            section=sections[-1].index,
        )
        kind = child.block_type
        if kind in ("single", "multiple", "matrix"):
            question.options = [Option(str(item.id), _text(item.value)) for item in value["options"].bound_blocks]
        if kind == "matrix":
            question.statements = [Option(str(item.id), _text(item.value)) for item in value["statements"].bound_blocks]
        if kind == "multiple":
            question.min_choices = value.get("min_choices") or None
            question.max_choices = value.get("max_choices") or None
        if kind == "scale":
            low, high = value.get("scale_min", 1), value.get("scale_max", 5)
            question.min_label, question.max_label = _text(value.get("min_label")), _text(value.get("max_label"))
            question.options = []
            for n in range(low, high + 1):
                label = str(n)
                if n == low and question.min_label:
                    label = f"{n} – {question.min_label}"
                elif n == high and question.max_label:
                    label = f"{n} – {question.max_label}"
                question.options.append(Option(str(n), label))
            if value.get("dont_know"):
                question.options.append(Option(DONT_KNOW, str(_("Ved ikke"))))
        if kind == "text":
            question.max_length = value.get("max_length") or 2000
            question.multiline = bool(value.get("multiline"))
        if kind == "number":
            question.min_value, question.max_value = value.get("min_value"), value.get("max_value")
        if kind == "date":
            question.min_date, question.max_date = value.get("min_date"), value.get("max_date")
        condition_key = value.get("show_if_question")
        if condition_key and condition_key in by_key:
            source = by_key[condition_key]
            wanted = _text(value.get("show_if_answer"))
            for option in source.options:
                if wanted in (option.label, option.id):
                    question.condition = (source.id, option.id)
                    question.condition_text = _("Besvares kun, hvis du har svaret »%(answer)s« til »%(question)s«.") % {
                        "answer": option.label,
                        "question": source.text,
                    }
                    break
        by_key[question.key] = question
        sections[-1].questions.append(question)
    return Survey([section for section in sections if section.questions])
