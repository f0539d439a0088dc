"""Ballot proofs: honest ballots verify; every cheat the issue names is refused with a reason that says what failed."""

import copy

import pytest

from elections import protocol
from elections.protocol import group as g
from elections.protocol import proofs
from elections.protocol.ballot import CHOICE_VALUES, _choice_context, _overall_context, _sum_ciphertexts

from .conftest import one_hot


def cheating_ballot(election_params, choices, branch_values):
    """A ballot encrypting arbitrary integers ``choices`` whose per-choice proofs claim ``branch_values[i]``.

    A cheating client can only prove "one of S" for a set S containing the real value, so each
    choice proof here is an honest proof over the wrong set; the overall proof is honest.
    """
    election = protocol.prepare(election_params)
    randomness = [g.random_scalar() for _ in choices]
    encrypted = []
    for index, (choice, r) in enumerate(zip(choices, randomness, strict=True)):
        alpha = g.base_mul(r)
        beta = g.add(g.small_multiple(choice), g.mul(election.public_key, r))
        pairs = proofs.prove_encrypts_one_of(
            "choice",
            _choice_context(election, index),
            alpha,
            beta,
            election.public_key,
            r,
            branch_values[index],
            choice,
        )
        encrypted.append((alpha, beta, pairs))
    ciphertexts = [(a, b) for a, b, _p in encrypted]
    # The overall proof has the expected number of branches, one of them for the real (wrong) sum.
    total = sum(choices) % g.L
    overall_values = election.overall_values
    if total not in overall_values:
        overall_values = [*overall_values[:-1], total]
    total_alpha, total_beta = _sum_ciphertexts(ciphertexts)
    overall = proofs.prove_encrypts_one_of(
        "overall",
        _overall_context(election, ciphertexts),
        total_alpha,
        total_beta,
        election.public_key,
        g.scalar_sum(randomness),
        overall_values,
        total,
    )
    return {
        "election": election.fingerprint,
        "choices": [
            {"alpha": g.b64encode(a), "beta": g.b64encode(b), "proof": proofs.encode_proof(p)} for a, b, p in encrypted
        ],
        "overall": proofs.encode_proof(overall),
    }


def test_an_honest_ballot_verifies_and_its_tracker_comes_from_its_hash(election_params):
    ballot, randomness = protocol.encrypt_ballot(election_params, one_hot(6, 2))
    verdict = protocol.verify_ballot(election_params, ballot)
    assert verdict.ok, verdict.reason
    assert verdict.ballot_hash == protocol.ballot_hash(ballot)
    assert verdict.tracker == protocol.tracker_from_hash(verdict.ballot_hash)
    assert len(verdict.tracker) == 11 and verdict.tracker[5] == "-"
    assert not set(verdict.tracker.replace("-", "")) & set("01OIL")


def test_a_choice_of_two_is_refused(election_params):
    # [2, 0, ...]: the sum is out of range too, but the choice proof fails first.
    ballot = cheating_ballot(election_params, [2, 0, 0, 0, 0, 0], [[0, 2]] + [CHOICE_VALUES] * 5)
    verdict = protocol.verify_ballot(election_params, ballot)
    assert not verdict.ok
    assert verdict.code == "choice_proof"
    assert verdict.reason == "proof of choice 1 invalid: it is not shown to be 0 or 1"


def test_a_negative_choice_that_keeps_the_sum_at_one_is_refused(election_params):
    # 2 for candidate 1 and −1 ≡ L−1 for candidate 4: the total is 1, so only the choice proofs catch it.
    minus_one = g.L - 1
    ballot = cheating_ballot(
        election_params,
        [2, 0, 0, minus_one, 0, 0],
        [[0, 2], CHOICE_VALUES, CHOICE_VALUES, [minus_one, 0], CHOICE_VALUES, CHOICE_VALUES],
    )
    verdict = protocol.verify_ballot(election_params, ballot)
    assert (verdict.ok, verdict.code) == (False, "choice_proof")
    assert verdict.reason.startswith("proof of choice 1 invalid")
    # Even with a valid proof for the 2 (not possible for a real cheater) the −1 is caught:
    ballot["choices"][0] = protocol.encrypt_ballot(election_params, one_hot(6, 0))[0]["choices"][0]
    assert protocol.verify_ballot(election_params, ballot).reason.startswith("proof of choice 4 invalid")


def test_two_candidates_chosen_is_refused_by_the_overall_proof(election_params):
    ballot = cheating_ballot(election_params, [1, 1, 0, 0, 0, 0], [CHOICE_VALUES] * 6)
    verdict = protocol.verify_ballot(election_params, ballot)
    assert (verdict.ok, verdict.code) == (False, "overall_proof")
    assert verdict.reason == "overall proof invalid: the ballot is not shown to choose exactly 1"


def test_no_candidate_chosen_is_refused_when_one_is_required(election_params):
    ballot = cheating_ballot(election_params, [0] * 6, [CHOICE_VALUES] * 6)
    assert protocol.verify_ballot(election_params, ballot).code == "overall_proof"


def test_a_ballot_for_another_election_is_refused(election_params, other_election):
    ballot, _r = protocol.encrypt_ballot(other_election, one_hot(6, 0))
    verdict = protocol.verify_ballot(election_params, ballot)
    assert (verdict.ok, verdict.code) == (False, "election")
    assert "another election" in verdict.reason


def test_a_proof_made_for_another_elections_key_is_refused(election_params, other_election):
    # Relabelled with this election's fingerprint, the proofs still belong to the other key.
    ballot, _r = protocol.encrypt_ballot(other_election, one_hot(6, 0))
    ballot["election"] = protocol.prepare(election_params).fingerprint
    verdict = protocol.verify_ballot(election_params, ballot)
    assert (verdict.ok, verdict.code) == (False, "choice_proof")
    assert verdict.reason.startswith("proof of choice 1 invalid")


