"""Public views of the consultations app. Thin: logic lives on models, forms and querysets."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from core.storage import private_file_response
from core.text import email_limit_key

from .emails import ResponseReceiptEmail, SubscriptionConfirmEmail
from .forms import SubscriptionForm
from .models import SENT_SESSION_KEY, HearingIndexPage, Response, ResponseAttachment, Subscription
from .permissions import can_download_attachment


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
            by_ip = is_ratelimited(
                request, group="consultations.subscribe", key="ip", rate=settings.HEARING_SUBSCRIBE_RATE, increment=True
            )
            # Each subscription mails a confirmation link: a limit per mailbox (plus-addressing and case
            # count as one address), so nobody can flood another person's inbox from many connections.
            by_email = is_ratelimited(
                request,
                group="consultations.subscribe.email",
                key=lambda group, req: email_limit_key(form.cleaned_data["email"]),
                rate=settings.HEARING_SUBSCRIBE_RATE_EMAIL,
                increment=True,
            )
            if by_ip:
                form.add_error(None, _("Der er oprettet for mange abonnementer fra din forbindelse. Prøv igen senere."))
            elif by_email:
                form.add_error(
                    "email", _("Der er oprettet for mange abonnementer til denne e-mailadresse. Prøv igen senere.")
                )
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


def _unsubscribed(request, deleted):
    return render(
        request,
        "consultations/unsubscribed.html",
        {"deleted": deleted, "breadcrumbs": _subscription_crumbs(_("Afmeldt"))},
        status=200 if deleted else 404,
    )


@csrf_protect
def _unsubscribe_by_button(request, subscription):
    """The confirm page's button: an ordinary form, CSRF-checked like every other."""
    return _unsubscribed(request, bool(subscription and subscription.delete()[0]))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The unsubscribe link in every subscriber email.

    GET only asks (a link scanner or a mail client's prefetch must not unsubscribe anyone); the
    page's button POSTs with a CSRF token. A mail client's RFC 8058 one-click POST (body
    ``List-Unsubscribe=One-Click``) cannot carry one: for that request alone the secret token in the
    address is the authentication, so this view is CSRF-exempt and checks the button's POST itself."""
    subscription = Subscription.objects.filter(token=token).first()
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") == "One-Click":
            if subscription:
                subscription.delete()
            return HttpResponse(status=204 if subscription else 404)
        return _unsubscribe_by_button(request, subscription)
    if subscription is None:
        return _unsubscribed(request, False)
    return render(
        request,
        "consultations/unsubscribe_confirm.html",
        {"subscription": subscription, "breadcrumbs": _subscription_crumbs(_("Afmeld abonnement"))},
    )
