"""The secretariat's side of hearings in the Wagtail admin.

Who may do what: whoever may edit a hearing page (Wagtail page permissions, which follow
the council subtree; superusers everything) may see, read, moderate and export its
responses, follow its invitations and write its summary — nobody else. The checks are in
``consultations.permissions``; every view calls one, and listings are filtered through
``hearings_for_user`` / ``responses_for_user``. Other secretariats get 404 on typed URLs.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.widgets import AdminDateInput
from wagtail.documents.widgets import AdminDocumentChooser

from core import tabular
from core.background_exports import download_response

from . import exports
from .campaigns import moderate_group, stored_groups
from .decisions import DecisionNotice, HearingDecision
from .emails import ResponseWithheldEmail
from .invitations import invitation_overview, invite_parties, may_invite
from .models import HearingExport, HearingPage, Response, ResponseAttachment
from .permissions import can_manage_hearing, can_moderate_response, hearings_for_user
from .sections import SectionComment
from .summary import ResponseSummaryFormSet, SectionNoteFormSet, publish_summary, section_notes

# --- Looking up what the user may manage (checks in consultations.permissions) ---------------


def _hearing_or_404(request, pk, check):
    """The hearing, if the check allows the user; 404 otherwise (nothing about others' hearings leaks)."""
    hearing = get_object_or_404(HearingPage, pk=pk)
    if not check(request.user, hearing):
        raise Http404
    return hearing


def _response_or_404(request, pk):
    response = get_object_or_404(Response.objects.select_related("hearing", "party"), pk=pk)
    if not can_moderate_response(request.user, response):
        raise Http404
    return response


# --- Moderation -------------------------------------------------------------------------------


def publish_response(response, user):
    response.publish(user)


def withhold_response(response, reason, user):
    with transaction.atomic():
        response.withhold(reason, user)
        ResponseWithheldEmail.send(response)


class WithholdForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Afsenderen får begrundelsen på e-mail."),
        error_messages={"required": gettext_lazy("Skriv en begrundelse.")},
    )


def _back_to_response(response):
    return redirect(reverse("consultations_response:edit", args=[response.pk]))


@require_POST
def response_publish(request, pk):
    response = _response_or_404(request, pk)
    try:
        publish_response(response, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Høringssvaret er offentliggjort."))
    return _back_to_response(response)


def response_withhold(request, pk):
    response = _response_or_404(request, pk)
    form = WithholdForm(request.POST or None, initial={"reason": response.withheld_reason})
    if request.method == "POST" and form.is_valid():
        try:
            withhold_response(response, form.cleaned_data["reason"], request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Høringssvaret offentliggøres ikke. Afsenderen har fået besked."))
            return _back_to_response(response)
    return TemplateResponse(
        request,
        "consultations/admin/response_withhold.html",
        {"response": response, "form": form, "page_title": _("Offentliggør ikke høringssvar")},
    )


def attachment_download(request, pk):
    attachment = get_object_or_404(ResponseAttachment.objects.select_related("response__hearing"), pk=pk)
    if not can_manage_hearing(request.user, attachment.response.hearing):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=exports.safe_filename(attachment.download_name),
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Hearings overview ------------------------------------------------------------------------


def hearing_overview(request):
    hearings = (
        hearings_for_user(request.user)
        .annotate(
            confirmed_count=Count("responses", filter=~Q(responses__status=Response.Status.PENDING), distinct=True),
            awaiting_count=Count("responses", filter=Q(responses__status=Response.Status.RECEIVED), distinct=True),
            invitation_count=Count("invitations", distinct=True),
        )
        .order_by("-closes_at")
    )
    return TemplateResponse(
        request,
        "consultations/admin/hearing_overview.html",
        {"hearings": hearings, "page_title": _("Høringer – sekretariat")},
    )


def hearing_detail(request, pk):
    hearing = _hearing_or_404(request, pk, can_manage_hearing).specific
    counts = {
        status: Response.objects.filter(hearing=hearing, status=status).count() for status in Response.Status.values
    }
    decision = HearingDecision.objects.filter(hearing=hearing).select_related("council").first()
    notices = DecisionNotice.objects.filter(hearing=hearing).aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)), waiting=Count("pk", filter=Q(sent_at__isnull=True))
    )
    return TemplateResponse(
        request,
        "consultations/admin/hearing_detail.html",
        {
            "hearing": hearing,
            "page_title": hearing.title,
            "counts": [(Response.Status(s).label, n) for s, n in counts.items()],
            "late_count": Response.objects.confirmed().filter(hearing=hearing, is_late=True).count(),
            "responses_url": reverse("consultations_response:list") + f"?hearing={hearing.pk}",
            "add_response_url": reverse("consultations_response:add") + f"?hearing={hearing.pk}",
            "decision": decision,
            "notices": notices,
            "exports": list(hearing.exports.all()[:10]),
            "export_formats": [
                ("xlsx", _("Svar som regneark (XLSX)")),
                ("csv", _("Svar som CSV")),
                ("zip", _("Alle bilag (ZIP)")),
            ],
        },
    )


