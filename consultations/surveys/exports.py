"""Survey exports: one row per response, one column per question (a matrix one column per
statement, multiple choice one column per option), and a codebook of question texts and values.

Rows are produced by a generator over ``iterator()``, so memory stays flat whatever the number of
responses; every cell goes through core.tabular (formulas neutralised). Responses are exported in
the order of their random ids – never in the order they came in. Large exports run as a
background task (:func:`build_export`) that writes to the private storage and reports progress.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core import background_exports

from .questions import DONT_KNOW, as_list
from .responses import SurveyExport, SurveyResponse

PROGRESS_EVERY = background_exports.PROGRESS_EVERY


def _columns(page):
    """(header, function(answers) -> cell) per column, after the response id and panel."""
    survey = page.questionnaire
    columns = []
    for question in survey.questions:
        qid = question.id
        if question.kind == "single":
            labels = {o.id: o.label for o in question.options}
            columns.append((question.key, lambda a, qid=qid, labels=labels: labels.get(a.get(qid), "")))
        elif question.kind == "scale":
            columns.append((question.key, lambda a, qid=qid: _scale_cell(a.get(qid))))
        elif question.kind == "multiple":
            for option in question.options:
                columns.append((f"{question.key}: {option.label}", _multiple_cell(qid, option.id)))
        elif question.kind == "matrix":
            labels = {o.id: o.label for o in question.options}
            for statement in question.statements:
                columns.append(
                    (
                        f"{question.key}: {statement.label}",
                        lambda a, qid=qid, sid=statement.id, labels=labels: labels.get(
                            (a.get(qid) or {}).get(sid, "") if isinstance(a.get(qid), dict) else "", ""
                        ),
                    )
                )
        else:
            columns.append((question.key, lambda a, qid=qid: _plain(a.get(qid))))
    return columns


def _plain(value):
    if value is None:
        return ""
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def _scale_cell(value):
    if value is None:
        return ""
    return _("Ved ikke") if value == DONT_KNOW else str(value)


def _multiple_cell(qid, option_id):
    def cell(answers):
        if qid not in answers:
            return ""  # not answered (or not shown): blank, not 0
        return "1" if option_id in as_list(answers[qid]) else "0"

    return cell


def header(page):
    extra = [] if page.anonymous else [_("indsendt"), _("deltager")]
    return [_("svar-id"), _("panel"), *extra, *(name for name, _cell in _columns(page))]


def rows(page, progress=None):
    """The header, then one row per response (a generator). ``progress(n)`` is called every few thousand rows."""
    columns = _columns(page)
    yield header(page)
    responses = SurveyResponse.objects.filter(survey=page).order_by("id")
    fields = ["id", "panel__name", "answers"]
    if not page.anonymous:
        fields += ["submitted_at", "participation__email", "participation__user__email"]
    n = 0
    for n, record in enumerate(responses.values_list(*fields).iterator(chunk_size=PROGRESS_EVERY), start=1):
        answers = record[2] if isinstance(record[2], dict) else {}
        row = [str(record[0]), record[1] or ""]
        if not page.anonymous:
            submitted = timezone.localtime(record[3]).strftime("%d-%m-%Y %H:%M") if record[3] else ""
            row += [submitted, record[4] or record[5] or ""]
        row += [cell(answers) for _name, cell in columns]
        yield row
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    if progress is not None:
        progress(n)


def codebook_rows(page):
    """Column, question, type, values: what every column of the export holds."""
    survey = page.questionnaire
    kinds = {
        "single": _("Ét valg"),
        "multiple": _("Flere valg"),
        "scale": _("Skala"),
        "text": _("Fritekst"),
        "number": _("Tal"),
        "date": _("Dato"),
        "matrix": _("Matrix"),
    }
    yield [_("kolonne"), _("spørgsmål"), _("type"), _("værdier"), _("vises kun hvis")]
    yield [_("svar-id"), _("Tilfældigt id for svaret (ikke rækkefølgen)"), "", "", ""]
    yield [_("panel"), _("Det panel, svaret kom fra (tom: ikke via panel)"), "", "", ""]
    for question in survey.questions:
        condition = question.condition_text
        kind = kinds.get(question.kind, question.kind)
        if question.kind == "multiple":
            for option in question.options:
                yield [
                    f"{question.key}: {option.label}",
                    question.text,
                    kind,
                    _("1 = valgt, 0 = ikke valgt, tom = ikke besvaret"),
                    condition,
                ]
        elif question.kind == "matrix":
            values = "; ".join(o.label for o in question.options)
            for statement in question.statements:
                yield [
                    f"{question.key}: {statement.label}",
                    f"{question.text} – {statement.label}",
                    kind,
                    values,
                    condition,
                ]
        elif question.kind in ("single", "scale"):
            yield [question.key, question.text, kind, "; ".join(o.label for o in question.options), condition]
        else:
            yield [question.key, question.text, kind, "", condition]


def filename(page, suffix):
    return f"{page.slug}-{suffix}"


# --- Background exports ---------------------------------------------------------------------------


def request_export(page, fmt, user):
    """Queue a background export (after the transaction commits). Returns the SurveyExport row."""
    return background_exports.request_export(
        SurveyExport, build_export, fmt=fmt, user=user, total=page.responses.count(), survey=page
    )


def _write(export, progress):
    page = export.survey.specific
    return background_exports.table_file(export.fmt, rows(page, progress), page.title)


def _stored_name(export):
    return f"{filename(export.survey, 'svar')}.{export.fmt}"


@task()
def build_export(export_id):
    """Write the export file to the private storage, reporting progress on the row as it goes."""
    return background_exports.run_export(SurveyExport, export_id, _write, _stored_name)
