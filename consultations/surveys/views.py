"""Answering a survey: one section per page, back and next, nothing stored before the end.

The answers of earlier sections travel in the form's signed ``state`` field (never the session),
so going back keeps them, and an anonymous survey leaves no draft on the server.
"""

import smtplib
from functools import partial

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from core.browser_marks import has_mark, set_mark
from core.emails import absolute_url
from core.templatetags.dkfds import prepare

from .choices import Access, SurveyStatus
from .drafts import delete_draft, load_draft, save_draft
from .emails import SurveyAccessEmail, SurveyResumeEmail
from .forms import DraftEmailForm, EmailAccessForm, SectionForm, dump_state, load_state, validate_all
from .responses import AlreadyAnswered, ParticipationKind, SurveyParticipation, store_answers
from .results import compare_runs, compute_results, filter_from_request, runs_of

COOKIE_SALT = "consultations.surveys.answered"
DRAFT_FIELD = "draft"  # the resumed draft's token, carried by the form so sending deletes it
THANKS_SESSION_KEY = "consultations_survey_thanks"


def _cookie_name(page):
    return f"survey-{page.pk}"


def _answered_in_browser(request, page):
    return has_mark(request, _cookie_name(page), COOKIE_SALT)


def render_survey(request, page, template="consultations/survey_page.html", status=200, **context):
    context = {
        "page": page,
        "self": page,
        "status": page.status,
        "SurveyStatus": SurveyStatus,
        "Access": Access,
        "topics": list(page.topics.all()),
        "breadcrumbs": [{"title": page.title, "url": page.url}],
        "content_translation": page.translation_note(request),  # core.translated_pages
        **context,
    }
    return TemplateResponse(request, template, context, status=status)


def _message(request, page, heading, text, status=200, **extra):
    return render_survey(
        request, page, "consultations/survey_message.html", status=status, heading=heading, text=text, **extra
    )


def _participation(request, page, token):
    """(participation, refusal response or None) for this request."""
    if token is not None:
        participation = SurveyParticipation.for_token(page, token)
        if participation is None or participation.kind == ParticipationKind.USER:
            return None, _message(
                request,
                page,
                _("Linket virker ikke"),
                _("Linket til undersøgelsen er ugyldigt. Tjek, at du har kopieret hele linket fra e-mailen."),
                status=404,
            )
        if participation.answered:
            return None, _message(
                request,
                page,
                _("Du har allerede svaret"),
                _(
                    "Linket er personligt og kan kun bruges én gang, og der er allerede svaret med det. "
                    "Tak for dit svar."
                ),
                status=409,
            )
        return participation, None
    if page.access == Access.LOGIN:
        if not request.user.is_authenticated:
            return None, render_survey(request, page, intro_only=True, needs_login=True)
        participation = SurveyParticipation.objects.filter(survey=page, user=request.user).first()
        if participation and participation.answered:
            return None, _message(
                request,
                page,
                _("Du har allerede svaret"),
                _("Du har allerede besvaret denne undersøgelse. Tak for dit svar."),
                status=409,
            )
        return participation, None
    if page.access == Access.ANYONE and _answered_in_browser(request, page):
        return None, _message(
            request,
            page,
            _("Du har allerede svaret"),
            _("Der er allerede svaret på undersøgelsen fra denne browser. Hver person kan svare én gang."),
            status=409,
        )
    return None, None


def answer(request, page, token=None):
    status = page.status
    if status == SurveyStatus.UPCOMING and request.method == "GET":
        return render_survey(request, page, intro_only=True)
    if page.access in (Access.PANEL, Access.EMAIL) and token is None:
        if page.access == Access.EMAIL and status == SurveyStatus.OPEN:
            return email_access(request, page)
        return render_survey(request, page, intro_only=True)
    participation, refusal = _participation(request, page, token)
    if refusal is not None:
        return refusal
    if request.method != "POST":
        if status != SurveyStatus.OPEN:
            return render_survey(request, page, intro_only=True)
        return _section(request, page, 0, {})
    return _post(request, page, participation, token)


def _visible_sections(survey, answers):
    return [s for s in survey.sections if survey.section_has_visible(s, answers)]