# --- Invitations ------------------------------------------------------------------------------


def invitations_view(request, pk):
    hearing = _hearing_or_404(request, pk, can_manage_hearing).specific
    if request.method == "POST":
        if not may_invite(hearing):
            messages.error(request, _("Der kan kun sendes invitationer, mens høringen er udgivet og åben."))
        else:
            count = invite_parties(hearing, user=request.user)
            if count:
                messages.success(request, _("%(count)s invitationer er sendt.") % {"count": count})
            else:
                messages.info(request, _("Alle aktive parter på høringslisterne er allerede inviteret."))
        return redirect(reverse("consultations_admin_invitations", args=[hearing.pk]))
    rows = invitation_overview(hearing)
    return TemplateResponse(
        request,
        "consultations/admin/invitations.html",
        {
            "hearing": hearing,
            "rows": rows,
            "replied_count": sum(1 for r in rows if r.replied),
            "can_invite": may_invite(hearing),
            "page_title": _("Invitationer: %(title)s") % {"title": hearing.title},
        },
    )


# --- Exports ----------------------------------------------------------------------------------


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_csv(request, pk):
    hearing = _hearing_or_404(request, pk, can_manage_hearing)
    return _private(tabular.csv_response(exports.rows(hearing), exports.export_filename(hearing, "csv")))


def export_xlsx(request, pk):
    hearing = _hearing_or_404(request, pk, can_manage_hearing)
    filename = exports.export_filename(hearing, "xlsx")
    return _private(tabular.xlsx_response(exports.rows(hearing), filename, sheet_title=_("Høringssvar")))


def export_zip(request, pk):
    hearing = _hearing_or_404(request, pk, can_manage_hearing)
    response = StreamingHttpResponse(exports.zip_chunks(hearing), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, exports.export_filename(hearing, "zip").replace("hoeringssvar", "bilag")
    )
    return _private(response)


@require_POST
def export_start(request, pk):
    """Start a background export (CSV, XLSX or ZIP); the hearing's page shows its progress."""
    hearing = _hearing_or_404(request, pk, can_manage_hearing).specific
    fmt = request.POST.get("fmt", "")
    if fmt not in HearingExport.Format.values:
        messages.error(request, _("Vælg et format til eksporten: CSV, XLSX eller ZIP."))
    else:
        exports.request_export(hearing, fmt, request.user)
        messages.success(request, _("Eksporten er startet. Siden viser, hvor langt den er."))
    return redirect("consultations_admin_hearing", pk=hearing.pk)


def export_download(request, pk):
    """A finished background export, only for whoever may manage its hearing (404 for anyone else)."""
    export = get_object_or_404(HearingExport.objects.select_related("hearing"), pk=pk)
    return download_response(
        request,
        export,
        allowed=can_manage_hearing(request.user, export.hearing),
        back_url=reverse("consultations_admin_hearing", args=[export.hearing_id]),
        filename=exports.stored_filename(export),
    )


# --- Campaign and duplicate responses -----------------------------------------------------------


