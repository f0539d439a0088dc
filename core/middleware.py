"""Refuse input no page can use before any view sees it (issue 10: these gave HTTP 500).

* A NUL character in the path, the query string or a form field (``%00``): PostgreSQL cannot store
  it, and several views crashed on it.
* A form body declared in a charset that is not ASCII-compatible (``charset=utf-16``): Django would
  decode the form with it and fail.

Both get the site's 400 page (core.views.bad_request), never a 500.
"""

import codecs

from django.core.exceptions import BadRequest

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _ascii_compatible(charset):
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        return False
    try:
        return "a=1&b".encode(codec.name) == b"a=1&b"
    except (UnicodeError, ValueError):
        return False


class RefuseMalformedInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or "%00" in request.META.get("QUERY_STRING", "")
            or "\x00" in "".join(f"{key}{value}" for key, values in request.GET.lists() for value in values)
        ):
            raise BadRequest("NUL in the address")
        if request.method == "POST" and request.content_type in FORM_TYPES:
            charset = request.content_params.get("charset")
            if charset and not _ascii_compatible(charset):
                raise BadRequest("form body in a charset that is not ASCII-compatible")
            try:
                fields = request.POST
            except UnicodeDecodeError as error:
                raise BadRequest("form body that cannot be decoded") from error
            if any("\x00" in key or "\x00" in value for key, values in fields.lists() for value in values):
                raise BadRequest("NUL in a form field")
        return self.get_response(request)
