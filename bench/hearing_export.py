#!/usr/bin/env python
# ruff: noqa: E501  (the SQL and the scripts run in manage.py shell are kept one statement a line)
"""Benchmark (issue 14, what must hold 5): a background export of a hearing with 100,000 responses,
run by the production task worker on PostgreSQL, with its progress and the worker's peak memory.

    .venv/bin/python bench/hearing_export.py [--responses 100000] [--formats xlsx csv]
                                             [--every 2] [--keep-db] [--reuse-db]

It creates its own database (medborger_hearing_export), migrates it and builds two hearings in
SQL (``INSERT … SELECT … FROM generate_series``, seconds instead of minutes of ORM saves): one
with 100 confirmed responses (the baseline) and one with --responses confirmed responses, plus
1,000 unconfirmed ones the export must leave out. The responses are of every status and kind, a
tenth with two section comments, every 25th with an attachment, some with line breaks and some
starting with »=« (formula neutralisation); texts are 600–700 characters.

For each format a fresh task worker (django-tasks-db's ``db_worker``, the production backend,
a separate process) is started. The export is requested as the admin does
(``consultations.exports.request_export``: a HearingExport row and a queued task): first of the
100-response hearing (every module loaded, the same code path: the baseline), then of the large
one. While it runs the export row's progress (``done`` / ``total``, what the admin's progress bar
shows) and the worker's resident memory are read every --every seconds and printed. Afterwards
the worker's peak resident memory (VmHWM in /proc/<pid>/status), its CPU seconds and the wall
time from queueing to done are printed, and the file is checked: CSV rows counted with the csv
module, XLSX rows with openpyxl in read-only mode, against the rows expected (header + one per
response + one per section comment); the first data row's name is checked too. `uptime` at the
start and the end: the machine is shared, compare within one run only. The database is dropped
at the end unless --keep-db.
"""

import argparse
import csv
import os
import shutil
import sys
import time

from common import (
    cpu_seconds,
    drop_database,
    environment_with_files,
    fresh_database,
    proc_status,
    shell,
    tagged,
    task_worker,
    uptime,
    wait_for_export,
    wait_until_idle,
)

DB_NAME = "medborger_hearing_export"
TABLE = "consultations_hearingexport"
TARGET_MB = 300

SETUP = r"""
import datetime as dt
from django.db import connection
from django.utils import timezone
from home.demo import load_site
from consultations.models import HearingIndexPage, HearingPage, Response, SectionComment

home = load_site()
index = HearingIndexPage(title="Høringer", slug="hoeringer")
home.add_child(instance=index)
now = timezone.now()

def hearing(size):
    page = HearingPage(title=f"Beskæftigelsesplan med {size} svar", slug=f"beskaeftigelsesplan-{size}", summary="Benchmark",
                       opens_at=now - dt.timedelta(days=60), closes_at=now - dt.timedelta(days=1))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page

# One statement per table; n is the response's number within the hearing. Statuses: 70 % published,
# 20 % received, 10 % withheld; PENDING rows (unconfirmed) come after, and the export leaves them out.
RESPONSES = '''
INSERT INTO consultations_response (created_at, updated_at, name, email, postcode, district, kind, organisation_name,
    text, consent, status, withheld_reason, redacted_text, is_late, confirmation_token_hash, confirmed_at, moderated_at,
    submission_key, summary, administration_comment, hearing_id, language, mitid_level)
SELECT %(now)s - make_interval(secs => n), %(now)s - make_interval(secs => n),
    'Borger ' || n, 'borger' || n || '@example.org', lpad((1000 + n %% 8000)::text, 4, '0'),
    (ARRAY['valby','vesterbro','noerrebro','amager-vest','bispebjerg'])[1 + n %% 5],
    (ARRAY['person','person','person','organisation','company','council','authority'])[1 + n %% 7],
    CASE WHEN n %% 7 >= 3 THEN 'Forening nr. ' || (n %% 300) ELSE '' END,
    CASE WHEN n %% 50 = 0 THEN '=SUM(A1:A9) ' ELSE '' END
      || repeat('Jeg mener, at planen bør give flere ledige en vej ind på arbejdsmarkedet gennem praktik og mentorer. ', 6)
      || CASE WHEN n %% 10 = 0 THEN E'\nAndet afsnit: cykelstier, busser og sprogkurser.\n' ELSE '' END || ' Svar nr. ' || n,
    true,
    CASE WHEN n > %(confirmed)s THEN 'pending' WHEN n %% 10 < 7 THEN 'published' WHEN n %% 10 < 9 THEN 'received' ELSE 'withheld' END,
    CASE WHEN n <= %(confirmed)s AND n %% 10 = 9 THEN 'Svaret indeholder personoplysninger.' ELSE '' END,
    CASE WHEN n %% 97 = 0 THEN 'Redigeret tekst uden navne. Svar nr. ' || n ELSE '' END,
    n %% 40 = 0, '',
    CASE WHEN n > %(confirmed)s THEN NULL ELSE %(now)s - make_interval(secs => n) END,
    CASE WHEN n > %(confirmed)s THEN NULL ELSE %(now)s END,
    'bench-' || %(hearing)s || '-' || n,
    CASE WHEN n %% 3 = 0 THEN 'Ønsker flere praktikpladser.' ELSE '' END,
    CASE WHEN n %% 6 = 0 THEN 'Imødekommet delvist i afsnit 3.2.' ELSE '' END,
    %(hearing)s, 'da', ''
FROM generate_series(1, %(all)s) AS n
'''
COMMENTS = '''
INSERT INTO consultations_sectioncomment (response_id, section_id, number, heading, text)
SELECT r.id, s.section_id, s.number, s.heading, 'Kommentar til ' || s.number || ' fra ' || r.name || '. ' || repeat('Mere tekst om afsnittet. ', 4)
FROM consultations_response r
CROSS JOIN (VALUES ('afsnit-11', '1.1', 'Formål'), ('afsnit-32', '3.2', 'Indsatser for ledige')) AS s(section_id, number, heading)
WHERE r.hearing_id = %(hearing)s AND r.id %% 10 = 0
'''
ATTACHMENTS = '''
INSERT INTO consultations_responseattachment (response_id, token, file, original_name, content_type, size, created_at)
SELECT r.id, gen_random_uuid(), 'attachments/bench/' || r.id || '.pdf', 'Bilag til svar ' || r.id || '.pdf', 'application/pdf', 12345, %(now)s
FROM consultations_response r WHERE r.hearing_id = %(hearing)s AND r.id %% 25 = 0
'''

for size in (100, SIZE):
    page = hearing(size)
    values = {"now": now, "hearing": page.pk, "confirmed": size, "all": size + (1000 if size == SIZE else 0)}
    with connection.cursor() as cursor:
        for sql in (RESPONSES, COMMENTS, ATTACHMENTS):
            cursor.execute(sql, values)
        cursor.execute("ANALYZE consultations_response; ANALYZE consultations_sectioncomment; ANALYZE consultations_responseattachment")
    confirmed = Response.objects.confirmed().filter(hearing=page)
    comments = SectionComment.objects.filter(response__in=confirmed).count()
    print("HEARING", page.pk, confirmed.count(), Response.objects.filter(hearing=page).count(), comments)
"""

