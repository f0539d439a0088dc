"""The browser's code (election-protocol.js, run by Node) and the Python package accept each other's messages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from elections import protocol
from elections.protocol import board as boards
from elections.protocol import ceremony, decryption, trustees
from elections.protocol import group as g

from .conftest import VOTES, make_election, one_hot
from .test_ballots import CHOICE_VALUES, cheating_ballot

HARNESS = Path(__file__).with_name("js_harness.js")
ROOT = HARNESS.parents[3]
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node is needed for the browser code")


def js(*requests):
    """Run operations in election-protocol.js; a list of {ok, value} / {ok: False, code, reason}."""
    if not (ROOT / "node_modules" / "libsodium-wrappers-sumo").exists():
        pytest.fail("npm dependencies missing: run `npm ci` (make install does)")
    done = subprocess.run(
        ["node", str(HARNESS)], input=json.dumps(list(requests)), capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout)


def test_canonical_json_is_byte_identical():
    value = {"zeta": [1, -2, 9007199254740991], "æble": 'Ægte "citat" \\ \n\t\u0001 ünïcødé ☃ 𝄞', "a": None, "b": True}
    (answer,) = js(["canonical", value])
    assert answer["value"].encode("utf-8") == protocol.canonical_json(value)


def test_ballots_made_in_the_browser_verify_in_python_and_audit(election_params):
    answers = js(*(["encrypt", election_params, one_hot(6, i)] for i in range(6)))
    for i, answer in enumerate(answers):
        ballot, randomness = answer["value"]["ballot"], answer["value"]["randomness"]
        verdict = protocol.verify_ballot(election_params, ballot)
        assert verdict.ok, verdict.reason
        assert protocol.audit_ballot(election_params, ballot, randomness) == one_hot(6, i)
    (tracker,) = js(["tracker", answers[0]["value"]["ballot"]])
    assert tracker["value"] == protocol.tracker(answers[0]["value"]["ballot"])


def test_ballots_made_in_python_verify_in_the_browser_and_cheats_are_refused_alike(election_params, other_election):
    honest, randomness = protocol.encrypt_ballot(election_params, one_hot(6, 3))
    two = cheating_ballot(election_params, [2, 0, 0, 0, 0, 0], [[0, 2]] + [CHOICE_VALUES] * 5)
    double = cheating_ballot(election_params, [1, 1, 0, 0, 0, 0], [CHOICE_VALUES] * 6)
    foreign, _r = protocol.encrypt_ballot(other_election, one_hot(6, 0))
    foreign["election"] = honest["election"]
    answers = js(
        ["verify", election_params, honest],
        ["audit", election_params, honest, randomness],
        *(["verify", election_params, ballot] for ballot in (two, double, foreign)),
    )
    assert answers[0]["value"]["ok"] and answers[0]["value"]["tracker"] == protocol.tracker(honest)
    assert answers[1]["value"] == one_hot(6, 3)
    for answer, ballot in zip(answers[2:], (two, double, foreign), strict=True):
        python = protocol.verify_ballot(election_params, ballot)
        assert not python.ok
        assert {k: answer["value"][k] for k in ("ok", "code", "reason")} == {
            "ok": False,
            "code": python.code,
            "reason": python.reason,
        }


def test_a_ceremony_with_browser_and_python_trustees(tmp_path):
    """Trustees 1 and 3 in the browser, trustee 2 in Python; each side checks the other's messages."""
    setup = trustees.new_setup("valg-mixed", 2, 3)
    (one, three) = js(["generateKey", setup, 1], ["generateKey", setup, 3])
    two_file, two_message = trustees.generate_key(setup, 2)
    key_files = [one["value"]["keyFile"], two_file, three["value"]["keyFile"]]
    keys = [one["value"]["message"], two_message, three["value"]["message"]]
    assert len(trustees.check_keys(setup, keys)) == 3
    browser_dealings = js(["dealing", setup, key_files[0], keys], ["dealing", setup, key_files[2], keys])
    dealings = [
        browser_dealings[0]["value"],
        trustees.make_dealing(setup, two_file, keys),
        browser_dealings[1]["value"],
    ]
    browser_confirmations = js(
        ["confirmation", setup, key_files[0], keys, dealings], ["confirmation", setup, key_files[2], keys, dealings]
    )
    confirmations = [
        browser_confirmations[0]["value"],
        trustees.make_confirmation(setup, two_file, keys, dealings),
        browser_confirmations[1]["value"],
    ]
    record, public_key = trustees.assemble(setup, keys, dealings, confirmations)
    (checked,) = js(["checkRecord", record])
    python_key, python_vks = protocol.check_record(record)
    assert checked["value"] == {"publicKey": public_key, "verificationKeys": [g.b64encode(k) for k in python_vks]}
    assert g.b64encode(python_key) == public_key

    # The browser refuses a dealing the server altered, naming the dealer.
    forged = json.loads(json.dumps(dealings))
    forged[1]["commitments"][1] = forged[0]["commitments"][1]
    (refused,) = js(["confirmation", setup, key_files[0], keys, forged])
    assert refused == {"ok": False, "code": "trustee", "reason": "trustee 2: dealing signature invalid"}

    # Count: browser trustee 3 and Python trustee 2 decrypt; trustee 1 is absent.
    election = make_election(record, public_key, election_id="valg-mixed")
    entries = []
    link = protocol.genesis(protocol.prepare(election).fingerprint)
    for index, count in enumerate(VOTES):
        for answer in js(*(["encrypt", election, one_hot(6, index)] for _ in range(count))):
            entries.append(protocol.chain_entry(link, answer["value"]["ballot"]))
            link = entries[-1]["chain"]
    totals = boards.totals_of(election, entries)
    encoded = decryption.encode_totals(totals)
    (browser_partial,) = js(["partial", election, key_files[2], encoded])
    python_partial = decryption.trustee_partial_decryption(election, two_file, totals)
    (browser_checks_python,) = js(["checkPartial", election, encoded, python_partial])
    assert browser_checks_python == {"ok": True, "value": True}
    board = protocol.final_board(election, entries, [browser_partial["value"], python_partial], [])
    assert board["result"]["online"] == VOTES
    assert protocol.verify_board(board, jobs=1).result["votes"] == VOTES

    # A browser partial decryption made with another trustee's key file is refused on both sides.
    (wrong,) = js(["partial", election, key_files[0], encoded])
    wrong["value"]["index"] = 3
    with pytest.raises(decryption.DecryptionError, match="trustee 3: proof of correct decryption for candidate 1"):
        _y, vks = protocol.check_record(record)
        decryption.check_partial_decryption(election, vks, totals, wrong["value"])
    (browser_refuses,) = js(["checkPartial", election, encoded, wrong["value"]])
    assert browser_refuses["ok"] is False and browser_refuses["code"] == "decryption"


def test_python_ceremony_messages_check_in_the_browser():
    record, public_key, key_files = ceremony.run_ceremony("valg-py", 2, 3)
    (checked,) = js(["checkRecord", record])
    assert checked["value"]["publicKey"] == public_key
    (refused,) = js(["dealing", record["setup"], {**key_files[0], "setup": "0" * 64}, record["keys"]])
    assert refused["reason"] == "trustee 1: the key file belongs to another election or key ceremony"
