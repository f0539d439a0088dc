"""Wagtail hooks of the bottom layer."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import admin_translations
from .admin_buttons import register_page_button
from .cache import cache_public, is_public_route, looked_up, page_timeout
from .log_actions import register_log_actions
from .permissions import can_edit_page
from .translated_pages import TranslatablePageMixin


@hooks.register("before_serve_page")
def page_cache_for_public_pages(page, request, serve_args, serve_kwargs):
    """A page without view restrictions is the same for every anonymous visitor: the page cache may
    keep it (core.cache; only GET without a session is ever looked up or stored). Requests the cache
    does not look up (signed-in visitors, POST) skip the view-restriction queries and the timeout."""
    if not looked_up(request):
        return
    restrictions = list(page.get_view_restrictions())
    # Wagtail's own check (check_view_restrictions, after this hook) asks the page again: it gets
    # this answer instead of the same two queries once more.
    page.get_view_restrictions = lambda: restrictions
    if restrictions:
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


@hooks.register("register_admin_urls")
def translation_urls():
    views = admin_translations
    return [
        path("oversaettelser/<int:pk>/", views.translations, name="core_translations"),
        path("oversaettelser/<int:pk>/<str:code>/", views.translation_language, name="core_translation_language"),
        path("oversaettelser/<int:pk>/<str:code>/fil.po", views.download, name="core_translation_download"),
        path("oversaettelser/<int:pk>/<str:code>/upload/", views.upload, name="core_translation_upload"),
        path("oversaettelser/<int:pk>/<str:code>/gennemgang/", views.review, name="core_translation_review"),
        path("oversaettelser/<int:pk>/<str:code>/offentliggoer/", views.publish, name="core_translation_publish"),
        path("oversaettelser/<int:pk>/<str:code>/tilbagetraek/", views.unpublish, name="core_translation_unpublish"),
    ]


TRANSLATION_ACTIONS = {
    "core.translation_uploaded": (_("Oversættelse uploadet"), _("Oversættelsesfil uploadet")),
    "core.translation_reviewed": (_("Oversættelse gennemgået"), _("Gennemgang af oversættelse registreret")),
    "core.translation_published": (_("Oversættelse offentliggjort"), _("Oversættelse offentliggjort")),
    "core.translation_unpublished": (_("Oversættelse trukket tilbage"), _("Oversættelse trukket tilbage")),
}


register_log_actions(TRANSLATION_ACTIONS)


register_page_button(TranslatablePageMixin, _("Oversættelser"), "core_translations", can_edit_page, icon_name="site")
