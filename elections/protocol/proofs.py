"""Zero-knowledge proofs, non-interactive by Fiat–Shamir, in the compact (challenge, response) form.

Every proof is a list of ``[challenge, response]`` pairs of scalars (base64url). The verifier
recomputes the prover's commitments from them and checks that the challenges add up to the hash
of the statement and those commitments, so the hash input below is the whole specification
(see docs/election-protocol.md, "Proofs"). Group law written additively: ``s·G`` is
``base_mul(s)``.

* ``prove_encrypts_one_of`` / ``check_encrypts_one_of``: (α, β) is an exponential ElGamal
  encryption under Y of one of the integers ``values`` (disjunctive Chaum–Pedersen, as Helios
  and Belenios): for each branch j, ``A_j = s_j·G + c_j·α`` and ``B_j = s_j·Y + c_j·(β − v_j·G)``.
* ``prove_decryption`` / ``check_decryption``: D = x·A for the x with VK = x·G (Chaum–Pedersen).
* ``sign`` / ``check_signature``: a Schnorr proof of knowledge of k with K = k·G bound to a
  message (used as proof of possession and to sign trustee messages).
"""

from . import group as g


class ProofError(ValueError):
    """A proof that is malformed or does not verify."""


def encode_proof(pairs):
    return [[g.b64encode(c), g.b64encode(s)] for c, s in pairs]


def decode_proof(proof, branches):
    """[[c, s], ...] with exactly ``branches`` pairs of canonical scalars, else ProofError."""
    if not isinstance(proof, list) or len(proof) != branches:
        raise ProofError(f"expected {branches} challenge/response pairs")
    pairs = []
    for pair in proof:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ProofError("a proof entry is not a [challenge, response] pair")
        try:
            pairs.append((g.decode_scalar(pair[0]), g.decode_scalar(pair[1])))
        except g.InvalidEncoding as error:
            raise ProofError(f"proof scalar: {error}") from error
    return pairs


# --- disjunctive Chaum–Pedersen: (alpha, beta) encrypts one of `values` ------------------------


def _branch_commitments(alpha, beta, public_key, value, challenge, response):
    shifted = g.sub(beta, g.small_multiple(value)) if value else beta
    commit_a = g.add(g.base_mul(response), g.mul(alpha, challenge))
    commit_b = g.add(g.mul(public_key, response), g.mul(shifted, challenge))
    return commit_a, commit_b


def _statement_hash(tag, context, alpha, beta, commitments):
    parts = [*context, alpha, beta]
    for commit_a, commit_b in commitments:
        parts.extend((commit_a, commit_b))
    return g.hash_to_scalar(tag, *parts)


def prove_encrypts_one_of(tag, context, alpha, beta, public_key, randomness, values, actual):
    """Prove that (alpha, beta) = (r·G, actual·G + r·Y) with ``actual`` in ``values``.

    ``context`` is a list of byte strings hashed before the statement (election fingerprint,
    public key, position…). Returns the decoded pairs [(c_j, s_j)] in the order of ``values``.
    """
    real = values.index(actual)
    pairs, commitments = [None] * len(values), [None] * len(values)
    for j, value in enumerate(values):
        if j != real:
            pairs[j] = (g.random_scalar(), g.random_scalar())
            commitments[j] = _branch_commitments(alpha, beta, public_key, value, *pairs[j])
    nonce = g.random_scalar()
    commitments[real] = (g.base_mul(nonce), g.mul(public_key, nonce))
    total = _statement_hash(tag, context, alpha, beta, commitments)
    challenge = g.scalar_sub(total, g.scalar_sum(pairs[j][0] for j in range(len(values)) if j != real))
    response = g.scalar_sub(nonce, g.scalar_mul(challenge, randomness))
    pairs[real] = (challenge, response)
    return pairs


def check_encrypts_one_of(tag, context, alpha, beta, public_key, values, pairs):
    """True if the decoded ``pairs`` prove that (alpha, beta) encrypts one of ``values``."""
    commitments = [
        _branch_commitments(alpha, beta, public_key, value, c, s) for value, (c, s) in zip(values, pairs, strict=True)
    ]
    total = _statement_hash(tag, context, alpha, beta, commitments)
    return g.scalar_sum(c for c, _s in pairs) == total


# --- Chaum–Pedersen: correct partial decryption ----------------------------------------------


def prove_decryption(context, secret, verification_key, alpha, factor):
    """Prove log_G(VK) = log_alpha(factor) for factor = secret·alpha. Returns (c, s)."""
    nonce = g.random_scalar()
    commit_a, commit_b = g.base_mul(nonce), g.mul(alpha, nonce)
    challenge = g.hash_to_scalar("decryption", *context, verification_key, alpha, factor, commit_a, commit_b)
    return challenge, g.scalar_sub(nonce, g.scalar_mul(challenge, secret))


def check_decryption(context, verification_key, alpha, factor, pair):
    challenge, response = pair
    commit_a = g.add(g.base_mul(response), g.mul(verification_key, challenge))
    commit_b = g.add(g.mul(alpha, response), g.mul(factor, challenge))
    return challenge == g.hash_to_scalar("decryption", *context, verification_key, alpha, factor, commit_a, commit_b)


# --- Schnorr: knowledge of k with K = k·G, bound to a message --------------------------------


def sign(tag, context, secret, public, message: bytes):
    """A Schnorr proof of knowledge of ``secret`` for ``public``, bound to ``message``. Returns (c, s)."""
    nonce = g.random_scalar()
    commitment = g.base_mul(nonce)
    challenge = g.hash_to_scalar(tag, *context, public, message, commitment)
    return challenge, g.scalar_sub(nonce, g.scalar_mul(challenge, secret))


def check_signature(tag, context, public, message: bytes, pair):
    challenge, response = pair
    commitment = g.add(g.base_mul(response), g.mul(public, challenge))
    return challenge == g.hash_to_scalar(tag, *context, public, message, commitment)
