"""Mixed directions: Danish page content and names inside a page in another language.

{% load languages %}
<h1{{ page|content_lang }}>{{ page.title }}</h1>   →  <h1 lang="da" dir="ltr"> when the reader reads Arabic
<a href="…">{{ hearing.title|bdi }}</a>           →  <bdi>Integrationspolitik 2027–2030</bdi>

``content_lang`` marks text written in the page's own language (its Wagtail locale, Danish until
translated) when the interface is in another language, so screen readers pronounce it as Danish and
a Danish paragraph inside a right-to-left page keeps its own direction and punctuation. ``bdi``
isolates a name or title (user content of unknown direction) inside translated text.

Listings show each page in the reader's language where it has a published translation
(core.translated_pages.in_language, one query for the whole list):

{% in_reader_language hearings as listed %}{% for hearing in listed %}
<a href="…"{{ hearing|content_lang }}>{{ hearing.title }}</a>   →  Turkish title, or lang="da" on the Danish one
"""

from django import template
from django.utils import translation
from django.utils.html import format_html
from wagtail.models import Locale

from core import languages
from core.translated_pages import in_language

register = template.Library()


#: Wagtail locale id -> language code. Locales are few and never change code, so the rows are read
#: once (again when an unknown id appears) instead of once per listed page.
_LOCALE_CODES = {}


def page_language(page):
    if getattr(page, "content_translation", None) is not None:  # shown in a translation (core.translated_pages)
        return page.content_language
    locale_id = getattr(page, "locale_id", None)
    if locale_id is None:
        return "da"
    if locale_id not in _LOCALE_CODES:
        _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return _LOCALE_CODES.get(locale_id) or "da"


@register.filter
def content_lang(page):
    code = page_language(page)
    if languages.get(translation.get_language()).code == languages.get(code).code:
        return ""
    return format_html(' lang="{}" dir="{}"', code, languages.get(code).direction)


@register.filter
def bdi(value):
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def in_reader_language(pages):
    """The listed pages as the reader sees them: translated where published (core.translated_pages)."""
    return in_language(pages)
