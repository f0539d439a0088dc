"""The secretariat's side of surveys in the Wagtail admin.

Whoever may edit a survey page (Wagtail page permissions; superusers everything) may follow its
participation, invite panels, close it, publish and read results, moderate free texts and export
– nobody else (404 on typed URLs). For an anonymous survey the secretariat sees how many have
answered, never who said what.
"""

import uuid
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from core import tabular
from core.background_exports import download_response

from . import exports
from .emails import SurveyInvitationEmail, SurveyReminderEmail
from .models import SurveyPage
from .permissions import can_manage_survey, can_run_survey, panels_for_survey
from .responses import (
    ParticipationKind,
    SurveyExport,
    SurveyPanel,
    SurveyPanelMember,
    SurveyParticipation,
    SurveyResponse,
    flush_pending,
)
from .results import compare_runs, compute_results, filter_from_request, runs_of

# Exports up to this many responses are made in the request; larger ones in the background.
DIRECT_EXPORT_LIMIT = 5000
PANEL_CSV_MAX_BYTES = 2 * 1024 * 1024
PANEL_CSV_MAX_ROWS = 5000
PANEL_COLUMNS = [
    tabular.Column("name", {"navn", "name"}, max_length=200),
    tabular.Column("email", {"e-mail", "email", "e-mailadresse", "mail"}, required=True, max_length=254),
    # The member's language for the invitation (code or name, e.g. "so" or "somali"); Danish when empty.
    tabular.Column("language", {"sprog", "language"}),
]


def _survey_or_404(request, pk):
    survey = get_object_or_404(SurveyPage, pk=pk)
    if not can_manage_survey(request.user, survey):
        raise Http404
    return survey


def _runnable_survey_or_404(request, pk):
    """The survey, for a step that reaches people outside the admin: only for whoever may publish it.

    Someone who may only edit it (a council's editor while approval is required) is told why and
    sent back to the survey's admin page; anyone else gets a 404, as for any survey not theirs."""
    survey = _survey_or_404(request, pk)
    if not can_run_survey(request.user, survey):
        raise NotYours(survey)
    return survey


class NotYours(Exception):
    def __init__(self, survey):
        self.survey = survey


