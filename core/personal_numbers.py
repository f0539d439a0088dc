"""Personal numbers (CPR) are stored only as a keyed hash.

``voter_key(number)`` = HMAC-SHA256 with ``settings.VOTER_ID_HMAC_KEY`` (never ``SECRET_KEY``)
over the ten digits. It lives in core because both MitID login (users) and the voter roll and
nominations (elections) compare the same hash.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# [0-9], not \d: \d also matches Arabic-Indic and other digits, which hash to another key.
CPR_RE = re.compile(r"^\s*([0-9]{6})-?([0-9]{4})\s*$")


def voter_id_key():
    """The HMAC key for personal numbers and other keyed hashes, as bytes."""
    key = settings.VOTER_ID_HMAC_KEY
    if not key:
        raise ImproperlyConfigured("VOTER_ID_HMAC_KEY must be set to store personal numbers as keyed hashes.")
    return key.encode()


def normalise_personal_number(value):
    """Return the ten digits of a personal number written as DDMMYYXXXX or DDMMYY-XXXX, else None."""
    match = CPR_RE.match(value or "")
    if not match:
        return None
    return match.group(1) + match.group(2)


def voter_key(personal_number):
    """The only form in which a personal number is stored: a keyed HMAC-SHA256, hex."""
    digits = normalise_personal_number(personal_number)
    if digits is None:
        raise ValueError("not a personal number")
    return hmac.new(voter_id_key(), b"voter:" + digits.encode(), hashlib.sha256).hexdigest()
