"""Page content in the reader's language: a translation overlay on the single Danish page tree.

The site has one page tree (Danish) and URLs without a language prefix, so a translation is not a
second page but a :class:`core.models.PageTranslation` row per page and language holding the
translated texts. A page type opts in with :class:`TranslatablePageMixin` and names its fields in
``translatable_fields``; every text and rich-text block of a StreamField in that list is a
*segment* with a stable path (``body/<block id>`` or ``body/<block id>/heading``).

When the reader's language has a published translation that covers every segment of the live
Danish page with the same Danish source, the page is served as an unsaved copy with the translated
values (for rendering only: saving the copy is refused). Otherwise the Danish page is served with
a short note in the reader's language that it is not translated yet. A translation whose Danish
source has changed since is therefore never shown half-translated: the admin lists it as out of
date until a new file is imported and published.
"""

import copy
from dataclasses import dataclass

from django.db import models
from django.utils import translation
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from core import languages

from .models import PageTranslation

TEXT = "text"
RICH = "rich"


@dataclass(frozen=True)
class Segment:
    path: str  # stable: field name, block ids and child names
    source: str  # the Danish text as stored (rich text in Wagtail's database HTML)
    kind: str  # TEXT or RICH
    label: str  # for the translator: where on the page the text is
    max_length: int | None = None
    single_line: bool = False


def _block_segments(block, value, path, label, skip=()):
    if value in (None, ""):
        return
    if isinstance(block, blocks.RichTextBlock):
        source = value.source if hasattr(value, "source") else str(value)
        if source.strip():
            yield Segment(path, source, RICH, label)
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        if str(value).strip():
            max_length = block.field.max_length
            yield Segment(path, str(value), TEXT, label, max_length, isinstance(block, blocks.CharBlock))
    elif isinstance(block, blocks.StreamBlock):
        for number, item in enumerate(value, start=1):
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                yield from _block_segments(
                    child, item.get("value"), f"{path}/{item['id']}", f"{label} › {child.label} {number}", skip
                )
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            if name not in skip:
                value_of = (value or {}).get(name)
                yield from _block_segments(child, value_of, f"{path}/{name}", f"{label} › {child.label}", skip)
    elif isinstance(block, blocks.ListBlock):
        for number, item in enumerate(value, start=1):
            if isinstance(item, dict) and "id" in item:
                yield from _block_segments(
                    block.child_block, item.get("value"), f"{path}/{item['id']}", f"{label} {number}", skip
                )


def _stream_data(page, field):
    return field.stream_block.get_prep_value(getattr(page, field.name))


def segments(page):
    """Every translatable text of ``page`` (its current field values), in page order."""
    found = []
    for name in page.translatable_fields:
        field = page._meta.get_field(name)
        label = str(field.verbose_name)
        value = getattr(page, name)
        if isinstance(field, StreamField):
            skip = page.untranslated_block_names
            found += _block_segments(field.stream_block, _stream_data(page, field), name, label, skip)
        elif value and str(value).strip():
            kind = RICH if isinstance(field, RichTextField) else TEXT
            single = isinstance(field, models.CharField)
            found.append(Segment(name, str(value), kind, label, getattr(field, "max_length", None), single))
    return found


