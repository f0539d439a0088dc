"""The standalone verifier on an honest board and on boards an insider changed (issue 9, must-hold 4)."""

import copy
import json

import pytest

from elections import protocol
from elections.protocol import __main__ as cli
from elections.protocol import board as boards

from .conftest import VOTES, cast_all, one_hot
from .test_ballots import flip


def failure(board, **kwargs):
    with pytest.raises(protocol.VerificationFailed) as failed:
        protocol.verify_board(board, **kwargs)
    return str(failed.value)


def test_the_honest_board_verifies_and_gives_the_result(honest_board):
    report = protocol.verify_board(honest_board, jobs=1)
    assert report.ballots == sum(VOTES) == honest_board["count"]
    result = honest_board["result"]
    assert result["online"] == VOTES
    assert result["paper"] == [1, 1, 1, 2, 0, 0]
    assert result["votes"] == [5, 3, 3, 3, 0, 1]
    outcomes = {row["candidate"]: row["outcome"] for row in result["rows"]}
    assert outcomes[100] == "elected"
    # Candidates 2, 3 and 4 tie on 3 votes for one seat and one substitute place: the lot decides.
    assert [row["outcome"] for row in result["rows"]].count("elected") == 2
    (tie,) = [t for t in result["ties"] if t["votes"] == 3]
    assert sorted(tie["candidates"]) == [101, 102, 103] and tie["decisive"]
    assert result["seed"] == protocol.tie_break_seed(honest_board["head"])


def test_verification_on_two_processes_gives_the_same_answer(honest_board, monkeypatch):
    from elections.protocol import verifier

    monkeypatch.setattr(verifier, "CHUNK", 3)
    assert protocol.verify_board(honest_board, jobs=2).result == honest_board["result"]
    honest_board["ballots"][7]["ballot"]["choices"][0]["proof"][0][1] = flip(
        honest_board["ballots"][7]["ballot"]["choices"][0]["proof"][0][1]
    )
    assert failure(honest_board, jobs=2) == "ballot 8: proof of choice 1 invalid: it is not shown to be 0 or 1"


def test_one_character_of_a_ciphertext_changed(honest_board):
    choice = honest_board["ballots"][4]["ballot"]["choices"][2]
    choice["beta"] = flip(choice["beta"])
    assert failure(honest_board).startswith("ballot 5: ")


def test_one_character_of_a_proof_changed(honest_board):
    honest_board["ballots"][9]["ballot"]["overall"][0][0] = flip(honest_board["ballots"][9]["ballot"]["overall"][0][0])
    assert failure(honest_board) == "ballot 10: overall proof invalid: the ballot is not shown to choose exactly 1"


def test_a_ballot_hash_that_does_not_match(honest_board):
    honest_board["ballots"][2]["hash"] = "0" * 64
    assert failure(honest_board) == "ballot 3: stored hash does not match the ballot"


def test_one_character_of_a_partial_decryption_changed(honest_board):
    partial = honest_board["partial_decryptions"][1]
    partial["factors"][3] = flip(partial["factors"][3])
    message = failure(honest_board)
    assert message.startswith("partial decryption 2 (trustee 3): ")


def test_a_partial_decryption_proof_changed(honest_board):
    partial = honest_board["partial_decryptions"][0]
    partial["proofs"][2][1] = flip(partial["proofs"][2][1])
    assert failure(honest_board) == (
        "partial decryption 1 (trustee 1): proof of correct decryption for candidate 3 invalid"
    )


def test_one_partial_decryption_is_not_enough(honest_board):
    honest_board["partial_decryptions"].pop()
    assert failure(honest_board) == "decryption: 2 partial decryptions are needed, 1 given"


def test_a_paper_count_changed(honest_board):
    honest_board["paper"][1]["votes"][1] += 1
    assert failure(honest_board).startswith("result: paper: ")


def test_a_negative_paper_count(honest_board):
    honest_board["paper"][0]["votes"][0] = -1
    assert failure(honest_board).startswith("paper count 1: ")


def test_the_result_changed(honest_board):
    honest_board["result"]["votes"][0] += 1
    assert failure(honest_board).startswith("result: votes: ")
    honest_board["result"]["votes"][0] -= 1
    elected = next(row for row in honest_board["result"]["rows"] if row["outcome"] == "substitute")
    elected["outcome"] = "elected"
    assert failure(honest_board).startswith("result: rows: ")


def test_the_totals_changed(honest_board, election_params):
    other = boards.totals_of(election_params, cast_all(election_params, [1, 0, 0, 0, 0, 0]))
    honest_board["totals"][0] = protocol.encode_totals(other)[0]
    assert failure(honest_board) == "totals of candidate 1: not the product of the ballots' ciphertexts"


def test_a_ballot_removed(honest_board):
    del honest_board["ballots"][3]
    assert failure(honest_board) == ("ballot 4: chain link does not follow from the previous link and the ballot hash")


def test_the_last_ballot_removed_and_the_head_moved_back(honest_board):
    honest_board["ballots"].pop()
    honest_board["count"] -= 1
    honest_board["head"] = honest_board["ballots"][-1]["chain"]
    # Every candidate's total loses that ballot's ciphertext: the first one is named.
    assert failure(honest_board) == "totals of candidate 1: not the product of the ballots' ciphertexts"


