"""iCalendar feeds of council meetings, written with the icalendar library."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import CouncilPage

DEFAULT_MEETING_LENGTH = timedelta(hours=2)


def meeting_uid(meeting):
    host = settings.BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "medborger"
    return f"meeting-{meeting.pk}@{host}"


def meetings_calendar(meetings, name, request=None):
    """A VCALENDAR with one VEVENT per meeting; times are in the site's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Medborger//Raad og udvalg//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    council_titles = dict(CouncilPage.objects.values_list("path", "title"))
    for meeting in meetings:
        council_title = council_titles.get(meeting.path[: -CouncilPage.steplen], "")
        event = icalendar.Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        event.add("dtend", (meeting.ends_at or meeting.starts_at + DEFAULT_MEETING_LENGTH).astimezone(zone))
        event.add("summary", f"{council_title}: {meeting.title}")
        event.add("location", meeting.location)
        url = meeting.get_full_url(request)
        if url:
            event.add("url", url)
        event.add("class", "PUBLIC" if meeting.is_open else "CONFIDENTIAL")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar
