"""The prime-order subgroup of ed25519, as libsodium (PyNaCl) gives it: points and scalars as bytes.

Nothing here does curve arithmetic itself: every operation is one libsodium call. This module
adds what the protocol needs around them:

* decoding from JSON text (base64url without padding, 43 characters for 32 bytes) that refuses
  every non-canonical spelling, every point that is not in the prime-order subgroup (libsodium's
  ``crypto_core_ed25519_is_valid_point``: canonical, on the curve, not of small order — which
  also refuses the identity — and of order L) and every scalar that is not below L;
* the identity element and multiplication by zero, which libsodium's scalar multiplication
  refuses (it returns an error for an identity result), handled explicitly;
* hashing to a scalar with domain separation (SHA-512 of length-prefixed parts, reduced mod L).
"""

import base64
import hashlib
import os
import re

from nacl import bindings as sodium
from nacl.exceptions import RuntimeError as SodiumError

#: The order of the prime-order subgroup of ed25519.
L = 2**252 + 27742317777372353535851937790883648493
POINT_BYTES = 32
SCALAR_BYTES = 32
#: The neutral element (encoding of the point (0, 1)).
IDENTITY = bytes([1]) + bytes(31)
#: Every hash input starts with this, then the purpose of the hash (its tag).
DOMAIN = b"medborger/election/v1"
_B64 = re.compile(r"[A-Za-z0-9_-]*")


class InvalidEncoding(ValueError):
    """A point, scalar or other field that is not a canonical encoding of what it claims to be."""


# --- encodings -----------------------------------------------------------------------------


def b64encode(data: bytes) -> str:
    """base64url without padding (the JSON form of every point and scalar)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text, length) -> bytes:
    """Decode exactly ``length`` bytes from base64url-without-padding, refusing any other spelling of them."""
    expected = (4 * length + 2) // 3
    if not isinstance(text, str) or len(text) != expected or not _B64.fullmatch(text):
        raise InvalidEncoding(f"not {expected} characters of base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64encode(data) != text:
        raise InvalidEncoding("non-canonical base64url (stray low bits)")
    return data


def b64decode32(text) -> bytes:
    return b64decode(text, 32)


# --- scalars -------------------------------------------------------------------------------


def scalar_from_int(value: int) -> bytes:
    """The 32-byte little-endian encoding of ``value mod L``."""
    return (value % L).to_bytes(SCALAR_BYTES, "little")


def scalar_to_int(scalar: bytes) -> int:
    return int.from_bytes(scalar, "little")


def is_canonical_scalar(scalar: bytes) -> bool:
    return len(scalar) == SCALAR_BYTES and scalar_to_int(scalar) < L


def decode_scalar(text) -> bytes:
    """A scalar from its JSON text; refuses values not below L."""
    scalar = b64decode32(text)
    if not is_canonical_scalar(scalar):
        raise InvalidEncoding("scalar not below the group order")
    return scalar


def random_scalar() -> bytes:
    """A uniformly random non-zero scalar (64 random bytes reduced mod L)."""
    while True:
        scalar = sodium.crypto_core_ed25519_scalar_reduce(os.urandom(64))
        if scalar != bytes(SCALAR_BYTES):
            return scalar


def scalar_add(a: bytes, b: bytes) -> bytes:
    return sodium.crypto_core_ed25519_scalar_add(a, b)


def scalar_sub(a: bytes, b: bytes) -> bytes:
    return sodium.crypto_core_ed25519_scalar_sub(a, b)


def scalar_mul(a: bytes, b: bytes) -> bytes:
    return sodium.crypto_core_ed25519_scalar_mul(a, b)


def scalar_invert(a: bytes) -> bytes:
    return sodium.crypto_core_ed25519_scalar_invert(a)


def scalar_sum(scalars) -> bytes:
    total = bytes(SCALAR_BYTES)
    for scalar in scalars:
        total = scalar_add(total, scalar)
    return total


# --- points --------------------------------------------------------------------------------


def is_valid_point(point: bytes) -> bool:
    """True for a canonical encoding of an element of the prime-order subgroup other than the identity."""
    return len(point) == POINT_BYTES and bool(sodium.crypto_core_ed25519_is_valid_point(point))


def decode_point(text) -> bytes:
    """A subgroup point from its JSON text; refuses small-order points, the identity and non-canonical ones."""
    point = b64decode32(text)
    if not is_valid_point(point):
        raise InvalidEncoding("not a point of the prime-order subgroup")
    return point


def base_mul(scalar: bytes) -> bytes:
    """g^scalar (written additively: scalar·G); zero gives the identity."""
    if scalar == bytes(SCALAR_BYTES):
        return IDENTITY
    return sodium.crypto_scalarmult_ed25519_base_noclamp(scalar)


def mul(point: bytes, scalar: bytes) -> bytes:
    """scalar·point for a subgroup point (already validated) or the identity."""
    if point == IDENTITY or scalar == bytes(SCALAR_BYTES):
        return IDENTITY
    try:
        return sodium.crypto_scalarmult_ed25519_noclamp(scalar, point)
    except SodiumError as error:  # only for a point outside the subgroup: callers validate first
        raise InvalidEncoding("scalar multiplication refused by libsodium") from error


def add(p: bytes, q: bytes) -> bytes:
    return sodium.crypto_core_ed25519_add(p, q)


def sub(p: bytes, q: bytes) -> bytes:
    return sodium.crypto_core_ed25519_sub(p, q)


def point_sum(points) -> bytes:
    total = IDENTITY
    for point in points:
        total = add(total, point)
    return total


def small_multiple(count: int) -> bytes:
    """count·G for a small non-negative integer (the encoding of a plaintext in exponential ElGamal)."""
    return base_mul(scalar_from_int(count))


# --- hashing -------------------------------------------------------------------------------


def _length_prefixed(part: bytes) -> bytes:
    return len(part).to_bytes(4, "big") + part


def hash_input(tag: str, parts) -> bytes:
    """The exact bytes hashed for ``tag``: DOMAIN, tag and each part, each prefixed by its 4-byte length."""
    chunks = [_length_prefixed(DOMAIN), _length_prefixed(tag.encode("ascii"))]
    chunks.extend(_length_prefixed(part) for part in parts)
    return b"".join(chunks)


def hash_to_scalar(tag: str, *parts: bytes) -> bytes:
    """Fiat–Shamir challenge: SHA-512(hash_input(tag, parts)) reduced mod L."""
    digest = hashlib.sha512(hash_input(tag, parts)).digest()
    return sodium.crypto_core_ed25519_scalar_reduce(digest)


def int_bytes(value: int) -> bytes:
    """A small non-negative integer as 8 bytes big-endian (indices and counts in hash inputs)."""
    return value.to_bytes(8, "big")
