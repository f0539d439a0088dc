"""How the site reads a date a person types: one list for every form and file.

Day-month-year with a dash, dot, slash or space, or as eight digits (what people type in Denmark:
24-12-1990, 24.12.1990, 24/12/1990, 24 12 1990, 24121990), and the ISO form (1990-12-24) that a
browser's date field, a spreadsheet or an old draft sends. Used by the survey's date question, the
poll-card login and nomination forms, the poll book's look-up and the voter-roll import, so a voter
who types their birth date one way on paper and online is understood the same everywhere.

Digits alone are a date only as all eight: ``strptime`` reads ``%d%m%Y`` with one-digit days and
months, so »241290« (a two-digit year, as in a CPR number) would be 2 April 1290 and »1121990«
either of two dates.
"""

import datetime

from django import forms

COMPACT = "%d%m%Y"
DATE_INPUT_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d %m %Y", COMPACT, "%Y-%m-%d")


def _read(text, fmt):
    """``text`` as a date in ``fmt``; digits alone only as all eight. ValueError when it is not."""
    if fmt == COMPACT and not (text.isdigit() and len(text) == 8):
        raise ValueError(text)
    return datetime.datetime.strptime(text, fmt).date()


def parse_typed_date(value):
    """The date in ``value`` (white space folded), or None when it is not one of DATE_INPUT_FORMATS."""
    typed = " ".join(str(value or "").split())
    for fmt in DATE_INPUT_FORMATS:
        try:
            return _read(typed, fmt)
        except ValueError:
            continue
    return None


class TypedDateField(forms.DateField):
    """A form's date field that reads what a person types with ``parse_typed_date``."""

    input_formats = DATE_INPUT_FORMATS

    def strptime(self, value, format):
        return _read(value, format)
