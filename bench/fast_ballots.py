"""Benchmark only: make valid encrypted ballots fast, by a generator that knows the election's secret key.

A voter's browser encrypts with ``elections.protocol.encrypt_ballot``: about 9 libsodium scalar
multiplications per candidate, most of them by a variable point (the public key Y, the ciphertext
α, β − v·G), each ~75 µs because libsodium re-checks the point's subgroup every time. Generating
100,000 such ballots would take longer than verifying them.

Here the benchmark holds the whole key (it ran the trustees' ceremony itself, so it can combine two
shares into x with Y = x·G). Every point the protocol computes is then ``k·G`` for a known k:
α = r·G, β = (m + x·r)·G, the simulated branch's commitments (s + c·r)·G and
(x·s + c·(m + x·r − v))·G, the real branch's w·G and (x·w)·G. So every multiplication becomes a
fixed-base one (~15 µs). The resulting ballots are byte-for-byte of the form ``encrypt_ballot``
makes — the same group elements, canonically encoded, the same Fiat–Shamir hashes — and are
checked like any other ballot (the benchmark verifies a sample with ``verify_ballot`` on
generation, and the standalone verifier checks all of them). Never use this outside bench/: a
real election has no party that knows x.
"""

import secrets

from elections.protocol import decryption, trustees
from elections.protocol import group as g
from elections.protocol.ballot import _choice_context, _overall_context
from elections.protocol.election import prepare

L = g.L


def election_secret(params, key_files):
    """x with x·G = the election key, from ``threshold`` of the trustees' key files (Lagrange at 0)."""
    election = prepare(params)
    record = election.params["trustees"]
    threshold = record["setup"]["threshold"]
    shares = {}
    for key_file in key_files[:threshold]:
        index, share, _commitments = trustees.derive_share(
            record["setup"], key_file, record["keys"], record["dealings"]
        )
        shares[index] = g.scalar_to_int(share)
    coefficients = decryption.lagrange_at_zero(sorted(shares))
    x = sum(g.scalar_to_int(coefficients[j]) * share for j, share in shares.items()) % L
    if g.base_mul(g.scalar_from_int(x)) != election.public_key:
        raise ValueError("the key files do not give the election key")
    return x


def _random():
    return 1 + secrets.randbelow(L - 1)


def _point(k):
    return g.base_mul(g.scalar_from_int(k))


def _prove(tag, context, alpha, beta, log_alpha, log_beta, x, values, actual):
    """prove_encrypts_one_of for α = log_alpha·G, β = log_beta·G = (actual + x·log_alpha)·G, by fixed-base mults."""
    real = values.index(actual)
    pairs, commitments = [None] * len(values), [None] * len(values)
    for j, value in enumerate(values):
        if j != real:
            c, s = _random(), _random()
            pairs[j] = (c, s)
            commitments[j] = (_point(s + c * log_alpha), _point(x * s + c * (log_beta - value)))
    nonce = _random()
    commitments[real] = (_point(nonce), _point(x * nonce))
    parts = [*context, alpha, beta]
    for commit_a, commit_b in commitments:
        parts.extend((commit_a, commit_b))
    total = g.scalar_to_int(g.hash_to_scalar(tag, *parts))
    challenge = (total - sum(pairs[j][0] for j in range(len(values)) if j != real)) % L
    pairs[real] = (challenge, (nonce - challenge * log_alpha) % L)
    return [[g.b64encode(g.scalar_from_int(c)), g.b64encode(g.scalar_from_int(s))] for c, s in pairs]


def encrypt_ballot(election, x, choices):
    """The ballot ``encrypt_ballot(params, choices)`` would give (other randomness), made with the secret x."""
    rs = [_random() for _ in choices]
    choice_entries, ciphertexts = [], []
    for index, (m, r) in enumerate(zip(choices, rs, strict=True)):
        alpha, log_beta = _point(r), (m + x * r) % L
        beta = _point(log_beta)
        proof = _prove("choice", _choice_context(election, index), alpha, beta, r, log_beta, x, [0, 1], m)
        choice_entries.append({"alpha": g.b64encode(alpha), "beta": g.b64encode(beta), "proof": proof})
        ciphertexts.append((alpha, beta))
    r_total, m_total = sum(rs) % L, sum(choices)
    total_log_beta = (m_total + x * r_total) % L
    overall = _prove(
        "overall",
        _overall_context(election, ciphertexts),
        _point(r_total),
        _point(total_log_beta),
        r_total,
        total_log_beta,
        x,
        election.overall_values,
        m_total,
    )
    return {"election": election.fingerprint, "choices": choice_entries, "overall": overall}


def check_sample(params, ballots, every=997):
    """Verify every ``every``-th generated ballot with the protocol's own check (the verifier checks all)."""
    from elections.protocol import verify_ballot

    for ballot in ballots[::every]:
        verdict = verify_ballot(params, ballot)
        if not verdict.ok:
            raise AssertionError(f"fast-path ballot refused: {verdict.reason}")


# --- many ballots on every core -------------------------------------------------------------------

_job = None


def _init(params, secret, candidates):
    global _job
    _job = (prepare(params), secret, candidates)


def one_hot(n, candidates):
    """The n-th generated ballot's choice: candidate n mod ``candidates``."""
    return [1 if i == n % candidates else 0 for i in range(candidates)]


def _ballots(span):
    election, secret, candidates = _job
    return [encrypt_ballot(election, secret, one_hot(n, candidates)) for n in range(*span)]


def _rows(span):
    from elections.protocol import ballot_alphas, ballot_hash, canonical_json

    return [(canonical_json(ballot).decode(), ballot_hash(ballot), ballot_alphas(ballot)) for ballot in _ballots(span)]


def _on_every_core(make, params, secret, count, jobs):
    import multiprocessing
    import os

    candidates = len(params["candidates"])
    spans = [(i, min(i + 1000, count)) for i in range(0, count, 1000)]
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs or os.cpu_count(), _init, (params, secret, candidates)) as pool:
        return [made for chunk in pool.imap(make, spans) for made in chunk]


def ballots(params, secret, count, jobs=None):
    """``count`` ballots (dicts), ballot n choosing candidate n mod candidates."""
    return _on_every_core(_ballots, params, secret, count, jobs)


def ballot_rows(params, secret, count, jobs=None):
    """[(canonical JSON, hash, alphas)] of ``count`` ballots, ballot n choosing candidate n mod candidates."""
    return _on_every_core(_rows, params, secret, count, jobs)
