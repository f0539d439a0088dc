"""Recompute an election's ballot chain and tally from the stored rows and report every mismatch.

Used by ``manage.py verify_election <slug>``. The published chain head is taken from the
tally (or, before counting, from the audit log entry written when voting closed, or the
ballot box). Each problem names the ballot concerned.
"""

from dataclasses import dataclass, field

from . import crypto, tally


@dataclass
class Verification:
    problems: list = field(default_factory=list)
    ballots: int = 0
    chain_head: str = ""
    published_head: str = ""

    @property
    def ok(self):
        return not self.problems


def published_head(election):
    from .models import AuditLogEntry, TallyResult

    result = TallyResult.objects.filter(election=election).first()
    if result:
        return result.chain_head
    closing = AuditLogEntry.objects.filter(election=election, action="voting.close").order_by("-created_at").first()
    if closing and closing.data.get("chain_head"):
        return closing.data["chain_head"]
    return election.chain_head()


def verify_chain(election, report):
    from .models import Ballot, BallotBox

    ballots = list(Ballot.objects.filter(election=election))
    report.ballots = len(ballots)
    by_prev = {}
    for ballot in ballots:
        by_prev.setdefault(ballot.prev_hash, []).append(ballot)
    head = published_head(election)
    report.published_head = head
    current = crypto.genesis_hash(election.pk)
    previous = None
    seen = set()
    reached_published = current == head
    while current in by_prev:
        links = by_prev[current]
        for extra in links[1:]:
            report.problems.append(
                f"Ballot {extra.pk} (tracker {extra.tracker}) links to the same predecessor as another"
            )
            seen.add(extra.pk)
        ballot = links[0]
        seen.add(ballot.pk)
        if reached_published:
            report.problems.append(
                f"Ballot {ballot.pk} (tracker {ballot.tracker}) comes after the published chain head: inserted"
            )
        if ballot.hash != ballot.expected_hash():
            report.problems.append(
                f"Ballot {ballot.pk} (tracker {ballot.tracker}) has been changed: its hash does not match its content"
            )
        previous = ballot
        current = ballot.hash
        if current == head:
            reached_published = True
    report.chain_head = current
    for ballot in ballots:
        if ballot.pk not in seen:
            report.problems.append(
                f"Ballot {ballot.pk} (tracker {ballot.tracker}) is not in the chain: inserted, or a ballot before it "
                "was changed or removed"
            )
    if not reached_published:
        after = f"ballot {previous.pk} (tracker {previous.tracker})" if previous else "the start of the chain"
        report.problems.append(
            f"The chain ends at {current} but the published head is {head}: a ballot after {after} is missing"
        )
    box = BallotBox.objects.filter(election=election).first()
    if box and box.count != len(ballots):
        report.problems.append(f"The ballot box counted {box.count} ballots but {len(ballots)} are stored")


def verify_tally(election, report):
    from .models import TallyResult

    result = TallyResult.objects.filter(election=election).first()
    if result is None:
        return
    fresh = tally.compute(election, chain_head=result.chain_head)
    if fresh["seed"] != result.seed:
        report.problems.append("The stored tie-break seed does not follow from the chain head")
    stored = {row.candidate_id: row for row in result.rows.select_related("candidate")}
    for row in fresh["rows"]:
        old = stored.pop(row["candidate"], None)
        if old is None:
            report.problems.append(f"Candidate {row['candidate']} is missing from the stored result")
            continue
        if (old.online_votes, old.paper_votes, old.votes) != (row["online"], row["paper"], row["votes"]):
            report.problems.append(
                f"Candidate {old.candidate} ({old.candidate_id}): stored {old.online_votes} online + "
                f"{old.paper_votes} paper, recomputed {row['online']} online + {row['paper']} paper"
            )
        if (old.outcome, old.rank) != (row["outcome"], row["rank"]):
            report.problems.append(
                f"Candidate {old.candidate} ({old.candidate_id}): stored {old.outcome} #{old.rank}, "
                f"recomputed {row['outcome']} #{row['rank']}"
            )
    for old in stored.values():
        report.problems.append(f"Candidate {old.candidate} ({old.candidate_id}) is in the stored result only")


def verify(election):
    report = Verification()
    verify_chain(election, report)
    verify_tally(election, report)
    return report