class GroupActionForm(forms.Form):
    ACTIONS = [
        ("publish", gettext_lazy("Offentliggør alle")),
        ("withhold", gettext_lazy("Offentliggør ingen")),
        ("comment", gettext_lazy("Skriv resumé og bemærkning til alle")),
    ]
    group = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Begrundelse (sendes til afsenderne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary = forms.CharField(
        label=gettext_lazy("Resumé (til høringsnotatet)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    comment = forms.CharField(
        label=gettext_lazy("Forvaltningens bemærkning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def campaigns_view(request, pk):
    """Groups of identical or nearly identical responses, with publish / withhold / comment for a whole group."""
    hearing = _hearing_or_404(request, pk, can_manage_hearing).specific
    if request.method == "POST":
        form = GroupActionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                count = moderate_group(
                    hearing,
                    data["group"],
                    data["action"],
                    user=request.user,
                    reason=data["reason"],
                    comment=data["comment"],
                    summary=data["summary"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                done = {
                    "publish": _("%(count)s enslydende svar er offentliggjort."),
                    "withhold": _("%(count)s enslydende svar offentliggøres ikke. Afsenderne har fået besked."),
                    "comment": _("Resumé og bemærkning er gemt på %(count)s enslydende svar."),
                }[data["action"]]
                messages.success(request, done % {"count": count})
        else:
            messages.error(request, _("Handlingen kunne ikke udføres."))
        return redirect(reverse("consultations_admin_campaigns", args=[hearing.pk]))
    groups = stored_groups(hearing)
    shown = groups[:50]
    ids = [pk for group in shown for pk in group.members]
    responses = {
        r.pk: r for r in Response.objects.filter(pk__in=ids).select_related("party").only(
            "pk", "name", "kind", "organisation_name", "party__name", "status", "text", "summary",
            "administration_comment", "hearing_id",
        )
    }  # fmt: skip
    status_labels = dict(Response.Status.choices)
    # One link pattern for every member (thousands in a campaign): reverse() once, not once per member.
    edit_url = reverse("consultations_response:edit", args=[0]).replace("/0/", "/%d/")
    rows = []
    for group in shown:
        members = [responses[pk] for pk in group.members]
        first = members[0]
        statuses = {}
        for member in members:
            label = status_labels.get(member.status, member.status)
            statuses[label] = statuses.get(label, 0) + 1
        rows.append(
            {
                "group": group,
                "first": first,
                "members_html": format_html_join(
                    "",
                    '<li><a href="{}">{}</a> {}</li>',
                    ((edit_url % m.pk, f"{m.pk:04d}", m.display_name) for m in members),
                ),
                "statuses": sorted(statuses.items()),
                "form": GroupActionForm(
                    initial={"group": group.key, "summary": first.summary, "comment": first.administration_comment},
                    auto_id=f"gruppe-{group.key}-%s",
                ),
            }
        )
    return TemplateResponse(
        request,
        "consultations/admin/campaigns.html",
        {
            "hearing": hearing,
            "rows": rows,
            "more": len(groups) - len(shown),
            "grouped_count": sum(g.size for g in groups),
            "page_title": _("Enslydende svar: %(title)s") % {"title": hearing.title},
        },
    )


# --- Hearing summary --------------------------------------------------------------------------


SUMMARY_PAGE_SIZE = 25


def _summary_leads(hearing):
    """[(pk, size)] in the order received: one entry per group of enslydende svar (its first response, with
    the group's size) and every other confirmed response (size 1), as the høringsnotat lists them."""
    sizes = {group.key: group.size for group in stored_groups(hearing)}
    rows = (
        Response.objects.confirmed()
        .filter(hearing=hearing)
        .order_by("confirmed_at", "pk")
        .values_list("pk", "campaign_group")
    )
    leads, seen = [], set()
    for pk, key in rows:
        if key is None or sizes.get(key, 1) < 2:
            leads.append((pk, 1, None))
        elif key not in seen:
            seen.add(key)
            leads.append((pk, sizes[key], key))
    return leads


def summary_view(request, pk):
    """Summaries and comments per response, a group of enslydende svar as one (saved on all its members),
    25 to a page: a campaign of thousands is one form, and a page never posts thousands of fields."""
    hearing = _hearing_or_404(request, pk, can_manage_hearing).specific
    page = Paginator(_summary_leads(hearing), SUMMARY_PAGE_SIZE).get_page(request.GET.get("p"))
    leads = {pk: (size, key) for pk, size, key in page.object_list}
    queryset = Response.objects.filter(pk__in=list(leads)).select_related("party").order_by("confirmed_at", "pk")
    formset = ResponseSummaryFormSet(request.POST or None, queryset=queryset, prefix="svar")
    for form in formset.forms:
        form.group_size, form.group_key = leads.get(form.instance.pk, (1, None))
    here = reverse("consultations_admin_summary", args=[hearing.pk]) + (f"?p={page.number}" if page.number > 1 else "")
    # The per-section notes are posted only when the draft has sections.
    notes_posted = request.method == "POST" and "afsnit-TOTAL_FORMS" in request.POST
    notes = SectionNoteFormSet(request.POST if notes_posted else None, queryset=section_notes(hearing), prefix="afsnit")
    if request.method == "POST":
        if formset.is_valid() and (not notes_posted or notes.is_valid()):
            with transaction.atomic():
                formset.save()
                for form in formset.forms:
                    if form.group_key is not None and form.has_changed():
                        Response.objects.confirmed().filter(hearing=hearing, campaign_group=form.group_key).exclude(
                            pk=form.instance.pk
                        ).update(
                            summary=form.instance.summary, administration_comment=form.instance.administration_comment
                        )
                if notes_posted:
                    notes.save()
                if "publish" in request.POST:
                    try:
                        publish_summary(hearing, request.user)
                    except ValidationError as error:
                        transaction.set_rollback(True)
                        messages.error(request, " ".join(error.messages))
                        return redirect(here)
                    messages.success(request, _("Høringsnotatet er offentliggjort, og høringen er konkluderet."))
                else:
                    messages.success(request, _("Resuméer og bemærkninger er gemt."))
            return redirect(here)
        messages.error(request, _("Resuméerne kunne ikke gemmes. Ret fejlene nedenfor."))
    counts = _section_comment_counts(hearing)
    shown = _section_comments_shown(hearing, [form.instance.section_id for form in notes])
    for form in notes:
        form.comment_count = counts.get(form.instance.section_id, 0)
        form.comments = shown.get(form.instance.section_id, [])
    return TemplateResponse(
        request,
        "consultations/admin/summary.html",
        {
            "hearing": hearing,
            "formset": formset,
            "section_notes": notes,
            "page_obj": page,
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
            "form_action": here,
            "campaigns_url": reverse("consultations_admin_campaigns", args=[hearing.pk]),
            "page_title": _("Høringsnotat: %(title)s") % {"title": hearing.title},
            "past_deadline": hearing.is_past_deadline,
            "has_summary_text": bool(hearing.summary_body),
            "edit_page_url": reverse("wagtailadmin_pages:edit", args=[hearing.pk]),
            "print_url": reverse("consultations:summary_print", args=[hearing.pk]),
            "now": timezone.now(),
        },
    )


def _section_comment_counts(hearing):
    """{section id: number of confirmed responses' comments on it}."""
    rows = (
        SectionComment.objects.filter(response__hearing=hearing)
        .exclude(response__status=Response.Status.PENDING)
        .values("section_id")
        .annotate(count=Count("pk"))
    )
    return {row["section_id"]: row["count"] for row in rows}


SECTION_COMMENTS_SHOWN = 20


def _section_comments_shown(hearing, section_ids):
    """{section id: [SectionComment]}: the first comments of confirmed responses on each section, in the
    order received, at most SECTION_COMMENTS_SHOWN a section (one query), for writing the section's note."""
    if not section_ids:
        return {}
    position = Window(
        RowNumber(), partition_by=[F("section_id")], order_by=[F("response__confirmed_at").asc(), F("pk").asc()]
    )
    comments = (
        SectionComment.objects.filter(response__hearing=hearing, section_id__in=section_ids)
        .exclude(response__status=Response.Status.PENDING)
        .select_related("response", "response__party")
        .annotate(position=position)
        .filter(position__lte=SECTION_COMMENTS_SHOWN)
        .order_by("section_id", "position")
    )
    shown = {}
    for comment in comments:
        shown.setdefault(comment.section_id, []).append(comment)
    return shown


# --- Decision ----------------------------------------------------------------------------------


def _https_by_default(db_field, **kwargs):
    """A link typed without a scheme (``kk.dk/referat``) is taken as https://, as Django 6 will do."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = HearingDecision
        fields = ["council", "committee_name", "decided_on", "outcome", "changes_summary", "minutes_url", "document"]
        formfield_callback = _https_by_default
        widgets = {
            # Wagtail's date field (as the page editor's), not the browser's own: Chromium draws a
            # type="date" field in the browser's locale, »mm/dd/yyyy« in an English browser.
            "decided_on": AdminDateInput(attrs={"placeholder": gettext_lazy("åååå-mm-dd")}, format="%Y-%m-%d"),
            "changes_summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = self.fields["council"].queryset.order_by("title")
        self.fields["document"].widget = AdminDocumentChooser()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("council") and not (cleaned.get("committee_name") or "").strip():
            self.add_error("committee_name", _("Vælg rådet eller udvalget, der besluttede, eller skriv dets navn."))
        return cleaned


def decision_view(request, pk):
    hearing = _hearing_or_404(request, pk, can_manage_hearing).specific
    instance = HearingDecision.objects.filter(hearing=hearing).first() or HearingDecision(hearing=hearing)
    form = DecisionForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if not hearing.is_concluded:
            messages.error(request, _("Beslutningen kan først registreres, når høringsnotatet er offentliggjort."))
        elif form.is_valid():
            decision = form.save(commit=False)
            decision.hearing = hearing
            correcting = decision.pk is not None
            queued = decision.record(request.user)
            if correcting and not queued:
                messages.success(
                    request,
                    _(
                        "Beslutningen er rettet. Alle svarafgivere og høringsparter har allerede fået den på e-mail; "
                        "rettelsen sendes ikke igen, men står på høringens side."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Beslutningen er registreret. %(count)s svarafgivere og høringsparter får den på e-mail.")
                    % {"count": queued},
                )
            return redirect(reverse("consultations_admin_hearing", args=[hearing.pk]))
    return TemplateResponse(
        request,
        "consultations/admin/decision.html",
        {
            "hearing": hearing,
            "form": form,
            "page_title": _("Beslutning: %(title)s") % {"title": hearing.title},
        },
    )
