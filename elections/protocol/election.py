"""Election parameters: the public description every ballot and proof is bound to.

The parameters are a JSON object (the board's ``election`` member, schema in
docs/election-protocol.md). Their fingerprint, SHA-256 of the canonical JSON, goes into every
ballot and every Fiat–Shamir hash, so a ballot or proof made for another election — or for
another public key — does not verify here. ``prepare`` decodes what the proofs need once.
"""

from dataclasses import dataclass

from . import encoding
from . import group as g

FORMAT = "medborger-election/1"


class InvalidElection(ValueError):
    """Election parameters that are incomplete or inconsistent."""


@dataclass(frozen=True)
class Election:
    """The decoded parameters a ballot is checked against."""

    params: dict
    fingerprint: str  # hex
    fingerprint_bytes: bytes
    public_key: bytes
    candidates: int
    min_choices: int
    max_choices: int

    @property
    def overall_values(self):
        return list(range(self.min_choices, self.max_choices + 1))


def _int_field(params, name, low, high):
    value = params.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidElection(f"election parameter {name!r} must be an integer in [{low}, {high}]")
    return value


def prepare(params) -> Election:
    """Check the parts of ``params`` the ballot proofs rely on and decode them."""
    if isinstance(params, Election):
        return params
    if not isinstance(params, dict) or params.get("format") != FORMAT:
        raise InvalidElection(f"election parameters must be an object with format {FORMAT!r}")
    candidates = params.get("candidates")
    if not isinstance(candidates, list) or not candidates:
        raise InvalidElection("election parameters need a non-empty candidate list")
    ids = [c.get("id") if isinstance(c, dict) else None for c in candidates]
    if any(not isinstance(i, int) for i in ids) or len(set(ids)) != len(ids):
        raise InvalidElection("candidate ids must be distinct integers")
    low = _int_field(params, "min", 0, len(candidates))
    high = _int_field(params, "max", low, len(candidates))
    try:
        public_key = g.decode_point(params.get("public_key"))
    except g.InvalidEncoding as error:
        raise InvalidElection(f"public key: {error}") from error
    digest = encoding.fingerprint(params)
    return Election(params, digest, bytes.fromhex(digest), public_key, len(candidates), low, high)


def candidate_ids(params):
    return [c["id"] for c in params["candidates"]]


def new_election(
    election_id,
    title,
    candidates,
    seat_groups,
    polling_places,
    roll_fingerprint,
    trustees_record,
    public_key,
    min_choices=1,
    max_choices=1,
):
    """The election parameters, fixed when voting opens (their fingerprint is in every ballot).

    ``candidates``: [{"id": int, "name": str, "group": group id or None}] in ballot order;
    ``seat_groups``: [{"id": group id or None, "name": str or None, "seats": int, "substitutes": int}];
    ``polling_places``: [{"id": int, "name": str}]; ``trustees_record`` and ``public_key`` come from
    ``trustees.assemble``.
    """
    params = {
        "format": FORMAT,
        "id": str(election_id),
        "title": title,
        "candidates": [{"id": c["id"], "name": c["name"], "group": c.get("group")} for c in candidates],
        "min": min_choices,
        "max": max_choices,
        "seat_groups": [
            {"id": s["id"], "name": s["name"], "seats": s["seats"], "substitutes": s["substitutes"]}
            for s in seat_groups
        ],
        "polling_places": [{"id": p["id"], "name": p["name"]} for p in polling_places],
        "roll_fingerprint": roll_fingerprint,
        "trustees": trustees_record,
        "public_key": public_key,
    }
    prepare(params)
    return params
