#!/usr/bin/env python
# ruff: noqa: E501  (the scripts run in manage.py shell are kept one statement a line)
"""Benchmark (issue 11, what must hold 8): a survey's results page with 20 questions and 10,000
responses, and a background export of 250,000 responses, on PostgreSQL with production settings.

    .venv/bin/python bench/survey_scale.py [--responses 10000] [--export-responses 250000]
                                           [--renders 15] [--formats csv xlsx] [--keep-db]

It creates its own database (medborger_surveys), migrates it and builds three closed surveys with
the same 20 questions (single, multiple, scale, matrix, number, date and free text in four
sections, one conditional question) whose results are published: one with 100 responses, one
with --responses and one with --export-responses (its rows are copied in SQL from the second).

Results: in-process with Django's test client (page cache off), the public results page of each
survey is rendered --renders times (median wall and CPU time), unfiltered and filtered by one
answer; the queries of every render are counted. A bare view (one query, a body of the same
size, bench/bench_urls.py) is timed the same way in the same process as the baseline.

Export: for each format a fresh task worker (django-tasks-db's ``db_worker``, the production
backend) is started and left idle for a few seconds; its resident memory then is the baseline.
The export is requested as the admin does (``exports.request_export``: a SurveyExport row and a
queued task) and the worker runs it. The worker's peak resident memory is read from the kernel
(VmHWM in /proc/<pid>/status), the file is checked (one line per response for CSV, the sheet's
rows for XLSX) and the time from queueing to done is printed. `uptime` is printed at the start
and the end: the machine is shared, compare within one run only. The database is dropped at the
end unless --keep-db.
"""

import argparse
import os
import shutil
import sys
import time

from common import (
    drop_database,
    environment_with_files,
    fresh_database,
    proc_status,
    shell,
    tagged,
    task_worker,
    uptime,
    wait_for_export,
)

DB_NAME = "medborger_surveys"

