"""When the poll book may be used: check-ins while voting is open (on election day, if one is set),
the paper count after the polls close and until the election is counted."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def polls_closed(election, now=None):
    now = now or timezone.now()
    return bool(election.closed_at) or now >= election.voting_closes_at


def check_in_refusal(election):
    """Why voters cannot be checked in now, or None."""
    now = timezone.now()
    if polls_closed(election, now):
        return _("Afstemningen er lukket. Der kan ikke tjekkes flere vælgere ind.")
    if not election.voting_opened_at or now < election.voting_opens_at:
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
    if not polls_closed(election):
        return _("Optællingen kan først indtastes, når afstemningen er lukket.")
    if election.counted_at:
        return _("Valget er optalt. Optællingerne af papirstemmer kan ikke ændres.")
    return None
