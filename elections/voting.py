"""Poll-card login with lockout, and the session that carries a voter from login to receipt.

Every failed login gets the same message, whatever failed (unknown code, wrong birth date,
too many attempts from this address, poll card locked). Failures are counted per client
address (keyed hash) over a window and per roll entry in total; successful logins are not
recorded. The session holds only the roll entry's id between login and casting – never the
chosen candidate, which travels in the confirm form – and is cleared when the vote is cast.
"""

import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clientip import client_ip

from . import crypto
from .models import PollCardFailure, Voter

logger = logging.getLogger("elections.voting")

FAILURE_WINDOW = timezone.timedelta(minutes=15)
MAX_CLIENT_FAILURES = 5
MAX_VOTER_FAILURES = 5
LOGIN_FAILED = _(
    "Koden eller fødselsdatoen er ikke rigtig, eller der har været for mange forsøg. "
    "Prøv igen om lidt, eller kontakt sekretariatet."
)
SESSION_VOTER = "elections.voter"
SESSION_RECEIPT = "elections.receipt"


def client_address(request):
    """The address failures are counted against: the proxy-aware one every rate limit uses."""
    return client_ip(request) or "unknown"


def authenticate(election, code, birth_date, address):
    """The roll entry for a correct code + birth date, else None (and the failure is counted)."""
    client_key = crypto.ip_key(address)
    since = timezone.now() - FAILURE_WINDOW
    client_failures = PollCardFailure.objects.filter(election=election, client_key=client_key, created_at__gte=since)
    voter = None
    if crypto.normalise_code(code):
        voter = election.voters.filter(poll_card_code_hash=crypto.poll_card_hash(election.pk, code)).first()
    if (
        client_failures.count() < MAX_CLIENT_FAILURES
        and voter is not None
        and voter.locked_at is None
        and voter.birth_date == birth_date
    ):
        return voter
    PollCardFailure.objects.create(election=election, client_key=client_key, voter=voter)
    voter_failures = PollCardFailure.objects.filter(voter=voter).count() if voter is not None else 0
    if voter is not None and voter.locked_at is None and voter_failures >= MAX_VOTER_FAILURES:
        Voter.objects.filter(pk=voter.pk).update(locked_at=timezone.now())
        election.log(
            "pollcard.lock",
            None,
            _("Et valgkort er spærret efter for mange forkerte forsøg."),
            card_number=voter.card_number,
        )
    logger.info("poll-card login failed for election %s", election.pk)
    return None


def start_session(request, election, voter):
    request.session.cycle_key()
    request.session[SESSION_VOTER] = {"election": election.pk, "voter": voter.pk}


def session_voter(request, election):
    """The roll entry that passed the code step in this session, or None."""
    data = request.session.get(SESSION_VOTER)
    if not data or data.get("election") != election.pk:
        return None
    return Voter.objects.filter(pk=data.get("voter"), election=election).first()


def finish_session(request, election, ballot):
    request.session.pop(SESSION_VOTER, None)
    request.session[SESSION_RECEIPT] = {"election": election.pk, "tracker": ballot.tracker}


def receipt_tracker(request, election):
    data = request.session.get(SESSION_RECEIPT)
    if not data or data.get("election") != election.pk:
        return None
    return data.get("tracker")
