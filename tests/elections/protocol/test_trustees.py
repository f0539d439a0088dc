"""Threshold trustees: the ceremony's record verifies, any t decrypt, a cheating dealer or trustee is named."""

import copy

import pytest

from elections import protocol
from elections.protocol import board as boards
from elections.protocol import decryption, trustees
from elections.protocol import group as g

from .conftest import VOTES, cast_all


def test_the_record_gives_the_public_key_and_one_verification_key_per_trustee(trustee_setup):
    record, public_key, key_files = trustee_setup
    key, verification_keys = protocol.check_record(record)
    assert g.b64encode(key) == public_key
    assert len(verification_keys) == 3
    # No key file holds the election's secret: each one alone is not enough to decrypt.
    assert {f["index"] for f in key_files} == {1, 2, 3}
    assert all(set(f) == {"format", "setup", "index", "secret", "public"} for f in key_files)


@pytest.mark.parametrize("present", [(0, 1), (0, 2), (1, 2), (0, 1, 2)])
def test_any_two_of_three_trustees_decrypt_the_same_totals(trustee_setup, election_params, present):
    _record, _key, key_files = trustee_setup
    entries = cast_all(election_params, VOTES)
    totals = boards.totals_of(election_params, entries)
    _y, verification_keys = protocol.check_record(election_params["trustees"])
    partials = dict(
        decryption.check_partial_decryption(
            election_params,
            verification_keys,
            totals,
            decryption.trustee_partial_decryption(election_params, key_files[i], totals),
        )
        for i in present
    )
    assert decryption.combine(totals, partials, 2, len(entries)) == VOTES


def test_one_trustee_alone_cannot_decrypt(trustee_setup, election_params):
    _record, _key, key_files = trustee_setup
    totals = boards.totals_of(election_params, cast_all(election_params, VOTES))
    _y, verification_keys = protocol.check_record(election_params["trustees"])
    message = decryption.trustee_partial_decryption(election_params, key_files[0], totals)
    index, factors = decryption.check_partial_decryption(election_params, verification_keys, totals, message)
    with pytest.raises(ValueError, match="2 partial decryptions are needed"):
        decryption.combine(totals, {index: factors}, 2, sum(VOTES))
    # Pretending the threshold were 1 gives no count: a single share is not the key.
    with pytest.raises(ValueError, match="not between 0 and"):
        decryption.combine(totals, {index: factors}, 1, sum(VOTES))


def test_a_partial_decryption_with_the_wrong_share_is_refused(trustee_setup, election_params):
    _record, _key, key_files = trustee_setup
    totals = boards.totals_of(election_params, cast_all(election_params, [1, 0, 0, 0, 0, 0]))
    _y, verification_keys = protocol.check_record(election_params["trustees"])
    wrong = decryption.partial_decrypt(election_params, 2, g.random_scalar(), verification_keys[1], totals)
    with pytest.raises(decryption.DecryptionError) as refused:
        decryption.check_partial_decryption(election_params, verification_keys, totals, wrong)
    assert str(refused.value) == (
        "partial decryption of trustee 2: proof of correct decryption for candidate 1 invalid"
    )


def ceremony_until_dealings(threshold=2, count=3):
    setup = trustees.new_setup("valg-test", threshold, count)
    generated = [trustees.generate_key(setup, i) for i in range(1, count + 1)]
    key_files = [k for k, _m in generated]
    keys = [m for _k, m in generated]
    dealings = [trustees.make_dealing(setup, k, keys) for k in key_files]
    return setup, key_files, keys, dealings


def test_a_tampered_share_is_caught_by_its_recipient_naming_the_dealer():
    setup, key_files, keys, dealings = ceremony_until_dealings()
    # The server swaps trustee 2's share from dealer 1 for one from dealer 3's dealing.
    forged = copy.deepcopy(dealings)
    forged[0]["shares"][1] = copy.deepcopy(dealings[2]["shares"][1])
    with pytest.raises(trustees.SetupError) as refused:
        trustees.make_confirmation(setup, key_files[1], keys, forged)
    assert str(refused.value) == "trustee 1: dealing signature invalid"


def test_a_dealer_whose_share_does_not_match_its_commitments_is_named(monkeypatch):
    setup, key_files, keys, dealings = ceremony_until_dealings()
    honest_evaluate = trustees._evaluate

    def wrong_for_trustee_3(coefficients, x):
        return g.random_scalar() if x == 3 else honest_evaluate(coefficients, x)

    # Dealer 1 seals a wrong share for trustee 3 and signs its dealing properly.
    monkeypatch.setattr(trustees, "_evaluate", wrong_for_trustee_3)
    dealings[0] = trustees.make_dealing(setup, key_files[0], keys)
    monkeypatch.setattr(trustees, "_evaluate", honest_evaluate)
    public_keys = trustees.check_keys(setup, keys)
    assert trustees.check_dealing(setup, public_keys, dealings[0], 1)  # well-formed and signed
    trustees.make_confirmation(setup, key_files[1], keys, dealings)  # trustee 2 got a good share
    with pytest.raises(trustees.SetupError) as complaint:
        trustees.make_confirmation(setup, key_files[2], keys, dealings)
    assert complaint.value.trustee == 1
    assert str(complaint.value) == "trustee 1: share for trustee 3 does not match the dealer's commitments"


def test_a_key_file_from_another_ceremony_is_refused(trustee_setup):
    setup, _key_files, keys, _dealings = ceremony_until_dealings()
    _record, _key, other_files = trustee_setup
    with pytest.raises(trustees.SetupError, match="another election or key ceremony"):
        trustees.make_dealing(setup, other_files[0], keys)


def test_a_proof_of_possession_for_another_trustee_number_is_refused():
    setup = trustees.new_setup("valg-test", 2, 3)
    _file, message = trustees.generate_key(setup, 1)
    message["index"] = 2
    with pytest.raises(trustees.SetupError, match="trustee 2: proof of possession of the key invalid"):
        trustees.check_key(setup, message, 2)


def test_a_confirmation_for_other_dealings_is_refused(trustee_setup):
    record, _key, _files = trustee_setup
    forged = copy.deepcopy(record)
    forged["confirmations"][2]["verification_key"] = forged["confirmations"][1]["verification_key"]
    with pytest.raises(trustees.SetupError, match="trustee 3: verification key does not follow"):
        protocol.check_record(forged)


def test_a_key_message_or_confirmation_that_does_not_decode_is_refused_by_name(trustee_setup):
    setup = trustees.new_setup("valg-test", 2, 3)
    _file, message = trustees.generate_key(setup, 1)
    message["public"] = "ikke-et-punkt"
    with pytest.raises(trustees.SetupError, match=r"^trustee 1: key message: ") as refused:
        trustees.check_key(setup, message, 1)
    assert refused.value.trustee == 1
    record, _key, _files = trustee_setup
    forged = copy.deepcopy(record)
    forged["confirmations"][1]["proof"] = "ikke-et-bevis"
    with pytest.raises(trustees.SetupError, match=r"^trustee 2: confirmation: "):
        protocol.check_record(forged)
