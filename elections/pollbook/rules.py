"""When the poll book may be used: check-ins while voting is open (on election day, if one is set),
the paper count after the polls close and until the election is counted. Both follow the
election's ``stage`` (``ElectionPage.stage_at``)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import POLLS_CLOSED, Stage


def check_in_refusal(election):
    """Why voters cannot be checked in now, or None."""
    now = timezone.now()
    stage = election.stage_at(now)
    if stage in POLLS_CLOSED:
        return _("Afstemningen er lukket. Der kan ikke tjekkes flere vælgere ind.")
    if stage != Stage.VOTING:
        return _("Afstemningen er ikke åbnet endnu. Der kan ikke tjekkes vælgere ind.")
    if election.election_day and timezone.localdate(now) != election.election_day:
        return _("Vælgere kan kun tjekkes ind på valgstedet på valgdagen, %(day)s.") % {
            "day": date_format(election.election_day, "DATE_FORMAT")
        }
    return None


def count_refusal(election):
    """Why the paper count cannot be entered or confirmed now, or None."""
    if not election.voting_opened_at:
        return _("Afstemningen er ikke åbnet, så der er ingen stemmer at tælle op.")
    if not election.polls_closed:
        return _("Optællingen kan først indtastes, når afstemningen er lukket.")
    if election.stage != Stage.CLOSED:
        return _("Valget er optalt. Optællingerne af papirstemmer kan ikke ændres.")
    return None
