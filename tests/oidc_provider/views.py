"""The provider's own pages: a stand-in for the MitID dialogue, and the tests' control endpoint."""

import json

from django.contrib.auth import get_user_model, login
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model

from . import state


@csrf_exempt
def login_view(request):
    """Who is logging in: a username from the identities the tests configured."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        if username in state.identities:
            user, _ = get_user_model().objects.get_or_create(username=username)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url)
        error = "Ukendt testbruger."
    return render(request, "oidc_provider/login.html", {"next": next_url, "error": error})


@csrf_exempt
def configure(request):
    """POST JSON with any of: mode, identities (merged), redirect_uris (replace the client's)."""
    if request.method != "POST":
        return HttpResponseBadRequest("POST JSON")
    data = json.loads(request.body or b"{}")
    if "mode" in data:
        if data["mode"] not in state.MODES:
            return HttpResponseBadRequest("unknown mode")
        state.mode = data["mode"]
    state.identities.update(data.get("identities", {}))
    if "redirect_uris" in data:
        application = get_application_model().objects.get()
        application.redirect_uris = " ".join(data["redirect_uris"])
        application.save(update_fields=["redirect_uris"])
    return JsonResponse({"mode": state.mode, "identities": sorted(state.identities)})