SETUP = r"""
import datetime as dt, random
from django.db import connection
from django.utils import timezone
from home.demo import load_site
from consultations.models import SurveyIndexPage, SurveyPage, SurveyResponse

home = load_site()
index = SurveyIndexPage(title="Undersøgelser", slug="undersoegelser")
home.add_child(instance=index)
now = timezone.now()

def q(kind, key, text, **extra):
    value = {"key": key, "text": text, "help_text": "", "required": False,
             "show_if_question": extra.pop("show_if_question", ""), "show_if_answer": extra.pop("show_if_answer", "")}
    value.update(extra)
    return {"type": kind, "value": value}

def sec(title):
    return {"type": "section", "value": {"title": title, "intro": ""}}

AGREE = ["Helt enig", "Enig", "Hverken eller", "Uenig", "Helt uenig"]
QUESTIONS = [
    sec("Om dig"),
    q("single", "kontakt", "Har du været i kontakt med jobcentret?", options=["Ja", "Nej"]),
    q("single", "kanal", "Hvordan?", options=["Møde", "Telefon", "Digitalt"], show_if_question="kontakt", show_if_answer="Ja"),
    q("number", "alder", "Alder", min_value="15", max_value="110"),
    q("single", "bydel", "Bydel", options=["Nord", "Syd", "Øst", "Vest", "Centrum"]),
    q("date", "moede", "Seneste møde"),
    sec("Oplevelse"),
    q("scale", "tilfreds", "Tilfredshed", scale_min=1, scale_max=5, min_label="Meget utilfreds", max_label="Meget tilfreds", dont_know=True),
    q("scale", "respekt", "Respekt", scale_min=1, scale_max=5, min_label="Slet ikke", max_label="I høj grad", dont_know=True),
    q("multiple", "hjalp", "Hvad hjalp?", options=["Samtaler", "Kurser", "Praktik", "Løntilskud", "Mentor"], min_choices=None, max_choices=3),
    q("matrix", "udsagn", "Hvor enig er du?", statements=["Respekt", "Svar til tiden", "Forstod mig"], options=AGREE),
    q("text", "bedst", "Hvad var bedst?", max_length=500, multiline=True),
    sec("Service"),
    q("single", "ventetid", "Ventetid", options=["Kort", "Passende", "Lang"]),
    q("scale", "info", "Information", scale_min=1, scale_max=5, min_label="Dårlig", max_label="God", dont_know=False),
    q("multiple", "kanaler", "Kanaler", options=["Jobnet", "Telefon", "Brev", "Møde"], min_choices=None, max_choices=None),
    q("number", "samtaler", "Antal samtaler", min_value="0", max_value="100"),
    q("text", "daarligst", "Hvad kan blive bedre?", max_length=500, multiline=True),
    sec("Til sidst"),
    q("matrix", "fremtid", "Fremtiden", statements=["Job inden et år", "Uddannelse", "Bedre helbred"], options=AGREE),
    q("scale", "anbefal", "Anbefale", scale_min=0, scale_max=10, min_label="Nej", max_label="Ja", dont_know=True),
    q("single", "igen", "Vil du deltage igen?", options=["Ja", "Nej", "Ved ikke"]),
    q("multiple", "emner", "Emner", options=["Job", "Helbred", "Sprog", "Bolig"], min_choices=None, max_choices=None),
    q("text", "andet", "Andet", max_length=500, multiline=False),
]

def make(title, slug):
    page = SurveyPage(title=title, slug=slug, questions=QUESTIONS, opens_at=now - dt.timedelta(days=30),
                      closes_at=now - dt.timedelta(days=1), committee_name="Jobcentret", min_group_size=5)
    index.add_child(instance=page)
    page.save_revision().publish()
    page = SurveyPage.objects.get(pk=page.pk)
    SurveyPage.objects.filter(pk=page.pk).update(closed_at=now - dt.timedelta(days=1), results_published_at=now)
    return SurveyPage.objects.get(pk=page.pk)

def answers(survey, rng):
    out = {}
    for question in survey.questionnaire.questions:
        if not survey.questionnaire.is_visible(question, out) or rng.random() < 0.05:
            continue
        kind = question.kind
        if kind in ("single", "scale"):
            out[question.id] = rng.choice(question.options).id
        elif kind == "multiple":
            out[question.id] = [o.id for o in rng.sample(question.options, rng.randint(1, min(3, len(question.options))))]
        elif kind == "matrix":
            out[question.id] = {s.id: rng.choice(question.options).id for s in question.statements}
        elif kind == "number":
            out[question.id] = rng.randint(18, 70)
        elif kind == "date":
            out[question.id] = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        elif kind == "text":
            out[question.id] = rng.choice(["Min sagsbehandler lyttede.", "Ventetiden var for lang.", "=HYPERLINK(\"x\")", "Godt forløb med mentor og praktik."]) + f" {rng.randint(1, 999)}"
    return out

rng = random.Random(11)
small, large, huge = make("Tilfredshed 100", "t-100"), make(f"Tilfredshed {SIZE}", "t-large"), make(f"Tilfredshed {EXPORT}", "t-export")
for page, n in ((small, 100), (large, SIZE)):
    SurveyResponse.objects.bulk_create([SurveyResponse(survey=page, answers=answers(page, rng)) for _ in range(n)], batch_size=2000)
# The export survey: the large survey's questions (with their block and option ids) and its answers
# copied over and over in SQL (fresh random response ids).
SurveyPage.objects.filter(pk=huge.pk).update(questions=large.questions)
huge = SurveyPage.objects.get(pk=huge.pk)
assert [q.id for q in huge.questionnaire.questions] == [q.id for q in large.questionnaire.questions]
copies, rest = divmod(EXPORT, SIZE)
with connection.cursor() as cursor:
    for _ in range(copies):
        cursor.execute("INSERT INTO consultations_surveyresponse (id, survey_id, answers, approved_texts) "
                       "SELECT gen_random_uuid(), %s, answers, approved_texts FROM consultations_surveyresponse WHERE survey_id = %s",
                       [huge.pk, large.pk])
    if rest:
        cursor.execute("INSERT INTO consultations_surveyresponse (id, survey_id, answers, approved_texts) "
                       "SELECT gen_random_uuid(), %s, answers, approved_texts FROM consultations_surveyresponse WHERE survey_id = %s LIMIT %s",
                       [huge.pk, large.pk, rest])
    cursor.execute("ANALYZE consultations_surveyresponse")
tilfreds = large.questionnaire.questions[5]
for page in (small, large, huge):
    print("SURVEY", page.pk, page.url, SurveyResponse.objects.filter(survey=page).count(), f"{tilfreds.key}:{tilfreds.options[3].id}")
"""

