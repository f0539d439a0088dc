"""The daily notice of new hearing responses for secretariat members who asked for it.

Run once a day (``manage.py send_daily_response_notices`` from cron or a systemd timer, or the
``send_daily_response_notices_task`` task). A member with ``User.daily_response_notice`` gets one
email listing the responses confirmed in the 24 hours before the run to the hearings they may
edit; nobody gets an email when there is nothing new.
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from wagtail.admin.views.account import BaseSettingsPanel

from core.emails import Email, absolute_url
from core.permissions import editable_pages

from .models import HearingPage, Response

PERIOD = dt.timedelta(days=1)


def new_responses(user, since, until):
    """Responses confirmed in [since, until) to the hearings ``user`` may edit, by hearing."""
    return (
        Response.objects.confirmed()
        .filter(hearing__in=editable_pages(user, HearingPage), confirmed_at__gte=since, confirmed_at__lt=until)
        .select_related("hearing")
        .order_by("hearing__title", "confirmed_at")
    )


class DailyResponseNoticeEmail(Email):
    template = "consultations/admin/emails/daily_response_notice"

    def get_language(self):
        profile = getattr(self.object, "wagtail_userprofile", None)
        return (profile and profile.preferred_language) or "da"

    @cached_property
    def responses(self):
        since, until = parse_datetime(self.kwargs["since"]), parse_datetime(self.kwargs["until"])
        return list(new_responses(self.object, since, until))

    def should_send(self):
        return self.object.is_active and self.object.daily_response_notice and bool(self.responses)

    def get_context(self):
        responses = self.responses
        hearings = {}
        for response in responses:
            hearings.setdefault(response.hearing, []).append(response)
        return {
            "user": self.object,
            "hearings": [
                {
                    "hearing": hearing,
                    "responses": items,
                    "url": absolute_url(reverse("consultations_response:list") + f"?hearing={hearing.pk}"),
                }
                for hearing, items in hearings.items()
            ],
            "count": len(responses),
        }


def send_daily_response_notices(now=None):
    """Queue one notice per member who asked for it and has new responses; return how many."""
    until = now or timezone.now()
    since = until - PERIOD
    sent = 0
    members = get_user_model().objects.filter(is_active=True, daily_response_notice=True).exclude(email="")
    for user in members:
        if new_responses(user, since, until).exists():
            DailyResponseNoticeEmail.send(user, since=since.isoformat(), until=until.isoformat())
            sent += 1
    return sent


@task()
def send_daily_response_notices_task():
    return send_daily_response_notices()


class DailyNoticeForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["daily_response_notice"]


class DailyNoticeSettingsPanel(BaseSettingsPanel):
    """»Underretninger« in the admin account settings: the opt-in, shown to those who edit hearings."""

    name = "medborger_daily_notice"
    title = _("Daglig mail om nye høringssvar")
    order = 400
    form_class = DailyNoticeForm

    def is_active(self):
        return editable_pages(self.user, HearingPage).exists()
