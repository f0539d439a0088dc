"""System checks for the site's configuration (run by ``manage.py check`` and at start-up)."""

from django.conf import settings
from django.core.checks import Error
from django.core.checks import Warning as CheckWarning


def check_voter_id_key(app_configs=None, **kwargs):
    """VOTER_ID_HMAC_KEY must not be SECRET_KEY: the keyed hashes of personal numbers need their own key.

    SECRET_KEY is rotated and shared with more code (sessions, signing); a leak of it must not
    make the stored hashes of personal numbers reversible by trying every CPR number.
    """
    key = settings.VOTER_ID_HMAC_KEY
    if key and key == settings.SECRET_KEY:
        return [
            Error(
                "VOTER_ID_HMAC_KEY is the same as SECRET_KEY.",
                hint="Give VOTER_ID_HMAC_KEY a random value of its own (README, Configuration).",
                id="medborger.E001",
            )
        ]
    return []


def check_base_url_https(app_configs=None, **kwargs):
    """A deployed site's BASE_URL is https: every email's links are built on it, and a mail client
    offers the one-click unsubscribe of List-Unsubscribe-Post only for an https address (RFC 8058)."""
    if not settings.BASE_URL.startswith("https://"):
        return [
            CheckWarning(
                f"BASE_URL is {settings.BASE_URL!r}, not an https address.",
                hint="Set BASE_URL to the site's https address, e.g. https://medborger.kommune.dk (README).",
                id="medborger.W001",
            )
        ]
    return []