def _for_publishers(view):
    """Wrap a view that calls _runnable_survey_or_404: an editor without publish rights gets a message, not a 403."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotYours as refused:
            messages.error(
                request,
                _(
                    "Det kan kun sekretariatet, der må udgive undersøgelsen: invitationer, påmindelser, "
                    "lukning, offentliggørelse, godkendelse af fritekst, eksport og nye runder."
                ),
            )
            return redirect("consultations_admin_survey", pk=refused.survey.pk)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _render(request, template, survey, title, **context):
    return TemplateResponse(
        request,
        f"consultations/admin/{template}",
        {"survey": survey, "page_title": title, "header_title": title, **context},
    )


def survey_detail(request, pk):
    survey = _survey_or_404(request, pk)
    participations = SurveyParticipation.objects.filter(survey=survey)
    return _render(
        request,
        "survey_detail.html",
        survey,
        _("Undersøgelse: %(title)s") % {"title": survey.title},
        response_count=survey.responses.count(),
        answered_count=participations.answered().count(),
        not_answered_count=participations.not_answered().count(),
        invited_count=participations.filter(kind=ParticipationKind.INVITED).count(),
        may_run=can_run_survey(request.user, survey),
        exports=list(survey.exports.all()[:10]),
        direct_limit=DIRECT_EXPORT_LIMIT,
    )


# --- Panels and invitations ----------------------------------------------------------------------


class InviteForm(forms.Form):
    panel = forms.ModelChoiceField(
        queryset=SurveyPanel.objects.none(), required=False, label=gettext_lazy("Eksisterende panel")
    )
    new_panel = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Eller nyt panel (navn)"),
        help_text=gettext_lazy("Fx »Brugerpanel Jobcenter Nord«."),
    )
    members = forms.FileField(
        required=False,
        label=gettext_lazy("Medlemmer (CSV)"),
        help_text=gettext_lazy(
            "Kolonnerne »navn« og »e-mail« og eventuelt »sprog« (fx so), én person pr. linje. "
            "Invitationen skrives på personens sprog, ellers på dansk. Tilføjes til panelet."
        ),
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the survey's council's own panels: another council's members are not shown or invited.
        self.fields["panel"].queryset = panels_for_survey(survey)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("panel") and not cleaned.get("new_panel"):
            raise ValidationError(_("Vælg et panel, eller skriv navnet på et nyt."))
        if cleaned.get("new_panel") and not cleaned.get("members"):
            self.add_error("members", _("Et nyt panel skal have en fil med medlemmer."))
        if cleaned.get("new_panel") and SurveyPanel.objects.filter(name=cleaned["new_panel"]).exists():
            if self.fields["panel"].queryset.filter(name=cleaned["new_panel"]).exists():
                self.add_error("new_panel", _("Der findes allerede et panel med det navn. Vælg det på listen."))
            else:  # another council's: say nothing about it
                self.add_error("new_panel", _("Navnet er i brug. Giv panelet et andet navn."))
        self.rows = []
        upload = cleaned.get("members")
        if upload:
            try:
                rows = tabular.read_csv(
                    tabular.read_upload(upload, PANEL_CSV_MAX_BYTES),
                    PANEL_COLUMNS,
                    max_bytes=PANEL_CSV_MAX_BYTES,
                    max_rows=PANEL_CSV_MAX_ROWS,
                )
            except tabular.FileError as error:
                self.add_error("members", str(error))
                return cleaned
            problems = []
            email_field = forms.EmailField()
            for row in rows:
                line_problems = list(row.problems)
                try:
                    email_field.clean(row["email"])
                except ValidationError:
                    line_problems.append(_("e-mailadressen er ikke gyldig"))
                row.values["language"], language_problem = tabular.language_cell(row["language"])
                if language_problem:
                    line_problems.append(language_problem)
                if line_problems:
                    problems.append(tabular.line_message(row.line, line_problems))
            if problems:
                self.add_error("members", " ".join(problems[:10]))
            self.rows = rows
        return cleaned


@_for_publishers
def invite_view(request, pk):
    survey = _runnable_survey_or_404(request, pk)
    form = InviteForm(request.POST or None, request.FILES or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            panel = form.cleaned_data["panel"] or SurveyPanel.objects.create(
                name=form.cleaned_data["new_panel"], council_id=survey.council_id
            )
            for row in form.rows:
                SurveyPanelMember.objects.get_or_create(
                    panel=panel,
                    email=row["email"].strip().lower(),
                    defaults={"name": row["name"], "language": row["language"]},
                )
            invited = invite_panel(survey, panel)
            log(
                instance=survey,
                action="consultations.survey.invitations_sent",
                user=request.user,
                data={"count": invited},
            )
        messages.success(
            request,
            _("%(count)s invitationer sendt til panelet »%(panel)s«.") % {"count": invited, "panel": panel.name},
        )
        return redirect("consultations_admin_survey", pk=survey.pk)
    return _render(request, "survey_invite.html", survey, _("Invitér et panel"), form=form)


def invite_panel(survey, panel):
    """A participation with a personal link for every member not yet invited; emails after commit."""
    count = 0
    now = timezone.now()
    already = set(SurveyParticipation.objects.filter(survey=survey).exclude(email="").values_list("email", flat=True))
    for member in panel.members.all():
        if member.email in already:
            continue
        try:
            with transaction.atomic():
                participation = SurveyParticipation.objects.create(
                    survey=survey,
                    kind=ParticipationKind.INVITED,
                    panel=panel,
                    name=member.name,
                    email=member.email,
                    language=member.language,
                    invited_at=now,
                )
        except IntegrityError:
            continue
        SurveyInvitationEmail.send(participation)
        count += 1
    return count


@require_POST
@_for_publishers
def remind_view(request, pk):
    survey = _runnable_survey_or_404(request, pk)
    if not survey.is_open:
        messages.error(request, _("Der kan kun sendes påmindelser, mens undersøgelsen er åben."))
        return redirect("consultations_admin_survey", pk=survey.pk)
    waiting = SurveyParticipation.objects.filter(survey=survey, kind=ParticipationKind.INVITED).not_answered()
    recent = timezone.now() - timedelta(hours=12)
    count = 0
    with transaction.atomic():
        for participation in waiting.exclude(reminded_at__gt=recent):
            SurveyParticipation.objects.filter(pk=participation.pk).update(reminded_at=timezone.now())
            SurveyReminderEmail.send(participation)
            count += 1
        log(instance=survey, action="consultations.survey.reminders_sent", user=request.user, data={"count": count})
    messages.success(request, _("Påmindelse sendt til %(count)s, der ikke har svaret.") % {"count": count})
    return redirect("consultations_admin_survey", pk=survey.pk)


# --- Lifecycle --------------------------------------------------------------------------------------


@require_POST
@_for_publishers
def close_view(request, pk):
    survey = _runnable_survey_or_404(request, pk)
    if survey.close(user=request.user):
        messages.success(request, _("Undersøgelsen er lukket."))
    return redirect("consultations_admin_survey", pk=survey.pk)


@require_POST
@_for_publishers
def publish_view(request, pk):
    survey = _runnable_survey_or_404(request, pk)
    try:
        if survey.publish_results(user=request.user):
            messages.success(request, _("Resultaterne er offentliggjort på undersøgelsens side."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("consultations_admin_survey", pk=survey.pk)


class CopyForm(forms.Form):
    title = forms.CharField(max_length=255, label=gettext_lazy("Titel på den nye runde"))
    slug = forms.SlugField(max_length=255, label=gettext_lazy("Adresse (slug)"))
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Åbner"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Lukker"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("opens_at") and cleaned.get("closes_at") and cleaned["opens_at"] >= cleaned["closes_at"]:
            self.add_error("closes_at", _("Undersøgelsen skal lukke efter, den åbner."))
        return cleaned


@_for_publishers
def copy_view(request, pk):
    survey = _runnable_survey_or_404(request, pk)
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if SurveyPage.objects.sibling_of(survey).filter(slug=form.cleaned_data["slug"]).exists():
            form.add_error("slug", _("Adressen er i brug."))
        else:
            new = survey.copy_for_new_run(user=request.user, **form.cleaned_data)
            messages.success(request, _("Ny runde oprettet som kladde. Tjek spørgsmålene, og udgiv den."))
            return redirect("wagtailadmin_pages:edit", new.pk)
    return _render(request, "survey_copy.html", survey, _("Kopiér til en ny runde"), form=form)


# --- Results, moderation, exports --------------------------------------------------------------------


def results_view(request, pk):
    survey = _survey_or_404(request, pk)
    flush_pending(survey, force=not survey.is_open)
    results = compute_results(survey, filter_from_request(survey, request.GET), public=False)
    return _render(
        request, "survey_results.html", survey, _("Resultater: %(title)s") % {"title": survey.title}, results=results
    )


def compare_view(request, pk):
    survey = _survey_or_404(request, pk)
    runs = runs_of(survey)
    return _render(
        request,
        "survey_compare.html",
        survey,
        _("Sammenligning af runder"),
        runs=runs,
        compared=compare_runs(runs) if len(runs) > 1 else [],
    )


@_for_publishers
def moderation_view(request, pk):
    """Free-text answers: approve those that may be published with the results."""
    survey = _runnable_survey_or_404(request, pk)
    text_questions = [q for q in survey.questionnaire.questions if q.kind == "text"]
    if request.method == "POST":
        approve = set(request.POST.getlist("approve"))
        shown = set(request.POST.getlist("shown"))
        with transaction.atomic():
            for response in SurveyResponse.objects.filter(
                survey=survey, pk__in=list(_uuids(shown))
            ).select_for_update():
                approved = set(response.approved_texts or [])
                for question in text_questions:
                    marker = f"{response.pk}:{question.id}"
                    if marker in shown:
                        (approved.add if marker in approve else approved.discard)(question.id)
                response.approved_texts = sorted(approved)
                response.save(update_fields=["approved_texts"])
        messages.success(request, _("Godkendelserne er gemt."))
        return redirect(request.get_full_path())
    items = []
    responses = SurveyResponse.objects.filter(survey=survey).order_by("id")
    page = Paginator(responses, 50).get_page(request.GET.get("p"))
    for response in page:
        for question in text_questions:
            text = response.answers.get(question.id)
            if text:
                items.append(
                    {
                        "marker": f"{response.pk}:{question.id}",
                        "question": question,
                        "text": text,
                        "approved": question.id in (response.approved_texts or []),
                    }
                )
    return _render(request, "survey_moderation.html", survey, _("Fritekstsvar"), items=items, page_obj=page)


def _uuids(markers):
    for marker in markers:
        try:
            yield uuid.UUID(marker.split(":", 1)[0])
        except ValueError:
            continue


@_for_publishers
def export_view(request, pk, kind):
    survey = _runnable_survey_or_404(request, pk)
    flush_pending(survey, force=not survey.is_open)
    if kind == "kodebog.csv":
        return tabular.csv_response(exports.codebook_rows(survey), exports.filename(survey, "kodebog.csv"))
    if kind == "kodebog.xlsx":
        return tabular.xlsx_response(
            exports.codebook_rows(survey), exports.filename(survey, "kodebog.xlsx"), _("Kodebog")
        )
    fmt = {"svar.csv": "csv", "svar.xlsx": "xlsx"}.get(kind)
    if fmt is None:
        raise Http404
    if request.method == "POST" or survey.responses.count() > DIRECT_EXPORT_LIMIT:
        if request.method != "POST":
            messages.info(request, _("Der er mange svar: start eksporten i baggrunden herunder."))
            return redirect("consultations_admin_survey", pk=survey.pk)
        exports.request_export(survey, fmt, request.user)
        messages.success(request, _("Eksporten er startet. Siden viser, hvor langt den er."))
        return redirect("consultations_admin_survey", pk=survey.pk)
    if fmt == "csv":
        return tabular.csv_response(exports.rows(survey), exports.filename(survey, "svar.csv"))
    return tabular.xlsx_response(exports.rows(survey), exports.filename(survey, "svar.xlsx"), survey.title)


def export_download(request, pk):
    export = get_object_or_404(SurveyExport.objects.select_related("survey"), pk=pk)
    return download_response(
        request,
        export,
        allowed=can_run_survey(request.user, export.survey),
        back_url=reverse("consultations_admin_survey", args=[export.survey_id]),
        filename=exports.filename(export.survey, f"svar.{export.fmt}"),
    )


def urls():
    return [
        path("undersoegelser/<int:pk>/", survey_detail, name="consultations_admin_survey"),
        path("undersoegelser/<int:pk>/inviter/", invite_view, name="consultations_admin_survey_invite"),
        path("undersoegelser/<int:pk>/paamind/", remind_view, name="consultations_admin_survey_remind"),
        path("undersoegelser/<int:pk>/luk/", close_view, name="consultations_admin_survey_close"),
        path("undersoegelser/<int:pk>/offentliggoer/", publish_view, name="consultations_admin_survey_publish"),
        path("undersoegelser/<int:pk>/kopier/", copy_view, name="consultations_admin_survey_copy"),
        path("undersoegelser/<int:pk>/resultater/", results_view, name="consultations_admin_survey_results"),
        path("undersoegelser/<int:pk>/sammenlign/", compare_view, name="consultations_admin_survey_compare"),
        path("undersoegelser/<int:pk>/fritekst/", moderation_view, name="consultations_admin_survey_texts"),
        path("undersoegelser/<int:pk>/eksport/<str:kind>", export_view, name="consultations_admin_survey_export"),
        path("undersoegelser/eksport/<int:pk>/hent/", export_download, name="consultations_admin_survey_download"),
    ]
