"""Translation files for an external translator: a page's texts as a gettext PO file, and back.

One entry per segment (core.translated_pages): ``msgctxt`` is the segment's stable path, ``msgid``
the Danish text, ``msgstr`` the translation (empty until translated), a translator comment says
where on the page the text is. Links in rich text become numbered placeholders (``<a id="a1">``)
so the translator never edits an address; on import each placeholder is put back as the Danish
link. The header names the page and the language, so a file is never imported into the wrong one.

:func:`read_translation_file` refuses a file as a whole (a list of Danish messages) when it is too
big, not a PO file, for another page or language, has texts the page does not have, was made for
Danish texts that have changed since, breaks a link placeholder or the HTML structure, or puts a
line break in a one-line text. HTML outside the rich-text features (scripts, styles, attributes,
images) is removed, and the editor is told what was removed. Fuzzy and empty entries count as not
translated.
"""

import html
import re
from html.parser import HTMLParser

import polib
from django.utils import timezone
from django.utils.translation import gettext as _

from core import languages, text

from .translated_pages import RICH, segments

MAX_FILE_BYTES = 2 * 1024 * 1024
PAGE_HEADER = "X-Medborger-Page"
LANGUAGE_HEADER = "Language"

# What a translation may use in rich text: Wagtail's database HTML for the features the blocks allow.
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "b", "i", "strong", "em", "ol", "ul", "li", "br", "a"}
VOID_TAGS = {"br"}
DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "svg", "math", "textarea"}
_ANCHOR = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)


class TranslationFileError(Exception):
    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


def _links(source):
    """The Danish text's link tags in order: placeholder id -> the original opening tag."""
    return {f"a{number}": match.group(0) for number, match in enumerate(_ANCHOR.finditer(source), start=1)}


def to_placeholders(source):
    """Rich text for the translator: each link's attributes replaced by a numbered id."""
    counter = iter(range(1, 10_000))
    return _ANCHOR.sub(lambda match: f'<a id="a{next(counter)}">', source)


def export_file(page, language):
    """The PO file (bytes) for translating ``page`` into ``language``; filled with what the draft
    translation already has for unchanged Danish texts (changed ones are marked fuzzy)."""
    row = page.content_translations.filter(language=language).first()
    existing = row.entries if row else {}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "Medborger",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "MIME-Version": "1.0",
        LANGUAGE_HEADER: language,
        PAGE_HEADER: str(page.pk),
        "X-Medborger-Page-Title": page.title,
        "POT-Creation-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
    }
    po.header = (
        f"{page.title}: {languages.get(language).english_name} ({language}).\n"
        'Translate each msgid into msgstr. Keep the HTML tags and the link placeholders <a id="a1">…</a>.'
    )
    for segment in segments(page):
        msgid = to_placeholders(segment.source) if segment.kind == RICH else segment.source
        old = existing.get(segment.path) or {}
        msgstr = old.get("text", "")
        entry = polib.POEntry(msgctxt=segment.path, msgid=msgid, msgstr="", comment=segment.label)
        if msgstr:
            entry.msgstr = to_placeholders(msgstr) if segment.kind == RICH else msgstr
            if old.get("source") != segment.source:
                entry.flags.append("fuzzy")
        po.append(entry)
    return str(po).encode("utf-8")


class _RichText(HTMLParser):
    """Rebuilds a translated rich text from the allowed tags only, links from their placeholders."""

    def __init__(self, links):
        super().__init__(convert_charrefs=True)
        self.links, self.out, self.stack, self.errors, self.removed, self.used = links, [], [], [], set(), set()
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP_WITH_CONTENT:
            self.dropping += 1
            self.removed.add(f"<{tag}>")
            return
        if self.dropping:
            return
        if tag not in ALLOWED_TAGS:
            self.removed.add(f"<{tag}>")
            return
        attributes = dict(attrs)
        if tag == "a":
            placeholder = attributes.pop("id", None)
            if placeholder not in self.links:
                self.errors.append(_("linket %(link)s findes ikke i den danske tekst") % {"link": placeholder or "<a>"})
                return
            self.used.add(placeholder)
            self.out.append(self.links[placeholder])
        else:
            self.out.append(f"<{tag}>")
        if attributes:
            self.removed.update(f"{name}=" for name in attributes)
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ALLOWED_TAGS and tag not in VOID_TAGS and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in DROP_WITH_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in ALLOWED_TAGS or tag in VOID_TAGS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(_("</%(tag)s> lukker et tag, der ikke er åbent") % {"tag": tag})
            return
        self.stack.pop()
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def result(self):
        self.close()
        for tag in reversed(self.stack):
            self.errors.append(_("<%(tag)s> er ikke lukket") % {"tag": tag})
        missing = sorted(set(self.links) - self.used)
        if missing:
            self.errors.append(_("linket %(link)s mangler") % {"link": ", ".join(missing)})
        return "".join(self.out)


