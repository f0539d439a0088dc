"""»Oversættelser« in the admin: a page's content in each language (core.translated_pages).

Whoever may edit a page may download its translation file, upload the translated file and record
a native speaker's review; publishing or withdrawing a translation takes the right to publish the
page. Others get 404, as for every page-bound admin screen.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.log_actions import log
from wagtail.models import Page

from core import languages

from .cache import is_public_route, page_purge_urls, purge_on_commit
from .models import PageTranslation
from .permissions import can_edit_page, can_publish_page
from .translated_pages import TranslatablePageMixin, coverage, segments
from .translation_files import TranslationFileError, export_file, read_translation_file


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Oversættelsesfil (PO)"))


class ReviewForm(forms.Form):
    reviewed = forms.BooleanField(label=gettext_lazy("Gennemgået af en, der har sproget som modersmål"), required=False)
    reviewer_name = forms.CharField(
        label=gettext_lazy("Navn på den, der har gennemgået"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("reviewed") and not (data.get("reviewer_name") or "").strip():
            self.add_error("reviewer_name", _("Skriv navnet på den, der har gennemgået oversættelsen."))
        return data


def _public_routes(page):
    """The addresses of a routable page's public routes without parameters (a survey's results)."""
    if not isinstance(page, RoutablePageMixin) or not page.url:
        return []
    return [
        page.url + page.reverse_subpage(pattern.name).lstrip("/")
        for pattern in page.get_subpage_urls()
        if is_public_route(pattern.callback) and not getattr(pattern.pattern, "converters", {"": None})
    ]


def purge_translated(page):
    """Purge what shows the page's texts in any language: the page and its public routes, the pages
    that list it (``page_purge_urls``: its ancestors, feeds, a council elsewhere) and the pages below
    it, whose breadcrumbs show its title."""
    descendants = [child.url for child in page.get_descendants().live()]
    purge_on_commit([*page_purge_urls(page), *_public_routes(page), *descendants])


def _page_or_404(request, pk, check=can_edit_page):
    page = get_object_or_404(Page, pk=pk).specific
    if not isinstance(page, TranslatablePageMixin) or not check(request.user, page):
        raise Http404
    return page


def _language_or_404(code):
    if code not in languages.TRANSLATED:
        raise Http404
    return languages.BY_CODE[code]


def _page_and_language(request, pk, code, check=can_edit_page):
    """The page (404 unless translatable and ``check`` allows the user) and the language (404 unless translated)."""
    return _page_or_404(request, pk, check=check), _language_or_404(code)


def _locked_row(page, language):
    """The page's translation into ``language``, locked until the transaction ends, or None."""
    return PageTranslation.objects.select_for_update().filter(page=page, language=language.code).first()


def _back_to_language(page, language):
    return redirect(reverse("core_translation_language", args=[page.pk, language.code]))


def status_of(page, row):
    """What the overview says about one language (a status per page and language)."""
    total = len(segments(page))
    if row is None or not (row.entries or row.published_entries):
        return {"key": "missing", "label": _("Ikke oversat"), "translated": 0, "total": total}
    translated, _total, changed = coverage(page, row.entries)
    published_ok = row.is_published and coverage(page, row.published_entries)[0] == total
    if row.is_published and not published_ok:
        key, label = "outdated", _("Forældet: den danske tekst er ændret – læserne ser siden på dansk")
    elif row.is_published and row.entries != row.published_entries:
        key, label = "published_draft", _("Offentliggjort – en ny kladde venter")
    elif row.is_published:
        key, label = "published", _("Offentliggjort")
    else:
        key, label = "draft", _("Kladde (ikke offentliggjort)")
    return {"key": key, "label": label, "translated": translated, "total": total, "changed": len(changed)}


def translations(request, pk):
    page = _page_or_404(request, pk)
    rows = {row.language: row for row in PageTranslation.objects.filter(page=page)}
    items = [
        {"language": languages.BY_CODE[code], "row": rows.get(code), "status": status_of(page, rows.get(code))}
        for code in languages.TRANSLATED
    ]
    return TemplateResponse(
        request,
        "core/admin/translations.html",
        {"page": page, "items": items, "page_title": _("Oversættelser: %(title)s") % {"title": page.title}},
    )


def _language_page(request, page, language, upload_form=None, review_form=None, errors=None, status=200):
    row = PageTranslation.objects.filter(page=page, language=language.code).first()
    entries = row.entries if row else {}
    texts = [{"segment": s, "text": (entries.get(s.path) or {}).get("text", "")} for s in segments(page)]
    return TemplateResponse(
        request,
        "core/admin/translation_language.html",
        {
            "page": page,
            "language": language,
            "row": row,
            "status": status_of(page, row),
            "texts": texts,
            "upload_form": upload_form or UploadForm(),
            "review_form": review_form
            or ReviewForm(initial={"reviewed": row.reviewed, "reviewer_name": row.reviewer_name} if row else None),
            "errors": errors or [],
            "may_publish": can_publish_page(request.user, page),
            "page_title": _("%(language)s: %(title)s") % {"language": language.name, "title": page.title},
        },
        status=status,
    )


