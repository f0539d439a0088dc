"""The site's URLs plus the bare baseline view the page benchmarks compare against."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

BODY_BYTES = {}


def bare(request, size):
    """One query and a body of `size` bytes: what Django, gunicorn and PostgreSQL cost at the least."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    body = BODY_BYTES.get(size)
    if body is None:
        body = BODY_BYTES[size] = b"x" * size
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/<int:size>/", bare), *site_urlpatterns]