def _replace(block, value, path, texts):
    """``value`` (raw stream data) with the translated texts put in at their paths."""
    if isinstance(block, (blocks.RichTextBlock, blocks.CharBlock, blocks.TextBlock)):
        return texts.get(path, value)
    if isinstance(block, blocks.StreamBlock):
        result = []
        for item in value or []:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                item = {**item, "value": _replace(child, item.get("value"), f"{path}/{item['id']}", texts)}
            result.append(item)
        return result
    if isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        return {
            name: _replace(block.child_blocks[name], child_value, f"{path}/{name}", texts)
            if name in block.child_blocks
            else child_value
            for name, child_value in value.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [
            {**item, "value": _replace(block.child_block, item.get("value"), f"{path}/{item['id']}", texts)}
            if isinstance(item, dict) and "id" in item
            else item
            for item in value or []
        ]
    return value


def coverage(page, entries):
    """(translated, total, changed): how many segments ``entries`` translate with today's Danish
    source, how many there are, and the paths whose Danish source changed since (or are new)."""
    current = segments(page)
    ok = [s for s in current if (entries.get(s.path) or {}).get("source") == s.source and entries[s.path].get("text")]
    changed = [s.path for s in current if s.path in entries and entries[s.path].get("source") != s.source]
    return len(ok), len(current), changed


def is_complete(page, entries):
    translated, total, _changed = coverage(page, entries)
    return total > 0 and translated == total


def overlaid(page, translation_row):
    """An unsaved copy of ``page`` showing the published translation (``page`` itself unchanged)."""
    texts = {path: entry["text"] for path, entry in translation_row.published_entries.items()}
    result = copy.copy(page)
    for name in page.translatable_fields:
        field = page._meta.get_field(name)
        if isinstance(field, StreamField):
            setattr(result, name, _replace(field.stream_block, _stream_data(page, field), name, texts))
        elif name in texts:
            setattr(result, name, texts[name])
    for name in page.overlay_uncached:  # values computed from the Danish fields, copied with them
        result.__dict__.pop(name, None)
    result.content_language = translation_row.language
    result.content_translation = translation_row
    result.content_source = page
    return result


def published_translation(page, language):
    """The published translation of ``page`` into ``language`` that fits its live Danish text, or None."""
    if language == "da":
        return None
    row = PageTranslation.objects.filter(page_id=page.pk, language=language, published_at__isnull=False).first()
    if row is None or not is_complete(page, row.published_entries):
        return None
    return row


def in_language(pages, language=None):
    """``pages`` as a reader of ``language`` (default: the current one) sees them in a listing, a
    breadcrumb or a feed: each page that reader would be served translated (its published
    translation covers the live Danish text, as ``TranslatablePageMixin.route`` requires) becomes
    its overlaid copy; every other page stays as it is, Danish (``content_lang`` marks it so).

    One query for the translations of all the listed pages, whatever their number; plus, only when
    some of them are plain ``Page`` objects (ancestors) with a translation, one query per page type
    to read their texts.
    """
    pages = list(pages)
    code = languages.get(language or translation.get_language()).code
    if code == "da" or not pages:
        return pages
    rows = {
        row.page_id: row
        for row in PageTranslation.objects.filter(
            page_id__in={page.pk for page in pages}, language=code, published_at__isnull=False
        ).defer("entries")
    }
    if not rows:
        return pages
    plain = [page.pk for page in pages if page.pk in rows and not isinstance(page, TranslatablePageMixin)]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=plain).specific()} if plain else {}
    result = []
    for page in pages:
        row = rows.get(page.pk)
        full = page if isinstance(page, TranslatablePageMixin) else specific.get(page.pk)
        fits = row is not None and isinstance(full, TranslatablePageMixin) and full.content_translation is None
        if fits and is_complete(full, row.published_entries):
            page = overlaid(full, row)
        result.append(page)
    return result


class OverlayNotSaved(Exception):
    """A page shown in a translation is a copy for rendering; it must never be written back."""


class TranslatablePageMixin:
    """For Wagtail pages whose content editors translate (core.translated_pages). Put it before
    ``Page`` in the bases and list the fields in ``translatable_fields``."""

    translatable_fields = ("title", "seo_title", "search_description")
    #: Names of StreamField struct children that are not text for readers (keys, references to
    #: other blocks): never segments, always as in Danish.
    untranslated_block_names = ()
    #: Cached properties computed from the translated fields, dropped from the overlay's copy.
    overlay_uncached = ()
    content_language = "da"
    content_translation = None
    content_source = None  # the Danish page, on an overlay

    def route(self, request, path_components):
        result = super().route(request, path_components)
        if result[0] is not self:
            return result
        language = languages.get(translation.get_language()).code
        row = published_translation(self, language)
        if row is None:
            return result
        copy_ = overlaid(self, row)
        args = result[1]
        if args and getattr(args[0], "__self__", None) is self:  # a RoutablePageMixin route: its view
            args = (getattr(copy_, args[0].__name__), *args[1:])  # is a method, bound to the copy now
        return RouteResult(copy_, args=args, kwargs=result[2])

    def save(self, *args, **kwargs):
        if self.content_translation is not None:
            raise OverlayNotSaved(f"page {self.pk} shown in {self.content_language} is a copy for rendering")
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["content_translation"] = self.translation_note(request)
        return context

    def translation_note(self, request):
        """What the note above the content says (site/templates/includes/content_translation_note.html),
        or None for a Danish reader and in the admin; views that render the page themselves put it in
        their context as ``content_translation``."""
        language = languages.get(translation.get_language())
        if request.path.startswith("/admin/") or language.code == "da":
            return None
        if self.content_translation is not None:
            return {
                "state": "translated",
                "reviewed": self.content_translation.published_reviewed,
                "language": language,
            }
        return {"state": "missing", "reviewed": False, "language": language}
