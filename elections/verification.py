"""Check an election's stored board with the standalone verifier, and against copies kept by others.

Used by ``manage.py verify_election <slug>``. The board is assembled from the stored rows exactly as
the site publishes it; ``elections.protocol.verify_board`` then checks every proof, the chain, the
decryption, the paper + online sums and the seat allocation, and the stored result rows must agree
with the board's result. A database whose ballots were rewritten and re-chained still verifies on
its own: what catches it is ``diff`` against an earlier board or head kept by an observer, a trustee
or a voter's receipt (``--earlier``), which the command runs as well.
"""

from dataclasses import dataclass, field

from . import protocol
from .models import CandidateResult
from .models.tally import published_board


@dataclass
class Verification:
    problems: list = field(default_factory=list)
    ballots: int = 0
    chain_head: str = ""
    stage: str = ""

    @property
    def ok(self):
        return not self.problems


def _stored_rows(election):
    return [
        {
            "candidate": r.candidate_id,
            "group": r.group_id,
            "online": r.online_votes,
            "paper": r.paper_votes,
            "votes": r.votes,
            "rank": r.rank,
            "outcome": r.outcome,
            "decided_by_lot": r.decided_by_lot,
        }
        for r in CandidateResult.objects.filter(tally__election=election)
    ]


def verify(election, earlier=(), jobs=None):
    """Verify the stored board; ``earlier``: boards or head snapshots (parsed JSON) it must extend."""
    report = Verification()
    board = published_board(election)
    if board is None:
        report.problems.append("No board: voting has not opened")
        return report
    report.ballots, report.chain_head, report.stage = board["count"], board["head"], board["stage"]
    try:
        protocol.verify_board(board, jobs=jobs)
    except protocol.VerificationFailed as failure:
        report.problems.append(f"{failure.item}: {failure.reason}")
    for number, copy in enumerate(earlier, start=1):
        try:
            protocol.diff_boards(copy, board)
        except protocol.VerificationFailed as failure:
            report.problems.append(f"earlier copy {number}: {failure.item}: {failure.reason}")
    if board["stage"] == "final":
        key = lambda row: row["candidate"]  # noqa: E731
        if sorted(_stored_rows(election), key=key) != sorted(board["result"]["rows"], key=key):
            report.problems.append("The stored result rows differ from the board's result")
    return report
