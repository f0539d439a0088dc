from django.conf import settings
from django.shortcuts import render
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
