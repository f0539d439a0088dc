from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from .calendar import meetings_calendar
from .models import CouncilPage, MeetingPage


def _ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def all_councils_calendar(request):
    meetings = MeetingPage.objects.live().public().order_by("starts_at")
    return _ics_response(meetings_calendar(meetings, _("Møder i råd og udvalg"), request), "raad-og-udvalg.ics")


def council_calendar(request, slug):
    council = CouncilPage.objects.live().public().filter(slug=slug).first()
    if council is None:
        raise Http404
    meetings = MeetingPage.objects.child_of(council).live().public().order_by("starts_at")
    return _ics_response(meetings_calendar(meetings, council.title, request), f"{council.slug}.ics")
