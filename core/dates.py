"""How the site reads a date a person types: one list for every form and file.

Day-month-year with a dash, dot, slash or space, or as eight digits (what people type in Denmark:
24-12-1990, 24.12.1990, 24/12/1990, 24 12 1990, 24121990), and the ISO form (1990-12-24) that a
browser's date field, a spreadsheet or an old draft sends. Used by the survey's date question, the
poll-card login and nomination forms, the poll book's look-up and the voter-roll import, so a voter
who types their birth date one way on paper and online is understood the same everywhere.
"""

import datetime

DATE_INPUT_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d %m %Y", "%d%m%Y", "%Y-%m-%d")


def parse_typed_date(value):
    """The date in ``value`` (white space folded), or None when it is not one of DATE_INPUT_FORMATS."""
    typed = " ".join(str(value or "").split())
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(typed, fmt).date()
        except ValueError:
            continue
    return None
