"""Dates the way people write them: "18. december 2026 kl. 12.00" in Danish, "18 December 2026, 12:00" in English.

{% load dates %}{{ hearing.closes_at|long_datetime }}  {{ meeting.date|long_date }}
"""

from django import template
from django.utils import dateformat, timezone, translation

register = template.Library()

DATETIME_FORMATS = {"da": r"j. F Y \k\l. H.i", "en": "j F Y, H:i"}
DATE_FORMATS = {"da": "j. F Y", "en": "j F Y"}


def _format(value, formats):
    if value in (None, ""):
        return ""
    language = (translation.get_language() or "da")[:2]
    return dateformat.format(value, formats.get(language, formats["da"]))


@register.filter
def long_datetime(value):
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return _format(value, DATETIME_FORMATS)


@register.filter
def long_date(value):
    return _format(value, DATE_FORMATS)
