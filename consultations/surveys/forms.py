"""The answering form: one section of a survey, built from its questions.

Every field is optional to Django; :meth:`SectionForm.clean` decides what is required, because
that depends on which questions are shown (conditions). Answers of earlier sections travel in
the signed ``state`` field, so nothing is stored before the last section is sent.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core import signing
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.dates import parse_typed_date
from core.templatetags.languages import content_lang

from .questions import as_list

STATE_SALT = "consultations.surveys.state"
STATE_MAX_AGE = 60 * 60 * 24  # a day to finish


def dump_state(survey_page, answers):
    return signing.dumps({"s": survey_page.pk, "a": answers}, salt=STATE_SALT, compress=True)


def load_state(survey_page, raw):
    """The answers carried by the form, or None if the field was altered, expired or is another survey's."""
    if not raw:
        return {}
    if len(raw) > 200_000:
        return None
    try:
        data = signing.loads(raw, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != survey_page.pk or not isinstance(data.get("a"), dict):
        return None
    return data["a"]


def field_name(question, statement=None):
    return f"q-{question.key}" if statement is None else f"q-{question.key}-{statement.id[:8]}"


# A date question accepts what core.dates reads (day-month-year as people type it in Denmark, or
# ISO) and shows the answer back as day-month-year.
DATE_SHOWN = "%d-%m-%Y"


def _date_hint():
    return _("Skriv dag-måned-år, fx 24-12-2026.")


class SectionForm(forms.Form):
    """The fields of one section. ``answers`` are those of the other sections (for conditions)."""

    state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, page, survey, section, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.page, self.survey, self.section, self.answers = page, survey, section, answers
        # The survey's own words (questions, help, options, statements) in a page read in another
        # language are marked with the language they are shown in (the survey page's, or its
        # translation's) and its direction, so a Danish question keeps its »?« at the end in an
        # Arabic page and a screen reader reads it as Danish; a translation read in its own
        # language is not marked.
        self._content_lang = content_lang(page)
        self.layout = []  # (question, [bound field names]) in order, for the template
        for question in section.questions:
            names = self._add_fields(question)
            self.layout.append((question, names))
        if not self.is_bound:
            self._set_initial(answers)

    # -- fields --

    def _add_fields(self, question):
        # help_text is shown unescaped (Django's convention, includes/forms/field.html): the editor's
        # text is escaped here.
        mark = self._in_survey_language
        help_text = mark(question.help_text) if question.help_text else ""
        common = {"required": False, "label": mark(question.text), "help_text": help_text}
        kind = question.kind
        name = field_name(question)
        error_messages = {"invalid_choice": _("Vælg en af de viste svarmuligheder.")}
        if kind in ("single", "scale"):
            choices = [(o.id, mark(o.label)) for o in question.options]
            self.fields[name] = forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, error_messages=error_messages, **common
            )
        elif kind == "multiple":
            choices = [(o.id, mark(o.label)) for o in question.options]
            self.fields[name] = forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("Vælg en af de viste svarmuligheder.")},
                **common,
            )
        elif kind == "text":
            widget = forms.Textarea(attrs={"rows": 5}) if question.multiline else forms.TextInput
            self.fields[name] = forms.CharField(
                max_length=question.max_length,
                widget=widget,
                strip=True,
                error_messages={"max_length": _("Svaret må højst være %(limit_value)d tegn (det er %(show_value)d).")},
                **common,
            )
        elif kind == "number":
            self.fields[name] = forms.CharField(
                max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
            )
        elif kind == "date":
            # A text field, not <input type="date">: a browser drops a date it cannot read (31-02-2026,
            # or typed in the order of another locale) and sends nothing, so the person lost what they
            # typed and was told to answer the question; its day/month order follows the browser's
            # language, not the page's. Here what was typed comes back with a message saying why.
            hint = _date_hint()
            common["help_text"] = format_html("{} {}", common["help_text"], hint) if question.help_text else hint
            self.fields[name] = forms.CharField(
                max_length=20,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "input-width-s"}),
                error_messages={"max_length": _date_hint()},
                **common,
            )
        elif kind == "matrix":
            names = []
            choices = [(o.id, mark(o.label)) for o in question.options]
            for statement in question.statements:
                sub = field_name(question, statement)
                self.fields[sub] = forms.ChoiceField(
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages=error_messages,
                    required=False,
                    label=mark(statement.label),
                )
                names.append(sub)
            return names
        field = self.fields[name]
        field.answer_required = question.required  # shown without »(valgfrit)« (includes/forms/field.html)
        if question.required:
            field.widget.attrs["aria-required"] = "true"
        return [name]

    def _in_survey_language(self, text):
        """The text escaped, in a span with the survey's lang and dir when the page is read in another."""
        if not self._content_lang:
            return escape(text)
        return format_html("<span{}>{}</span>", self._content_lang, text)

    def _set_initial(self, answers):
        for question, names in self.layout:
            value = answers.get(question.id)
            if value is None:
                continue
            if question.kind == "matrix":
                for statement, name in zip(question.statements, names, strict=True):
                    if isinstance(value, dict) and statement.id in value:
                        self.initial[name] = value[statement.id]
            elif question.kind == "number":
                self.initial[names[0]] = str(value).replace(".", ",")
            elif question.kind == "date":
                try:
                    self.initial[names[0]] = _shown_date(datetime.date.fromisoformat(value))
                except (TypeError, ValueError):
                    self.initial[names[0]] = value
            else:
                self.initial[names[0]] = value

    # -- validation --

    def _posted(self, names):
        """Whether anything was sent for these fields (a hidden question must get nothing)."""
        return any(self.data.getlist(self.add_prefix(name)) not in ([], [""]) for name in names)

    def clean(self):
        cleaned = super().clean()
        answers = dict(self.answers)
        section_answers = {}
        for question, names in self.layout:
            value = self._value(question, names, cleaned)
            if value not in (None, "", [], {}):
                section_answers[question.id] = value
        answers.update(section_answers)
        for question, names in self.layout:
            present = question.id in section_answers
            if not self.survey.is_visible(question, answers):
                if present or self._posted(names):
                    self._error(question, names, self._hidden_message(question))
                section_answers.pop(question.id, None)
                continue
            if not present:
                if question.required and not self._has_errors(names):
                    message = _("Besvar spørgsmålet.") if question.kind != "matrix" else _("Besvar alle udsagn.")
                    self._error(question, names, message)
                continue
            self._check(question, names, section_answers[question.id])
        self.section_answers = section_answers
        return cleaned

    def _hidden_message(self, question):
        if question.condition_text:
            return _(
                "Dette spørgsmål skal ikke besvares ud fra dine svar. %(rule)s "
                "Fjern svaret, eller ret det tidligere svar."
            ) % {"rule": question.condition_text}
        return _("Dette spørgsmål skal ikke besvares.")

    def _has_errors(self, names):
        return any(name in self._errors for name in names)

    def _error(self, question, names, message):
        target = names[0]
        if question.kind == "matrix":
            missing = [n for n in names if not self.cleaned_data.get(n)]
            target = missing[0] if missing else names[0]
        if target not in self._errors:
            self.add_error(target, message)

    def _value(self, question, names, cleaned):
        kind = question.kind
        if kind == "matrix":
            picked = {}
            for statement, name in zip(question.statements, names, strict=True):
                if cleaned.get(name):
                    picked[statement.id] = cleaned[name]
            if question.required and picked and len(picked) < len(question.statements):
                self._error(question, names, _("Besvar alle udsagn."))
            return picked
        raw = cleaned.get(names[0])
        if raw in (None, "", []):
            return None
        if kind == "number":
            text = str(raw).strip().replace(" ", "")
            if "," in text:  # Danish: 1.250,5
                text = text.replace(".", "").replace(",", ".")
            try:
                number = Decimal(text)
                if not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.add_error(names[0], _("Skriv et tal, fx 12 eller 3,5."))
                return None
            return int(number) if number == number.to_integral_value() else float(number)
        if kind == "date":
            typed = " ".join(str(raw).split())
            day = parse_typed_date(typed)
            if day is not None:
                return day.isoformat()
            self.add_error(
                names[0], _("»%(value)s« er ikke en gyldig dato. Skriv dag-måned-år, fx 24-12-2026.") % {"value": typed}
            )
            return None
        return raw

    def _check(self, question, names, value):
        if question.kind == "multiple":
            count = len(as_list(value))
            if question.max_choices and count > question.max_choices:
                self._error(
                    question,
                    names,
                    ngettext("Vælg højst %(n)d svarmulighed.", "Vælg højst %(n)d svarmuligheder.", question.max_choices)
                    % {"n": question.max_choices},
                )
            elif question.min_choices and count < question.min_choices:
                self._error(
                    question,
                    names,
                    ngettext(
                        "Vælg mindst %(n)d svarmulighed.", "Vælg mindst %(n)d svarmuligheder.", question.min_choices
                    )
                    % {"n": question.min_choices},
                )
        elif question.kind == "number":
            low, high = question.min_value, question.max_value
            if (low is not None and Decimal(str(value)) < low) or (high is not None and Decimal(str(value)) > high):
                self._error(question, names, _range_message(low, high))
        elif question.kind == "date":
            day = datetime.date.fromisoformat(value)
            low, high = question.min_date, question.max_date
            if (low and day < low) or (high and day > high):
                self._error(question, names, _date_range_message(low, high))


