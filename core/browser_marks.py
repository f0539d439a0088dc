"""»Answered from this browser«: a signed cookie, for what anyone may answer once per browser (a
survey open to anyone, a quick poll). The mark holds no answer and no id of a person; names start
with ``survey-``, a page-cache personal cookie (``PAGE_CACHE_PERSONAL_COOKIES``), so a browser that
has answered gets its pages rendered for it (with »you have answered« or the results)."""

MARK_DAYS = 400  # browsers cap cookies at 400 days


def has_mark(request, name, salt):
    return request is not None and request.get_signed_cookie(name, default=None, salt=salt) == "1"


def set_mark(response, request, name, salt):
    response.set_signed_cookie(
        name,
        "1",
        salt=salt,
        max_age=60 * 60 * 24 * MARK_DAYS,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
