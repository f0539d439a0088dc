"""Import and export of a hearing list's parties as CSV.

Columns (header names in Danish or English, any order): navn/name, type/kind, e-mail/email,
råd/council (optional), aktiv/active (optional, default »ja«). Semicolons (Danish Excel) and
commas both work; UTF-8 is expected, Windows-1252 (older Excel) is accepted.

An import is all or nothing: every line is checked first, and if any line fails, nothing is
stored and the report names each failing line and why.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.spreadsheets import neutralise_formula

from .models import CouncilPage, HearingParty, PartyKind

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
EXPORT_HEADER = ["navn", "type", "e-mail", "råd", "aktiv"]
COLUMN_ALIASES = {
    "name": {"navn", "name", "organisation", "part"},
    "kind": {"type", "kind", "art"},
    "email": {"e-mail", "email", "mail", "e-mailadresse", "kontakt-e-mail"},
    "council": {"råd", "raad", "council", "rådets side"},
    "active": {"aktiv", "active"},
}
TRUE_WORDS = {"ja", "j", "1", "x", "true", "yes", "sand", "aktiv", ""}
FALSE_WORDS = {"nej", "n", "0", "false", "no", "falsk", "inaktiv"}


class ImportRejected(Exception):
    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ParsedFile:
    parties: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(text):
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=";,\t")
    except csv.Error:
        return csv.excel


def _kinds():
    """Accepted spellings of each party kind: the stored value and the Danish label."""
    lookup = {}
    for value, label in PartyKind.choices:
        lookup[value.casefold()] = value
        lookup[str(label).casefold()] = value
    lookup["organisation"] = PartyKind.ORGANISATION
    lookup["råd"] = PartyKind.COUNCIL
    lookup["råd og nævn"] = PartyKind.COUNCIL
    return lookup


def _councils():
    lookup = {}
    for council in CouncilPage.objects.all():
        lookup[council.title.casefold()] = council
        lookup[council.slug.casefold()] = council
    return lookup


def parse(hearing_list, data):
    """Check every line of a CSV file (bytes) and return the parties it would add, or the errors."""
    result = ParsedFile()
    if len(data) > MAX_BYTES:
        result.errors.append(_("Filen er for stor. Den må højst fylde 2 MB."))
        return result
    text = _decode(data)
    if not text.strip():
        result.errors.append(_("Filen er tom."))
        return result
    reader = csv.reader(io.StringIO(text), _dialect(text))
    header = next(reader, [])
    columns = {}
    for position, raw in enumerate(header):
        name = raw.strip().casefold()
        for key, aliases in COLUMN_ALIASES.items():
            if name in aliases and key not in columns:
                columns[key] = position
    missing = [key for key in ("name", "email") if key not in columns]
    if missing:
        result.errors.append(
            _("Linje 1: filen skal have en overskriftslinje med kolonnerne navn, type, e-mail, råd og aktiv.")
        )
        return result

    kinds, councils = _kinds(), _councils()
    existing = {name.casefold() for name in hearing_list.parties.values_list("name", flat=True)}
    seen = {}
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if line_number > MAX_ROWS + 1:
            result.errors.append(
                _("Filen har for mange linjer. Importér højst %(max)s parter ad gangen.") % {"max": MAX_ROWS}
            )
            break

        def cell(key, row=row):
            position = columns.get(key)
            return row[position].strip() if position is not None and position < len(row) else ""

        problems = []
        name = cell("name")
        email = cell("email")
        kind_text = cell("kind")
        council_text = cell("council")
        active_text = cell("active").casefold()
        if not name:
            problems.append(_("navnet mangler"))
        elif name.casefold() in existing:
            problems.append(_("»%(name)s« står allerede på høringslisten") % {"name": name})
        elif name.casefold() in seen:
            problems.append(
                _("»%(name)s« står to gange i filen (også på linje %(line)s)")
                % {"name": name, "line": seen[name.casefold()]}
            )
        if len(name) > 200:
            problems.append(_("navnet er for langt (højst 200 tegn)"))
        if not email:
            problems.append(_("e-mailadressen mangler"))
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("»%(email)s« er ikke en gyldig e-mailadresse") % {"email": email})
        kind = kinds.get(kind_text.casefold()) if kind_text else PartyKind.ORGANISATION
        if kind is None:
            problems.append(
                _("ukendt type »%(kind)s« (brug en af: %(choices)s)")
                % {"kind": kind_text, "choices": ", ".join(value for value, _label in PartyKind.choices)}
            )
        council = None
        if council_text:
            council = councils.get(council_text.casefold())
            if council is None:
                problems.append(_("ukendt råd »%(council)s«") % {"council": council_text})
        if active_text in TRUE_WORDS:
            active = True
        elif active_text in FALSE_WORDS:
            active = False
        else:
            active = True
            problems.append(_("aktiv skal være »ja« eller »nej«, ikke »%(value)s«") % {"value": cell("active")})

        if problems:
            result.errors.append(
                _("Linje %(line)s: %(problems)s.") % {"line": line_number, "problems": "; ".join(problems)}
            )
        if name:
            seen.setdefault(name.casefold(), line_number)
        if not problems:
            result.parties.append(
                HearingParty(
                    hearing_list=hearing_list, name=name, kind=kind, email=email, council=council, active=active
                )
            )
    if not result.errors and not result.parties:
        result.errors.append(_("Filen indeholder ingen parter."))
    return result


def import_parties(hearing_list, data):
    """Add the file's parties to the list, all or nothing. Returns the number added; raises ImportRejected."""
    parsed = parse(hearing_list, data)
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    with transaction.atomic():
        start = (hearing_list.parties.aggregate(m=Max("sort_order"))["m"] or 0) + 1
        for offset, party in enumerate(parsed.parties):
            party.sort_order = start + offset
        HearingParty.objects.bulk_create(parsed.parties)
    return len(parsed.parties)


def export_parties(hearing_list):
    """The list's parties as CSV text (semicolon-separated, like Danish Excel), importable again."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";")
    writer.writerow(EXPORT_HEADER)
    for party in hearing_list.parties.select_related("council").order_by("sort_order", "name"):
        writer.writerow(
            [
                neutralise_formula(party.name),
                party.kind,
                neutralise_formula(party.email),
                neutralise_formula(party.council.title if party.council else ""),
                _("ja") if party.active else _("nej"),
            ]
        )
    return output.getvalue()