RENDER = r"""
import statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

def measure(client, url, expect=None):
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    if expect:
        assert expect in response.content.decode(), (url, expect)
    wall, cpu = [], []
    for _ in range(RENDERS):
        w, c = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall) * 1000, max(wall) * 1000, statistics.median(cpu) * 1000, len(queries), len(response.content)

with override_settings(PAGE_CACHE_ENABLED=False):
    client = Client(HTTP_HOST="127.0.0.1")
    for name, url, count in TARGETS:
        for label, suffix in (("all", ""), ("filtered", "?svar=" + FILTER)):
            wall, worst, cpu, queries, size = measure(client, url + "resultater/" + suffix, 'id="survey-total"')
            print("RENDER", name, label, f"{wall:.1f}", f"{worst:.1f}", f"{cpu:.1f}", queries, size)
            bwall, bworst, bcpu, bqueries, bsize = measure(client, f"/bench/bare/{size}/")
            print("BARE", name, label, f"{bwall:.1f}", f"{bworst:.1f}", f"{bcpu:.1f}", bqueries, bsize)
"""

LIST = r"""
from consultations.models import SurveyPage, SurveyResponse
for page in SurveyPage.objects.order_by("pk"):
    tilfreds = page.questionnaire.questions[5]
    print("SURVEY", page.pk, page.url, SurveyResponse.objects.filter(survey=page).count(), f"{tilfreds.key}:{tilfreds.options[3].id}")
"""

REQUEST_EXPORT = r"""
from django.db import transaction
from consultations.models import SurveyPage
from consultations.surveys import exports
with transaction.atomic():
    export = exports.request_export(SurveyPage.objects.get(pk=PK), FMT, None)
print("EXPORT", export.pk)
"""


