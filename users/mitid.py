"""MitID through an OpenID Connect broker: what the platform keeps of a login, and for how long.

allauth's ``openid_connect`` provider speaks the protocol (users/adapters.py checks the ID token
strictly); this module decides what of the broker's answer survives it:

* **The account** is allauth's ``SocialAccount`` with provider ``mitid`` and the broker's ``sub``
  (a pseudonym) as uid. Its ``extra_data`` holds only ``sub``, ``iss``, the assurance ``level``
  of the latest MitID login and when it happened (``verified_at``) — never the personal number
  or any other claim. Names and an email, when the broker sends them, go to the user as any
  allauth signup would.
* **The session** remembers that this user logged in with MitID and at which level
  (``session_level``); a hearing response submitted in that session is marked with it.
* **The personal number**, when the broker sends one, is turned at once into the voter roll's
  keyed hash (``core.personal_numbers.voter_key``: HMAC with VOTER_ID_HMAC_KEY). That hash is put in
  the cache — never in the database, not even in the session — for MITID_VOTER_KEY_MAX_AGE
  seconds, under a random handle that only this session knows. ``mitid_voter_key(request)`` is
  how the nomination code reads it to let an endorser confirm by logging in with MitID.

Why the cache and not the session or the account: the session lives in the database for weeks
and ends up in backups; the account would keep it for ever. A cache entry with a time-out
disappears by itself, is removed when it has been used (``forget_mitid_voter_key``) and cannot be
found from the session alone after the time-out. With several app servers the cache must be shared
(``REDIS_URL``, as for the rate limits); otherwise an endorser may be asked to log in again.
"""

import datetime
import logging
import re
import secrets
from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from core.personal_numbers import normalise_personal_number, voter_key

from .models import MitIDLevel

logger = logging.getLogger(__name__)

PROVIDER_ID = "mitid"
SESSION_KEY = "mitid_login"
SIGNUP_NEXT_SESSION_KEY = "mitid_signup_next"
_CACHE_PREFIX = "mitid:voter-key:"
_LEVEL_WORDS = {
    "low": MitIDLevel.LOW,
    "lav": MitIDLevel.LOW,
    "substantial": MitIDLevel.SUBSTANTIAL,
    "betydelig": MitIDLevel.SUBSTANTIAL,
    "high": MitIDLevel.HIGH,
    "høj": MitIDLevel.HIGH,
    "hoej": MitIDLevel.HIGH,
}
# Claims a user is created with (as allauth would); everything else the broker sends is dropped.
_USER_CLAIMS = ("given_name", "family_name", "name", "email", "email_verified")


def is_configured():
    """MitID is offered only when a broker's issuer, client id and secret are all set."""
    return bool(settings.MITID_OIDC_ISSUER and settings.MITID_OIDC_CLIENT_ID and settings.MITID_OIDC_CLIENT_SECRET)


def app_settings():
    """The ``settings`` of allauth's SocialApp for the broker."""
    auth_params = {"acr_values": settings.MITID_OIDC_ACR_VALUES} if settings.MITID_OIDC_ACR_VALUES else {}
    return {
        # allauth appends /.well-known/openid-configuration to the issuer.
        "server_url": settings.MITID_OIDC_ISSUER.rstrip("/"),
        "scope": list(settings.MITID_OIDC_SCOPES),
        "auth_params": auth_params,
        "oauth_pkce_enabled": True,
        "fetch_userinfo": True,
    }


def login_url(next_url=None, process="login"):
    """Where a "Log ind med MitID" form posts to (None when no broker is configured).

    ``process="login"`` logs in (or signs up); ``"connect"`` adds MitID to the logged-in account.
    """
    if not is_configured():
        return None
    url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    params = {"process": process}
    if next_url:
        params["next"] = next_url
    return f"{url}?{urlencode(params)}"


# --- The broker's claims -------------------------------------------------------------------------


def level_from_claims(claims):
    """The first configured level claim whose value names an NSIS level, else UNSPECIFIED."""
    for name in settings.MITID_OIDC_LEVEL_CLAIMS:
        value = claims.get(name)
        if not isinstance(value, str):
            continue
        word = re.split(r"[:/#.\s]", value.strip().lower())[-1]
        if word in _LEVEL_WORDS:
            return _LEVEL_WORDS[word]
    return MitIDLevel.UNSPECIFIED


def personal_number_from_claims(claims):
    """The ten digits of the first configured personal-number claim that holds one, else None."""
    for name in settings.MITID_OIDC_PERSONAL_NUMBER_CLAIMS:
        value = claims.get(name)
        if isinstance(value, int):
            value = f"{value:010d}"
        digits = normalise_personal_number(value) if isinstance(value, str) else None
        if digits:
            return digits
        if value is not None:
            logger.warning("MitID: claim %r is not a personal number; ignored", name)
    return None


