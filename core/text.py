"""What people type into one-line fields – names, organisation names, postcodes – checked one way
for every form and every file import (issue 10: »inputs that slip through«).

* Text is normalised to NFC. »Café« typed with a combining accent (NFD, as macOS and some
  keyboards send it) is stored as the same characters as the precomposed »Café«, so the same
  name is one name: one party on a hearing list, one organisation in the hearing summary.
  :func:`name_key` is what two names are compared by (NFC, then casefold).
* A one-line field refuses line breaks (CR, LF, …), other control characters (tab, escape, …)
  and the bidi embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069, which
  make a name show as something else (»\u202eabc« displays as »cba«). Marks that scripts need
  (the zero-width non-joiner of Persian, the left-to-right and right-to-left marks) stay allowed.
* A postcode is four digits 0–9. A regular expression's ``\\d`` also matches Arabic-Indic and
  other digits (»١٢٣٤«), which are no Danish postcode.

Forms use :class:`SingleLineField` and :class:`PostcodeField`; the CSV reader
(``core.tabular``) normalises every cell and reports :func:`single_line_problems` per line for
the columns marked ``single_line``.
"""

import enum
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Embedding (LRE, RLE), pop (PDF), override (LRO, RLO) and isolate (LRI, RLI, FSI, PDI) controls.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Everything Python's str.splitlines() splits on.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
ASCII_DIGITS = frozenset("0123456789")


class Problem(enum.Enum):
    LINE_BREAK = "line_break"
    BIDI_CONTROL = "bidi_control"
    CONTROL = "control"


# What a form says for each problem (the field's label is shown above it).
MESSAGES = {
    Problem.LINE_BREAK: _("Skriv det på én linje uden linjeskift."),
    Problem.BIDI_CONTROL: _(
        "Teksten indeholder usynlige tegn, der vender skriftretningen. Skriv teksten selv i stedet for at kopiere den."
    ),
    Problem.CONTROL: _(
        "Teksten indeholder usynlige styretegn, fx et tabulatortegn. Skriv teksten selv i stedet for at kopiere den."
    ),
}


def normalise(value):
    """``value`` in Unicode normal form C (composed characters)."""
    return unicodedata.normalize("NFC", value) if value else value


def name_key(name):
    """What two names are compared by: NFC and casefolded (»CAFÉ« in NFD is »café« in NFC)."""
    return normalise(name or "").casefold()


def email_limit_key(email):
    """The address a per-email limit counts, not the one stored: »Lise+1@Example.DK«, »lise+x@example.dk«
    and »lise@example.dk« reach the same mailbox (plus-addressing, case), so they share one limit.

    Only the part after the first »+« of the local part is dropped; the address the user typed is what
    is stored and written to."""
    local, at, domain = normalise(email).strip().casefold().rpartition("@")
    if not at:
        return domain
    return local.split("+", 1)[0] + "@" + domain


def single_line_problems(value):
    """The problems of ``value`` as a one-line field, in a fixed order (empty when it is fine)."""
    found = set()
    for character in value or "":
        if character in LINE_BREAKS:
            found.add(Problem.LINE_BREAK)
        elif character in BIDI_CONTROLS:
            found.add(Problem.BIDI_CONTROL)
        elif unicodedata.category(character) == "Cc":
            found.add(Problem.CONTROL)
    return [problem for problem in Problem if problem in found]


def has_other_digits(value):
    """True if ``value`` holds a digit that is not 0–9 (Arabic-Indic, Persian, Devanagari …)."""
    return any(character.isdigit() and character not in ASCII_DIGITS for character in value or "")


def is_ascii_number(value, length):
    return len(value) == length and all(character in ASCII_DIGITS for character in value)


def check_single_line(value):
    """Raise a ValidationError with a Danish message for each problem of ``value`` as a one-line field."""
    problems = single_line_problems(value)
    if problems:
        raise ValidationError([ValidationError(MESSAGES[problem], code=problem.value) for problem in problems])


class SingleLineField(forms.CharField):
    """A one-line text field: NFC, no line breaks, control or bidi control characters."""

    def to_python(self, value):
        return normalise(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        check_single_line(value)


POSTCODE_MESSAGE = _("Skriv et postnummer med 4 cifre, fx 2500.")
POSTCODE_DIGITS_MESSAGE = _("Skriv postnummeret med cifrene 0-9, fx 2500.")


class PostcodeField(forms.CharField):
    """A Danish postcode: four digits 0–9, one clear message for anything else."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 4)
        super().__init__(**kwargs)
        self.validators = []  # validate() gives the one message; no second one for the length

    def to_python(self, value):
        return normalise(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if has_other_digits(value):
            raise ValidationError(POSTCODE_DIGITS_MESSAGE, code="digits")
        if not is_ascii_number(value, 4):
            raise ValidationError(self.error_messages.get("invalid", POSTCODE_MESSAGE), code="invalid")
