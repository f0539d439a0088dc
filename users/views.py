from urllib.parse import urlencode

from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from requests import RequestException

from core.views import ratelimited

from . import mitid
from .adapters import MitIDOAuth2Adapter
from .my_page import my_page_sections


@login_required
def my_page(request):
    return render(
        request,
        "users/my_page.html",
        {
            "sections": my_page_sections(request),
            "mitid": mitid.account_summary(request.user),
            "breadcrumbs": [{"title": _("Min side")}],
        },
    )


def admin_login(request):
    """Wagtail's own login form would skip the second factor, so the admin logs in through allauth."""
    query = urlencode({"next": request.GET.get("next") or "/admin/"})
    return redirect(f"{reverse('account_login')}?{query}")


def _mitid_view(view_class, request, provider_id):
    """allauth's OAuth2 view with the MitID adapter (a refused login answers 401 as allauth does; no broker: 503)."""
    if not mitid.is_configured():
        raise Http404
    # Each login start and callback makes the server call the broker: bounded per client address.
    if (request.method == "POST" or view_class is OAuth2CallbackView) and is_ratelimited(
        request, group="users.mitid", key="ip", rate=settings.MITID_LOGIN_RATE, increment=True
    ):
        return ratelimited(request)
    adapter = MitIDOAuth2Adapter(request, provider_id)
    try:
        response = view_class.adapter_view(adapter)(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error
    except RequestException as error:  # the discovery document could not be fetched
        response = render_authentication_error(request, adapter.get_provider(), exception=error)
        response.status_code = 503
        return response
    return response


def mitid_login(request, provider_id):
    return _mitid_view(OAuth2LoginView, request, provider_id)


def mitid_callback(request, provider_id):
    return _mitid_view(OAuth2CallbackView, request, provider_id)