LIST = r"""
from consultations.models import HearingPage, Response, SectionComment
for page in HearingPage.objects.order_by("pk"):
    confirmed = Response.objects.confirmed().filter(hearing=page)
    print("HEARING", page.pk, confirmed.count(), Response.objects.filter(hearing=page).count(), SectionComment.objects.filter(response__in=confirmed).count())
"""

REQUEST_EXPORT = r"""
from django.db import transaction
from consultations import exports
from consultations.models import HearingPage
with transaction.atomic():
    export = exports.request_export(HearingPage.objects.get(pk=PK), FMT, None)
print("EXPORT", export.pk, export.total)
"""

FIRST_NAME = r"""
from consultations import exports
from consultations.models import HearingPage
print("FIRST", exports.export_responses(HearingPage.objects.get(pk=PK)).first().name.replace(" ", "_"))
"""


def request(env, hearing_pk, fmt):
    export_pk, total = tagged(shell(env, REQUEST_EXPORT, PK=hearing_pk, FMT=fmt), "EXPORT")[0]
    return int(export_pk), int(total)


def show_progress(worker):
    last = [None]

    def show(sample):
        seconds, status, done, total, rss = sample
        if (status, done) == last[0]:
            return
        last[0] = (status, done)
        percent = 100 if status == "done" else (min(99, 100 * done // total) if total else 0)
        print(
            f"      {seconds:6.1f} s  {status:8}  {done:7d} / {total:7d} ({percent:3d} %)  worker RSS {rss:6.1f} MB, "
            f"peak so far {proc_status(worker.pid)['VmHWM']:6.1f} MB",
            flush=True,
        )

    return show


def run_export(env, baseline_pk, hearing_pk, fmt, every):
    """One fresh worker: the export of the 100-response hearing, then of the large one."""
    worker = task_worker(env)
    samples = []
    try:
        started = wait_until_idle(worker)
        idle = proc_status(worker.pid)
        first, _total = request(env, baseline_pk, fmt)
        wait_for_export(DB_NAME, TABLE, worker, first, samples, every=0.5)
        baseline = proc_status(worker.pid)
        cpu_before = cpu_seconds(worker.pid)
        samples = []
        export_pk, total = request(env, hearing_pk, fmt)
        print(
            f"  {fmt.upper()}: export {export_pk} queued, {total} responses; progress as the admin shows it:",
            flush=True,
        )
        elapsed, done, name = wait_for_export(
            DB_NAME, TABLE, worker, export_pk, samples, every=every, show=show_progress(worker)
        )
        peak = proc_status(worker.pid)
        cpu = cpu_seconds(worker.pid) - cpu_before
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return {
        "fmt": fmt,
        "seconds": elapsed,
        "cpu": cpu,
        "idle_rss": idle["VmRSS"],
        "started": started,
        "baseline_hwm": baseline["VmHWM"],
        "peak_hwm": peak["VmHWM"],
        "max_sampled_rss": max(sample[-1] for sample in samples),
        "progress_samples": sum(1 for sample in samples if sample[1] == "running"),
        "distinct_progress": len({sample[2] for sample in samples if sample[1] == "running"}),
        "path": os.path.join(env["PRIVATE_MEDIA_ROOT"], name),
        "done": done,
        "total": total,
    }


def read_rows(path, fmt):
    """(row count, the first data row's name) of the exported file."""
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=";")
            header = next(reader)
            first = next(reader)
            count = 2 + sum(1 for _row in reader)
        return count, first[header.index("Navn")]
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    first = next(rows)
    count = 2 + sum(1 for _row in rows)
    workbook.close()
    return count, first[header.index("Navn")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--formats", nargs="+", default=["xlsx", "csv"], choices=["csv", "xlsx", "zip"])
    parser.add_argument("--every", type=float, default=2.0, help="seconds between progress samples")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true", help="use the hearings a --keep-db run left")
    args = parser.parse_args()

    files, env = environment_with_files(DB_NAME, "hearing-export-bench-")
    print("uptime at start:", uptime(), flush=True)
    results = []
    try:
        print(f"Preparing database {DB_NAME} …", flush=True)
        t = time.perf_counter()
        if args.reuse_db:
            out = shell(env, LIST)
        else:
            fresh_database(DB_NAME, env)
            out = shell(env, SETUP, SIZE=args.responses)
        hearings = [tuple(int(x) for x in line) for line in tagged(out, "HEARING")]
        print(f"… ready in {time.perf_counter() - t:.0f} s", flush=True)
        for pk, confirmed, stored, comments in hearings:
            print(f"  hearing {pk}: {confirmed} confirmed responses ({stored} stored), {comments} section comments")
        (baseline_pk, *_), (hearing_pk, confirmed, _stored, comments) = hearings[0], hearings[-1]
        first_name = tagged(shell(env, FIRST_NAME, PK=hearing_pk), "FIRST")[0][0].replace("_", " ")
        expected = 1 + confirmed + comments
        print()
        print(f"Background export of {confirmed} responses (db_worker, production task backend, separate process):")
        for fmt in args.formats:
            r = run_export(env, baseline_pk, hearing_pk, fmt, args.every)
            r["bytes"] = os.path.getsize(r["path"])
            if fmt != "zip":
                r["rows"], r["first"] = read_rows(r["path"], fmt)
            results.append(r)
            print(
                f"  {fmt.upper()}: {r['seconds']:.1f} s wall from queueing to done, worker CPU {r['cpu']:.1f} s; "
                f"worker peak RSS (VmHWM) {r['peak_hwm']:.1f} MB (the idle worker, started in {r['started']:.0f} s: "
                f"{r['idle_rss']:.1f} MB; after the "
                f"100-response export {r['baseline_hwm']:.1f} MB, so +{r['peak_hwm'] - r['baseline_hwm']:.1f} MB); "
                f"highest sampled RSS {r['max_sampled_rss']:.1f} MB; {r['progress_samples']} samples while running, "
                f"{r['distinct_progress']} distinct progress values; progress at the end {r['done']} / {r['total']}",
                flush=True,
            )
            if fmt != "zip":
                ok = r["rows"] == expected and r["first"] == first_name
                print(
                    f"        file {r['bytes'] / 1e6:.1f} MB, {r['rows']} rows (expected {expected}: header + "
                    f"{confirmed} responses + {comments} section comments), first name {r['first']!r} "
                    f"(expected {first_name!r}): {'OK' if ok else 'MISMATCH'}",
                    flush=True,
                )
        print()
        for r in results:
            verdict = "met" if r["peak_hwm"] < TARGET_MB else "MISSED"
            print(f"  {r['fmt'].upper()}: peak {r['peak_hwm']:.1f} MB against the target of {TARGET_MB} MB: {verdict}")
    finally:
        if not args.keep_db:
            drop_database(DB_NAME)
        shutil.rmtree(files, ignore_errors=True)
        print()
        print("uptime at end:", uptime())
    failed = any(r["peak_hwm"] >= TARGET_MB for r in results) or any(
        r.get("rows") not in (None, 1 + hearings[-1][1] + hearings[-1][3]) for r in results
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
