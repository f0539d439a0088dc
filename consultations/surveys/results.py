"""Survey results: counts, shares, means and medians per question, in one pass over the answers.

The number of queries does not depend on the number of responses: one query streams the answers
(``iterator()``), a few more read the survey's panels. Groups smaller than the survey's minimum
group size are suppressed (»for få svar«) – the whole result when a filter leaves too few, and
each question answered by too few.
"""

import contextlib
import statistics
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .questions import DONT_KNOW, as_list
from .responses import SurveyParticipation, SurveyResponse

MAX_TEXTS = 500
BAR = 30  # pixels per bar in the SVG charts


def chart_height(rows):
    return BAR * len(rows)


@dataclass
class Row:
    label: str
    count: int = 0
    share: float = 0.0  # percent of those who answered the question
    option_id: str = ""


@dataclass
class QuestionResult:
    question: object
    answered: int = 0
    rows: list = field(default_factory=list)
    statements: list = field(default_factory=list)  # matrix: [{label, rows, answered, chart_height}]
    mean: float | None = None
    median: float | None = None
    texts: list = field(default_factory=list)
    suppressed: bool = False

    @property
    def chart_height(self):
        return chart_height(self.rows)


@dataclass
class Filter:
    question: object = None
    option_id: str = ""
    panel_id: int | None = None
    panel_name: str = ""

    @property
    def active(self):
        return self.question is not None or self.panel_id is not None

    @property
    def value(self):
        return f"{self.question.key}:{self.option_id}" if self.question is not None else ""

    def describe(self):
        parts = []
        if self.question is not None:
            parts.append(
                _("svarede »%(answer)s« til »%(question)s«")
                % {"answer": self.question.option_label(self.option_id), "question": self.question.text}
            )
        if self.panel_id is not None:
            parts.append(_("panelet »%(panel)s«") % {"panel": self.panel_name})
        return "; ".join(str(p) for p in parts)

    def matches(self, answers):
        return self.question is None or self.option_id in as_list(answers.get(self.question.id))


@dataclass
class Results:
    survey: object
    total: int
    min_group_size: int
    suppressed: bool
    questions: list
    filter: Filter
    filter_choices: list
    panels: list


def survey_panels(page):
    """(id, name) of the panels invited to the survey."""
    return list(
        SurveyParticipation.objects.filter(survey=page, panel__isnull=False)
        .values_list("panel_id", "panel__name")
        .distinct()
        .order_by("panel__name")
    )


def filter_choices(survey):
    """The answers one may filter by: (value for the form, label) of every choice question's options."""
    choices = []
    for question in survey.questions:
        if question.kind in ("single", "multiple", "scale"):
            for option in question.options:
                choices.append((f"{question.key}:{option.id}", f"{question.text} – {option.label}"))
    return choices


def filter_from_request(page, params, panels=None):
    """The filter in the query string (``svar=<key>:<option id>``, ``panel=<id>``); unknown values are ignored."""
    survey = page.questionnaire
    flt = Filter()
    raw = str(params.get("svar", ""))[:200]
    if ":" in raw:
        key, option_id = raw.split(":", 1)
        question = next(
            (q for q in survey.questions if q.key == key and q.kind in ("single", "multiple", "scale")), None
        )
        if question is not None and option_id in question.option_ids:
            flt.question, flt.option_id = question, option_id
    panel = str(params.get("panel", ""))
    if panel.isdigit():
        names = dict(panels if panels is not None else survey_panels(page))
        if int(panel) in names:
            flt.panel_id, flt.panel_name = int(panel), names[int(panel)]
    return flt


def _share(count, total):
    return round(100.0 * count / total, 1) if total else 0.0


