"""Background exports: the one mechanism for every export too big to build inside a request.

A concrete export model (a hearing's, a survey's) subclasses :class:`BackgroundExport` and adds
the foreign key to what it exports. :func:`request_export` stores a queued row and enqueues the
app's django-tasks task after the transaction commits; the task calls :func:`run_export` with a
``write(export, progress)`` function that returns the finished file (an open binary handle).
:func:`run_export` marks the row running, lets ``write`` report progress on the row (the admin
shows ``done``/``total``), saves the file to the private storage and marks the row done — or
failed, with no file. Writers stream their rows into a temporary file, so the worker's memory
stays flat whatever the size.

Files are private and expire: :attr:`BackgroundExport.expires_at` is ``EXPORT_KEEP_HOURS`` after
the export finished; an expired export is no longer downloadable, and :func:`remove_expired`
(run on every new request for an export and by ``manage.py remove_expired_exports``) deletes its
file and row. Who may download is the app's decision: its view checks its permission and hands the
answer to :func:`download_response`.
"""

import tempfile
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import tabular
from core.storage import private_file_response, private_storage

PROGRESS_EVERY = 2000

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def export_upload_to(instance, filename):
    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-{filename}"


def keep_for():
    return timedelta(hours=getattr(settings, "EXPORT_KEEP_HOURS", 72))


class BackgroundExport(models.Model):
    """A background export's request, progress and finished file (private, expiring)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        ZIP = "zip", "ZIP"

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("I gang")
        DONE = "done", _("Færdig")
        FAILED = "failed", _("Fejlede")

    fmt = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_to, storage=private_storage, blank=True, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.fmt} {self.status}"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0

    @property
    def expires_at(self):
        return self.finished_at + keep_for() if self.finished_at else None

    @property
    def downloadable(self):
        """Done, with a file, and not expired."""
        return (
            self.status == self.Status.DONE
            and bool(self.file)
            and self.expires_at is not None
            and timezone.now() < self.expires_at
        )

    @property
    def content_type(self):
        return CONTENT_TYPES[self.fmt]


def download_response(request, export, *, allowed, back_url, filename):
    """The finished export's file as ``filename``, only if ``allowed`` (the app's permission check; 404
    otherwise). Not finished or expired: back to ``back_url`` with a message asking for a new export."""
    if not allowed:
        raise Http404
    if not export.downloadable:
        messages.error(request, gettext("Eksporten er ikke færdig eller er udløbet. Lav en ny eksport."))
        return redirect(back_url)
    return private_file_response(export.file, filename, export.content_type)


def request_export(model, task, *, fmt, user, total, **owner):
    """Store a queued export and enqueue ``task(export.pk)`` once the transaction commits."""
    remove_expired(model)
    export = model.objects.create(fmt=fmt, requested_by=user, total=total, **owner)
    transaction.on_commit(lambda: task.enqueue(export.pk))
    return export


def run_export(model, export_id, write, filename):
    """Build the export ``export_id`` of ``model``: ``write(export, progress)`` returns the file.

    ``progress(n)`` stores how many rows (or files) are done; ``filename(export)`` names the stored
    file. Returns False for an unknown or already finished export (a task run twice does nothing).
    """
    export = model.objects.filter(pk=export_id).first()
    if export is None or export.finished_at:
        return False
    rows = model.objects.filter(pk=export.pk)
    rows.update(status=model.Status.RUNNING)
    counted = [0]

    def progress(n):
        counted[0] = n
        rows.update(done=n)

    try:
        with write(export, progress) as handle:
            export.file.save(filename(export), File(handle), save=False)
    except Exception:
        rows.update(status=model.Status.FAILED, finished_at=timezone.now())
        raise
    rows.update(
        file=export.file.name,
        status=model.Status.DONE,
        done=counted[0],
        total=counted[0],
        finished_at=timezone.now(),
    )
    return True


def table_file(fmt, rows, sheet_title):
    """``rows`` (header first) as a CSV or XLSX temporary file, opened for reading at its start."""
    if fmt == BackgroundExport.Format.XLSX:
        return tabular.xlsx_file(rows, sheet_title)
    handle = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 (closed by run_export)
    for chunk in tabular.csv_lines(rows):
        handle.write(chunk.encode("utf-8"))
    handle.seek(0)
    return handle


def chunks_file(chunks):
    """Byte chunks (a streamed ZIP) as a temporary file, opened for reading at its start."""
    handle = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 (closed by run_export)
    for chunk in chunks:
        handle.write(chunk)
    handle.seek(0)
    return handle


def remove_expired(model=None):
    """Delete the files and rows of finished exports older than EXPORT_KEEP_HOURS. Returns how many."""
    models_ = [model] if model else [m for m in apps.get_models() if issubclass(m, BackgroundExport)]
    cutoff = timezone.now() - keep_for()
    removed = 0
    for export_model in models_:
        for export in export_model.objects.filter(finished_at__lt=cutoff):
            if export.file:
                export.file.delete(save=False)
            export.delete()
            removed += 1
    return removed