def _section(request, page, index, answers, form=None, status=200, summary=None, action_url=None):
    survey = page.questionnaire
    visible = _visible_sections(survey, answers)
    if not visible:
        return render_survey(request, page, intro_only=True)
    # The wanted section if it is shown, else the next one shown, else the last (visible is in order).
    wanted = form.section.index if form is not None else index
    current = next((s for s in visible if s.index >= wanted), visible[-1])
    if form is None:
        form = SectionForm(
            page=page, survey=survey, section=current, answers=answers, initial={"state": dump_state(page, answers)}
        )
    position = visible.index(current)
    prepare(form)  # the design system's classes, errors linked to their fields (aria-invalid, aria-describedby)
    rows = []
    for question, names in form.layout:
        if not survey.shown_on_page(question, answers):
            continue
        condition = None
        if question.condition and survey.question(question.condition[0]).section == current.index:
            source = survey.question(question.condition[0])
            condition = {"field": f"q-{source.key}", "value": question.condition[1]}
        rows.append({"question": question, "fields": [form[name] for name in names], "condition": condition})
    return render_survey(
        request,
        page,
        status=status,
        form=form,
        section=current,
        rows=rows,
        position=position + 1,
        total=len(visible),
        is_first=position == 0,
        is_last=position == len(visible) - 1,
        summary_errors=summary or [],
        action_url=action_url or request.path,
        can_save=len(survey.sections) > 1,
        draft_token=getattr(request, "survey_draft", ""),
    )


def _post(request, page, participation, token=None):
    survey = page.questionnaire
    request.survey_draft = request.POST.get(DRAFT_FIELD, "")[:100]
    state = load_state(page, request.POST.get("state", ""))
    if state is None:
        return _message(
            request,
            page,
            _("Formularen kunne ikke læses"),
            _("Formularen er udløbet eller blev ændret undervejs. Intet er gemt. Start forfra på undersøgelsen."),
            status=400,
            restart_url=request.path,
        )
    try:
        index = int(request.POST.get("section", "0"))
    except ValueError:
        index = 0
    section = next((s for s in survey.sections if s.index == index), None)
    if section is None:
        return _section(request, page, 0, survey.visible_answers(state))
    others = {qid: v for qid, v in state.items() if survey.question(qid) and survey.question(qid).section != index}
    form = SectionForm(request.POST, page=page, survey=survey, section=section, answers=others)
    action = request.POST.get("action", "next")
    valid = form.is_valid()
    if action in ("back", "save"):
        kept = dict(others)
        kept.update(_valid_part(form))
        kept = survey.visible_answers(kept)
        if action == "save":
            return _save(request, page, index, kept, token)
        visible = _visible_sections(survey, kept)
        earlier = [s for s in visible if s.index < index]
        return _section(request, page, earlier[-1].index if earlier else index, kept)
    if not valid:
        return _section(request, page, index, {**others}, form=_rebound(form, page, state), status=400)
    answers = survey.visible_answers({**others, **form.section_answers})
    visible = _visible_sections(survey, answers)
    later = [s for s in visible if s.index > index]
    if action != "submit" and later:
        return _section(request, page, later[0].index, answers)
    return _submit(request, page, participation, answers, form, state)


def _valid_part(form):
    """Going back: keep this section's answers that are fine, even if others have errors."""
    names = {question.id: fields for question, fields in form.layout}
    return {qid: v for qid, v in form.section_answers.items() if not form._has_errors(names[qid])}


def _rebound(form, page, state):
    """The bound form re-rendered with errors still carries the earlier sections' answers."""
    data = form.data.copy()
    data["state"] = dump_state(page, state)
    rebound = SectionForm(data, page=page, survey=form.survey, section=form.section, answers=form.answers)
    rebound._errors = form._errors
    rebound.cleaned_data = getattr(form, "cleaned_data", {})
    return rebound


def _refuse(request, page, form, state, answers, message, status):
    """Re-render the last section with the answers kept and a message at the top; nothing stored."""
    form.add_error(None, message)
    index = form.section.index
    return _section(request, page, index, answers, form=_rebound(form, page, {**state, **answers}), status=status)


