"""The secretariat's election admin (inside Wagtail's admin): roll, poll cards, nominations, lifecycle.

Every view checks ``can_manage_election`` (may edit the election page); publishing results
and recording the appointment also need publish permission on the page. The roll and the
ballots are shown as counts only; there is no view that edits them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import editable_pages
from core.tabular import read_upload

from . import ceremony, roll
from .forms import AppointForm, LettersForm, RejectForm, RollImportForm, TrusteeForm
from .models import AuditLogEntry, Candidate, ElectionError, ElectionPage
from .permissions import can_manage_election, can_publish_election

ACTIONS = {
    "freeze": ("freeze_roll", False, gettext_lazy("Valglisten er låst, og fingeraftrykket er offentliggjort.")),
    "close_nominations": ("close_nominations", False, gettext_lazy("Kandidatlisten er lukket.")),
    "open_voting": ("open_voting", False, gettext_lazy("Afstemningen er åbnet.")),
    "close": ("close", False, gettext_lazy("Afstemningen er afsluttet.")),
    "count": ("count", False, gettext_lazy("Stemmerne er optalt.")),
    "publish": ("publish_results", True, gettext_lazy("Resultatet er offentliggjort.")),
}


def _election(request, pk, publish=False):
    election = get_object_or_404(ElectionPage, pk=pk)
    allowed = can_publish_election if publish else can_manage_election
    if not allowed(request.user, election):
        raise PermissionDenied
    return election


def _render(request, template, title, context):
    context.setdefault("page_title", title)
    context.setdefault("header_title", title)
    return TemplateResponse(request, template, context)


def _roll_file_page(request, template, title, election, form, report):
    """The page of a form that reads a voter-roll file (import, poll-card letters), with the file's report once read."""
    return _render(request, template, title, {"election": election, "form": form, "report": report})


def _step(request, election, step, done, unchanged=None):
    """Run one step on the election (``step()`` raises ElectionError when it is refused) and go back
    to the election's page with the refusal, or ``done`` — or ``unchanged`` (an info message) when
    given and the step reports that nothing changed."""
    try:
        changed = step()
    except ElectionError as error:
        messages.error(request, str(error))
    else:
        if unchanged is not None and not changed:
            messages.info(request, unchanged)
        else:
            messages.success(request, done)
    return redirect("elections_admin:detail", pk=election.pk)


def index(request):
    elections = editable_pages(request.user, ElectionPage).order_by("-voting_closes_at")
    return _render(request, "elections/admin/index.html", _("Valg"), {"elections": elections})


def _trustee_form(election, data=None):
    """The form to appoint the next trustee, or None when all are appointed or voting has opened."""
    if election.voting_opened_at or election.trustees.count() >= election.trustee_count:
        return None
    return TrusteeForm(data)


@require_POST
def trustees(request, pk):
    election = _election(request, pk)
    form = _trustee_form(election, request.POST)
    if form is None:
        messages.error(request, _("Alle valgtillidsfolk er udpeget."))
        return redirect("elections_admin:detail", pk=election.pk)
    if form.is_valid():
        try:
            ceremony.appoint(election, form.cleaned_data["name"], form.cleaned_data["email"], user=request.user)
        except ElectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Valgtillidspersonen er udpeget."))
            return redirect("elections_admin:detail", pk=election.pk)
    return detail(request, pk, trustee_form=form)


def detail(request, pk, trustee_form=None):
    election = _election(request, pk)
    candidates = list(election.candidates.select_related("group").order_by("status", "name"))
    for candidate in candidates:
        candidate.endorser_count = candidate.endorsements.count()
    voters = election.voters
    context = {
        "election": election,
        "candidates": candidates,
        "reject_form": RejectForm(),
        "voter_count": voters.count(),
        "issued_count": voters.exclude(poll_card_code_hash="").count(),
        "voted_online": voters.filter(voted_channel="online").count(),
        "voted_paper": voters.filter(voted_channel="paper").count(),
        "ballot_count": election.ballots.count(),
        "log_entries": AuditLogEntry.objects.filter(election=election).select_related("user")[:30],
        "can_publish": can_publish_election(request.user, election),
        "tally": getattr(election, "tally", None) if election.counted_at else None,
        "result_rows": election.public_result_rows() if election.counted_at else [],
        "actions": available_actions(election),
        "box": getattr(election, "ballot_box", None),
        "trustees": list(election.trustees.order_by("index")),
        "trustee_form": trustee_form if trustee_form is not None else _trustee_form(election),
    }
    return _render(request, "elections/admin/detail.html", election.title, context)