def test_a_point_outside_the_prime_order_subgroup_is_refused(election_params):
    ballot, _r = protocol.encrypt_ballot(election_params, one_hot(6, 1))
    # A point of order 8 (small order), the identity, and a point of order 8·L (honest point + torsion).
    torsion = bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa")
    alpha = g.b64decode32(ballot["choices"][2]["alpha"])
    mixed = g.sodium.crypto_core_ed25519_add(alpha, torsion)
    for bad in (torsion, g.IDENTITY, mixed):
        tampered = copy.deepcopy(ballot)
        tampered["choices"][2]["alpha"] = g.b64encode(bad)
        verdict = protocol.verify_ballot(election_params, tampered)
        assert (verdict.ok, verdict.code) == (False, "encoding")
        assert verdict.reason == "choice 3: not a point of the prime-order subgroup"


def test_a_non_canonical_scalar_is_refused(election_params):
    ballot, _r = protocol.encrypt_ballot(election_params, one_hot(6, 1))
    challenge = g.b64decode32(ballot["choices"][0]["proof"][0][0])
    ballot["choices"][0]["proof"][0][0] = g.b64encode((g.scalar_to_int(challenge) + g.L).to_bytes(32, "little"))
    verdict = protocol.verify_ballot(election_params, ballot)
    assert (verdict.ok, verdict.reason) == (False, "choice 1: proof scalar: scalar not below the group order")


@pytest.mark.parametrize("where", ["alpha", "beta", "proof", "overall"])
def test_one_altered_character_is_refused(election_params, where):
    ballot, _r = protocol.encrypt_ballot(election_params, one_hot(6, 3))
    choice = ballot["choices"][3]
    if where == "overall":
        ballot["overall"][0][1] = flip(ballot["overall"][0][1])
    elif where == "proof":
        choice["proof"][1][1] = flip(choice["proof"][1][1])
    else:
        choice[where] = flip(choice[where])
    verdict = protocol.verify_ballot(election_params, ballot)
    assert not verdict.ok
    assert verdict.reason.startswith("overall proof" if where == "overall" else ("choice 4", "proof of choice 4"))


def test_a_truncated_ballot_is_refused(election_params):
    ballot, _r = protocol.encrypt_ballot(election_params, one_hot(6, 3))
    text = protocol.canonical_json(ballot)
    with pytest.raises(protocol.BallotRejected) as refused:
        protocol.parse_ballot(text[:-1])
    assert refused.value.code == "format"
    short = copy.deepcopy(ballot)
    short["choices"][0]["beta"] = short["choices"][0]["beta"][:-1]
    assert protocol.verify_ballot(election_params, short).reason == "choice 1: not 43 characters of base64url"
    del short["choices"][5]
    assert protocol.verify_ballot(election_params, short).reason == "the ballot must hold exactly 6 choices"


def test_parse_ballot_bounds_the_size_and_refuses_duplicate_keys(election_params):
    with pytest.raises(protocol.BallotRejected, match="too large"):
        protocol.parse_ballot(b" " * 70000)
    with pytest.raises(protocol.BallotRejected, match="duplicate key"):
        protocol.parse_ballot(b'{"election": "a", "election": "b"}')


def flip(text):
    """The same base64url text with one character changed (a different, still well-formed value)."""
    for position in (5, 10, 20):
        for replacement in "AQgw":
            changed = text[:position] + replacement + text[position + 1 :]
            if changed != text:
                return changed
    raise AssertionError("no change found")


def test_benaloh_audit_reveals_the_choice_and_catches_a_lie(election_params):
    ballot, randomness = protocol.encrypt_ballot(election_params, one_hot(6, 4))
    assert protocol.audit_ballot(election_params, ballot, randomness) == one_hot(6, 4)
    # Randomness of another ballot (a device that encrypted something else) does not match.
    _other, other_randomness = protocol.encrypt_ballot(election_params, one_hot(6, 4))
    with pytest.raises(protocol.BallotRejected, match="choice 1: the randomness does not match"):
        protocol.audit_ballot(election_params, ballot, other_randomness)


def test_seat_group_ballots_with_a_range_of_choices(trustee_setup):
    from .conftest import make_election

    record, public_key, _key_files = trustee_setup
    election = make_election(record, public_key, candidates=4, min_choices=0, max_choices=2)
    for choices in ([0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 1]):
        ballot, randomness = protocol.encrypt_ballot(election, choices)
        assert protocol.verify_ballot(election, ballot).ok
        assert protocol.audit_ballot(election, ballot, randomness) == choices
    three = cheating_ballot(election, [1, 1, 1, 0], [CHOICE_VALUES] * 4)
    assert protocol.verify_ballot(election, three).reason == (
        "overall proof invalid: the ballot is not shown to choose 0 to 2"
    )


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def test_any_member_of_the_wrong_type_gives_a_refusal_not_a_crash(election_params):
    """Whatever a visitor sends in place of a field, verify_ballot answers with a reason (the server never 500s)."""
    ballot, _r = protocol.encrypt_ballot(election_params, one_hot(6, 0))
    for path in leaves(ballot):
        for replacement in (None, 7, [], {}, "", "A" * 43):
            tampered = copy.deepcopy(ballot)
            target = tampered
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = replacement
            verdict = protocol.verify_ballot(election_params, tampered)
            assert not verdict.ok and verdict.reason, (path, replacement)
    for whole in (None, [], "ballot", {"election": 1, "choices": {}, "overall": None}):
        assert not protocol.verify_ballot(election_params, whole).ok