def run_export(env, baseline_pk, survey_pk, fmt, expected):
    """One fresh worker: first the same export of the 100-response survey (every module loaded,
    the same code path: the baseline), then the large one. Peak RSS (VmHWM) after each."""
    worker = task_worker(env)
    samples = []
    try:
        first = int(tagged(shell(env, REQUEST_EXPORT, PK=baseline_pk, FMT=fmt), "EXPORT")[0][0])
        wait_for_export(DB_NAME, "consultations_surveyexport", worker, first, samples)
        baseline = proc_status(worker.pid)
        export_pk = int(tagged(shell(env, REQUEST_EXPORT, PK=survey_pk, FMT=fmt), "EXPORT")[0][0])
        elapsed, done, name = wait_for_export(DB_NAME, "consultations_surveyexport", worker, export_pk, samples)
        peak = proc_status(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    path = os.path.join(env["PRIVATE_MEDIA_ROOT"], name)
    return {
        "fmt": fmt,
        "seconds": elapsed,
        "baseline_hwm": baseline["VmHWM"],
        "peak_hwm": peak["VmHWM"],
        "max_sampled_rss": max(sample[-1] for sample in samples),
        "bytes": os.path.getsize(path),
        "rows": count_rows(path, fmt),
        "filled": filled_cells(path, fmt),
        "expected": expected + 1,
        "done": done,
    }


def filled_cells(path, fmt):
    """Share of non-empty answer cells in the first data rows (the answers did reach the columns)."""
    if fmt != "csv":
        return None
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        cells = [cell for _n, row in zip(range(1000), reader, strict=False) for cell in row[2:]]
    return 100 * sum(1 for cell in cells if cell) / len(cells)


def count_rows(path, fmt):
    if fmt == "csv":
        with open(path, "rb") as handle:
            return sum(1 for _line in handle)  # the bench's answers hold no line breaks
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    count = sum(1 for _row in sheet.iter_rows(min_col=1, max_col=1, values_only=True))
    workbook.close()
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--export-responses", type=int, default=250_000)
    parser.add_argument("--renders", type=int, default=15)
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"], choices=["csv", "xlsx"])
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true", help="use the surveys a --keep-db run left")
    args = parser.parse_args()

    files, env = environment_with_files(DB_NAME, "survey-bench-")
    print("uptime at start:", uptime(), flush=True)
    try:
        print(f"Preparing database {DB_NAME} …", flush=True)
        t = time.perf_counter()
        if args.reuse_db:
            out = shell(env, LIST)
        else:
            fresh_database(DB_NAME, env)
            out = shell(env, SETUP, SIZE=args.responses, EXPORT=args.export_responses)
        surveys = tagged(out, "SURVEY")
        print(f"… ready in {time.perf_counter() - t:.0f} s", flush=True)
        for pk, url, count, _flt in surveys:
            print(f"  survey {pk} {url}: {count} responses, 20 questions", flush=True)
        targets = [(f"{count} responses", url, count) for _pk, url, count, _flt in surveys[:2]]
        out = shell(env, RENDER, TARGETS=targets, FILTER=surveys[1][3], RENDERS=args.renders)
        print()
        print(f"Results page, in-process, page cache off: median (max) of {args.renders} renders")
        for line in out.splitlines():
            if not line.startswith(("RENDER ", "BARE ")):
                print("  ", line)
                continue
            tag, *name, label, wall, worst, cpu, queries, size = line.split()
            what = f"{'survey' if tag == 'RENDER' else 'bare view'} {' '.join(name)} {label}"
            print(
                f"  {what:>38}: {float(wall):7.1f} ms wall ({float(worst):7.1f} max), {float(cpu):7.1f} ms CPU, "
                f"{int(queries):3d} queries, {int(size):7d} B"
            )
        print("  (target: under 1,000 ms; the query count the same for 100 and for 10,000 responses)")
        print()
        print(f"Background export of {surveys[2][2]} responses (db_worker, production task backend):")
        for fmt in args.formats:
            r = run_export(env, int(surveys[0][0]), int(surveys[2][0]), fmt, int(surveys[2][2]))
            filled = f", {r['filled']:.0f} % of answer cells filled" if r["filled"] is not None else ""
            print(
                f"  {fmt.upper():>4}: {r['seconds']:6.0f} s, worker peak RSS (VmHWM) {r['peak_hwm']:6.1f} MB; "
                f"baseline: the same worker after the same export of {surveys[0][2]} responses "
                f"{r['baseline_hwm']:6.1f} MB (+{r['peak_hwm'] - r['baseline_hwm']:.1f} MB); "
                f"file {r['bytes'] / 1e6:6.1f} MB with {r['rows']} rows (expected {r['expected']}: header + one per "
                f"response{filled}); progress at the end {r['done']}",
                flush=True,
            )
        print("  (target: peak under 300 MB)")
    finally:
        if not args.keep_db:
            drop_database(DB_NAME)
        shutil.rmtree(files, ignore_errors=True)
        print()
        print("uptime at end:", uptime())
    return 0


if __name__ == "__main__":
    sys.exit(main())
