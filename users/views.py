from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .my_page import my_page_sections


@login_required
def my_page(request):
    return render(
        request,
        "users/my_page.html",
        {"sections": my_page_sections(request), "breadcrumbs": [{"title": _("Min side")}]},
    )


def admin_login(request):
    """Wagtail's own login form would skip the second factor, so the admin logs in through allauth."""
    query = urlencode({"next": request.GET.get("next") or "/admin/"})
    return redirect(f"{reverse('account_login')}?{query}")
