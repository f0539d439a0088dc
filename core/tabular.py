"""The one CSV reader and the one CSV/XLSX writer of the site.

Reading (hearing lists, voter rolls, poll-card letter files)::

    COLUMNS = [Column("name", {"navn", "name"}, required=True, max_length=200), ...]
    try:
        rows = read_csv(read_upload(upload, MAX_BYTES), COLUMNS, max_bytes=MAX_BYTES,
                        header_help=_("… which columns the first line must name …"))
    except FileError as error:           # the file as a whole: too big, empty, no header …
        ...str(error)...
    for row in rows:                     # Row(line, values, problems)
        problems = list(row.problems)    # what the reader found on that line
        name = row["name"]               # "" when the column is missing or the cell empty
        ...

* Encoding: UTF-8 (with or without BOM); a file with no valid UTF-8 at all is read as
  Windows-1252 (older Danish Excel). A UTF-8 file with stray undecodable bytes is never
  guessed into mojibake: ``undecodable="refuse"`` rejects the file, ``"report"`` names each
  line that holds such a byte.
* The delimiter (``;``, ``,`` or tab) is sniffed from the header line; header names are
  matched case-insensitively against each column's aliases, in any order.
* Per line: a NUL byte, an undecodable byte or a cell over the column's ``max_length`` is a
  problem of that line (``row.problems``) – never an exception. Such cells are cleaned
  (U+FFFD) so they can be shown in a message. Blank lines are skipped. ``row.line`` is the
  file's line number where the record starts (the header is line 1).
* Names: a line break, a control character or a bidi control in a column marked
  ``single_line`` is a problem of that line too (``core.text``), and every cell is normalised
  to NFC, so a name typed in NFD is the same name as in NFC.
* Bounded: ``max_bytes`` for the whole file (use :func:`read_upload` to read at most that
  much), ``max_rows`` records, and Python's CSV field limit for any one cell.

Writing (hearing-list export, response exports, poll-card CSV, results CSV): rows are
iterables of cells; EVERY cell is neutralised against spreadsheet formulas
(:func:`core.spreadsheets.neutralise_formula` in CSV; explicit string cells with Excel's
quote prefix in XLSX). CSV is UTF-8 with a BOM and semicolons (what Danish Excel opens).

* :func:`csv_lines` – a generator of text chunks (BOM first), memory stays flat,
* :func:`csv_bytes` – the whole file, for small one-off files,
* :func:`csv_response` – a streaming download,
* :func:`xlsx_file` / :func:`xlsx_response` – openpyxl's write-only mode into a temporary
  file that is then streamed, bold header row, wrapped text.
"""

import csv
import io
import re
import tempfile
from dataclasses import dataclass, field

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from . import languages
from .spreadsheets import FORMULA_PREFIXES, neutralise_formula
from .text import Problem, normalise, single_line_problems

DELIMITERS = ";,\t"
REPLACEMENT = "\ufffd"
_SURROGATES = re.compile("[\udc80-\udcff]")


class FileError(Exception):
    """The file as a whole cannot be used; ``str(error)`` is the user-facing message."""


@dataclass
class Column:
    """A column the reader looks for: a key, the header names it accepts (any case), its limits."""

    key: str
    names: set
    required: bool = False
    max_length: int | None = None
    single_line: bool = False  # a name: no line breaks, control or bidi control characters

    def __post_init__(self):
        self.names = {name.casefold() for name in self.names}


@dataclass
class Row:
    line: int
    values: dict
    problems: list = field(default_factory=list)

    def __getitem__(self, key):
        return self.values.get(key, "")

    def get(self, key, default=""):
        return self.values.get(key, default)


def read_upload(upload, max_bytes):
    """The uploaded file's bytes, reading at most ``max_bytes`` (+1 to know it is too big)."""
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    return data


def too_big_message(max_bytes):
    """»Filen er for stor. Den må højst fylde 2 MB.« (KB below one megabyte)."""
    if max_bytes >= 1024 * 1024:
        size = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",") + " MB"
    else:
        size = f"{max_bytes // 1024} KB"
    return _("Filen er for stor. Den må højst fylde %(size)s.") % {"size": size}


def decode(data, undecodable="refuse"):
    """Text of ``data``: UTF-8 (BOM or not), else Windows-1252 when the file has no UTF-8 at all.

    A UTF-8 file with stray bytes raises :class:`FileError` (``undecodable="refuse"``) or keeps
    the bytes as surrogates for the reader to report per line (``"report"``).
    """
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8-sig", errors="surrogateescape")
    has_utf8 = any(ord(ch) > 127 and not _SURROGATES.match(ch) for ch in loose)
    if not has_utf8:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            loose = data.decode("cp1252", errors="surrogateescape")
    if undecodable == "report":
        return loose
    raise FileError(_("Filen kunne ikke læses: den indeholder tegn, der ikke er UTF-8. Gem den som CSV (UTF-8)."))


def sniff_dialect(header_line):
    try:
        return csv.Sniffer().sniff(header_line, delimiters=DELIMITERS)
    except csv.Error:
        counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=counts.get)

        class Dialect(csv.excel):
            delimiter = best if counts[best] else ";"

        return Dialect


def _clean(value):
    return normalise(_SURROGATES.sub(REPLACEMENT, value.replace("\x00", REPLACEMENT)))


