"""Voter roll import and poll-card letters.

The municipality hands over a CSV file with one voter a line: personal number, name, birth
date, address, polling place (and, for elections with group voting, the group). Headers
may be Danish or English; ``;`` or ``,`` separates columns.

Import (``import_roll``): every line is checked; if any line fails, nothing is imported and
the report lists every bad line. Good files are stored in shuffled order with the personal
number only as ``voter_key`` (keyed HMAC). The address is *not* stored.

Poll-card letters (``make_letters``): the platform keeps neither addresses nor plaintext
codes, so the secretariat uploads the municipality's file again when it orders the letters.
Each line is matched to its roll entry by voter key, a fresh random code is generated and
only its keyed hash stored, and the letters (CSV for a print house, or PDF) are returned in
that one response. Earlier codes of those voters stop working. Uploading a file with one
line re-issues a lost poll card. Voters who have already voted get no new code.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import parse_typed_date
from core.tabular import Column, FileError, csv_bytes, language_cell, read_csv

from . import crypto
from .letters import render_pdf
from .models import ElectionError, Voter

MAX_BYTES = 50 * 1024 * 1024
COLUMNS = [
    Column(
        "personal_number",
        {"personnummer", "cpr", "cpr-nummer", "cprnummer", "personal_number", "personal number"},
        required=True,
    ),
    Column("name", {"navn", "name"}, required=True, max_length=200, single_line=True),
    Column("birth_date", {"fødselsdato", "foedselsdato", "birth_date", "birth date", "birthdate"}, required=True),
    Column("address", {"adresse", "address"}, required=True),
    Column("polling_place", {"valgsted", "polling_place", "polling place"}, required=True),
    Column("group", {"gruppe", "group"}),
    # The voter's language for the poll-card letter (code or name, e.g. "fa" or "farsi"); Danish when empty.
    Column("language", {"sprog", "language"}),
]
MAX_REPORTED = 500


@dataclass
class RollLine:
    line: int
    voter_key: str
    name: str
    birth_date: datetime.date
    address: str
    polling_place: object
    group: object = None
    language: str = ""


@dataclass
class RollReport:
    """What happened to a file: the good lines, and a Danish message for every bad one."""

    lines: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # [(line number, message)]
    file_error: str = ""
    imported: int = 0

    @property
    def ok(self):
        return not self.errors and not self.file_error

    @property
    def error_count(self):
        return len(self.errors)

    @property
    def shown_errors(self):
        return self.errors[:MAX_REPORTED]


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_file(election, data, *, for_letters=False):
    """Read and check every line. ``for_letters`` checks that each line IS on the roll instead."""
    report = RollReport()
    try:
        rows = read_csv(
            data,
            COLUMNS,
            max_bytes=MAX_BYTES,
            undecodable="refuse",
            header_help=_(
                "Filens første linje skal være en overskrift med kolonnerne personnummer, navn, "
                "fødselsdato, adresse og valgsted (og evt. gruppe)."
            ),
        )
    except FileError as error:
        report.file_error = str(error)
        return report
    if not rows:
        report.file_error = _("Filen indeholder ingen vælgere.")
        return report
    places = {}
    for place in election.polling_places.all():
        places[place.code.strip().lower()] = place
        places[place.name.strip().lower()] = place
    groups = {}
    for group in election.groups.all():
        groups[group.name.strip().lower()] = group
        if group.code:
            groups[group.code.strip().lower()] = group
    existing = dict(Voter.objects.filter(election=election).values_list("voter_key", "pk"))
    reference_day = election.age_reference_date
    seen = {}
    for row in rows:
        number, problems = row.line, list(row.problems)
        digits = crypto.normalise_personal_number(row["personal_number"])
        key = None
        if digits is None:
            problems.append(_("personnummeret skal have 10 cifre (DDMMÅÅ-XXXX)"))
        else:
            key = crypto.voter_key(digits)
            if key in seen:
                problems.append(_("personnummeret står også i linje %(line)s") % {"line": seen[key]})
            elif for_letters and key not in existing:
                problems.append(_("personen står ikke på valglisten"))
            elif not for_letters and key in existing:
                problems.append(_("personen står allerede på valglisten"))
            seen.setdefault(key, number)
        if not row["name"]:
            problems.append(_("navn mangler"))
        birth_date = parse_typed_date(row["birth_date"])
        if birth_date is None:
            problems.append(
                _("fødselsdatoen »%(value)s« er ikke en gyldig dato (DD-MM-ÅÅÅÅ)") % {"value": row["birth_date"]}
            )
        else:
            if digits and digits[:6] != birth_date.strftime("%d%m%y"):
                problems.append(_("fødselsdatoen passer ikke til personnummeret"))
            if age_on(birth_date, reference_day) < election.minimum_age:
                problems.append(_("personen er under %(age)s år på valgdagen") % {"age": election.minimum_age})
        place = places.get(row["polling_place"].lower())
        if place is None:
            problems.append(_("valgstedet »%(value)s« findes ikke") % {"value": row["polling_place"]})
        group = None
        if row["group"]:
            group = groups.get(row["group"].lower())
            if group is None:
                problems.append(_("gruppen »%(value)s« findes ikke") % {"value": row["group"]})
        elif election.group_voting_restricted and groups:
            problems.append(_("gruppe mangler"))
        language, language_problem = language_cell(row["language"])
        if language_problem:
            problems.append(language_problem)
        if problems:
            text = "; ".join(str(p) for p in problems)
            report.errors.append((number, text[:1].upper() + text[1:] + "."))
        elif key:
            report.lines.append(RollLine(number, key, row["name"], birth_date, row["address"], place, group, language))
    return report


def import_roll(election, data, user=None):
    """Import a roll file. All or nothing; returns the report (``report.ok``, ``report.imported``)."""
    if election.is_roll_frozen:
        raise ElectionError(_("Valglisten er låst og kan ikke ændres."))
    report = check_file(election, data)
    if not report.ok:
        return report
    lines = list(report.lines)
    random.SystemRandom().shuffle(lines)
    with transaction.atomic():
        locked = type(election).objects.select_for_update().get(pk=election.pk)
        if locked.roll_frozen_at:
            raise ElectionError(_("Valglisten er låst og kan ikke ændres."))
        start = (Voter.objects.filter(election=election).aggregate(m=Max("card_number"))["m"] or 0) + 1
        Voter.objects.bulk_create(
            (
                Voter(
                    election=election,
                    voter_key=line.voter_key,
                    card_number=start + index,
                    name=line.name,
                    birth_date=line.birth_date,
                    polling_place=line.polling_place,
                    group=line.group,
                )
                for index, line in enumerate(lines)
            ),
            batch_size=2000,
        )
        report.imported = len(lines)
        election.log(
            "roll.import",
            user,
            _("%(count)s vælgere importeret til valglisten.") % {"count": len(lines)},
            imported=len(lines),
        )
    return report


def clear_roll(election, user=None):
    """Remove every voter from a roll that is not yet frozen."""
    with transaction.atomic():
        locked = type(election).objects.select_for_update().get(pk=election.pk)
        if locked.roll_frozen_at:
            raise ElectionError(_("Valglisten er låst og kan ikke ændres."))
        removed, _details = election.voters.all().delete()
        election.log("roll.clear", user, _("Valglisten er tømt."), removed=removed)


# --- Poll-card letters ------------------------------------------------------------------


@dataclass
class Letter:
    card_number: int
    name: str
    address: str
    birth_date: datetime.date
    code: str
    polling_place: object
    language: str = ""  # from the letters file; empty: the language chosen for the whole batch


def issue_codes(election, report, user=None):
    """Give every voter in a checked letters file a new code. Returns letters (plaintext codes, once)."""
    if election.closed_at:
        raise ElectionError(_("Afstemningen er afsluttet."))
    by_key = {line.voter_key: line for line in report.lines}
    letters = []
    with transaction.atomic():
        voters = list(Voter.objects.select_for_update().filter(election=election, voter_key__in=list(by_key)))
        voted = [v for v in voters if v.voted_channel]
        if voted:
            report.errors.extend(
                (by_key[v.voter_key].line, _("Personen har allerede stemt og får ikke et nyt valgkort.")) for v in voted
            )
            report.errors.sort()
            return []
        now = datetime.datetime.now(tz=datetime.UTC)
        for voter in voters:
            code = crypto.new_poll_card_code()
            voter.poll_card_code_hash = crypto.poll_card_hash(election.pk, code)
            voter.poll_card_issued_at = now
            voter.locked_at = None
            line = by_key[voter.voter_key]
            letters.append(
                Letter(
                    voter.card_number,
                    voter.name,
                    line.address,
                    voter.birth_date,
                    code,
                    voter.polling_place,
                    line.language,
                )
            )
        Voter.objects.bulk_update(voters, ["poll_card_code_hash", "poll_card_issued_at", "locked_at"], batch_size=2000)
        election.log(
            "pollcards.issue",
            user,
            _("%(count)s valgkort udstedt med nye koder.") % {"count": len(letters)},
            issued=len(letters),
        )
    letters.sort(key=lambda letter: letter.card_number)
    return letters


def letters_csv(election, letters, language="da"):
    """CSV for a print house: one row per letter, with the text fields the letter template needs."""
    with translation.override(language):
        return csv_bytes(_letter_rows(election, letters, language))


def _letter_rows(election, letters, language):
    yield [
        _("valgkortnummer"),
        _("navn"),
        _("adresse"),
        _("kode"),
        _("valgsted"),
        _("valgstedets adresse"),
        _("stem online fra"),
        _("stem online til"),
        _("valgdag"),
        _("adresse til onlineafstemning"),
        _("sprog"),
    ]
    vote_url = settings.BASE_URL.rstrip("/") + election.vote_path
    for letter in letters:
        yield [
            letter.card_number,
            letter.name,
            letter.address,
            letter.code,
            letter.polling_place.name,
            letter.polling_place.address,
            _format_datetime(election.voting_opens_at),
            _format_datetime(election.voting_closes_at),
            election.election_day.strftime("%d-%m-%Y") if election.election_day else "",
            vote_url,
            letter.language or language,
        ]


def _format_datetime(value):
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")


def letters_pdf(election, letters, language="da"):
    """One A4 letter per voter in the voter's language (``language`` when the file gives none)."""
    return render_pdf(election, letters, language)
