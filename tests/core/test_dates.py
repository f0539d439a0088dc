from datetime import UTC, date, datetime

from django.utils import translation

from core.templatetags.dates import long_date, long_date_with_weekday, long_datetime


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


def test_the_same_moment_is_written_in_each_readers_language_and_local_day_every_time():
    """Each date's text is kept once made (core.templatetags.dates._formatted): per language, and
    for long_date per local day, so 23.30 UTC on 31 December is 1 January in Copenhagen."""
    late_evening = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    for _round in range(2):
        for language, day, moment in (
            ("da", "1. januar 2027", "1. januar 2027 kl. 00.30"),
            ("pl", "1 stycznia 2027", "1 stycznia 2027, 00:30"),
            ("ar", "١ يناير ٢٠٢٧", "١ يناير ٢٠٢٧، الساعة ٠٠:٣٠"),
            ("da", "1. januar 2027", "1. januar 2027 kl. 00.30"),
        ):
            with translation.override(language):
                assert long_date(late_evening) == day
                assert long_datetime(late_evening) == moment


def test_the_election_day_is_written_with_its_weekday_in_each_language():
    day = date(2026, 11, 17)
    for language, text in (
        ("da", "tirsdag 17. november 2026"),
        ("en", "Tuesday 17 November 2026"),
        ("ar", "الثلاثاء ١٧ نوفمبر ٢٠٢٦"),
    ):
        with translation.override(language):
            assert long_date_with_weekday(day) == text
        with translation.override(language):
            assert long_date(day) == text.split(" ", 1)[1]  # the same day without it, from the cache kept apart
