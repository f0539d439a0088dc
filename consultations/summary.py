"""The hearing summary (høringsnotat): authoring helpers, the print-friendly page and the PDF.

The secretariat writes the summary text on the hearing page's »Høringsnotat« tab and, per
response, a short summary and the administration's comment (admin view in admin_views).
Publishing the summary concludes the hearing (``HearingPage.conclude``). The public print
page and the PDF show the summary, the consulted parties marked replied / not replied, and
each response's summary and comment.
"""

import io
from collections import namedtuple

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from xhtml2pdf import pisa

from councils.models import PartyKind

from .campaigns import stored_groups
from .models import HearingPage, Response
from .permissions import can_manage_hearing
from .responses import public_name
from .sections import SectionComment, SectionNote, draft_sections, sections_with_comments


class ResponseSummaryForm(forms.ModelForm):
    class Meta:
        model = Response
        fields = ["summary", "administration_comment"]
        labels = {
            "summary": gettext_lazy("Resumé af svaret"),
            "administration_comment": gettext_lazy("Forvaltningens bemærkning"),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "administration_comment": forms.Textarea(attrs={"rows": 3}),
        }


ResponseSummaryFormSet = forms.modelformset_factory(Response, form=ResponseSummaryForm, extra=0, max_num=0)


class SectionNoteForm(forms.ModelForm):
    class Meta:
        model = SectionNote
        fields = ["administration_comment"]
        labels = {"administration_comment": gettext_lazy("Forvaltningens bemærkning til afsnittet")}
        widgets = {"administration_comment": forms.Textarea(attrs={"rows": 3})}


SectionNoteFormSet = forms.modelformset_factory(SectionNote, form=SectionNoteForm, extra=0, max_num=0)


def section_notes(hearing):
    """The hearing's SectionNote rows, one per current section of the draft (made when missing), in order.

    A note keeps the section's current number and heading; its id ties it to the section."""
    sections = draft_sections(hearing.draft)
    existing = {note.section_id: note for note in SectionNote.objects.filter(hearing=hearing)}
    for section in sections:
        note = existing.get(section.id)
        if note is None:
            existing[section.id] = SectionNote.objects.create(
                hearing=hearing, section_id=section.id, number=section.number, heading=section.heading[:255]
            )
        elif (note.number, note.heading) != (section.number, section.heading[:255]):
            note.number, note.heading = section.number, section.heading[:255]
            note.save(update_fields=["number", "heading"])
    ids = [section.id for section in sections]
    if not ids:
        return SectionNote.objects.none()
    position = Case(*[When(section_id=section_id, then=Value(n)) for n, section_id in enumerate(ids)])
    return SectionNote.objects.filter(hearing=hearing, section_id__in=ids).order_by(position)


def publish_summary(hearing, user=None):
    """Conclude the hearing. The summary text must be written and published on the page first."""
    if not hearing.summary_body:
        raise ValidationError(
            _("Skriv høringsnotatet på fanen »Høringsnotat« på høringen, og udgiv siden, før notatet offentliggøres.")
        )
    stored_groups(hearing)  # the published summary counts each group as it stands now
    if not hearing.conclude(user):
        raise ValidationError(_("Høringsnotatet er allerede offentliggjort."))
    return True


# What the summary reads of each response: no email, address or text (the summary is written by the
# secretariat); read as values, not model instances (a hearing may have thousands of responses).
SUMMARY_FIELDS = (
    "pk",
    "kind",
    "name",
    "organisation_name",
    "party__name",
    "status",
    "is_late",
    "summary",
    "administration_comment",
    "campaign_group",
)


class SummaryEntry:
    """One response as the summary shows it: never an email or address."""

    def __init__(self, row, names_public, kinds):
        """``row``: the response's SUMMARY_FIELDS (a dict); ``kinds``: the kinds' labels by value."""
        self.pk = row["pk"]
        self.number = f"{self.pk:04d}"
        self.is_published = row["status"] == Response.Status.PUBLISHED
        self.campaign_group = row["campaign_group"]
        kind = kinds.get(row["kind"], row["kind"])
        if row["kind"] != PartyKind.PERSON or (names_public and self.is_published):
            self.label = public_name(row["kind"], row["name"], row["organisation_name"], row["party__name"]) or kind
        else:
            self.label = kind
        self.kind = kind
        self.is_late = row["is_late"]
        self.summary = row["summary"]
        self.comment = row["administration_comment"]
        self.group = []  # for a group of enslydende svar: every member's entry, this one first
        self.head = self  # the first entry of its group (itself when in none)

    @property
    def group_size(self):
        return len(self.group)

    @property
    def respondents(self):
        """Every member of the group as »<bdi>name</bdi> (0042)«, comma-separated: built here, not in a
        template loop, because a campaign may have thousands of members."""
        return mark_safe(", ".join(f"<bdi>{escape(m.label)}</bdi> ({m.number})" for m in self.group))


