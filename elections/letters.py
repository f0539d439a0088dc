"""Poll-card letters as PDF, each in the voter's own language (the roll file's language column).

For Arabic, Farsi and Urdu the text is prepared here: split into lines, each line shaped with
arabic-reshaper (the joined letter forms) and left in logical order: xhtml2pdf 0.2.28 puts every
line of a dir="rtl" block into display order itself (its own UAX #9), so text reordered here
first (python-bidi, as before) was drawn reversed — seen on the rendered page, which the text
extraction of the tests did not notice. The lines are set right-aligned in a font with
the Arabic-script glyphs (Noto Naskh Arabic from Debian's fonts-noto-core; DejaVu Sans, which has
Arabic and Farsi but not all Urdu forms, when it is missing). Latin and Cyrillic text uses DejaVu
Sans (Helvetica lacks Turkish ğ ş ı). The back of every letter says in each of the site's other
languages where to get help.
"""

import html
import io
import textwrap
from pathlib import Path

import arabic_reshaper
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from core import languages
from core.templatetags.dates import long_date, long_datetime

# One right-to-left line holds at most this many characters (11 pt on A4 with 2 cm margins).
RTL_LINE = 70
ZWNJ = "\u200c"
FONT_DIRS = [Path("/usr/share/fonts/truetype")]


def font(*names):
    """The first of the font files (looked up under /usr/share/fonts/truetype) that exists."""
    for name in names:
        for folder in FONT_DIRS:
            for path in folder.rglob(name):
                return str(path)
    return ""


def fonts():
    configured = settings.POLL_CARD_FONTS
    latin = configured.get("latin") or font("DejaVuSans.ttf")
    latin_bold = configured.get("latin_bold") or font("DejaVuSans-Bold.ttf") or latin
    arabic = configured.get("arabic") or font("NotoNaskhArabic-Regular.ttf", "DejaVuSans.ttf")
    arabic_bold = configured.get("arabic_bold") or font("NotoNaskhArabic-Bold.ttf") or arabic
    mono = configured.get("mono") or font("DejaVuSansMono-Bold.ttf", "DejaVuSansMono.ttf") or latin
    return {"latin": latin, "latin_bold": latin_bold, "arabic": arabic, "arabic_bold": arabic_bold, "mono": mono}


def visual_lines(text, code, width=RTL_LINE):
    """``text`` as lines of HTML ready for xhtml2pdf: shaped for right-to-left languages (xhtml2pdf
    orders them for display)."""
    if not languages.get(code).rtl:
        return [html.escape(text)]
    lines = textwrap.wrap(" ".join(text.split()), width) or [""]
    # Shaped only: xhtml2pdf (0.2.28) puts each line into display order itself (UAX #9, with the
    # block's dir="rtl" as base); a line already reordered here came out reversed. The zero-width
    # non-joiner (Farsi »می‌توانید«) has done its work once the letters have their forms, and the
    # fonts draw it as a bar.
    return [html.escape(arabic_reshaper.reshape(line).replace(ZWNJ, "")) for line in lines]


def block(text, code, kind="p"):
    return {"kind": kind, "lines": visual_lines(text, code)}


def letter_blocks(election, letter, code, vote_url):
    """The front of one letter: (kind, lines) blocks in ``code``'s language, top to bottom."""
    with translation.override(code):
        blocks = [
            block(_("Valgkort") + ": " + election.title, code, "h1"),
            block(_("Kære %(name)s") % {"name": letter.name}, code),
            block(
                _("Du kan stemme ved valget. Du har én stemme, og du kan stemme online eller på dit valgsted."), code
            ),
            block(_("Stem online"), code, "h2"),
            block(
                _("Fra %(opens)s til %(closes)s på:")
                % {
                    "opens": long_datetime(election.voting_opens_at),
                    "closes": long_datetime(election.voting_closes_at),
                },
                code,
            ),
            {"kind": "ltr", "lines": [html.escape(vote_url)]},
            block(_("Din kode:"), code),
            {"kind": "code", "lines": [html.escape(letter.code)]},
            block(_("Du skal også skrive din fødselsdato. Vis ikke koden til andre."), code),
        ]
        if election.election_day:
            blocks += [
                block(_("Stem på valgstedet"), code, "h2"),
                block(
                    _("På valgdagen %(day)s kan du stemme på %(place)s, %(address)s. Tag dette valgkort med.")
                    % {
                        "day": long_date(election.election_day),
                        "place": letter.polling_place.name,
                        "address": letter.polling_place.address,
                    },
                    code,
                ),
            ]
        blocks.append(block(_("Valgkortnummer:") + f" {letter.card_number}", code))
    return blocks


def help_lines(contact, code):
    """The back of a letter: one line in each of the other languages, saying where to get help.

    The contact (an e-mail address and a phone number, left to right) goes on a line of its own,
    so a right-to-left sentence never has to flow around it.
    """
    lines = []
    for language in languages.LANGUAGES:
        if language.code == code:
            continue
        with translation.override(language.code):
            sentence = _("Brug for hjælp på dit sprog? Kontakt sekretariatet: %(contact)s")
        before, _placeholder, after = sentence.partition("%(contact)s")
        text = " ".join((before + after).split())
        lines.append(
            {
                "code": language.code,
                "rtl": language.rtl,
                "lines": visual_lines(text, language.code),
                "contact": html.escape(contact),
            }
        )
    return lines


def contact_text(election):
    council = election.council
    parts = [getattr(council, "secretariat_email", "") or "", getattr(council, "secretariat_phone", "") or ""]
    return " · ".join(part for part in parts if part) or settings.BASE_URL.rstrip("/")


def render_pdf(election, letters, default_language="da"):
    """One A4 sheet per voter (front in the voter's language, back with help in the others)."""
    vote_url = settings.BASE_URL.rstrip("/") + election.vote_path
    contact = contact_text(election)
    sheets = []
    for letter in letters:
        code = languages.supported(letter.language or default_language)
        sheets.append(
            {
                "code": code,
                "rtl": languages.get(code).rtl,
                "address": [html.escape(letter.name), html.escape(letter.address)],
                "blocks": letter_blocks(election, letter, code, vote_url),
                "help": help_lines(contact, code),
            }
        )
    document = render_to_string("elections/poll_card_letters.html", {"sheets": sheets, "fonts": fonts()})
    out = io.BytesIO()
    # The letter reads nothing but its font files: no network, no other local file.
    font_dirs = tuple(sorted({Path(path).parent for path in fonts().values() if path}))
    policy = ResourceAccessPolicy(allow_remote=False, base_dir=None, extra_roots=font_dirs)
    result = pisa.CreatePDF(document, dest=out, encoding="utf-8", resource_policy=policy)
    if result.err:
        raise RuntimeError("PDF generation failed")
    return out.getvalue()
