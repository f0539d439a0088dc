"""Elections' part of the dashboard work list: the next step of each election (see core.dashboard)."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dashboard import WorkItem, WorkList
from core.permissions import editable_pages
from core.templatetags.dates import long_datetime

from .models import Candidate, ElectionPage, Stage, Voter


def next_step(election, now):
    """What the secretariat has to do next for ``election``, in its words; None when nothing is left."""
    stage = election.stage_at(now)
    if stage in (Stage.NOT_OPEN, Stage.NOMINATING):
        if not election.voter_count:
            return _("Valglisten er ikke indlæst")
        if not election.roll_frozen_at:
            return _("Valglisten er ikke låst")
        if election.pending_count:
            return ngettext(
                "%(count)d kandidat afventer godkendelse",
                "%(count)d kandidater afventer godkendelse",
                election.pending_count,
            ) % {"count": election.pending_count}
        if not election.nominations_closed_at:
            if election.nominations_close_at and now < election.nominations_close_at:
                return _("Kandidatlisten lukkes efter %(date)s") % {
                    "date": long_datetime(election.nominations_close_at)
                }
            return _("Kandidatlisten er ikke lukket")
        if not election.voting_opened_at:
            return _("Afstemningen er ikke åbnet (den skal åbne %(date)s)") % {
                "date": long_datetime(election.voting_opens_at)
            }
        return None
    if stage == Stage.VOTING:
        return _("Afstemningen er åben til %(date)s; den afsluttes derefter") % {
            "date": long_datetime(election.voting_closes_at)
        }
    if stage == Stage.CLOSED:
        if not election.closed_at:
            return _("Afstemningsperioden er slut: afslut afstemningen")
        return _("Stemmerne er ikke optalt")
    if stage == Stage.COUNTED:
        return _("Resultatet er ikke offentliggjort")
    if stage in (Stage.PUBLISHED, Stage.UNCONTESTED) and not election.appointed_at:
        return _("Udpegningen til rådet er ikke registreret")
    return None


def work_lists(user, now):
    pending = (
        Candidate.objects.filter(election=OuterRef("pk"), status=Candidate.Status.PENDING)
        .values("election")
        .annotate(n=Count("pk"))
        .values("n")
    )
    elections = (
        editable_pages(user, ElectionPage)
        .live()
        .filter(appointed_at__isnull=True)
        .annotate(
            voter_count=Exists(Voter.objects.filter(election=OuterRef("pk"))),
            pending_count=Coalesce(Subquery(pending, output_field=IntegerField()), 0),
        )
        .order_by("voting_opens_at")
    )
    items = []
    for election in elections:
        step = next_step(election, now)
        if step:
            items.append(
                WorkItem(label=election.title, url=reverse("elections_admin:detail", args=[election.pk]), detail=step)
            )
    return [WorkList("elections", _("Valg: næste skridt"), items)]
