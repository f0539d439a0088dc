"""Poll-card letters in the voter's language: the roll file's »sprog« column, Farsi right to left with
joined letters in a font that has them, Danish when the column is empty, help in every other language."""

import io
import shutil
import subprocess

import arabic_reshaper
import pytest
from PIL import Image
from pypdf import PdfReader

from core import languages as languages_site
from elections import roll

from .test_roll import good_rows

pytestmark = pytest.mark.django_db

HEADER = "personnummer;navn;fødselsdato;adresse;valgsted;sprog\n"


def letters_for(election, languages):
    """Import voters, then order letters with the given »sprog« cell per voter."""
    rows = good_rows(len(languages))
    assert roll.import_roll(
        election,
        ("personnummer;navn;fødselsdato;adresse;valgsted\n" + "".join(";".join(row) + "\n" for row in rows)).encode(),
    ).ok
    data = HEADER + "".join(";".join((*row, language)) + "\n" for row, language in zip(rows, languages, strict=True))
    report = roll.check_file(election, data.encode(), for_letters=True)
    assert report.ok, report.errors
    issued = {letter.language: letter for letter in roll.issue_codes(election, report)}  # card-number order
    return [issued[languages_site.parse(language) or ""] for language in languages]


def page_texts(pdf):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def fonts_of(pdf, page_number):
    page = PdfReader(io.BytesIO(pdf)).pages[page_number]
    return {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}


def test_the_language_column_takes_codes_and_names_and_refuses_unknown_languages(election):
    rows = good_rows(4)
    roll.import_roll(
        election,
        ("personnummer;navn;fødselsdato;adresse;valgsted\n" + "".join(";".join(row) + "\n" for row in rows)).encode(),
    )
    data = HEADER + "".join(
        ";".join((*row, language)) + "\n" for row, language in zip(rows, ["fa", "Farsi", "", "klingon"], strict=True)
    )
    report = roll.check_file(election, data.encode(), for_letters=True)
    assert report.errors == [(5, "Sproget »klingon« kendes ikke (skriv fx da, en, ar, fa, ur, tr, so, pl eller uk).")]
    assert [line.language for line in report.lines] == ["fa", "fa", ""]


def test_a_farsi_voter_gets_a_farsi_letter_right_to_left_with_joined_letters(election):
    farsi, danish = letters_for(election, ["farsi", ""])
    pdf = roll.letters_pdf(election, [farsi, danish], "da")
    front_fa, back_fa, front_da, back_da = page_texts(pdf)

    # Farsi, shaped (presentation forms: joined letters) and drawn in display order: pypdf gives a
    # right-to-left run back in reading order, so the shaped sentence is found as written. Reordered
    # twice (python-bidi before xhtml2pdf's own reordering, until 2026-12-03) the page read backwards
    # and the text came out reversed here. (A line ending in »:« gets the colon on the other side.)
    for sentence in ("رأی دادن آنلاین", "رأی دادن در محل رأی‌گیری", "شما می‌توانید در این انتخابات رأی دهید"):
        shaped = arabic_reshaper.reshape(sentence).replace("\u200c", "")  # the joiner is in the forms now
        assert shaped != sentence and shaped in front_fa, sentence
    assert "Du kan stemme" not in front_fa
    assert farsi.code in front_fa
    assert any("NotoNaskhArabic" in name for name in fonts_of(pdf, 0)), fonts_of(pdf, 0)

    # Danish when the file gives no language; Latin text in an embedded font, not Helvetica.
    assert "Du kan stemme ved valget" in front_da
    assert danish.code in front_da
    assert any("DejaVuSans" in name for name in fonts_of(pdf, 2)), fonts_of(pdf, 2)

    # The back: one line in each of the other languages saying where to get help.
    assert "Brug for hjælp på dit sprog?" in back_fa
    assert "Need help in your language?" in back_fa
    assert "Kendi dilinizde yardıma mı ihtiyacınız var?" in back_fa
    assert "Потрібна допомога вашою мовою?" in back_fa
    assert arabic_reshaper.reshape("هل تحتاج إلى مساعدة بلغتك؟ اتصل بالأمانة") in back_fa
    assert "Brug for hjælp på dit sprog?" not in back_da  # a reader's own language is on the front


def test_the_farsi_letter_is_set_from_the_right_edge(election, tmp_path):
    """Rendered to an image (pdftoppm, Debian's poppler-utils): the Farsi paragraphs end at the right
    margin and begin at different points on the left; the Danish ones the other way round."""
    assert shutil.which("pdftoppm"), "the letter check needs pdftoppm: apt-get install poppler-utils (make pdf-tools)"
    farsi, danish = letters_for(election, ["fa", ""])
    (tmp_path / "letters.pdf").write_bytes(roll.letters_pdf(election, [farsi, danish], "da"))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "letters.pdf"), str(tmp_path / "p")], check=True)

    def ink_edges(name):
        image = Image.open(tmp_path / name).convert("L")
        width, height = image.size
        pixels = image.load()
        rows = []
        for y in range(int(height * 0.15), int(height * 0.6)):  # the letter's text, below the address
            dark = [x for x in range(width) if pixels[x, y] < 128]
            if dark:
                rows.append((min(dark), max(dark)))
        return width, rows

    width, farsi_rows = ink_edges("p-1.png")
    rights = [right for _left, right in farsi_rows]
    assert max(rights) > width * 0.85
    assert sum(right > width * 0.85 for right in rights) > 0.6 * len(rights)  # aligned on the right
    width, danish_rows = ink_edges("p-3.png")
    lefts = [left for left, _right in danish_rows]
    assert sum(left < width * 0.15 for left in lefts) > 0.8 * len(lefts)  # aligned on the left