def available_actions(election):
    """The lifecycle buttons that make sense now: [(action, label, is_primary)]."""
    actions = []
    if not election.roll_frozen_at:
        actions.append(("freeze", _("Lås valglisten"), True))
    elif not election.nominations_closed_at:
        actions.append(("close_nominations", _("Luk kandidatlisten"), True))
    elif not election.uncontested and not election.voting_opened_at:
        actions.append(("open_voting", _("Åbn afstemningen"), True))
    elif election.voting_opened_at and not election.closed_at:
        actions.append(("close", _("Afslut afstemningen"), True))
    elif election.closed_at and not election.published_at:
        actions.append(
            ("count", _("Tæl stemmerne op") if not election.counted_at else _("Tæl op igen"), not election.counted_at)
        )
        if election.counted_at:
            actions.append(("publish", _("Offentliggør resultatet"), True))
    return actions


@require_POST
def action(request, pk, name):
    if name not in ACTIONS:
        raise PermissionDenied
    method, needs_publish, success = ACTIONS[name]
    election = _election(request, pk, publish=needs_publish)
    return _step(request, election, lambda: getattr(election, method)(user=request.user), str(success))


def roll_import(request, pk):
    election = _election(request, pk)
    report = None
    form = RollImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = roll.import_roll(
                election, read_upload(form.cleaned_data["file"], roll.MAX_BYTES), user=request.user
            )
        except ElectionError as error:
            messages.error(request, str(error))
            return redirect("elections_admin:detail", pk=election.pk)
        if report.ok:
            messages.success(request, _("%(count)s vælgere er importeret til valglisten.") % {"count": report.imported})
            return redirect("elections_admin:detail", pk=election.pk)
        messages.error(request, _("Filen blev ikke importeret. Ret fejlene nedenfor, og prøv igen."))
    return _roll_file_page(request, "elections/admin/roll_import.html", _("Importér valgliste"), election, form, report)


@require_POST
def roll_clear(request, pk):
    election = _election(request, pk)
    return _step(request, election, lambda: roll.clear_roll(election, user=request.user), _("Valglisten er tømt."))


def letters(request, pk):
    election = _election(request, pk)
    report = None
    form = LettersForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = roll.check_file(election, read_upload(form.cleaned_data["file"], roll.MAX_BYTES), for_letters=True)
        issued = []
        if report.ok:
            try:
                issued = roll.issue_codes(election, report, user=request.user)
            except ElectionError as error:
                messages.error(request, str(error))
                return redirect("elections_admin:detail", pk=election.pk)
        if report.ok and issued:
            language = form.cleaned_data["language"]
            if form.cleaned_data["output"] == "pdf":
                body, content_type, extension = roll.letters_pdf(election, issued, language), "application/pdf", "pdf"
            else:
                body, content_type, extension = (
                    roll.letters_csv(election, issued, language),
                    "text/csv; charset=utf-8",
                    "csv",
                )
            response = HttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="valgkort-{election.slug}-{language}.{extension}"'
            response["Cache-Control"] = "no-store"
            return response
        messages.error(request, _("Der blev ikke lavet valgkort. Ret fejlene nedenfor, og prøv igen."))
    return _roll_file_page(request, "elections/admin/letters.html", _("Valgkort"), election, form, report)


@require_POST
def approve(request, pk, candidate_pk):
    election = _election(request, pk)
    candidate = get_object_or_404(Candidate, pk=candidate_pk, election=election)
    return _step(
        request,
        election,
        lambda: candidate.approve(user=request.user),
        _("%(name)s er godkendt som kandidat.") % {"name": candidate.name},
        unchanged=_("%(name)s var allerede godkendt som kandidat.") % {"name": candidate.name},
    )


@require_POST
def reject(request, pk, candidate_pk):
    election = _election(request, pk)
    candidate = get_object_or_404(Candidate, pk=candidate_pk, election=election)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv en begrundelse for afvisningen."))
        return redirect("elections_admin:detail", pk=election.pk)
    return _step(
        request,
        election,
        lambda: candidate.reject(form.cleaned_data["reason"], user=request.user),
        _("%(name)s er afvist som kandidat.") % {"name": candidate.name},
        unchanged=_("%(name)s var allerede afvist som kandidat.") % {"name": candidate.name},
    )


def appoint(request, pk):
    election = _election(request, pk, publish=True)
    initial = {"start_date": election.term_start, "end_date": election.term_end}
    form = AppointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = election.appoint(
                user=request.user, start_date=form.cleaned_data["start_date"], end_date=form.cleaned_data["end_date"]
            )
        except ElectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Udpegningen er registreret: %(count)s medlemskaber er oprettet for %(council)s.")
                % {"count": len(created), "council": election.council.title},
            )
            return redirect("elections_admin:detail", pk=election.pk)
    return _render(
        request, "elections/admin/appoint.html", _("Registrér udpegning"), {"election": election, "form": form}
    )


def audit_log(request, pk):
    election = _election(request, pk)
    entries = AuditLogEntry.objects.filter(election=election).select_related("user")
    return _render(
        request, "elections/admin/audit_log.html", _("Valglog"), {"election": election, "entries": entries[:2000]}
    )