def _shown_date(day):
    return day.strftime(DATE_SHOWN)


def _date_range_message(low, high):
    if low and high:
        return _("Skriv en dato fra %(low)s til %(high)s.") % {"low": _shown_date(low), "high": _shown_date(high)}
    if low:
        return _("Skriv en dato, der er %(low)s eller senere.") % {"low": _shown_date(low)}
    return _("Skriv en dato, der er %(high)s eller tidligere.") % {"high": _shown_date(high)}


def _number(value):
    return str(value.normalize() if isinstance(value, Decimal) else value).replace(".", ",")


def _range_message(low, high):
    if low is not None and high is not None:
        return _("Skriv et tal fra %(low)s til %(high)s.") % {"low": _number(low), "high": _number(high)}
    if low is not None:
        return _("Skriv et tal, der er mindst %(low)s.") % {"low": _number(low)}
    return _("Skriv et tal, der er højst %(high)s.") % {"high": _number(high)}


def validate_all(survey, answers):
    """Check a complete set of answers (at submission): every visible required question answered,
    nothing answered that is hidden, every option one of its question's. Returns a list of problems
    as (section index, message); empty when all is well."""
    problems = []
    by_id = survey.by_id
    for qid, value in answers.items():
        question = by_id.get(qid)
        if question is None or not survey.is_visible(question, answers):
            problems.append((question.section if question else 0, _("Et svar hører til et spørgsmål, der ikke vises.")))
            continue
        if question.is_choice or question.kind == "matrix":
            allowed = question.option_ids
            values = value.values() if isinstance(value, dict) else as_list(value)
            if (
                question.kind == "matrix"
                and (not isinstance(value, dict) or not set(value) <= {s.id for s in question.statements})
                or not set(values) <= allowed
            ):
                problems.append((question.section, _("Vælg en af de viste svarmuligheder.")))
    for question in survey.questions:
        if question.required and survey.is_visible(question, answers) and question.id not in answers:
            problems.append((question.section, _("Besvar spørgsmålet »%(question)s«.") % {"question": question.text}))
    return problems


class EmailAccessForm(forms.Form):
    email = forms.EmailField(
        label=_("Din e-mailadresse"), max_length=254, help_text=_("Vi sender dig et personligt link til undersøgelsen.")
    )


class DraftEmailForm(forms.Form):
    """The resume link by email (»Gem og fortsæt senere«): the address is used once and not stored."""

    draft = forms.CharField(widget=forms.HiddenInput, max_length=100)
    email = forms.EmailField(
        label=_("Din e-mailadresse"),
        max_length=254,
        help_text=_("Vi bruger kun adressen til at sende linket og gemmer den ikke."),
        error_messages={
            "required": _("Skriv din e-mailadresse."),
            "invalid": _("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
        },
    )
