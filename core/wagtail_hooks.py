"""Wagtail hooks of the bottom layer."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .cache import cache_public, is_public_route, looked_up, page_timeout


@hooks.register("before_serve_page")
def page_cache_for_public_pages(page, request, serve_args, serve_kwargs):
    """A page without view restrictions is the same for every anonymous visitor: the page cache may
    keep it (core.cache; only GET without a session is ever looked up or stored). Requests the cache
    does not look up (signed-in visitors, POST) skip the view-restriction queries and the timeout."""
    if not looked_up(request) or page.get_view_restrictions():
        return
    # Of a routable page only its index route and the routes marked public (core.cache.public_route):
    # others may be personal (a survey's invitation link).
    if serve_args and not is_public_route(serve_args[0]):
        return
    cache_public(request, page_timeout(page))


@hooks.register("insert_global_admin_js")
def admin_field_names():
    """Names the text box of Wagtail's tag field by the field's label (site/static/js/admin-field-names.js)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-field-names.js"))
