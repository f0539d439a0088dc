"""»Answered from this browser«: a signed cookie, for what anyone may answer once per browser (a
survey open to anyone, a quick poll). The mark holds no answer and no id of a person; names start
with ``survey-``. Reading a mark tells the page cache the page depends on it (``core.cache.reads_cookie``):
a browser that carries it gets that page rendered for it (with »you have answered« or the results),
and every other page – one without that poll or survey – from the cache like any visitor. Read marks
only through ``has_mark``, or the page cache would not know."""

from .cache import reads_cookie

MARK_DAYS = 400  # browsers cap cookies at 400 days


def has_mark(request, name, salt):
    if request is None:
        return False
    reads_cookie(request, name)
    return request.get_signed_cookie(name, default=None, salt=salt) == "1"


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
