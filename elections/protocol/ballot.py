"""Encrypted ballots: one exponential ElGamal ciphertext per candidate, with proofs, as canonical JSON.

A ballot is::

    {"election": <election fingerprint, hex>,
     "choices": [{"alpha": P, "beta": P, "proof": [[c0, s0], [c1, s1]]}, ...],   # one per candidate
     "overall": [[c, s], ...]}                                                    # max - min + 1 pairs

where candidate i's choice m_i ∈ {0, 1} is encrypted as (α, β) = (r·G, m_i·G + r·Y). The
``proof`` shows m_i ∈ {0, 1}; ``overall`` shows that Σ m_i ∈ [min, max] for the sum of the
ciphertexts. The ballot hash is SHA-256 of its canonical JSON; the tracker is derived from it.
"""

from dataclasses import dataclass

from . import encoding, proofs
from . import group as g
from .election import prepare

CHOICE_VALUES = [0, 1]


class BallotRejected(ValueError):
    """A ballot that must not be accepted; ``code`` is stable (for the app's translated message)."""

    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class BallotVerdict:
    ok: bool
    code: str = ""
    reason: str = ""
    ballot_hash: str = ""
    tracker: str = ""


def ballot_hash(ballot) -> str:
    return encoding.fingerprint(ballot)


def tracker(ballot) -> str:
    return encoding.tracker_from_hash(ballot_hash(ballot))


def _choice_context(election, index):
    return [election.fingerprint_bytes, election.public_key, g.int_bytes(index)]


def _overall_context(election, ciphertexts):
    return [election.fingerprint_bytes, election.public_key, b"".join(a + b for a, b in ciphertexts)]


def _sum_ciphertexts(ciphertexts):
    return g.point_sum(a for a, _b in ciphertexts), g.point_sum(b for _a, b in ciphertexts)


# --- encryption (the browser does the same in election-protocol.js) -------------------------


def encrypt_choice(election, index, choice, randomness):
    """(α, β) and the 0/1 proof for candidate ``index`` (0-based)."""
    alpha = g.base_mul(randomness)
    beta = g.add(g.small_multiple(choice), g.mul(election.public_key, randomness))
    pairs = proofs.prove_encrypts_one_of(
        "choice", _choice_context(election, index), alpha, beta, election.public_key, randomness, CHOICE_VALUES, choice
    )
    return alpha, beta, pairs


def encrypt_ballot(election_params, choices):
    """Encrypt ``choices`` (a 0/1 per candidate). Returns (ballot, randomness); keep randomness only to audit."""
    election = prepare(election_params)
    if len(choices) != election.candidates or any(c not in CHOICE_VALUES for c in choices):
        raise ValueError("one choice of 0 or 1 per candidate")
    if not election.min_choices <= sum(choices) <= election.max_choices:
        raise ValueError("number of chosen candidates outside [min, max]")
    randomness = [g.random_scalar() for _ in choices]
    encrypted = [encrypt_choice(election, i, c, r) for i, (c, r) in enumerate(zip(choices, randomness, strict=True))]
    ciphertexts = [(a, b) for a, b, _p in encrypted]
    total_alpha, total_beta = _sum_ciphertexts(ciphertexts)
    overall = proofs.prove_encrypts_one_of(
        "overall",
        _overall_context(election, ciphertexts),
        total_alpha,
        total_beta,
        election.public_key,
        g.scalar_sum(randomness),
        election.overall_values,
        sum(choices),
    )
    ballot = {
        "election": election.fingerprint,
        "choices": [
            {"alpha": g.b64encode(a), "beta": g.b64encode(b), "proof": proofs.encode_proof(p)} for a, b, p in encrypted
        ],
        "overall": proofs.encode_proof(overall),
    }
    return ballot, [g.b64encode(r) for r in randomness]


# --- verification ---------------------------------------------------------------------------


def _decode_choices(election, ballot):
    if not isinstance(ballot, dict) or set(ballot) != {"election", "choices", "overall"}:
        raise BallotRejected("format", "a ballot has exactly the members election, choices and overall")
    if ballot["election"] != election.fingerprint:
        raise BallotRejected("election", "the ballot was made for another election (fingerprint differs)")
    choices = ballot["choices"]
    if not isinstance(choices, list) or len(choices) != election.candidates:
        raise BallotRejected("choice_count", f"the ballot must hold exactly {election.candidates} choices")
    decoded = []
    for number, choice in enumerate(choices, start=1):
        if not isinstance(choice, dict) or set(choice) != {"alpha", "beta", "proof"}:
            raise BallotRejected("format", f"choice {number}: members must be alpha, beta and proof")
        try:
            alpha, beta = g.decode_point(choice["alpha"]), g.decode_point(choice["beta"])
            pairs = proofs.decode_proof(choice["proof"], len(CHOICE_VALUES))
        except (g.InvalidEncoding, proofs.ProofError) as error:
            raise BallotRejected("encoding", f"choice {number}: {error}") from error
        decoded.append((alpha, beta, pairs))
    return decoded


