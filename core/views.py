from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.static import serve


def ratelimited(request, exception=None):
    """The page for a request refused by a rate limit (django-ratelimit's RATELIMIT_VIEW)."""
    return render(request, "429.html", status=429)


def public_media(request, path):
    """Public images from MEDIA_ROOT on local disk (read at each request; see config/urls.py)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def bad_request(request, exception=None):
    """The site's 400 page: the address or form held something no page can read (core.middleware)."""
    return render(request, "400.html", status=400)


def favicon(request):
    """/favicon.ico, asked for by browsers and feed readers without a page naming it: the site's icon
    among the static files. Not the 404 page: that renders the whole layout and renews the CSRF
    cookie, so a browser's icon request still in flight when a visitor's cookies are cleared would
    put the old cookie back."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
