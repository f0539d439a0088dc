"""Public views of the consultations app. Thin: logic lives on models, forms and querysets."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from core.cache import site_cached, unique_per_visitor
from core.storage import private_file_response
from users import mitid

from .decisions import timeline
from .emails import ResponseConfirmationEmail, ResponseReceiptEmail, SubscriptionConfirmEmail
from .forms import ResponseForm, SubscriptionForm
from .models import HearingStatus, Response, ResponseAttachment, Subscription
from .permissions import can_download_attachment
from .sections import SectionComment, draft_chapters

RESPONSES_PER_PAGE = 20
SENT_SESSION_KEY = "consultations_response_sent"


# --- Hearing page ------------------------------------------------------------------------


def hearing_page_context(hearing, request, form=None, **extra):
    """Everything the hearing page shows; a constant number of queries whatever the responses."""
    context = {
        "documents": list(hearing.documents.select_related("document")),
        "topics": list(hearing.topics.all()),
        "issuing_body": hearing.issuing_body_name,
        "status": hearing.status,
        "HearingStatus": HearingStatus,
        "index_url": _index_url(),
        "timeline": timeline(hearing),
    }
    if hearing.is_open:
        if form is None:
            initial = {}
            if request.user.is_authenticated:
                initial = {"email": request.user.email, "name": request.user.get_full_name()}
            form = ResponseForm(hearing=hearing, initial=initial, selected_sections=request.GET.getlist("afsnit"))
            # One submission key per visitor, also when the page comes from the page cache.
            unique_per_visitor(request, form.initial["submission_key"])
        context["form"] = form
    elif form is not None:
        context["late_form"] = form
    context["draft_chapters"] = _draft_with_public_comments(hearing)
    if hearing.responses_are_public:
        responses = hearing.public_responses().for_public_list()
        page = Paginator(responses, RESPONSES_PER_PAGE).get_page(request.GET.get("svar-side"))
        context["responses"] = page
    if hearing.is_concluded:
        context["consulted_parties"] = hearing.consulted_parties()
    context.update(extra)
    return context


def _draft_with_public_comments(hearing):
    """The numbered draft; under each section the published comments on it (when responses are public)."""
    chapters = draft_chapters(hearing.draft)
    if not chapters or not hearing.responses_are_public:
        return chapters
    by_id = {section.id: section for chapter in chapters for section in chapter.sections}
    comments = (
        SectionComment.objects.filter(response__in=hearing.public_responses(), section_id__in=list(by_id), text__gt="")
        .select_related("response", "response__party")
        .order_by("response__confirmed_at", "pk")
    )
    for comment in comments:
        by_id[comment.section_id].comments.append(comment)
    return chapters


def _index_url():
    return site_cached("hearing_index_url", _first_index_url)


def _first_index_url():
    from .models import HearingIndexPage

    index = HearingIndexPage.objects.live().first()
    return index.url if index else "/"


def render_hearing(request, hearing, form, status=200, **extra):
    context = hearing.get_context(request, form=form, **extra)
    return TemplateResponse(request, hearing.get_template(request), context, status=status)


def _rate_limited(request, email):
    by_ip = is_ratelimited(
        request, group="consultations.response.ip", key="ip", rate=settings.HEARING_RESPONSE_RATE_IP, increment=True
    )
    by_email = is_ratelimited(
        request,
        group="consultations.response.email",
        key=lambda group, req: email,
        rate=settings.HEARING_RESPONSE_RATE_EMAIL,
        increment=True,
    )
    return by_ip or by_email


def submit_response(request, hearing):
    """POST to a hearing page: validate, store once, email the confirmation link."""
    form = ResponseForm(request.POST, request.FILES, hearing=hearing)
    if form.is_spam:
        request.session[SENT_SESSION_KEY] = {"hearing": hearing.title, "url": hearing.url, "confirmed": False}
        return redirect("consultations:response_sent")
    if not hearing.is_open:
        form.is_valid()
        return render_hearing(request, hearing, form, status=400, submitted_after_deadline=True)
    if not form.is_valid():
        return render_hearing(request, hearing, form, files_dropped=form.has_uploaded_files)
    existing = Response.objects.filter(submission_key=form.cleaned_data["submission_key"]).first()
    if existing is None and _rate_limited(request, form.cleaned_data["email"]):
        form.add_error(
            None,
            _("Der er sendt for mange høringssvar på kort tid fra din forbindelse eller e-mail. Prøv igen senere."),
        )
        return render_hearing(request, hearing, form, status=429, files_dropped=form.has_uploaded_files)
    response, created = form.save(user=request.user, mitid_level=mitid.session_level(request))
    if created:
        if response.status == Response.Status.PENDING:
            ResponseConfirmationEmail.send(response)
        else:
            ResponseReceiptEmail.send(response)
    request.session[SENT_SESSION_KEY] = {
        "hearing": hearing.title,
        "url": hearing.url,
        "confirmed": response.status != Response.Status.PENDING,
    }
    return redirect("consultations:response_sent")


def response_sent(request):
    sent = request.session.get(SENT_SESSION_KEY)
    if not sent:
        return redirect("/")
    return render(
        request,
        "consultations/response_sent.html",
        {"sent": sent, "breadcrumbs": [{"title": sent["hearing"], "url": sent["url"]}, {"title": _("Svar sendt")}]},
    )


@require_http_methods(["GET", "POST"])
def confirm_response(request, token):
    """The link in the confirmation email. GET shows a button (link scanners must not confirm); POST confirms."""
    response = Response.for_token(token)
    if response is None or response.personal_data_erased_at:
        return render(
            request,
            "consultations/response_confirm.html",
            {"invalid": True, "breadcrumbs": [{"title": _("Bekræft høringssvar")}]},
            status=404,
        )
    confirmed_now = False
    if request.method == "POST":
        confirmed_now = response.confirm()
        if confirmed_now:
            ResponseReceiptEmail.send(response)
    return render(
        request,
        "consultations/response_confirm.html",
        {
            "response": response,
            "hearing": response.hearing,
            "confirmed_now": confirmed_now,
            "breadcrumbs": [
                {"title": response.hearing.title, "url": response.hearing.url},
                {"title": _("Bekræft høringssvar")},
            ],
        },
    )


def attachment(request, token):
    """Serve a response attachment from private storage, after checking who may see it.

    The address carries the attachment's random token, never its sequential id; the download goes
    out under the extension of the detected type."""
    item = get_object_or_404(ResponseAttachment.objects.select_related("response__hearing"), token=token)
    if not can_download_attachment(request, item):
        raise Http404
    return private_file_response(item.file, item.download_name, item.content_type)


# --- Subscriptions -----------------------------------------------------------------------


def _subscription_crumbs(title):
    from .models import HearingIndexPage

    index = HearingIndexPage.objects.live().first()
    crumbs = [{"title": index.title, "url": index.url}] if index else []
    return [*crumbs, {"title": title}]


def subscribe(request):
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_spam:
            return render(
                request, "consultations/subscription_pending.html", {"breadcrumbs": _subscription_crumbs(_("Abonnér"))}
            )
        if form.is_valid():
            if is_ratelimited(
                request, group="consultations.subscribe", key="ip", rate=settings.HEARING_SUBSCRIBE_RATE, increment=True
            ):
                form.add_error(None, _("Der er oprettet for mange abonnementer fra din forbindelse. Prøv igen senere."))
            else:
                subscription = form.save(user=request.user)
                if subscription.confirmed_at:
                    messages.success(request, _("Dit abonnement er oprettet."))
                    return redirect("users:my_page")
                SubscriptionConfirmEmail.send(subscription)
                return render(
                    request,
                    "consultations/subscription_pending.html",
                    {"breadcrumbs": _subscription_crumbs(_("Abonnér"))},
                )
    return render(
        request,
        "consultations/subscribe.html",
        {"form": form, "breadcrumbs": _subscription_crumbs(_("Abonnér på nye høringer"))},
    )


@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None:
        raise Http404
    if request.method == "POST":
        subscription.confirm()
    return render(
        request,
        "consultations/subscription_confirm.html",
        {"subscription": subscription, "breadcrumbs": _subscription_crumbs(_("Bekræft abonnement"))},
    )


def subscription_manage(request, token):
    subscription = get_object_or_404(Subscription, token=token)
    return render(
        request,
        "consultations/subscription_manage.html",
        {"subscription": subscription, "breadcrumbs": _subscription_crumbs(_("Dit abonnement"))},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click from any email: the secret token is the proof. POST serves RFC 8058 mail clients."""
    deleted, _rows = Subscription.objects.filter(token=token).delete()
    if request.method == "POST" and "List-Unsubscribe" in request.POST:
        return HttpResponse(status=204)
    return render(
        request,
        "consultations/unsubscribed.html",
        {"deleted": bool(deleted), "breadcrumbs": _subscription_crumbs(_("Afmeldt"))},
    )
