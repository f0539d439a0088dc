"""Canonical JSON: the one byte string that is hashed for a ballot, the election parameters and the board.

Canonical form: UTF-8, object keys sorted by code point, no whitespace, no floats (integers only,
within ±2**53 so JavaScript reads them exactly), no duplicate keys. The browser's code
(``election-protocol.js``) writes the same bytes.
"""

import hashlib
import json

MAX_SAFE_INTEGER = 2**53 - 1
#: Characters a tracker is spelled with: no 0/O, 1/I/L, so it can be read aloud and typed.
TRACKER_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKER_LENGTH = 10


class NotCanonical(ValueError):
    """A value that has no canonical JSON form (a float, a huge integer, a non-string key)."""


def _check(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise NotCanonical("integer out of the exactly representable range")
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCanonical("object key is not a string")
            _check(item)
        return
    raise NotCanonical(f"{type(value).__name__} has no canonical JSON form")


def canonical_json(value) -> bytes:
    """The canonical bytes of ``value``."""
    _check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise NotCanonical(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_floats(text):
    raise NotCanonical("floats are not allowed")


def loads(data):
    """Parse JSON strictly: duplicate keys, floats, NaN and Infinity are refused."""
    return json.loads(data, object_pairs_hook=_no_duplicates, parse_float=_no_floats, parse_constant=_no_floats)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(value) -> str:
    """SHA-256 (hex) of the canonical JSON of ``value``."""
    return sha256_hex(canonical_json(value))


def tracker_from_hash(ballot_hash: str) -> str:
    """The voter's tracker: the ballot hash's first 64 bits written in base 31, ten characters, XXXXX-XXXXX.

    31**10 ≈ 2**49.5 trackers: a voter can look theirs up; the full hash identifies the ballot.
    """
    number = int(ballot_hash[:16], 16)
    chars = []
    for _ in range(TRACKER_LENGTH):
        number, digit = divmod(number, len(TRACKER_ALPHABET))
        chars.append(TRACKER_ALPHABET[digit])
    return "".join(chars[:5]) + "-" + "".join(chars[5:])


def sha256_bytes(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()
