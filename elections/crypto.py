"""Keyed hashes, poll-card codes and the roll fingerprint (ballots, trackers and the chain: elections.protocol).

Everything that turns a secret or a personal number into something storable lives here, so
the rules are in one place:

* a personal number (CPR) is stored only as ``voter_key(number)`` = HMAC-SHA256 with
  ``settings.VOTER_ID_HMAC_KEY`` (not ``SECRET_KEY``) over the ten digits;
* a poll-card code is stored only as ``poll_card_hash(election_id, code)``, also keyed.
"""

import hashlib
import hmac
import re
import secrets

from core.personal_numbers import normalise_personal_number, voter_id_key, voter_key  # noqa: F401  (re-exported)

from .protocol import seats

# No 0/O, 1/I/L: codes are typed by people reading a letter.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
POLL_CARD_CODE_LENGTH = 12  # 31**12 ≈ 2**59


def new_poll_card_code():
    """A fresh random poll-card code, formatted XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(POLL_CARD_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, POLL_CARD_CODE_LENGTH, 4))


def normalise_code(code):
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def poll_card_hash(election_id, code):
    """Keyed hash of a poll-card code for one election (lookups compare hashes only)."""
    message = f"pollcard:{election_id}:{normalise_code(code)}".encode()
    return hmac.new(voter_id_key(), message, hashlib.sha256).hexdigest()


def ip_key(ip_address):
    """Keyed hash of a client address, used only to count failed poll-card attempts."""
    return hmac.new(voter_id_key(), f"ip:{ip_address}".encode(), hashlib.sha256).hexdigest()[:32]


def roll_fingerprint(voter_keys):
    """SHA-256 over the sorted voter keys, one per line."""
    digest = hashlib.sha256()
    for key in sorted(voter_keys):
        digest.update(key.encode() + b"\n")
    return digest.hexdigest()


# The draw is defined once, in the protocol package, so the standalone verifier repeats it exactly.
tie_break_seed = seats.tie_break_seed
lot_key = seats.lot_key
