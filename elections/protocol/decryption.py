"""Homomorphic tally, partial decryption of the totals by trustees, Lagrange combination, small discrete logs.

Only the per-candidate totals (A, B) = (Σ α, Σ β) are ever decrypted. Trustee j publishes
D_j = x_j·A for every candidate with a Chaum–Pedersen proof that log_G VK_j = log_A D_j.
Any t valid partial decryptions give x·A = Σ_{j∈S} λ_j·D_j (λ_j the Lagrange coefficient at 0
for the set S), then B − x·A = m·G and m, at most the number of ballots, by baby-step giant-step.
"""

import math

from . import group as g
from . import proofs, trustees
from .election import prepare


class DecryptionError(ValueError):
    """A partial decryption that is malformed or whose proof fails; ``trustee`` names whose."""

    def __init__(self, trustee, reason):
        super().__init__(f"partial decryption of trustee {trustee}: {reason}")
        self.trustee = trustee
        self.reason = reason


def homomorphic_totals(ciphertext_rows, candidates):
    """[(Σα, Σβ)] per candidate from rows of decoded [(α, β)] (one row per ballot)."""
    alphas, betas = [g.IDENTITY] * candidates, [g.IDENTITY] * candidates
    for row in ciphertext_rows:
        for i, (alpha, beta) in enumerate(row):
            alphas[i] = g.add(alphas[i], alpha)
            betas[i] = g.add(betas[i], beta)
    return list(zip(alphas, betas, strict=True))


def decoded_ciphertexts(ballot):
    """[(α, β)] of an already-verified ballot."""
    return [(g.b64decode32(c["alpha"]), g.b64decode32(c["beta"])) for c in ballot["choices"]]


def encode_totals(totals):
    return [{"alpha": g.b64encode(a), "beta": g.b64encode(b)} for a, b in totals]


def decode_totals(encoded, candidates):
    """Totals from JSON; the identity is allowed here (no ballot), any other point must be in the subgroup."""
    if not isinstance(encoded, list) or len(encoded) != candidates:
        raise ValueError(f"expected totals for {candidates} candidates")
    return [(_total_point(t.get("alpha")), _total_point(t.get("beta"))) for t in encoded]


def _total_point(text):
    point = g.b64decode32(text)
    if point != g.IDENTITY and not g.is_valid_point(point):
        raise g.InvalidEncoding("total is not a point of the prime-order subgroup")
    return point


def _context(election, trustee, candidate):
    return [election.fingerprint_bytes, g.int_bytes(trustee), g.int_bytes(candidate)]


def partial_decrypt(election_params, index, share, verification_key, totals):
    """Trustee ``index``'s partial decryption message for the decoded ``totals``."""
    election = prepare(election_params)
    factors, pairs = [], []
    for candidate, (alpha, _beta) in enumerate(totals):
        factor = g.mul(alpha, share)
        factors.append(factor)
        pairs.append(
            proofs.prove_decryption(_context(election, index, candidate), share, verification_key, alpha, factor)
        )
    return {"index": index, "factors": [g.b64encode(f) for f in factors], "proofs": proofs.encode_proof(pairs)}


def trustee_partial_decryption(election_params, key_file, totals):
    """Everything a trustee does at the count: re-derive the share from the key file and decrypt the totals."""
    record = prepare(election_params).params["trustees"]
    index, share, commitments = trustees.derive_share(record["setup"], key_file, record["keys"], record["dealings"])
    return partial_decrypt(election_params, index, share, trustees.verification_key(commitments, index), totals)


def check_partial_decryption(election_params, verification_keys, totals, message):
    """(index, decoded factors) of a partial decryption, or DecryptionError naming the trustee."""
    election = prepare(election_params)
    index = message.get("index") if isinstance(message, dict) else None
    if not isinstance(index, int) or not 1 <= index <= len(verification_keys):
        raise DecryptionError(index, "unknown trustee")
    if set(message) != {"index", "factors", "proofs"} or not isinstance(message["factors"], list):
        raise DecryptionError(index, "malformed message")
    if len(message["factors"]) != len(totals):
        raise DecryptionError(index, f"expected one factor per candidate ({len(totals)})")
    try:
        factors = [_total_point(f) for f in message["factors"]]
        pairs = proofs.decode_proof(message["proofs"], len(totals))
    except (g.InvalidEncoding, proofs.ProofError) as error:
        raise DecryptionError(index, str(error)) from error
    key = verification_keys[index - 1]
    for candidate, ((alpha, _beta), factor, pair) in enumerate(zip(totals, factors, pairs, strict=True)):
        if not proofs.check_decryption(_context(election, index, candidate), key, alpha, factor, pair):
            raise DecryptionError(index, f"proof of correct decryption for candidate {candidate + 1} invalid")
    return index, factors


def lagrange_at_zero(indices):
    """{j: λ_j} with λ_j = Π_{k≠j} k / (k − j) mod L over the 1-based trustee numbers ``indices``."""
    coefficients = {}
    for j in indices:
        numerator, denominator = 1, 1
        for k in indices:
            if k != j:
                numerator = numerator * k % g.L
                denominator = denominator * (k - j) % g.L
        coefficients[j] = g.scalar_from_int(numerator * pow(denominator, -1, g.L))
    return coefficients


def combine(totals, partials, threshold, bound):
    """Plaintext totals from ≥ ``threshold`` checked partials {index: factors}; each total at most ``bound``."""
    if len(partials) < threshold:
        raise ValueError(f"{threshold} partial decryptions are needed, {len(partials)} given")
    chosen = sorted(partials)[:threshold]
    coefficients = lagrange_at_zero(chosen)
    counts = []
    for candidate, (_alpha, beta) in enumerate(totals):
        shared = g.point_sum(g.mul(partials[j][candidate], coefficients[j]) for j in chosen)
        counts.append(discrete_log(g.sub(beta, shared), bound))
    return counts


def discrete_log(point, bound):
    """The m in [0, bound] with m·G = point (baby-step giant-step), else ValueError."""
    step = math.isqrt(bound) + 1
    generator = g.small_multiple(1)
    baby, current = {}, g.IDENTITY
    for j in range(step):
        baby[current] = j
        current = g.add(current, generator)
    giant, target = current, point  # giant = step·G
    for i in range(step + 1):
        j = baby.get(target)
        if j is not None and i * step + j <= bound:
            return i * step + j
        target = g.sub(target, giant)
    raise ValueError(f"the decrypted total is not between 0 and {bound}")