def _single_line_messages():
    return {
        Problem.LINE_BREAK: _("kolonnen »%(column)s« står på flere linjer (et linjeskift i cellen)"),
        Problem.BIDI_CONTROL: _("kolonnen »%(column)s« indeholder usynlige tegn, der vender skriftretningen"),
        Problem.CONTROL: _("kolonnen »%(column)s« indeholder usynlige styretegn (fx et tabulatortegn)"),
    }


def _cell_problems(value, column_name, column):
    problems = []
    if "\x00" in value:
        problems.append(_("kolonnen »%(column)s« indeholder et NUL-tegn") % {"column": column_name})
    if _SURROGATES.search(value):
        problems.append(
            _("kolonnen »%(column)s« indeholder tegn, der ikke kan læses (gem filen som UTF-8)")
            % {"column": column_name}
        )
    if column is not None and column.single_line:
        messages = _single_line_messages()
        for problem in single_line_problems(value.replace("\x00", "").strip()):  # a NUL is reported above
            problems.append(messages[problem] % {"column": column_name})
    if column is not None and column.max_length and len(normalise(value)) > column.max_length:
        problems.append(
            _("kolonnen »%(column)s« er for lang (højst %(max)s tegn)")
            % {"column": column_name, "max": column.max_length}
        )
    return problems


def read_csv(data, columns, *, max_bytes, max_rows=None, undecodable="refuse", header_help=None):
    """Read a CSV file (bytes or text) into :class:`Row` objects; raise :class:`FileError` for the file.

    ``columns`` is a list of :class:`Column`. ``header_help`` is the message when the first
    line lacks a required column (default: a generic one naming them).
    """
    if len(data) > max_bytes:
        raise FileError(too_big_message(max_bytes))
    text = decode(data, undecodable)
    if not text.strip():
        raise FileError(_("Filen er tom."))
    reader = csv.reader(io.StringIO(text, newline=""), sniff_dialect(text.lstrip("\r\n").split("\n", 1)[0]))
    header = next(reader, [])
    positions, names = {}, {}
    for index, raw in enumerate(header):
        name = _clean(raw).strip().lstrip("\ufeff").casefold()
        for column in columns:
            if name in column.names and column.key not in positions:
                positions[column.key], names[column.key] = index, _clean(raw).strip()
    missing = [column.key for column in columns if column.required and column.key not in positions]
    if missing:
        raise FileError(
            header_help
            or _("Filens første linje skal være en overskrift med kolonnerne %(columns)s.")
            % {"columns": ", ".join(sorted(min(c.names) for c in columns if c.required))}
        )
    by_key = {column.key: column for column in columns}
    key_at = {position: key for key, position in positions.items()}
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problem = _("linjen kan ikke læses (en celle er for lang, eller et citationstegn mangler)")
            rows.append(Row(start, {}, [problem]))
            break  # the reader cannot find its place in the rest of the file
        if not any(cell.strip() for cell in record):
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise FileError(_("Filen har for mange linjer. Den må højst have %(max)s linjer.") % {"max": max_rows})
        row = Row(start, {})
        for index, cell in enumerate(record):
            key = key_at.get(index)
            row.problems.extend(_cell_problems(cell, names.get(key) or header_name(header, index), by_key.get(key)))
        for key, position in positions.items():
            row.values[key] = _clean(record[position]).strip() if position < len(record) else ""
        rows.append(row)
    return rows


def header_name(header, index):
    return _clean(header[index]).strip() if index < len(header) else str(index + 1)


def language_cell(value):
    """A »sprog« cell (a code or a name, as ``core.languages.parse`` reads them) as (code, problem):
    ``("", None)`` when empty (the caller's default, Danish, applies), ``("", message)`` when the
    language is not one of the site's."""
    if not value:
        return "", None
    code = languages.parse(value)
    if code is None:
        message = _("sproget »%(value)s« kendes ikke (skriv fx da, en, ar, fa, ur, tr, so, pl eller uk)")
        return "", message % {"value": value}
    return code, None


def line_message(line, problems):
    """»Linje 3: navnet mangler; … .« – one line's problems as one sentence."""
    return _("Linje %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(str(p) for p in problems)}


# --- Writing ---------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """The CSV file as text chunks: a BOM, then one line per row; every cell neutralised."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([neutralise_formula(value) for value in row])


def csv_bytes(rows):
    return "".join(csv_lines(rows)).encode("utf-8")


def csv_response(rows, filename):
    """A streaming CSV download (rows may be a generator: memory stays flat)."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    return _download(response, filename)


# Characters XML 1.0 cannot hold (openpyxl refuses them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_file(rows, sheet_title):
    """A workbook of ``rows`` (the first is the header) in a temporary file, opened for reading.

    Every cell is an explicit string, never a formula; text that looks like a formula also gets
    Excel's quote prefix. The caller closes the file (a FileResponse does).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for index, values in enumerate(rows):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet)
            text = _ILLEGAL_XML.sub("", str(value if value is not None else ""))
            # Assigning a value starting with "=" makes openpyxl write a formula: set the value,
            # then force the type back to an explicit string.
            cell.value = text
            cell.data_type = "s"
            cell.quotePrefix = text.startswith(FORMULA_PREFIXES)
            if index == 0:
                cell.font = bold
            else:
                cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by the response)
    workbook.save(handle.name)
    handle.seek(0)
    return handle


def xlsx_response(rows, filename, sheet_title):
    response = FileResponse(
        xlsx_file(rows, sheet_title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _download(response, filename)


def _download(response, filename):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