def test_a_ballot_added(honest_board, election_params):
    ballot, _r = protocol.encrypt_ballot(election_params, one_hot(6, 0))
    honest_board["ballots"].append(protocol.chain_entry(honest_board["head"], ballot))
    assert failure(honest_board) == f"count: the board says {sum(VOTES)} ballots, it holds {sum(VOTES) + 1}"


def test_a_copied_ballot_is_refused(honest_board):
    copied = copy.deepcopy(honest_board["ballots"][0]["ballot"])
    honest_board["ballots"].insert(1, protocol.chain_entry(honest_board["ballots"][0]["chain"], copied))
    assert failure(honest_board) == "ballot 2: a ciphertext of an earlier ballot is repeated (copied ballot)"


def test_a_changed_public_key_is_caught(honest_board, other_election):
    honest_board["election"]["public_key"] = other_election["public_key"]
    assert failure(honest_board) == "election parameters: fingerprint does not match the parameters"
    honest_board["fingerprint"] = protocol.fingerprint(honest_board["election"])
    assert failure(honest_board) == "public key: the election key is not the sum of the trustees' commitments"


def rewritten(board, election_params, position):
    """An insider's copy: ballot ``position`` (0-based) replaced by a valid ballot, every later link re-hashed."""
    entries = copy.deepcopy(board["ballots"])
    replacement, _r = protocol.encrypt_ballot(election_params, one_hot(6, 5))
    link = entries[position - 1]["chain"] if position else protocol.genesis(board["fingerprint"])
    for index in range(position, len(entries)):
        ballot = replacement if index == position else entries[index]["ballot"]
        entries[index] = protocol.chain_entry(link, ballot)
        link = entries[index]["chain"]
    return protocol.voting_board(election_params, entries)


def test_diff_catches_a_rewritten_chain_that_verifies_on_its_own(honest_board, election_params):
    earlier = protocol.voting_board(election_params, honest_board["ballots"][:8])
    later = rewritten(protocol.voting_board(election_params, honest_board["ballots"]), election_params, 3)
    assert protocol.verify_board(later).ballots == sum(VOTES)  # the rewritten board alone passes
    with pytest.raises(protocol.VerificationFailed) as failed:
        protocol.diff_boards(earlier, later)
    assert str(failed.value) == "ballot 4: changed or removed in the later board"
    # An observer who kept only the published head at 8 ballots catches it too.
    snapshot = protocol.head_snapshot(election_params, honest_board["ballots"][:8])
    with pytest.raises(protocol.VerificationFailed) as failed:
        protocol.diff_boards(snapshot, later)
    assert str(failed.value) == "ballot 8: the earlier head is not in the later chain"


def test_diff_accepts_an_honest_extension_and_refuses_a_shorter_board(honest_board, election_params):
    earlier = protocol.voting_board(election_params, honest_board["ballots"][:5])
    protocol.diff_boards(earlier, honest_board)
    protocol.diff_boards(protocol.head_snapshot(election_params, honest_board["ballots"][:5]), honest_board)
    protocol.diff_boards(protocol.head_snapshot(election_params, []), honest_board)
    with pytest.raises(protocol.VerificationFailed, match="fewer ballots"):
        protocol.diff_boards(honest_board, earlier)


def test_cli_exit_codes_and_messages(tmp_path, honest_board, election_params, capsys):
    good, bad = tmp_path / "board.json", tmp_path / "bad.json"
    good.write_bytes(boards.dumps(honest_board))
    assert cli.main(["verify", str(good), "--jobs", "1"]) == 0
    assert capsys.readouterr().out.startswith(f"OK: {sum(VOTES)} ballots")
    honest_board["paper"][0]["invalid"] = 7
    honest_board["result"]["rows"][0]["votes"] = 99
    bad.write_text(json.dumps(honest_board))
    assert cli.main(["verify", str(bad), "--jobs", "1"]) == 1
    assert (
        capsys.readouterr().err
        == "FAILED: result: rows: differs from what the board's ballots, decryptions and paper counts give\n"
    )
    earlier = tmp_path / "earlier.json"
    earlier.write_bytes(boards.dumps(protocol.voting_board(election_params, honest_board["ballots"][:3])))
    assert cli.main(["diff", str(earlier), str(good)]) == 0
    assert cli.main(["diff", str(good), str(earlier)]) == 1
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(SystemExit) as exited:
        cli.main(["verify", str(tmp_path / "broken.json")])
    assert exited.value.code == 2


def test_totals_summed_on_two_processes_equal_the_serial_sum(honest_board, election_params):
    entries = honest_board["ballots"] * 200  # 2,000 entries: the parallel path
    assert boards.totals_of(election_params, entries, jobs=2) == boards.totals_of(election_params, entries)


def test_the_servers_one_pass_sum_of_stored_ballots_equals_the_board_totals(honest_board, election_params):
    stored = [protocol.canonical_json(entry["ballot"]).decode() for entry in honest_board["ballots"]]
    expected = boards.totals_of(election_params, honest_board["ballots"])
    assert boards.totals_of_stored(election_params, reversed(stored)) == expected
    assert protocol.encode_totals(expected) == honest_board["totals"]
    short = json.loads(stored[0])
    short["choices"].pop()
    with pytest.raises(ValueError, match="one ciphertext per candidate"):
        boards.totals_of_stored(election_params, [*stored, json.dumps(short)])
