"""What the page cache (core.cache) must purge when council pages change."""

from django.urls import reverse

from core.cache import dependent_urls

from .models import CouncilPage, MeetingPage


@dependent_urls(MeetingPage)
def meeting_calendars(meeting):
    """Meetings are in the calendar of all councils and in their council's (the council page itself
    is an ancestor and purged anyway)."""
    urls = [reverse("councils:calendar")]
    council = meeting.get_parent()
    if council is not None:
        urls.append(reverse("councils:council_calendar", args=[council.slug]))
    return urls


@dependent_urls(CouncilPage)
def council_calendar(council):
    return [reverse("councils:calendar"), reverse("councils:council_calendar", args=[council.slug])]
