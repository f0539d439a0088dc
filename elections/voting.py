"""Poll-card login with lockout, and the signed cookies that carry a voter from login to receipt.

Every failed login gets the same message, whatever failed (unknown code, wrong birth date, poll
card locked). What locks is the poll card: ``MAX_VOTER_FAILURES`` wrong birth dates with its code,
in total, and the secretariat issues a new one. The address never locks: voters behind one address
(a library, a language school, a mobile operator's NAT) each log in with their own card while
someone there guesses. Per address only refused attempts count (keyed hash, over the window), and
after ``LOGIN_FAILURES_FREE`` of them the address waits a growing delay (core.throttle) before its
next attempt is checked; an attempt inside the wait is told how long to wait, is not checked and
is not counted (the message depends on the address only, never on the code typed). Successful
logins are not recorded.

Between login and casting a signed cookie (path /valg/<id>/stem/, 30 minutes) holds the
roll entry's id; after the cast it is replaced by a signed receipt cookie (tracker and board head,
15 minutes). Nothing of the vote is in the server's session table, and the readable choice never
leaves the voter's browser (the ballot page posts only the encrypted ballot).
"""

import logging

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import throttle
from core.clientip import client_ip

from . import crypto
from .models import PollCardFailure, Voter

logger = logging.getLogger("elections.voting")

MAX_VOTER_FAILURES = 5
LOGIN_FAILED = _(
    "Koden eller fødselsdatoen er ikke rigtig, eller der har været for mange forsøg. "
    "Prøv igen om lidt, eller kontakt sekretariatet."
)
VOTER_COOKIE = "medborger_stem"
VOTER_SALT = "elections.voter"
VOTER_MAX_AGE = timezone.timedelta(minutes=30)
RECEIPT_COOKIE = "medborger_kvittering"
RECEIPT_SALT = "elections.receipt"
RECEIPT_MAX_AGE = timezone.timedelta(minutes=15)


def client_address(request):
    """The address failures are counted against: the proxy-aware one every rate limit uses."""
    return client_ip(request) or "unknown"


def _client_failures(election, address):
    since = timezone.now() - timezone.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    return PollCardFailure.objects.filter(election=election, client_key=crypto.ip_key(address), created_at__gte=since)


def seconds_to_wait(election, address):
    """Seconds this address waits before its next attempt is checked (0: check it now)."""
    failures = _client_failures(election, address).order_by("-created_at").values_list("created_at", flat=True)
    count = failures.count()
    if count < settings.LOGIN_FAILURES_FREE:
        return 0
    return throttle.seconds_to_wait(count, failures.first().timestamp(), timezone.now().timestamp())


def authenticate(election, code, birth_date, address):
    """The roll entry for a correct code + birth date, else None (and the failure is counted).

    Call ``seconds_to_wait`` first: an address that must wait is not checked at all.
    """
    client_key = crypto.ip_key(address)
    voter = None
    if crypto.normalise_code(code):
        voter = election.voters.filter(poll_card_code_hash=crypto.poll_card_hash(election.pk, code)).first()
    if voter is not None and voter.locked_at is None and voter.birth_date == birth_date:
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


def _cookie_path(election):
    return reverse("elections:vote", args=[election.pk])


def _store(response, election, name, payload, salt, max_age):
    """A signed, HTTP-only cookie for the vote pages of ``election`` only."""
    response.set_cookie(
        name,
        signing.dumps(payload, salt=salt),
        max_age=int(max_age.total_seconds()),
        path=_cookie_path(election),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _load(request, name, salt, max_age):
    try:
        return signing.loads(request.COOKIES.get(name, ""), salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def start_session(request, response, election, voter):
    """After a correct poll card: a signed cookie naming the roll entry (nothing in the server's sessions).

    A logged-in visitor's session key is renewed, so the session row written before the poll-card
    step is not the one that exists afterwards.
    """
    if request.session.session_key:
        request.session.cycle_key()
    return _store(
        response, election, VOTER_COOKIE, {"election": election.pk, "voter": voter.pk}, VOTER_SALT, VOTER_MAX_AGE
    )


def session_voter(request, election):
    """The roll entry that passed the code step in this browser (signed cookie), or None."""
    data = _load(request, VOTER_COOKIE, VOTER_SALT, VOTER_MAX_AGE)
    if not isinstance(data, dict) or data.get("election") != election.pk:
        return None
    return Voter.objects.filter(pk=data.get("voter"), election=election).first()


def finish_session(response, election, ballot):
    """After the cast: forget the roll entry; the receipt (tracker and board head) is a signed cookie, shown once."""
    response.delete_cookie(VOTER_COOKIE, path=_cookie_path(election), samesite="Lax")
    receipt = {"election": election.pk, "tracker": ballot.tracker, "head": ballot.chain}
    return _store(response, election, RECEIPT_COOKIE, receipt, RECEIPT_SALT, RECEIPT_MAX_AGE)


def receipt_data(request, election):
    """{"tracker", "head"} of this browser's last cast in ``election`` (signed cookie), or None."""
    data = _load(request, RECEIPT_COOKIE, RECEIPT_SALT, RECEIPT_MAX_AGE)
    if not isinstance(data, dict) or data.get("election") != election.pk:
        return None
    return {"tracker": data.get("tracker"), "head": data.get("head")}


def forget_receipt(response, election):
    response.delete_cookie(RECEIPT_COOKIE, path=_cookie_path(election), samesite="Lax")
    return response