@dataclass
class BrokerLogin:
    """What is kept of one verified answer from the broker. The personal number is not in it."""

    sub: str
    issuer: str
    level: str
    user_claims: dict
    voter_key: str | None
    verified_at: datetime.datetime

    @classmethod
    def from_claims(cls, claims, issuer):
        number = personal_number_from_claims(claims)
        return cls(
            sub=str(claims["sub"]),
            issuer=issuer,
            level=level_from_claims(claims),
            user_claims={name: claims[name] for name in _USER_CLAIMS if name in claims},
            voter_key=voter_key(number) if number else None,
            verified_at=timezone.now(),
        )

    def provider_response(self):
        """The data allauth builds its SocialLogin from: the pseudonym and the user's own fields."""
        return {"id_token": {"sub": self.sub, **self.user_claims}}

    def extra_data(self):
        """All that SocialAccount.extra_data ever holds for MitID."""
        return {"sub": self.sub, "iss": self.issuer, "level": self.level, "verified_at": self.verified_at.isoformat()}

    def stash_voter_key(self):
        """Put the keyed hash in the cache for a short time; returns the handle (None if no number)."""
        if not self.voter_key:
            return None
        handle = secrets.token_urlsafe(32)
        cache.set(
            _CACHE_PREFIX + handle, {"voter_key": self.voter_key, "sub": self.sub}, settings.MITID_VOTER_KEY_MAX_AGE
        )
        return handle


# --- After the login: the session ----------------------------------------------------------------


def remember_login(request, user, sociallogin):
    """Called when a MitID login (or connecting MitID) completes: mark this session."""
    account = sociallogin.account
    if account.provider != PROVIDER_ID:
        return
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "sub": account.uid,
        "level": account.extra_data.get("level") or MitIDLevel.UNSPECIFIED,
        "handle": (sociallogin.state or {}).get("mitid_handle"),
    }


def _marker(request):
    marker = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    user = getattr(request, "user", None)
    if not marker or not (user and user.is_authenticated) or marker.get("user") != user.pk:
        return None
    return marker


def session_level(request):
    """The MitID level of this session's login ("" when the user did not log in with MitID)."""
    marker = _marker(request)
    return marker["level"] if marker else ""


def mitid_voter_key(request):
    """The voter roll's keyed hash of the personal number from this session's MitID login.

    For the nomination code: an endorser confirms a nomination by logging in with MitID (send
    them to ``login_url(next_url=<the confirmation page>)``); on that page compare
    ``mitid_voter_key(request)`` with the roll's ``Voter.voter_key`` (both are
    ``core.personal_numbers.voter_key`` of the same ten digits). Returns None when the user did not
    log in with MitID in this session, the broker sent no personal number, or more than
    MITID_VOTER_KEY_MAX_AGE seconds have passed since the login. Call
    ``forget_mitid_voter_key(request)`` once the confirmation is stored.
    """
    marker = _marker(request)
    if not marker or not marker.get("handle"):
        return None
    entry = cache.get(_CACHE_PREFIX + marker["handle"])
    if not entry or entry.get("sub") != marker.get("sub"):
        return None
    return entry["voter_key"]


def forget_mitid_voter_key(request):
    """Remove the keyed hash of this session's MitID login (after it has been used)."""
    marker = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if marker and marker.get("handle"):
        cache.delete(_CACHE_PREFIX + marker["handle"])
        request.session[SESSION_KEY] = {**marker, "handle": None}


# --- A new citizen: MitID, the email form, the emailed link, MitID again --------------------------


def remember_signup_next(request, sociallogin):
    """A new citizen gave their email after a MitID login that was to lead somewhere (an endorse
    page): keep that address in the session for the login that follows the email's confirmation."""
    if sociallogin.account.provider != PROVIDER_ID:
        return
    next_url = (sociallogin.state or {}).get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[SIGNUP_NEXT_SESSION_KEY] = next_url


def login_page_after_confirmation(request):
    """The login page leading on to where the MitID signup was to go (None when it was to go nowhere
    in particular, or the email was confirmed in another browser)."""
    next_url = request.session.pop(SIGNUP_NEXT_SESSION_KEY, None) if hasattr(request, "session") else None
    if not next_url:
        return None
    return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


# --- For "Min side" -------------------------------------------------------------------------------


def account_summary(user):
    """What "Min side" shows about MitID: None when no broker is configured."""
    if not is_configured():
        return None
    account = SocialAccount.objects.filter(user=user, provider=PROVIDER_ID).first()
    summary = {"connected": account is not None, "connect_url": login_url(reverse("users:my_page"), "connect")}
    if account is not None:
        level = account.extra_data.get("level") or MitIDLevel.UNSPECIFIED
        summary["level"] = MitIDLevel(level).label if level in MitIDLevel.values else level
        verified_at = account.extra_data.get("verified_at")
        summary["verified_at"] = datetime.datetime.fromisoformat(verified_at) if verified_at else None
    return summary
