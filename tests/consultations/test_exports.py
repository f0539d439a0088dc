"""Exports for the secretariat: CSV and XLSX of responses (formulas neutralised), ZIP of attachments."""

import csv
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from consultations import exports
from core.spreadsheets import neutralise_formula
from tests.consultations.factories import MINIMAL_PDF, ResponseAttachmentFactory, ResponseFactory

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","Klik")', "+45 12 34 56 78", "-1+2", "@SUM(A1:A2)", "\tfane", "\rretur"]


@pytest.fixture
def responses(hearing):
    anna = ResponseFactory(hearing=hearing, name="Anna Jensen", text="=1+1 er ikke en formel her.")
    org = ResponseFactory(
        hearing=hearing, name="Per Hansen", kind="organisation", organisation_name="Valby Boldklub", text="Vi støtter."
    )
    ResponseFactory(hearing=hearing, name="Ubekræftet", pending=True)
    return anna, org


def test_neutralise_prefixes_an_apostrophe_to_every_formula_start():
    for value in FORMULAS:
        assert neutralise_formula(value) == "'" + value
    assert neutralise_formula("Helt almindelig tekst") == "Helt almindelig tekst"
    assert neutralise_formula(None) == ""
    assert neutralise_formula(12) == "12"


def test_csv_holds_every_confirmed_response_and_no_formula(staff_client, hearing, responses):
    answer = staff_client.get(reverse("consultations_admin_csv", args=[hearing.pk]))
    assert answer.streaming
    text = b"".join(answer.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert table[0][:3] == ["Nr.", "Modtaget", "Navn"]
    names = [row[2] for row in table[1:]]
    assert names == ["Anna Jensen", "Per Hansen"]  # the unconfirmed one is not a response yet
    anna = table[1]
    assert anna[11] == "'=1+1 er ikke en formel her."
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    assert table[2][7] == "Valby Boldklub"


def test_xlsx_opens_holds_every_response_and_stores_formulas_as_text(staff_client, hearing, responses):
    for index, value in enumerate(FORMULAS):
        ResponseFactory(hearing=hearing, name=f"Formel {index}", text=value)
    answer = staff_client.get(reverse("consultations_admin_xlsx", args=[hearing.pk]))
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 2 + len(FORMULAS)
    text_cells = {row[2].value: row[11] for row in rows}
    assert text_cells["Anna Jensen"].value == "=1+1 er ikke en formel her."
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
    for index, value in enumerate(FORMULAS):
        cell = text_cells[f"Formel {index}"]
        assert cell.data_type == "s"
        assert cell.value == value
        assert cell.quotePrefix


def test_zip_names_attachments_by_response_with_safe_names(staff_client, hearing, responses):
    anna, org = responses
    ResponseAttachmentFactory(response=anna, original_name="bilag.pdf")
    ResponseAttachmentFactory(response=anna, original_name="bilag.pdf")
    ResponseAttachmentFactory(
        response=org,
        original_name="../../etc/Vores høringssvar (endelig).PDF",
        file=ContentFile(MINIMAL_PDF, name="x.pdf"),
    )
    answer = staff_client.get(reverse("consultations_admin_zip", args=[hearing.pk]))
    assert answer.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    names = sorted(archive.namelist())
    assert names == sorted(
        [
            f"svar-{anna.pk:04d}-anna-jensen/bilag.pdf",
            f"svar-{anna.pk:04d}-anna-jensen/bilag-2.pdf",
            f"svar-{org.pk:04d}-valby-boldklub/vores-hoeringssvar-endelig.pdf",
        ]
    )
    assert all(archive.read(name) == MINIMAL_PDF for name in names)
    assert archive.testzip() is None


def test_zip_leaves_out_unconfirmed_responses_and_handles_none(staff_client, hearing):
    pending = ResponseFactory(hearing=hearing, pending=True)
    ResponseAttachmentFactory(response=pending)
    answer = staff_client.get(reverse("consultations_admin_zip", args=[hearing.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    assert archive.namelist() == []


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("bilag.pdf", "bilag.pdf"),
        ("Mit bilag (1).PDF", "mit-bilag-1.pdf"),
        ("Høringssvar fra Ærø.docx", "hoeringssvar-fra-aeroe.docx"),
        ("..\\..\\windows\\evil.exe.pdf", "evilexe.pdf"),
        ("", "bilag"),
        (".pdf", "pdf"),
    ],
)
def test_safe_filename(name, safe):
    assert exports.safe_filename(name) == safe
