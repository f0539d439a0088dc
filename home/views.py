from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
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