def _submit(request, page, participation, answers, form, state):
    survey = page.questionnaire
    refuse = partial(_refuse, request, page, form, state, answers)
    if page.status != SurveyStatus.OPEN:
        return refuse(_("Undersøgelsen er lukket, så dit svar kan ikke modtages. Intet er gemt."), 400)
    problems = validate_all(survey, answers)
    if problems:
        section_index, message = problems[0]
        return _section(request, page, section_index, answers, status=400, summary=[message])
    if page.access == Access.ANYONE:
        rate = settings.SURVEY_SUBMIT_RATE_IP
        if is_ratelimited(request, group="consultations.survey.submit", key="ip", rate=rate, increment=True):
            return refuse(_("Der er sendt for mange svar fra din forbindelse på kort tid. Prøv igen senere."), 429)
    if page.access == Access.LOGIN and participation is None:
        participation, _created = SurveyParticipation.objects.get_or_create(
            survey=page, user=request.user, defaults={"kind": ParticipationKind.USER}
        )
    try:
        store_answers(page, answers, participation=participation)
    except AlreadyAnswered:
        return _message(
            request,
            page,
            _("Du har allerede svaret"),
            _("Der er allerede svaret med dette link eller denne konto. Dit nye svar er ikke gemt."),
            status=409,
        )
    # The draft this answer was continued from goes, in a transaction of its own (drafts.py).
    delete_draft(page, request.survey_draft)
    response = redirect(page.url + page.reverse_subpage("thanks_view"))
    request.session[THANKS_SESSION_KEY] = page.pk
    if page.access == Access.ANYONE:
        set_mark(response, request, _cookie_name(page), COOKIE_SALT)
    return response


# --- Save and continue later (consultations.surveys.drafts) ----------------------------------------


def _resume_url(request, page, draft):
    # In the language the answers were saved in: the link opens the survey that way (``?lang=``).
    return absolute_url(page.url + page.reverse_subpage("resume_view", args=[draft]), request.LANGUAGE_CODE)


def _save(request, page, index, answers, token):
    """»Gem og fortsæt senere«: seal the answers so far, show the resume link (and offer it by email)."""
    if page.status != SurveyStatus.OPEN:
        return _message(
            request, page, _("Undersøgelsen er lukket"), _("Undersøgelsen er lukket, så svar kan ikke gemmes."), 400
        )
    if is_ratelimited(
        request, group="consultations.survey.draft", key="ip", rate=settings.SURVEY_DRAFT_RATE_IP, increment=True
    ):
        return _message(
            request,
            page,
            _("For mange gemte svar"),
            _("Der er gemt for mange svar fra din forbindelse på kort tid. Prøv igen senere."),
            429,
        )
    user_id = request.user.pk if page.access == Access.LOGIN and request.user.is_authenticated else None
    draft = save_draft(page, answers, index, invite_token=token or "", user_id=user_id, token=request.survey_draft)
    return _saved_page(request, page, draft, DraftEmailForm(initial={DRAFT_FIELD: draft}))


def _saved_page(request, page, draft, form, status=200, sent=False):
    return render_survey(
        request,
        page,
        "consultations/survey_saved.html",
        status=status,
        resume_url=_resume_url(request, page, draft),
        email_form=form,
        sent=sent,
        breadcrumbs=[{"title": page.title, "url": page.url}, {"title": _("Gemt svar")}],
    )


def _draft_gone(request, page):
    return _message(
        request,
        page,
        _("Linket til dine gemte svar virker ikke"),
        _(
            "Der er ingen gemte svar til dette link. Gemte svar slettes, når svaret er sendt, og når "
            "undersøgelsen lukker. Tjek, at du har kopieret hele linket."
        ),
        status=404,
    )


