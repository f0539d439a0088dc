"""Hearing exports as background tasks (issue 14, must hold 5), through core.background_exports —
the same mechanism survey exports use: progress on the row, file in the private storage, expiring."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations import exports
from consultations.models import HearingExport
from core import background_exports
from core.storage import private_storage
from tests.consultations.factories import ResponseAttachmentFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(hearing):
    ResponseFactory(hearing=hearing, name="Anna Jensen", text="=1+1 er ikke en formel her.")
    ResponseFactory(hearing=hearing, name="Per Hansen", text="Flere cykelstier.")
    ResponseFactory(hearing=hearing, name="Ubekræftet", pending=True)
    attachment = ResponseAttachmentFactory(
        response=ResponseFactory(hearing=hearing, name="Søren Ærø"), original_name="Mit bilag.pdf"
    )
    return attachment


def start(client, hearing, fmt, capture):
    with capture(execute=True):  # the immediate backend runs the task when the request's transaction commits
        answer = client.post(reverse("consultations_admin_export", args=[hearing.pk]), {"fmt": fmt})
    assert answer.status_code == 302
    return client.get(answer["Location"])  # the hearing's admin page, as the browser goes on to


def test_csv_export_runs_in_the_background_reports_progress_and_downloads(
    staff_client, hearing, answered, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    seen, real_row = [], exports.row

    def watching_row(response, comment=None):  # what the admin reads from the row while the worker writes
        export = HearingExport.objects.get(hearing=hearing)
        seen.append((export.get_status_display(), export.done, export.percent))
        return real_row(response, comment)

    monkeypatch.setattr(exports, "row", watching_row)
    page = start(staff_client, hearing, "csv", django_capture_on_commit_callbacks)
    export = HearingExport.objects.get(hearing=hearing)
    assert export.status == "done" and export.percent == 100 and export.done == export.total == 3
    assert seen == [("I gang", 0, 0), ("I gang", 1, 33), ("I gang", 2, 66)]
    assert export.requested_by.email == "admin@kommune.example"
    html = page.content.decode()
    assert "Eksporten er startet. Siden viser, hvor langt den er." in html
    download_url = reverse("consultations_admin_export_download", args=[export.pk])
    assert download_url in html and "3 / 3" in html
    download = staff_client.get(download_url)
    assert download["Content-Disposition"] == 'attachment; filename="hoeringssvar-beskaeftigelsesplan-2027.csv"'
    table = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in table[1:]] == ["Anna Jensen", "Per Hansen", "Søren Ærø"]
    assert table[1][11] == "'=1+1 er ikke en formel her."  # formulas neutralised as in the direct export
    assert export.file.name.startswith("exports/") and private_storage().exists(export.file.name)


def test_xlsx_and_zip_exports(staff_client, hearing, answered, django_capture_on_commit_callbacks):
    start(staff_client, hearing, "xlsx", django_capture_on_commit_callbacks)
    start(staff_client, hearing, "zip", django_capture_on_commit_callbacks)
    xlsx, archive = HearingExport.objects.get(fmt="xlsx"), HearingExport.objects.get(fmt="zip")
    sheet = load_workbook(
        io.BytesIO(
            b"".join(staff_client.get(reverse("consultations_admin_export_download", args=[xlsx.pk])).streaming_content)
        )
    ).active
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["Anna Jensen", "Per Hansen", "Søren Ærø"]
    assert archive.total == archive.done == 1
    download = staff_client.get(reverse("consultations_admin_export_download", args=[archive.pk]))
    assert download["Content-Type"] == "application/zip"
    assert 'filename="bilag-beskaeftigelsesplan-2027.zip"' in download["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert len(names) == 1 and names[0].endswith("-soeren-aeroe/mit-bilag.pdf")


def test_unknown_format_is_refused_in_danish_and_nothing_is_queued(
    staff_client, hearing, answered, django_capture_on_commit_callbacks
):
    page = start(staff_client, hearing, "exe", django_capture_on_commit_callbacks)
    assert page.status_code == 200
    assert "Vælg et format til eksporten: CSV, XLSX eller ZIP." in page.content.decode()
    assert not HearingExport.objects.exists()
    assert staff_client.get(reverse("consultations_admin_export", args=[hearing.pk])).status_code == 405


def test_an_expired_export_is_not_downloadable_and_is_deleted(
    staff_client, hearing, answered, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_KEEP_HOURS = 2
    start(staff_client, hearing, "csv", django_capture_on_commit_callbacks)
    export = HearingExport.objects.get()
    name = export.file.name
    HearingExport.objects.filter(pk=export.pk).update(finished_at=timezone.now() - timedelta(hours=3))
    download = staff_client.get(reverse("consultations_admin_export_download", args=[export.pk]), follow=True)
    assert "Eksporten er ikke færdig eller er udløbet. Lav en ny eksport." in download.content.decode()
    assert "Udløbet" in staff_client.get(reverse("consultations_admin_hearing", args=[hearing.pk])).content.decode()
    call_command("remove_expired_exports", stdout=io.StringIO())
    assert not HearingExport.objects.exists() and not private_storage().exists(name)


def test_a_failed_export_is_marked_failed_with_no_file(hearing, answered, monkeypatch):
    export = HearingExport.objects.create(hearing=hearing, fmt="csv", total=3)

    def broken(hearing, progress=None):
        yield exports.headers()
        raise RuntimeError("database went away")

    monkeypatch.setattr(exports, "rows", broken)
    with pytest.raises(RuntimeError):
        background_exports.run_export(HearingExport, export.pk, exports._write, exports.stored_filename)
    export.refresh_from_db()
    assert export.status == "failed" and not export.file and export.finished_at is not None
    assert not export.downloadable


def test_the_progress_of_a_running_export_refreshes_itself_and_by_the_link_without_javascript(
    staff_client, hearing, answered
):
    export = HearingExport.objects.create(hearing=hearing, fmt="csv", total=3, status="running", done=1)
    url = reverse("consultations_admin_hearing", args=[hearing.pk])
    html = staff_client.get(url).content.decode()
    # The script (a file of our own, no inline code) polls this page while a row is queued or running.
    assert 'src="/static/core/js/background-exports.js"' in html
    assert f'id="hearing-exports-progress" data-export-progress data-refresh-url="{url}"' in html
    assert '<tr data-export-status="running">' in html and "1 / 3" in html
    # Without JavaScript the link reloads the same page, which shows the progress as it is now.
    assert f'<a href="{url}">Opdatér fremskridtet</a>' in html
    HearingExport.objects.filter(pk=export.pk).update(done=2)
    assert "2 / 3" in staff_client.get(url).content.decode()