def compute_results(page, flt=None, public=True):
    """The results of ``page`` for those matching ``flt``. ``public``: free texts only when approved."""
    survey = page.questionnaire
    flt = flt or Filter()
    panels = survey_panels(page)
    counts = {q.id: {} for q in survey.questions}
    answered = dict.fromkeys(counts, 0)
    numbers = {q.id: [] for q in survey.questions if q.kind in ("number", "scale")}
    texts = {q.id: [] for q in survey.questions if q.kind == "text"}
    matrix_answered = {q.id: {} for q in survey.questions if q.kind == "matrix"}
    kinds = {q.id: q.kind for q in survey.questions}
    total = 0
    responses = SurveyResponse.objects.filter(survey=page)
    if flt.panel_id is not None:
        responses = responses.filter(panel_id=flt.panel_id)
    for answers, approved in responses.values_list("answers", "approved_texts").iterator(chunk_size=2000):
        if not flt.matches(answers):
            continue
        total += 1
        for qid, value in answers.items():
            kind = kinds.get(qid)
            if kind is None:
                continue
            answered[qid] += 1
            bucket = counts[qid]
            if kind in ("single", "scale"):
                bucket[value] = bucket.get(value, 0) + 1
                if kind == "scale" and value != DONT_KNOW:
                    with contextlib.suppress(TypeError, ValueError):
                        numbers[qid].append(int(value))
            elif kind == "multiple":
                for option_id in as_list(value):
                    bucket[option_id] = bucket.get(option_id, 0) + 1
            elif kind == "number":
                if isinstance(value, int | float):
                    numbers[qid].append(value)
            elif kind == "matrix" and isinstance(value, dict):
                seen = matrix_answered[qid]
                for statement_id, option_id in value.items():
                    key = (statement_id, option_id)
                    bucket[key] = bucket.get(key, 0) + 1
                    seen[statement_id] = seen.get(statement_id, 0) + 1
            elif kind == "text" and (not public or qid in (approved or [])) and len(texts[qid]) < MAX_TEXTS:
                texts[qid].append(str(value))
    minimum = page.min_group_size or 1
    suppressed = total < minimum
    results = []
    for question in survey.questions:
        result = QuestionResult(question, answered=answered[question.id])
        if suppressed or result.answered < minimum:
            result.suppressed = True
            results.append(result)
            continue
        bucket = counts[question.id]
        if question.kind in ("single", "multiple", "scale"):
            result.rows = [
                Row(o.label, bucket.get(o.id, 0), _share(bucket.get(o.id, 0), result.answered), o.id)
                for o in question.options
            ]
        if question.kind == "matrix":
            for number, statement in enumerate(question.statements, start=1):
                base = matrix_answered[question.id].get(statement.id, 0)
                rows = [
                    Row(
                        o.label,
                        bucket.get((statement.id, o.id), 0),
                        _share(bucket.get((statement.id, o.id), 0), base),
                        o.id,
                    )
                    for o in question.options
                ]
                result.statements.append(
                    {
                        "label": statement.label,
                        "rows": rows,
                        "answered": base,
                        "chart_height": chart_height(rows),
                        "chart_id": f"chart-{question.key}-{number}",
                    }
                )
        if question.id in numbers and numbers[question.id]:
            values = numbers[question.id]
            result.mean = round(statistics.fmean(values), 2)
            result.median = statistics.median(values)
        if question.kind == "text":
            result.texts = texts[question.id]
        results.append(result)
    return Results(
        survey=page,
        total=total,
        min_group_size=minimum,
        suppressed=suppressed,
        questions=results,
        filter=flt,
        filter_choices=filter_choices(survey),
        panels=panels,
    )


# --- Comparing runs -----------------------------------------------------------------------------


@dataclass
class ComparedRow:
    label: str
    shares: list  # one per run (None when suppressed or missing)
    change: float | None  # last run minus first, in percentage points


@dataclass
class ComparedQuestion:
    question: object
    rows: list
    means: list
    mean_change: float | None


def _match(question, survey):
    """The same question in another run: same block id (a copy keeps it), else the same key."""
    return survey.question(question.id) or next((q for q in survey.questions if q.key == question.key), None)


def compare_runs(pages):
    """Results of several runs of a survey side by side (oldest first), with the change per option."""
    all_results = [compute_results(p) for p in pages]
    base = pages[-1].questionnaire
    compared = []
    for question in base.questions:
        if question.kind not in ("single", "multiple", "scale", "number"):
            continue
        per_run = []
        for page, results in zip(pages, all_results, strict=True):
            match = _match(question, page.questionnaire)
            per_run.append(next((r for r in results.questions if match and r.question.id == match.id), None))
        rows = []
        for option in question.options:
            shares = []
            for result in per_run:
                if result is None or result.suppressed:
                    shares.append(None)
                    continue
                row = next((r for r in result.rows if r.option_id == option.id or r.label == option.label), None)
                shares.append(row.share if row else None)
            change = round(shares[-1] - shares[0], 1) if shares[0] is not None and shares[-1] is not None else None
            rows.append(ComparedRow(option.label, shares, change))
        means = [r.mean if r is not None and not r.suppressed else None for r in per_run]
        mean_change = round(means[-1] - means[0], 2) if means[0] is not None and means[-1] is not None else None
        compared.append(ComparedQuestion(question, rows, means, mean_change))
    return compared


def runs_of(page):
    """This survey and its earlier runs (previous_run chain), oldest first, at most 5."""
    runs = [page]
    seen = {page.pk}
    while runs[0].previous_run_id and len(runs) < 5 and runs[0].previous_run_id not in seen:
        previous = type(page).objects.get(pk=runs[0].previous_run_id)
        seen.add(previous.pk)
        runs.insert(0, previous)
    return runs
