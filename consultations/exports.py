"""Exports of a hearing's responses for the secretariat: CSV, XLSX and a ZIP of attachments.

``rows(hearing)`` is the table (header first); the CSV and XLSX files are written from it by
``core.tabular`` (formulas neutralised in every cell, streamed, memory flat). The ZIP is
generated file by file and streamed. Big hearings are exported in the background:
:func:`request_export` queues :func:`build_export` (django-tasks) through the shared mechanism of
``core.background_exports``, which reports progress on a HearingExport row and keeps the file in
the private storage until it expires.
"""

import os
import re
import zipfile

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from core import background_exports

from .models import HearingExport, Response, ResponseAttachment

PROGRESS_EVERY = background_exports.PROGRESS_EVERY


def export_responses(hearing):
    """Confirmed responses of the hearing (what the secretariat works with), oldest first."""
    return (
        Response.objects.confirmed()
        .filter(hearing=hearing)
        .select_related("party")
        .prefetch_related("attachments", "section_comments")
        .order_by("confirmed_at", "pk")
    )


def response_number(response):
    return f"{response.pk:04d}"


def _date(value):
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else ""


def headers():
    return [
        _("Nr."),
        _("Modtaget"),
        _("Navn"),
        _("E-mail"),
        _("Postnummer"),
        _("Bydel"),
        _("Udtaler sig som"),
        _("Organisation"),
        _("Høringspart"),
        _("Status"),
        _("For sent"),
        _("Høringssvar"),
        _("Offentliggjort tekst (redigeret)"),
        _("Begrundelse for ikke at offentliggøre"),
        _("Resumé"),
        _("Forvaltningens bemærkning"),
        _("Bilag"),
        _("Afsnit nr."),
        _("Afsnit"),
    ]


def row(response, comment=None):
    """The response's row (its general text), or with ``comment`` the row of one section comment
    (section number and heading in the last two columns).

    A section comment's row carries the section's number and heading as they were when the
    comment was written, and the comment as its text."""
    return [
        response_number(response),
        _date(response.confirmed_at or response.created_at),
        response.name,
        response.email,
        response.postcode,
        response.district_name,
        response.get_kind_display(),
        response.organisation_name,
        response.party.name if response.party_id else "",
        response.get_status_display(),
        _("Ja") if response.is_late else _("Nej"),
        comment.text if comment else response.text,
        "" if comment else response.redacted_text,
        response.withheld_reason,
        response.summary,
        response.administration_comment,
        ", ".join(a.original_name for a in response.attachments.all()),
        comment.number if comment else "",
        comment.heading if comment else "",
    ]


def rows(hearing, progress=None):
    """The header, then the responses' rows (a generator); ``progress(n)`` every few thousand responses."""
    yield headers()
    n = 0
    for n, response in enumerate(export_responses(hearing).iterator(chunk_size=500), start=1):
        comments = list(response.section_comments.all())
        if response.text or not comments:
            yield row(response)
        for comment in comments:
            yield row(response, comment)
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    if progress is not None:
        progress(n)


def export_filename(hearing, extension):
    return f"hoeringssvar-{slugify(hearing.slug or hearing.title)[:60] or hearing.pk}.{extension}"


# --- ZIP of attachments ---------------------------------------------------------------------


DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def ascii_slug(text):
    """»Søren Ærø« → »soeren-aeroe« (Danish letters spelled out, not dropped)."""
    return slugify((text or "").translate(DANISH))


def safe_filename(name, default="bilag"):
    """A file name without paths or odd characters: »Mit bilag (1).PDF« → »mit-bilag-1.pdf«."""
    base = os.path.basename((name or "").replace("\\", "/"))
    stem, ext = os.path.splitext(base)
    stem = ascii_slug(stem)[:80] or default
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:8]
    return f"{stem}.{ext}" if ext else stem


def attachment_folder(response):
    """»svar-0012-anna-jensen« (the organisation's name for organisations)."""
    label = ascii_slug(response.display_name)[:60]
    return f"svar-{response_number(response)}" + (f"-{label}" if label else "")


def export_attachments(hearing):
    """The attachments of the hearing's confirmed responses, in the responses' order."""
    return (
        ResponseAttachment.objects.filter(response__hearing=hearing)
        .exclude(response__status=Response.Status.PENDING)
        .select_related("response", "response__party")
        .order_by("response__confirmed_at", "response__pk", "pk")
    )


def attachment_entries(hearing):
    """(path in the ZIP, attachment) for every attachment of the hearing's confirmed responses."""
    used = set()
    for attachment in export_attachments(hearing).iterator(chunk_size=500):
        folder = attachment_folder(attachment.response)
        name = safe_filename(attachment.download_name)
        path, counter = f"{folder}/{name}", 2
        while path in used:
            stem, ext = os.path.splitext(name)
            path = f"{folder}/{stem}-{counter}{ext}"
            counter += 1
        used.add(path)
        yield path, attachment


class _StreamBuffer:
    """A write-only, unseekable sink: zipfile then writes data descriptors and never seeks."""

    def __init__(self):
        self.chunks = []
        self.position = 0

    def write(self, data):
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def flush(self):
        pass

    def pop(self):
        data = b"".join(self.chunks)
        self.chunks = []
        return data


def zip_chunks(hearing, chunk_size=64 * 1024, progress=None):
    """Stream a ZIP of the hearing's attachments, one file at a time, never all in memory.

    ``progress(n)`` is called after every 100 attachments and at the end."""
    buffer = _StreamBuffer()
    n = 0
    with zipfile.ZipFile(buffer, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n, (path, attachment) in enumerate(attachment_entries(hearing), start=1):
            if progress is not None and n % 100 == 0:
                progress(n)
            info = zipfile.ZipInfo(path, date_time=timezone.localtime(attachment.created_at).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            try:
                source = attachment.file.open("rb")
            except FileNotFoundError:
                continue
            with source, archive.open(info, mode="w") as target:
                while data := source.read(chunk_size):
                    target.write(data)
                    yield buffer.pop()
            yield buffer.pop()
    yield buffer.pop()
    if progress is not None:
        progress(n)


# --- Background exports ---------------------------------------------------------------------------


def request_export(hearing, fmt, user):
    """Queue a background export of the hearing (after the transaction commits). Returns the HearingExport."""
    if fmt == HearingExport.Format.ZIP:
        total = export_attachments(hearing).count()
    else:
        total = export_responses(hearing).count()
    return background_exports.request_export(
        HearingExport, build_export, fmt=fmt, user=user, total=total, hearing=hearing
    )


def _write(export, progress):
    hearing = export.hearing.specific
    if export.fmt == HearingExport.Format.ZIP:
        return background_exports.chunks_file(zip_chunks(hearing, progress=progress))
    return background_exports.table_file(export.fmt, rows(hearing, progress), _("Høringssvar"))


def stored_filename(export):
    """The name the secretariat downloads the export under."""
    name = export_filename(export.hearing, export.fmt)
    return name.replace("hoeringssvar", "bilag") if export.fmt == HearingExport.Format.ZIP else name


@task()
def build_export(export_id):
    """Write the hearing's export file to the private storage, reporting progress on the row."""
    return background_exports.run_export(HearingExport, export_id, _write, stored_filename)
