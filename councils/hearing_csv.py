"""Import and export of a hearing list's parties as CSV.

Columns (header names in Danish or English, any order): navn/name, type/kind, e-mail/email,
råd/council (optional), aktiv/active (optional, default »ja«), sprog/language (optional: the
language of the party's invitations, a code or a name such as »so« or »somali«; default
Danish). Semicolons (Danish Excel) and
commas both work; UTF-8 is expected, Windows-1252 (older Excel) is accepted.

An import is all or nothing: every line is checked first, and if any line fails, nothing is
stored and the report names each failing line and why.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.tabular import Column, FileError, language_cell, line_message, read_csv
from core.text import name_key

from .models import CouncilPage, HearingParty, PartyKind

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
EXPORT_HEADER = ["navn", "type", "e-mail", "råd", "aktiv", "sprog"]
COLUMNS = [
    Column("name", {"navn", "name", "organisation", "part"}, required=True, max_length=200, single_line=True),
    Column("kind", {"type", "kind", "art"}),
    Column("email", {"e-mail", "email", "mail", "e-mailadresse", "kontakt-e-mail"}, required=True, max_length=254),
    Column("council", {"råd", "raad", "council", "rådets side"}),
    Column("active", {"aktiv", "active"}),
    Column("language", {"sprog", "language"}),
]
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


# The word for each party kind in a hearing-list file: the files are Danish (secretariats fill
# them in), so an export writes these words and an import accepts them.
FILE_WORDS = {
    PartyKind.PERSON: "privatperson",
    PartyKind.COMPANY: "virksomhed",
    PartyKind.ORGANISATION: "forening",
    PartyKind.COUNCIL: "raad",
    PartyKind.AUTHORITY: "myndighed",
}


def _kinds():
    """Accepted spellings of each party kind: the file word, the stored value and the Danish label."""
    lookup = {}
    for value, label in PartyKind.choices:
        lookup[value.casefold()] = value
        lookup[str(label).casefold()] = value
        lookup[FILE_WORDS[value]] = value
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
    """Check every line of a CSV file (bytes) and return the parties it would add, or the errors.

    A UTF-8 file with stray bytes that cannot be read is not guessed at: each such line is
    reported (a file with no UTF-8 at all is read as Windows-1252).
    """
    result = ParsedFile()
    try:
        rows = read_csv(
            data,
            COLUMNS,
            max_bytes=MAX_BYTES,
            max_rows=MAX_ROWS,
            undecodable="report",
            header_help=_(
                "Linje 1: filen skal have en overskriftslinje med kolonnerne navn, type, e-mail, råd, aktiv og sprog."
            ),
        )
    except FileError as error:
        result.errors.append(str(error))
        return result

    kinds, councils = _kinds(), _councils()
    # Names compare as core.text.name_key: »Café« typed in NFD is the »Café« already on the list.
    existing = {name_key(name) for name in hearing_list.parties.values_list("name", flat=True)}
    seen = {}
    for row in rows:
        problems = list(row.problems)
        name, email = row["name"], row["email"]
        kind_text, council_text, active_text = row["kind"], row["council"], row["active"].casefold()
        if not name:
            problems.append(_("navnet mangler"))
        elif name_key(name) in existing:
            problems.append(_("»%(name)s« står allerede på høringslisten") % {"name": name})
        elif name_key(name) in seen:
            problems.append(
                _("»%(name)s« står to gange i filen (også på linje %(line)s)")
                % {"name": name, "line": seen[name_key(name)]}
            )
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
                % {"kind": kind_text, "choices": ", ".join(FILE_WORDS[value] for value in PartyKind.values)}
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
            problems.append(_("aktiv skal være »ja« eller »nej«, ikke »%(value)s«") % {"value": row["active"]})
        language, language_problem = language_cell(row["language"])
        if language_problem:
            problems.append(language_problem)

        if problems:
            result.errors.append(line_message(row.line, problems))
        if name:
            seen.setdefault(name_key(name), row.line)
        if not problems:
            result.parties.append(
                HearingParty(
                    hearing_list=hearing_list,
                    name=name,
                    kind=kind,
                    email=email,
                    council=council,
                    active=active,
                    language=language or "da",
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


def export_rows(hearing_list):
    """The list's parties as rows (header first), importable again (write them with core.tabular)."""
    yield EXPORT_HEADER
    for party in hearing_list.parties.select_related("council").order_by("sort_order", "name"):
        yield [
            party.name,
            FILE_WORDS.get(party.kind, party.kind),
            party.email,
            party.council.title if party.council else "",
            _("ja") if party.active else _("nej"),
            party.language,
        ]
