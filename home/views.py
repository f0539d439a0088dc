from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from wagtail.models import Page


def search(request):
    query = request.GET.get("q", "").strip()
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page = Paginator(results, 10).get_page(request.GET.get("side"))
    return render(
        request,
        "home/search.html",
        {
            "query": query,
            "results": page,
            "breadcrumbs": [{"title": _("Søg")}],
        },
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """A self-contained page: no context processors, so it renders even when the database is down."""
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    """A form sent without its security token (settings.CSRF_FAILURE_VIEW): a stale page, a page kept
    open since before a login, or a browser that refuses this site's cookies. The visitor gets the
    site's own page in their language, saying that nothing was sent and what to do, with a way back
    to the page (a path on this site only) instead of Django's bare »Forbudt (403)«."""
    back = request.path
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = "/"
    return render(request, "403_csrf.html", {"back": back}, status=403)
