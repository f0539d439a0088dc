from datetime import UTC, date, datetime

from django.utils import translation

from core.templatetags.dates import long_date, long_datetime


def test_long_datetime_in_danish_and_english_local_time():
    moment = datetime(2026, 12, 18, 11, 0, tzinfo=UTC)  # 12.00 in Copenhagen
    with translation.override("da"):
        assert long_datetime(moment) == "18. december 2026 kl. 12.00"
    with translation.override("en"):
        assert long_datetime(moment) == "18 December 2026, 12:00"


def test_long_date():
    with translation.override("da"):
        assert long_date(date(2027, 1, 2)) == "2. januar 2027"
    with translation.override("en"):
        assert long_date(date(2027, 1, 2)) == "2 January 2027"
    assert long_date(None) == ""
    assert long_datetime(None) == ""
