"""The consultations section of "Min side": the person's responses and subscriptions."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Response, Subscription


def my_page_section(request):
    user = request.user
    if not user.is_authenticated:
        return None
    responses = list(
        Response.objects.filter(user=user, personal_data_erased_at__isnull=True)
        .select_related("hearing")
        .prefetch_related("attachments")
        .order_by("-created_at")
    )
    verified = user.has_verified_email
    subscriptions = Subscription.objects.filter(
        Q(user=user) | Q(email__iexact=user.email) if verified else Q(user=user)
    )
    subscriptions = list(subscriptions.prefetch_related("topics", "councils").order_by("-created_at"))
    return {
        "title": _("Høringer"),
        "template": "consultations/my_page_section.html",
        "responses": responses,
        "subscriptions": subscriptions,
    }