def clean_rich_text(translated, source):
    """(Wagtail database HTML, errors, removed) for a translated rich text of ``source``."""
    parser = _RichText(_links(source))
    parser.feed(translated)
    cleaned = parser.result()
    return cleaned, parser.errors, sorted(parser.removed)


def read_translation_file(upload, page, language):
    """Validate an uploaded PO file for ``page`` and ``language``.

    Returns ``(entries, removed)``: the draft entries to store (path -> source and translation, only
    translated ones) and a list of removed HTML to tell the editor. Raises TranslationFileError with
    Danish messages; nothing is stored by this function.
    """
    if upload.size > MAX_FILE_BYTES:
        raise TranslationFileError([_("Filen er for stor (højst 2 MB). Upload den PO-fil, du hentede her.")])
    raw = upload.read(MAX_FILE_BYTES + 1)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TranslationFileError([_("Filen er ikke gemt som UTF-8. Gem den som UTF-8 og prøv igen.")]) from error
    try:
        po = polib.pofile(content)
    except (OSError, ValueError) as error:
        line = re.search(r"line (\d+)", str(error))
        raise TranslationFileError(
            [
                _("Filen kan ikke læses som en oversættelsesfil (PO): fejl i linje %(line)s.")
                % {"line": line.group(1) if line else "?"}
            ]
        ) from error
    if po.metadata.get(PAGE_HEADER) != str(page.pk):
        raise TranslationFileError(
            [
                _("Filen hører til en anden side (%(other)s), ikke »%(title)s«. Hent filen til denne side.")
                % {
                    "other": po.metadata.get("X-Medborger-Page-Title") or po.metadata.get(PAGE_HEADER) or "?",
                    "title": page.title,
                }
            ]
        )
    file_language = po.metadata.get(LANGUAGE_HEADER, "")
    if file_language != language:
        raise TranslationFileError(
            [
                _("Filen er til sproget »%(file)s«, men du uploader til »%(language)s«.")
                % {"file": file_language or "?", "language": languages.get(language).name}
            ]
        )
    by_path = {segment.path: segment for segment in segments(page)}
    errors, removed, entries = [], set(), {}
    for entry in po:
        if entry.obsolete:
            continue
        segment = by_path.get(entry.msgctxt)
        if segment is None:
            errors.append(
                _("Teksten »%(context)s« findes ikke på siden.") % {"context": entry.msgctxt or entry.msgid[:40]}
            )
            continue
        expected = to_placeholders(segment.source) if segment.kind == RICH else segment.source
        if entry.msgid != expected:
            errors.append(
                _("Den danske tekst i »%(label)s« er ændret, siden filen blev hentet. Hent en ny fil.")
                % {"label": segment.label}
            )
            continue
        if "fuzzy" in entry.flags or not entry.msgstr.strip():
            continue
        translated = text.normalise(entry.msgstr)
        if segment.kind == RICH:
            translated, problems, stripped = clean_rich_text(translated, segment.source)
            removed.update(stripped)
            errors += [_("%(label)s: %(problem)s") % {"label": segment.label, "problem": p} for p in problems]
        else:
            problems = text.single_line_problems(translated) if segment.single_line else []
            errors += [
                _("%(label)s: %(problem)s") % {"label": segment.label, "problem": text.MESSAGES[p]} for p in problems
            ]
            if segment.max_length and len(translated) > segment.max_length:
                errors.append(
                    _("%(label)s: højst %(max)s tegn (oversættelsen har %(count)s).")
                    % {"label": segment.label, "max": segment.max_length, "count": len(translated)}
                )
        entries[segment.path] = {"source": segment.source, "text": translated}
    if errors:
        raise TranslationFileError(errors)
    return entries, sorted(removed)
