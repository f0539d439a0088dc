"""Hearings' part of the dashboard work list (see core.dashboard)."""

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dashboard import WorkItem, WorkList
from core.permissions import editable_pages
from core.templatetags.dates import long_date

from .models import HearingPage, Invitation, Response
from .surveys.models import ParticipationKind, SurveyPage, SurveyParticipation

#: How far ahead a deletion date is announced.
DELETION_NOTICE = dt.timedelta(days=30)
#: A survey panel has low response when fewer than this share of its invited members have answered …
LOW_RESPONSE_SHARE = 0.3
#: … once its first invitations went out at least this long ago (a panel invited today has not had time).
LOW_RESPONSE_AFTER = dt.timedelta(days=3)


def work_lists(user, now):
    hearings = editable_pages(user, HearingPage).live()
    return [
        awaiting_moderation(hearings),
        past_deadline_without_summary(hearings, now),
        summary_without_decision(hearings),
        deletion_dates(hearings, now),
        invitations_not_sent(hearings, now),
        surveys_with_low_response(editable_pages(user, SurveyPage).live(), now),
    ]


def awaiting_moderation(hearings):
    """Hearings with responses that wait for moderation, the hearing with the oldest response first."""
    rows = (
        Response.objects.awaiting_moderation()
        .filter(hearing__in=hearings)
        .values("hearing", "hearing__title")
        .annotate(waiting=Count("pk"), oldest=Min("created_at"))
        .order_by("oldest")
    )
    items = [
        WorkItem(
            label=row["hearing__title"],
            url=reverse("consultations_response:list") + f"?hearing={row['hearing']}&status={Response.Status.RECEIVED}",
            detail=ngettext(
                "%(count)d svar afventer moderation, det ældste fra %(date)s",
                "%(count)d svar afventer moderation, det ældste fra %(date)s",
                row["waiting"],
            )
            % {"count": row["waiting"], "date": long_date(row["oldest"])},
        )
        for row in rows
    ]
    return WorkList("moderation", _("Svar der afventer moderation"), items)


def hearing_list(key, title, hearings, url_name, detail):
    """A work list of one item per hearing: its title, a link to its admin page ``url_name`` and ``detail(hearing)``."""
    items = [
        WorkItem(label=hearing.title, url=reverse(url_name, args=[hearing.pk]), detail=detail(hearing))
        for hearing in hearings
    ]
    return WorkList(key, title, items)


def past_deadline_without_summary(hearings, now):
    return hearing_list(
        "summary",
        _("Høringer efter fristen uden høringsnotat"),
        hearings.filter(closes_at__lt=now, summary_published_at__isnull=True).order_by("closes_at"),
        "consultations_admin_summary",
        lambda hearing: (
            _("Fristen var %(date)s; høringsnotatet er ikke offentliggjort") % {"date": long_date(hearing.closes_at)}
        ),
    )


def summary_without_decision(hearings):
    """Hearings whose høringsnotat is published but whose political decision is not recorded."""
    return hearing_list(
        "decision",
        _("Høringsnotater uden registreret beslutning"),
        hearings.filter(summary_published_at__isnull=False, decision__isnull=True).order_by("summary_published_at"),
        "consultations_admin_decision",
        lambda hearing: (
            _("Høringsnotatet blev offentliggjort %(date)s; beslutningen er ikke registreret")
            % {"date": long_date(hearing.summary_published_at)}
        ),
    )


def deletion_dates(hearings, now):
    today = timezone.localdate(now)

    def detail(hearing):
        if hearing.deletion_date < today:
            return _("Svarenes persondata skulle være slettet %(date)s") % {"date": long_date(hearing.deletion_date)}
        return _("Svarenes persondata slettes %(date)s") % {"date": long_date(hearing.deletion_date)}

    return hearing_list(
        "deletion",
        _("Slettedatoer inden for 30 dage"),
        hearings.filter(deletion_date__lte=today + DELETION_NOTICE, responses_deleted_at__isnull=True).order_by(
            "deletion_date"
        ),
        "consultations_admin_hearing",
        detail,
    )


def invitations_not_sent(hearings, now):
    """Open hearings with parties on their lists whose invitation never went out (no address, or not sent)."""
    rows = (
        Invitation.objects.filter(hearing__in=hearings.filter(opens_at__lte=now, closes_at__gt=now))
        .values("hearing", "hearing__title")
        .annotate(unsent=Count("pk", filter=Q(sent_at__isnull=True)))
        .filter(unsent__gt=0)
        .order_by("hearing__title")
    )
    items = [
        WorkItem(
            label=row["hearing__title"],
            url=reverse("consultations_admin_invitations", args=[row["hearing"]]),
            detail=ngettext("%(count)d invitation er ikke sendt", "%(count)d invitationer er ikke sendt", row["unsent"])
            % {"count": row["unsent"]},
        )
        for row in rows
    ]
    return WorkList("invitations", _("Invitationer der ikke er sendt"), items)


def surveys_with_low_response(surveys, now):
    """Open surveys' panels (or individually invited people) where under 30 % of those invited have
    answered, three days or more after the first invitation; the lowest share first."""
    rows = (
        SurveyParticipation.objects.filter(
            survey__in=surveys.open(now), kind=ParticipationKind.INVITED, invited_at__isnull=False
        )
        .values("survey", "survey__title", "panel__name")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(answered=True)), first=Min("invited_at"))
        .filter(first__lte=now - LOW_RESPONSE_AFTER)
    )
    low = [row for row in rows if row["answered"] < LOW_RESPONSE_SHARE * row["invited"]]
    low.sort(key=lambda row: (row["answered"] / row["invited"], row["survey__title"], row["panel__name"] or ""))
    items = [
        WorkItem(
            label=row["survey__title"],
            url=reverse("consultations_admin_survey", args=[row["survey"]]),
            detail=(
                _("%(panel)s: %(answered)d af %(invited)d inviterede har svaret (%(share)d %%)")
                if row["panel__name"]
                else _("%(answered)d af %(invited)d inviterede har svaret (%(share)d %%)")
            )
            % {
                "panel": row["panel__name"],
                "answered": row["answered"],
                "invited": row["invited"],
                "share": round(100 * row["answered"] / row["invited"]),
            },
        )
        for row in low
    ]
    return WorkList("survey_response", _("Brugerpaneler med lav svarprocent"), items)
