"""Councils' part of the dashboard work list (see core.dashboard)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import WorkItem, WorkList
from core.permissions import editable_pages
from core.templatetags.dates import long_date

from .models import MeetingPage


def work_lists(user, now):
    return [meetings_without_minutes(user, now)]


def meetings_without_minutes(user, now):
    """Meetings that have been held and have neither a minutes document nor minutes text."""
    held = Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=now)
    rows = (
        editable_pages(user, MeetingPage)
        .live()
        .filter(held, minutes_document__isnull=True, minutes_text="")
        .order_by("starts_at")
    )
    items = [
        WorkItem(
            label=meeting.title,
            url=reverse("wagtailadmin_pages:edit", args=[meeting.pk]),
            detail=_("Holdt %(date)s; referatet mangler") % {"date": long_date(meeting.starts_at)},
        )
        for meeting in rows
    ]
    return WorkList("minutes", _("Møder uden referat"), items)
