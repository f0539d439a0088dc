"""The one CSV reader and CSV/XLSX writer (core.tabular): encodings, delimiters, aliases, limits,
per-line problems, formula neutralisation in every cell, streaming."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.tabular import Column, FileError, csv_bytes, csv_lines, csv_response, read_csv, xlsx_response

COLUMNS = [
    Column("name", {"navn", "name"}, required=True, max_length=10),
    Column("email", {"e-mail", "email"}, required=True),
    Column("note", {"note"}),
]


def read(data, **kwargs):
    kwargs.setdefault("max_bytes", 10_000)
    return read_csv(data, COLUMNS, **kwargs)


@pytest.mark.parametrize(
    "data",
    [
        "navn;e-mail\nÅse;a@x.example\n".encode(),
        "\ufeffNavn,E-mail\nÅse,a@x.example\n".encode(),  # BOM, commas, header case
        "e-mail\tname\na@x.example\tÅse\n".encode(),  # tabs, other order, English alias
        "navn;e-mail\r\nÅse;a@x.example\r\n".encode("cp1252"),  # older Excel, CRLF
    ],
)
def test_the_same_table_in_every_dialect(data):
    (row,) = read(data)
    assert (row.line, row["name"], row["email"], row["note"], row.problems) == (2, "Åse", "a@x.example", "", [])


def test_blank_lines_are_skipped_and_lines_numbered_as_in_the_file():
    rows = read(b'navn;e-mail\n\nA;a@x.example\n;\n"B\nC";b@x.example\nD;d@x.example\n')
    assert [(row.line, row["name"]) for row in rows] == [(3, "A"), (5, "B\nC"), (7, "D")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen er tom."),
        (b" \n\n", "Filen er tom."),
        (b"navn;telefon\nA;1\n", "Filens første linje skal være en overskrift med kolonnerne e-mail, name."),
        (b"x" * 10_001, "Filen er for stor. Den må højst fylde 9 KB."),
    ],
)
def test_file_errors(data, message):
    with pytest.raises(FileError, match=f"^{message}$"):
        read(data)


def test_too_many_rows():
    data = b"navn;e-mail\n" + b"A;a@x.example\n" * 4
    assert len(read(data, max_rows=4)) == 4
    with pytest.raises(FileError, match="^Filen har for mange linjer. Den må højst have 3 linjer.$"):
        read(data, max_rows=3)


def test_nul_and_over_long_cells_are_problems_of_their_line():
    rows = read(b"navn;e-mail;note\nA\x00;a@x.example;\nAbcdefghijk;b@x.example;x\x00\n")
    assert rows[0].problems == ["kolonnen »navn« indeholder et NUL-tegn"]
    assert rows[0]["name"] == "A\ufffd"
    assert rows[1].problems == [
        "kolonnen »navn« er for lang (højst 10 tegn)",
        "kolonnen »note« indeholder et NUL-tegn",
    ]


def test_stray_bytes_in_utf8_are_refused_or_reported_never_guessed():
    data = "navn;e-mail\nÅse;a@x.example\nB\xff;b@x.example\n".encode("latin-1").replace(
        "Å".encode("latin-1"), "Å".encode()
    )
    with pytest.raises(FileError, match="ikke er UTF-8"):
        read(data)
    rows = read(data, undecodable="report")
    assert [row.problems for row in rows] == [
        [],
        ["kolonnen »navn« indeholder tegn, der ikke kan læses (gem filen som UTF-8)"],
    ]
    assert rows[1]["name"] == "B\ufffd"


def test_a_cell_over_the_csv_field_limit_is_a_line_error_not_a_crash():
    data = b'navn;e-mail\nA;a@x.example\n"' + b"x" * (csv.field_size_limit() + 10) + b'";b@x.example\n'
    rows = read(data, max_bytes=len(data))
    assert rows[0].problems == []
    assert rows[1].line == 3
    assert rows[1].problems == ["linjen kan ikke læses (en celle er for lang, eller et citationstegn mangler)"]


FORMULAS = ["=1+1", "+45 12", "-1", "@SUM(A1)", "\tx", "\rx"]


def test_csv_has_a_bom_semicolons_and_no_cell_a_spreadsheet_would_evaluate():
    text = csv_bytes([["navn", "tal"], *[[value, 7] for value in FORMULAS]]).decode("utf-8")
    assert text.startswith("\ufeffnavn;tal\r\n")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in table[1:]] == ["'" + value for value in FORMULAS]
    assert {row[1] for row in table[1:]} == {"7"}


def test_csv_response_streams_rows_as_they_come():
    consumed = []

    def rows():
        for index in range(1000):
            consumed.append(index)
            yield [f"række {index}"]

    response = csv_response(rows(), "fil æøå.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''fil%20%C3%A6%C3%B8%C3%A5.csv"
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)
    assert len(consumed) == 1  # one row read for one line written, not the whole table
    assert b"".join(chunks).decode("utf-8").count("\r\n") == 999
    assert len(consumed) == 1000


def test_chunks_are_lines():
    assert list(csv_lines([["a", "b;c"]])) == ["\ufeff", 'a;"b;c"\r\n']


def test_xlsx_cells_are_text_never_formulas():
    response = xlsx_response([["navn"], *[[value] for value in FORMULAS]], "svar.xlsx", sheet_title="Høringssvar")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.title == "Høringssvar"
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["=1+1", "+45 12", "-1", "@SUM(A1)", "\tx", "\rx"]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert sheet["A1"].font.bold
