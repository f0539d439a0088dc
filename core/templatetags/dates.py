"""Dates the way people write them in each language of the site.

"18. december 2026 kl. 12.00" in Danish, "18 December 2026, 12:00" in English, "18 grudnia 2026,
12:00" in Polish (genitive month names: Django's "E"), "۱۸ دسامبر ۲۰۲۶، ساعت ۱۲:۰۰" in Farsi and
"١٨ ديسمبر ٢٠٢٦، الساعة ١٢:٠٠" in Arabic (the digits their readers use for dates). Codes, postcodes
and anything a reader types stay in Western digits.

{% load dates %}{{ hearing.closes_at|long_datetime }}  {{ meeting.date|long_date }}
"""

import datetime
import functools

from django import template
from django.utils import dateformat, timezone, translation

register = template.Library()

DATETIME_FORMATS = {
    "da": r"j. F Y \k\l. H.i",
    "en": "j F Y, H:i",
    "ar": r"j F Y، \ا\ل\س\ا\ع\ة H:i",
    "fa": r"j F Y، \س\ا\ع\ت H:i",
    "ur": "j F Y، H:i",
    "tr": "j F Y, H:i",
    "so": "j F Y, H:i",
    "pl": "j E Y, H:i",
    "uk": r"j E Y \р., H:i",
}
DATE_FORMATS = {
    "da": "j. F Y",
    "en": "j F Y",
    "ar": "j F Y",
    "fa": "j F Y",
    "ur": "j F Y",
    "tr": "j F Y",
    "so": "j F Y",
    "pl": "j E Y",
    "uk": r"j E Y \р.",
}
# Dates in Arabic and Farsi are written with the digits their readers expect.
DIGITS = {
    "ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
}


WEEKDAY_DATE_FORMATS = {language: f"l {fmt}" for language, fmt in DATE_FORMATS.items()}
WEEKDAY_DATETIME_FORMATS = {language: f"l {fmt}" for language, fmt in DATETIME_FORMATS.items()}
# The time of day alone (a meeting's end): "19.00" in Danish, "19:00" elsewhere.
TIME_FORMATS = {language: "H.i" if language == "da" else "H:i" for language in DATETIME_FORMATS}
# The kinds of text, by name (a hashable key for the cache below).
FORMATS = {
    "datetime": DATETIME_FORMATS,
    "date": DATE_FORMATS,
    "weekday_date": WEEKDAY_DATE_FORMATS,
    "weekday_datetime": WEEKDAY_DATETIME_FORMATS,
    "time": TIME_FORMATS,
}
# The kinds of a day alone: a moment is first turned into its local day.
DAY_KINDS = {"date", "weekday_date"}


def _format(value, kind):
    if value in (None, ""):
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    if kind in DAY_KINDS and isinstance(value, datetime.datetime):
        value = value.date()
    language = (translation.get_language() or "da")[:2]
    return _formatted(value, language, kind)


@functools.lru_cache(maxsize=4096)
def _formatted(value, language, kind):
    """The text of one date in one language (a pure function of both: a page's 20 responses of
    the same few days format each day once; dateformat costs ~0.1 ms a call)."""
    formats = FORMATS[kind]
    text = dateformat.format(value, formats.get(language, formats["da"]))  # month names: `language` is active
    return text.translate(DIGITS[language]) if language in DIGITS else text


def _date_filter(name, kind, example):
    """The template filter ``name``: a date or moment as text of ``kind`` in the active language."""

    def date_filter(value):
        return _format(value, kind)

    date_filter.__name__ = date_filter.__qualname__ = name
    date_filter.__doc__ = example
    return register.filter(name, date_filter)


long_datetime = _date_filter("long_datetime", "datetime", "»18. december 2026 kl. 12.00«, »18 December 2026, 12:00«")
long_date = _date_filter("long_date", "date", "»18. december 2026«, »18 December 2026«, »١٨ ديسمبر ٢٠٢٦«")
long_date_with_weekday = _date_filter(
    "long_date_with_weekday", "weekday_date", "»tirsdag 17. november 2026«, »Tuesday 17 November 2026«"
)
long_datetime_with_weekday = _date_filter(
    "long_datetime_with_weekday",
    "weekday_datetime",
    "»tirsdag 3. november 2026 kl. 17.00«, »Tuesday 3 November 2026, 17:00«",
)
clock_time = _date_filter("clock_time", "time", "»17.00« in Danish, »17:00« in the others (Arabic and Farsi digits)")