def check_ballot(election_params, ballot):
    """Raise BallotRejected (naming the first failing part) unless every proof of ``ballot`` verifies."""
    election = prepare(election_params)
    decoded = _decode_choices(election, ballot)
    for index, (alpha, beta, pairs) in enumerate(decoded):
        context = _choice_context(election, index)
        if not proofs.check_encrypts_one_of("choice", context, alpha, beta, election.public_key, CHOICE_VALUES, pairs):
            raise BallotRejected("choice_proof", f"proof of choice {index + 1} invalid: it is not shown to be 0 or 1")
    try:
        overall = proofs.decode_proof(ballot["overall"], len(election.overall_values))
    except proofs.ProofError as error:
        raise BallotRejected("encoding", f"overall proof: {error}") from error
    ciphertexts = [(a, b) for a, b, _p in decoded]
    total_alpha, total_beta = _sum_ciphertexts(ciphertexts)
    context = _overall_context(election, ciphertexts)
    values = election.overall_values
    if not proofs.check_encrypts_one_of(
        "overall", context, total_alpha, total_beta, election.public_key, values, overall
    ):
        span = f"exactly {election.min_choices}" if len(values) == 1 else f"{values[0]} to {values[-1]}"
        raise BallotRejected("overall_proof", f"overall proof invalid: the ballot is not shown to choose {span}")


def verify_ballot(election_params, ballot) -> BallotVerdict:
    """Check a ballot as the server does before accepting it; never raises for a bad ballot."""
    try:
        check_ballot(election_params, ballot)
    except BallotRejected as rejected:
        return BallotVerdict(False, rejected.code, rejected.reason)
    except encoding.NotCanonical as error:
        return BallotVerdict(False, "format", f"not canonical JSON: {error}")
    digest = ballot_hash(ballot)
    return BallotVerdict(True, ballot_hash=digest, tracker=encoding.tracker_from_hash(digest))


def parse_ballot(data, max_bytes=65536):
    """A ballot object from the JSON text a browser sent (bounded size, strict JSON), else BallotRejected."""
    if len(data) > max_bytes:
        raise BallotRejected("size", "the ballot is too large")
    try:
        value = encoding.loads(data)
    except (ValueError, encoding.NotCanonical) as error:
        raise BallotRejected("format", f"not valid JSON: {error}") from error
    return value


def ballot_alphas(ballot):
    """The ballot's α values; a board must not hold one twice (a copied ballot — refuse it at cast)."""
    return [choice["alpha"] for choice in ballot["choices"]]


# --- Benaloh audit ----------------------------------------------------------------------------


def audit_ballot(election_params, ballot, randomness):
    """The choices a ballot encodes, given its revealed randomness; BallotRejected if it does not match.

    Checks α_i = r_i·G and β_i − r_i·Y ∈ {0·G, 1·G} for every candidate, and that the proofs hold.
    """
    election = prepare(election_params)
    check_ballot(election, ballot)
    if not isinstance(randomness, list) or len(randomness) != election.candidates:
        raise BallotRejected("audit", "one randomness value per candidate is needed")
    choices = []
    for index, (choice, text) in enumerate(zip(ballot["choices"], randomness, strict=True)):
        try:
            r = g.decode_scalar(text)
        except g.InvalidEncoding as error:
            raise BallotRejected("audit", f"randomness {index + 1}: {error}") from error
        alpha, beta = g.decode_point(choice["alpha"]), g.decode_point(choice["beta"])
        if g.base_mul(r) != alpha:
            raise BallotRejected("audit", f"choice {index + 1}: the randomness does not match the ciphertext")
        plain = g.sub(beta, g.mul(election.public_key, r))
        if plain not in (g.IDENTITY, g.small_multiple(1)):
            raise BallotRejected("audit", f"choice {index + 1}: encodes neither 0 nor 1")
        choices.append(0 if plain == g.IDENTITY else 1)
    return choices
