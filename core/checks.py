"""System checks for the site's configuration (run by ``manage.py check`` and at start-up)."""

from django.conf import settings
from django.core.checks import Error


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
