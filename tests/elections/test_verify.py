"""verify_election and the public board: the standalone verifier on the site's own board, and the diff against
earlier copies that catches an insider who rewrites ballots and re-chains every later one."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from elections import protocol
from elections.models import Ballot, BallotBox, ElectionPage, TallyResult, Trustee

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(council):
    election = factories.election(council, slug="kontrolvalg", seats=1, substitutes=1)
    voters = factories.add_voters(election, 8)
    a, b = factories.candidate(election, "Anna"), factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    for i, (_number, voter) in enumerate(voters[:6]):
        factories.cast(election, voter, a if i % 3 else b)
    return election, a, b


@pytest.fixture
def counted(voting):
    election, a, b = voting
    return factories.close_and_count(election, publish=True), a, b


def run(slug, *args):
    out = StringIO()
    try:
        call_command("verify_election", slug, *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue()


def in_chain_order(election):
    return [Ballot.objects.get(election=election, chain=e["chain"]) for e in election.ballot_box.entries()]


def test_honest_election_verifies_and_the_downloaded_board_verifies_without_django(client, counted, tmp_path):
    election, a, b = counted
    code, out = run("kontrolvalg")
    assert code == 0, out
    assert "OK: the board verifies" in out and "stage final, 6 ballots" in out
    response = client.get(reverse("elections:board", args=[election.pk]))
    assert response.status_code == 200
    path = tmp_path / "board.json"
    path.write_bytes(response.content)
    board = json.loads(response.content)
    assert board["stage"] == "final" and board["count"] == 6
    online = dict(zip((c["id"] for c in board["election"]["candidates"]), board["result"]["online"], strict=True))
    assert online == {a.pk: 4, b.pk: 2}
    # The standalone verifier, as an outsider runs it (no Django settings, no database).
    done = subprocess.run(
        [sys.executable, "-m", "elections.protocol", "verify", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 6 ballots" in done.stdout


def test_one_changed_byte_of_a_stored_ciphertext_is_named(counted):
    election, _a, _b = counted
    victim = in_chain_order(election)[2]
    content = json.loads(victim.content)
    beta = content["choices"][0]["beta"]
    content["choices"][0]["beta"] = ("A" if beta[0] != "A" else "B") + beta[1:]
    Ballot.objects.filter(pk=victim.pk).update(content=protocol.canonical_json(content).decode())
    code, out = run("kontrolvalg")
    assert code == 1
    assert "FAILED: ballot 3:" in out


def test_a_removed_ballot_is_caught(counted):
    election, _a, _b = counted
    Ballot.objects.filter(pk=in_chain_order(election)[-1].pk).delete()
    code, out = run("kontrolvalg")
    assert code == 1
    assert "FAILED: totals of candidate" in out


def test_a_changed_partial_decryption_is_named(counted):
    election, _a, _b = counted
    tally = TallyResult.objects.get(election=election)
    board = tally.board
    factor = board["partial_decryptions"][1]["factors"][0]
    board["partial_decryptions"][1]["factors"][0] = ("A" if factor[0] != "A" else "B") + factor[1:]
    TallyResult.objects.filter(pk=tally.pk).update(board=board)
    code, out = run("kontrolvalg")
    assert code == 1
    assert "FAILED: partial decryption 2" in out


def test_a_changed_stored_result_row_is_caught(counted):
    election, a, _b = counted
    TallyResult.objects.get(election=election).rows.filter(candidate=a).update(votes=99)
    code, out = run("kontrolvalg")
    assert code == 1
    assert "The stored result rows differ from the board's result" in out


def test_an_insider_rewrite_verifies_alone_but_not_against_the_head_kept_during_voting(client, voting, tmp_path):
    """Change one ballot (a valid new one), re-chain every later ballot, update the box: the board verifies
    on its own, but the head an observer saved while voting ran is no longer in the chain."""
    election, a, b = voting
    kept = client.get(reverse("elections:head", args=[election.pk]))
    assert kept.status_code == 200 and kept["Cache-Control"] == "no-cache"
    head_copy = tmp_path / "head.json"
    head_copy.write_bytes(kept.content)
    assert json.loads(kept.content)["count"] == 6
    box = BallotBox.objects.get(election=election)
    ordered = in_chain_order(election)
    # The insider replaces ballot 2 with a fresh valid ballot for Anna and re-chains ballots 2..6.
    forged = json.loads(factories.ballot_for(election, a))
    link = ordered[0].chain
    for number, stored in enumerate(ordered[1:], start=2):
        content = forged if number == 2 else json.loads(stored.content)
        digest = protocol.ballot_hash(content)
        new_link = protocol.board.chain_link(link, digest)
        Ballot.objects.filter(pk=stored.pk).update(
            content=protocol.canonical_json(content).decode(),
            hash=digest,
            tracker=protocol.tracker_from_hash(digest),
            prev=link,
            chain=new_link,
        )
        link = new_link
    BallotBox.objects.filter(pk=box.pk).update(head=link)
    election = factories.close_and_count(ElectionPage.objects.get(pk=election.pk), publish=True)
    code, out = run("kontrolvalg")
    assert code == 0, "the rewritten board is internally consistent"
    code, out = run("kontrolvalg", "--earlier", str(head_copy))
    assert code == 1
    assert "earlier copy 1: ballot 6: the earlier head is not in the later chain" in out


def test_head_is_published_during_voting_and_the_board_only_after_the_close(client, voting):
    election, _a, _b = voting
    head = client.get(reverse("elections:head", args=[election.pk])).json()
    assert head == {
        "format": "medborger-head/1",
        "fingerprint": election.ballot_box.fingerprint,
        "count": 6,
        "head": BallotBox.objects.get(election=election).head,
    }
    assert client.get(reverse("elections:board", args=[election.pk])).status_code == 404
    election.close()
    board = client.get(reverse("elections:board", args=[election.pk])).json()
    assert board["stage"] == "voting" and board["count"] == 6 and "result" not in board
    factories.decrypt(election)
    election.count()
    still = client.get(reverse("elections:board", args=[election.pk])).json()
    assert still["stage"] == "voting", "the count is not public before the result is published"


def test_tracker_lookup_after_the_close(client, voting):
    election, _a, _b = voting
    tracker = in_chain_order(election)[0].tracker
    url = reverse("elections:verification", args=[election.pk])
    before = client.get(url, {"kode": tracker}).content.decode()
    assert "Kontrolkoderne offentliggøres, når afstemningen er afsluttet." in before
    assert "er med i optællingen" not in before and 'class="tracker-list"' not in before
    election.close()
    page = client.get(url, {"kode": tracker.lower()}).content.decode()
    assert f"Kontrolkoden {tracker} er med i optællingen." in page


def test_trustees_are_on_the_board_with_their_key_proofs(counted):
    election, _a, _b = counted
    from elections.models.tally import published_board

    board = published_board(election)
    record = board["election"]["trustees"]
    assert [k["index"] for k in record["keys"]] == [1, 2, 3]
    assert record["keys"][0] == Trustee.objects.get(election=election, index=1).key_message
