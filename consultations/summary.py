"""The hearing summary (høringsnotat): authoring helpers, the print-friendly page and the PDF.

The secretariat writes the summary text on the hearing page's »Høringsnotat« tab and, per
response, a short summary and the administration's comment (admin view in admin_views).
Publishing the summary concludes the hearing (``HearingPage.conclude``). The public print
page and the PDF show the summary, the consulted parties marked replied / not replied, and
each response's summary and comment.
"""

import io

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from xhtml2pdf import pisa

from councils.models import PartyKind

from .campaigns import stored_groups
from .models import HearingPage, Response
from .permissions import can_manage_hearing
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


class SummaryEntry:
    """One response as the summary shows it: never an email or address."""

    def __init__(self, response, names_public, kinds=None):
        """``kinds``: the kinds' labels by value, looked up once for a summary of thousands of responses."""
        self.response = response
        self.number = f"{response.pk:04d}"
        kind = kinds.get(response.kind, response.kind) if kinds is not None else response.get_kind_display()
        if response.on_behalf_of_organisation or (names_public and response.status == Response.Status.PUBLISHED):
            self.label = response.display_name or kind
        else:
            self.label = kind
        self.kind = kind
        self.is_late = response.is_late
        self.summary = response.summary
        self.comment = response.administration_comment
        self.group = []  # for a group of enslydende svar: every member's entry, this one first

    @property
    def group_size(self):
        return len(self.group)


class SectionEntry:
    """One comment on a section as the summary shows it: the response's label; the text only if published."""

    def __init__(self, comment, entry):
        self.number = entry.number
        self.label = entry.label
        self.text = comment.text if entry.response.status == Response.Status.PUBLISHED else ""


def summary_sections(hearing, entries):
    """The draft's sections with the comments on them and the administration's note, for the summary."""
    by_response = {entry.response.pk: entry for entry in entries}
    comments = SectionComment.objects.filter(response_id__in=list(by_response)).order_by("pk")
    sections = sections_with_comments(hearing, comments)
    notes = {n.section_id: n.administration_comment for n in SectionNote.objects.filter(hearing=hearing)}
    for section in sections:
        section.entries = [SectionEntry(c, by_response[c.response_id]) for c in section.comments]
        section.note = notes.get(section.id, "")
    return sections


def group_entries(entries):
    """One entry per group of enslydende svar (its first response, with every member in ``group``),
    then every other response, in the order received."""
    groups = {}
    for entry in entries:
        key = entry.response.campaign_group
        if key is not None:
            groups.setdefault(key, []).append(entry)
    result = []
    for entry in entries:
        key = entry.response.campaign_group
        if key is None or len(groups[key]) < 2:
            result.append(entry)
        elif groups[key][0] is entry:
            entry.group = groups[key]
            result.append(entry)
    return result


def summary_context(hearing):
    responses = (
        Response.objects.confirmed()
        .filter(hearing=hearing)
        .select_related("party")
        .defer("text", "redacted_text", "text_signature")
        .order_by("confirmed_at", "pk")
    )
    names_public = hearing.responses_are_public
    parties = hearing.consulted_parties()
    kinds = {value: str(label) for value, label in PartyKind.choices}
    all_entries = [SummaryEntry(r, names_public, kinds) for r in responses]
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