def resume(request, page, draft):
    """The resume link: the saved answers back in the form, at the section where they were saved."""
    if request.method == "POST":
        return redirect(request.path)
    payload = load_draft(page, draft)
    if payload is None:
        return _draft_gone(request, page)
    if page.status != SurveyStatus.OPEN:
        delete_draft(page, draft)
        return render_survey(request, page, intro_only=True)
    invite = payload.get("t") or ""
    if page.access in (Access.PANEL, Access.EMAIL) and not invite:
        return _draft_gone(request, page)
    if page.access == Access.LOGIN and not request.user.is_authenticated:
        return render_survey(request, page, intro_only=True, needs_login=True, login_next=request.path)
    if page.access == Access.LOGIN and request.user.is_authenticated and request.user.pk != payload.get("u"):
        return _message(
            request,
            page,
            _("Log ind med den rigtige konto"),
            _("Svarene blev gemt af en anden konto. Log ind med den konto, du gemte dem med."),
            status=403,
        )
    participation, refusal = _participation(request, page, invite or None)
    if refusal is not None:
        if participation is None and invite and SurveyParticipation.for_token(page, invite) is not None:
            delete_draft(page, draft)  # answered already: the draft can never be sent
        return refusal
    request.survey_draft = draft
    survey = page.questionnaire
    answers = survey.visible_answers(payload["a"])
    action_url = participation.link_path if invite and participation is not None else page.url
    index = payload.get("s") if isinstance(payload.get("s"), int) else 0
    return _section(request, page, index, answers, action_url=action_url)


def email_draft(request, page):
    """Send the resume link to the address typed on the »saved« page. The address is not stored."""
    if request.method != "POST":
        return redirect(page.url)
    form = DraftEmailForm(request.POST)
    draft = request.POST.get(DRAFT_FIELD, "")[:100]
    if load_draft(page, draft) is None:
        return _draft_gone(request, page)
    if not form.is_valid():
        return _saved_page(request, page, draft, form, status=400)
    if is_ratelimited(request, group="consultations.survey.email", key="ip", rate="10/h", increment=True):
        form.add_error(None, _("Der er bedt om for mange links fra din forbindelse. Prøv igen senere."))
        return _saved_page(request, page, draft, form, status=429)
    message = SurveyResumeEmail(
        page,
        email=form.cleaned_data["email"].strip(),
        link=_resume_url(request, page, draft),
        language=request.LANGUAGE_CODE,
    )
    try:
        message.dispatch()
    except (OSError, smtplib.SMTPException):
        form.add_error(None, _("Linket kunne ikke sendes lige nu. Kopiér linket herover, eller prøv igen om lidt."))
        return _saved_page(request, page, draft, form, status=503)
    return _saved_page(request, page, draft, DraftEmailForm(initial={DRAFT_FIELD: draft}), sent=True)


def thanks(request, page):
    if request.session.get(THANKS_SESSION_KEY) != page.pk:
        return redirect(page.url)
    return render_survey(request, page, "consultations/survey_thanks.html")


def email_access(request, page):
    """»Anyone with a confirmed email«: the visitor gives an address and gets a personal link."""
    form = EmailAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_ratelimited(request, group="consultations.survey.email", key="ip", rate="10/h", increment=True):
            form.add_error(None, _("Der er bedt om for mange links fra din forbindelse. Prøv igen senere."))
            return render_survey(request, page, intro_only=True, email_form=form, status=429)
        email = form.cleaned_data["email"].strip().lower()
        participation, _created = SurveyParticipation.objects.get_or_create(
            survey=page, email=email, defaults={"kind": ParticipationKind.EMAIL, "language": request.LANGUAGE_CODE}
        )
        if not participation.answered:
            SurveyAccessEmail.send(participation)
        # The same answer whether or not the address has answered: nothing about others is revealed.
        return _message(
            request,
            page,
            _("Tjek din e-mail"),
            _(
                "Vi har sendt et personligt link til undersøgelsen til den adresse, du skrev. "
                "Linket kan bruges én gang."
            ),
        )
    return render_survey(request, page, intro_only=True, email_form=form, status=400 if form.is_bound else 200)


def public_results(request, page):
    if not page.results_are_public:
        raise Http404
    flt = filter_from_request(page, request.GET)
    results = compute_results(page, flt)
    runs = [run for run in runs_of(page) if run.results_are_public]
    return render_survey(
        request,
        page,
        "consultations/survey_results.html",
        results=results,
        runs=runs,
        compared=compare_runs(runs) if len(runs) > 1 else [],
        breadcrumbs=[{"title": page.title, "url": page.url}, {"title": _("Resultater")}],
    )