class SectionEntry:
    """One comment on a section as the summary shows it: the response's label; the text only if published.

    The same comment from several responses of one group of enslydende svar is one entry: ``same`` says
    how many made it, ``head_number`` is the group's entry in the list of responses."""

    def __init__(self, comment, entry):
        self.number = entry.number
        self.label = entry.label
        self.text = comment.text if entry.is_published else ""
        self.head_number = entry.head.number
        self.same = 1


Comment = namedtuple("Comment", ["response_id", "section_id", "number", "heading", "text"])


def summary_sections(hearing, entries):
    """The draft's sections with the comments on them and the administration's note, for the summary."""
    by_response = {entry.pk: entry for entry in entries}
    confirmed = Response.objects.confirmed().filter(hearing=hearing).values("pk")
    comments = map(
        Comment._make,
        SectionComment.objects.filter(response__in=confirmed)
        .order_by("pk")
        .values_list("response_id", "section_id", "number", "heading", "text"),
    )
    sections = sections_with_comments(hearing, comments)
    notes = {n.section_id: n.administration_comment for n in SectionNote.objects.filter(hearing=hearing)}
    for section in sections:
        section.entries = []
        same = {}  # (group, comment text): its entry
        for comment in section.comments:
            entry = by_response[comment.response_id]
            key = (entry.head.pk, comment.text)
            if entry.group and key in same:
                same[key].same += 1
                continue
            same[key] = SectionEntry(comment, entry)
            section.entries.append(same[key])
        section.note = notes.get(section.id, "")
    return sections


def group_entries(entries):
    """One entry per group of enslydende svar (its first response, with every member in ``group``),
    then every other response, in the order received."""
    groups = {}
    for entry in entries:
        key = entry.campaign_group
        if key is not None:
            groups.setdefault(key, []).append(entry)
    result = []
    for entry in entries:
        key = entry.campaign_group
        if key is None or len(groups[key]) < 2:
            result.append(entry)
            continue
        members = groups[key]
        entry.group = members
        entry.head = members[0]
        if members[0] is entry:
            result.append(entry)
    return result


def summary_context(hearing):
    rows = Response.objects.confirmed().filter(hearing=hearing).order_by("confirmed_at", "pk").values(*SUMMARY_FIELDS)
    names_public = hearing.responses_are_public
    parties = hearing.consulted_parties()
    kinds = {value: str(label) for value, label in PartyKind.choices}
    all_entries = [SummaryEntry(row, names_public, kinds) for row in rows]
    entries = group_entries(all_entries)
    return {
        "hearing": hearing,
        "entries": entries,
        "response_count": len(all_entries),
        "group_count": sum(1 for e in entries if e.group),
        "sections": summary_sections(hearing, all_entries) if hearing.draft else [],
        "omissions": list(hearing.consultee_omissions.all()),
        "parties": parties,
        "replied_count": sum(1 for p in parties if p.replied),
        "generated_at": timezone.now(),
        "is_preview": not hearing.is_concluded,
    }


def _hearing_for_summary(request, pk):
    """Anyone may see a concluded, live, public hearing's summary; the secretariat may preview it before."""
    hearing = get_object_or_404(HearingPage, pk=pk).specific
    public = hearing.live and hearing.is_concluded and not hearing.get_view_restrictions().exists()
    if not public and not can_manage_hearing(request.user, hearing):
        raise Http404
    return hearing


def summary_print(request, pk):
    hearing = _hearing_for_summary(request, pk)
    context = summary_context(hearing)
    context["pdf_url"] = request.path.replace("/print/", "/pdf/")
    return render(request, "consultations/summary_print.html", context)


def render_summary_pdf(hearing):
    html = render_to_string("consultations/summary_pdf.html", summary_context(hearing))
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8")
    if result.err:
        raise RuntimeError("xhtml2pdf could not render the hearing summary")
    return output.getvalue()


def summary_pdf(request, pk):
    hearing = _hearing_for_summary(request, pk)
    response = HttpResponse(render_summary_pdf(hearing), content_type="application/pdf")
    filename = f"hoeringsnotat-{slugify(hearing.slug)[:60] or hearing.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if not hearing.is_concluded:
        response["Cache-Control"] = "private, no-store"
    return response