def translation_language(request, pk, code):
    return _language_page(request, *_page_and_language(request, pk, code))


def download(request, pk, code):
    page, language = _page_and_language(request, pk, code)
    response = HttpResponse(export_file(page, language.code), content_type="text/x-gettext-translation; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{page.slug}.{language.code}.po")
    return response


@require_POST
def upload(request, pk, code):
    page, language = _page_and_language(request, pk, code)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _language_page(request, page, language, upload_form=form, status=400)
    try:
        entries, removed = read_translation_file(form.cleaned_data["file"], page, language.code)
    except TranslationFileError as error:
        return _language_page(request, page, language, upload_form=form, errors=error.messages, status=400)
    if not entries:
        return _language_page(
            request,
            page,
            language,
            upload_form=form,
            errors=[_("Filen indeholder ingen oversatte tekster.")],
            status=400,
        )
    with transaction.atomic():
        row, _created = PageTranslation.objects.select_for_update().get_or_create(page=page, language=language.code)
        changed = row.entries != entries
        row.entries = entries
        row.uploaded_at, row.uploaded_by = timezone.now(), request.user
        if changed:  # a review covers the texts it read, not new ones
            row.reviewed, row.reviewer_name, row.reviewed_at = False, "", None
        row.save()
        log(instance=page, action="core.translation_uploaded", user=request.user, data={"language": language.code})
    translated, total, _changed = coverage(page, entries)
    messages.success(
        request,
        _("Oversættelsen er gemt som kladde: %(translated)s af %(total)s tekster er oversat.")
        % {"translated": translated, "total": total},
    )
    if removed:
        messages.warning(
            request, _("Fjernet fra oversættelsen (ikke tilladt): %(removed)s") % {"removed": ", ".join(removed)}
        )
    return _back_to_language(page, language)


@require_POST
def review(request, pk, code):
    page, language = _page_and_language(request, pk, code)
    row = PageTranslation.objects.filter(page=page, language=language.code).first()
    form = ReviewForm(request.POST)
    if row is None or not row.entries:
        messages.error(request, _("Upload en oversættelse, før den kan markeres som gennemgået."))
        return _back_to_language(page, language)
    if not form.is_valid():
        return _language_page(request, page, language, review_form=form, status=400)
    with transaction.atomic():
        reviewed = form.cleaned_data["reviewed"]
        row.reviewed = reviewed
        row.reviewer_name = form.cleaned_data["reviewer_name"].strip() if reviewed else ""
        row.reviewed_at = timezone.now() if reviewed else None
        if row.is_published and row.entries == row.published_entries:
            row.published_reviewed, row.published_reviewer_name = row.reviewed, row.reviewer_name
            purge_translated(page)
        row.save()
        log(
            instance=page,
            action="core.translation_reviewed",
            user=request.user,
            data={"language": language.code, "reviewed": reviewed, "reviewer": row.reviewer_name},
        )
    messages.success(request, _("Gennemgangen er registreret."))
    return _back_to_language(page, language)


@require_POST
def publish(request, pk, code):
    page, language = _page_and_language(request, pk, code, check=can_publish_page)
    with transaction.atomic():
        row = _locked_row(page, language)
        translated, total, _changed = coverage(page, row.entries if row else {})
        if row is None or total == 0 or translated < total:
            messages.error(
                request,
                _("Oversættelsen kan ikke offentliggøres: %(missing)s af %(total)s tekster mangler eller er forældede.")
                % {"missing": total - translated, "total": total},
            )
            return _back_to_language(page, language)
        row.published_entries = row.entries
        row.published_reviewed, row.published_reviewer_name = row.reviewed, row.reviewer_name
        row.published_at, row.published_by = timezone.now(), request.user
        row.save()
        log(instance=page, action="core.translation_published", user=request.user, data={"language": language.code})
        purge_translated(page)
    messages.success(request, _("Oversættelsen til %(language)s er offentliggjort.") % {"language": language.name})
    return _back_to_language(page, language)


@require_POST
def unpublish(request, pk, code):
    page, language = _page_and_language(request, pk, code, check=can_publish_page)
    with transaction.atomic():
        row = _locked_row(page, language)
        if row is not None and row.is_published:
            row.published_entries, row.published_at, row.published_by = {}, None, None
            row.published_reviewed, row.published_reviewer_name = False, ""
            row.save()
            log(
                instance=page,
                action="core.translation_unpublished",
                user=request.user,
                data={"language": language.code},
            )
            purge_translated(page)
    messages.success(request, _("Oversættelsen er trukket tilbage. Læserne ser siden på dansk."))
    return _back_to_language(page, language)
