"""iCalendar feeds per council and for all councils."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse

from . import factories

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_council_feed_holds_its_meetings_with_timezone_aware_times(client, valby, vesterbro):
    starts = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # 16.00 in Copenhagen
    meeting = factories.meeting(valby, "naeste-moede", "Rådsmøde", starts_at=starts, location="Valby Medborgerhus")
    factories.meeting(vesterbro, "andet", "Vesterbros møde")
    factories.meeting(valby, "kladde", "Kladde", live=False)
    found = events(client.get(reverse("councils:council_calendar", args=[valby.slug])))
    assert set(found) == {"Valby Lokaludvalg: Rådsmøde"}
    event = found["Valby Lokaludvalg: Rådsmøde"]
    assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")
    assert event["DTSTART"].dt == starts
    assert event["DTSTART"].dt.tzinfo is not None
    assert str(event["DTSTART"].dt.tzinfo) == "Europe/Copenhagen"
    assert event["DTSTART"].dt.hour == 16
    assert event["DTEND"].dt == starts + timedelta(hours=2)
    assert str(event["LOCATION"]) == "Valby Medborgerhus"
    assert str(event["URL"]) == meeting.full_url


def test_all_councils_feed_holds_every_live_meeting(client, valby, vesterbro):
    factories.meeting(valby, "moede", "Rådsmøde")
    factories.meeting(vesterbro, "moede", "Rådsmøde")
    found = events(client.get(reverse("councils:calendar")))
    assert set(found) == {"Valby Lokaludvalg: Rådsmøde", "Vesterbro Lokaludvalg: Rådsmøde"}


def test_unknown_council_feed_is_404(client, index):
    assert client.get(reverse("councils:council_calendar", args=["findes-ikke"])).status_code == 404
