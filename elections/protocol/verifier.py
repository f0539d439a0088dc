"""The independent verifier: checks a board from nothing but its JSON (no Django, no database).

``verify_board`` raises ``VerificationFailed`` naming the first failing item, in this order:
the election parameters and their fingerprint; the trustees' record (every proof of possession,
dealing signature, commitment proof and confirmation) and that it gives the published public
key; every ballot (its proofs, its hash, its chain link, no α used twice — ballots are checked
on all cores); the count and head; and on a final board the homomorphic totals, every partial
decryption proof, the combination of ``threshold`` of them, the paper counts, the sums and
the seat allocation with its lot. ``diff_boards`` checks that a later board extends an earlier
one (or an earlier published head).
"""

import multiprocessing
import os
from dataclasses import dataclass

from . import board as boards
from . import decryption, encoding
from . import group as g
from .ballot import BallotRejected, ballot_hash, check_ballot
from .decryption import decoded_ciphertexts
from .election import InvalidElection, prepare
from .trustees import SetupError, check_record

CHUNK = 250


class VerificationFailed(Exception):
    """The board does not verify; ``item`` names what failed (e.g. "ballot 17"), ``reason`` why."""

    def __init__(self, item, reason):
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


@dataclass
class Report:
    stage: str
    ballots: int
    head: str
    fingerprint: str
    result: dict | None = None

    def summary(self):
        lines = [f"OK: {self.ballots} ballots, head {self.head}, stage {self.stage}"]
        if self.result:
            lines.append("votes per candidate: " + ", ".join(str(v) for v in self.result["votes"]))
        return "\n".join(lines)


# --- ballots, on every core ------------------------------------------------------------------

_worker_election = None
_worker_entries = None


def _init_worker(params, entries):
    """Each worker gets the board once (inherited, not copied, where processes fork)."""
    global _worker_election, _worker_entries
    _worker_election = prepare(params)
    _worker_entries = entries


def _check_entry(election, number, entry):
    """(hash, ciphertexts) of one board entry; VerificationFailed names the ballot."""
    if not isinstance(entry, dict) or set(entry) != {"ballot", "hash", "chain"}:
        raise VerificationFailed(f"ballot {number}", "a board entry has exactly ballot, hash and chain")
    ballot = entry["ballot"]
    try:
        check_ballot(election, ballot)
        digest = ballot_hash(ballot)
    except (BallotRejected, encoding.NotCanonical) as error:
        raise VerificationFailed(f"ballot {number}", str(error)) from error
    if entry["hash"] != digest:
        raise VerificationFailed(f"ballot {number}", "stored hash does not match the ballot")
    return decoded_ciphertexts(ballot)


def _verify_chunk(task):
    """Worker: verify ballots [start, end); return partial totals or the first failure."""
    start, end = task
    rows = []
    try:
        for offset, entry in enumerate(_worker_entries[start:end]):
            rows.append(_check_entry(_worker_election, start + offset + 1, entry))
    except VerificationFailed as failure:
        return start, (failure.item, failure.reason), None, None
    totals = decryption.homomorphic_totals(rows, _worker_election.candidates)
    alphas = [a for row in rows for a, _b in row]
    return start, None, totals, alphas


def _chunks(entries):
    for start in range(0, len(entries), CHUNK):
        yield start, min(start + CHUNK, len(entries))


def verify_ballots(election, entries, jobs=None):
    """Check every ballot (in parallel) and return the homomorphic totals; first failure by position."""
    jobs = jobs or os.cpu_count() or 1
    totals = [(g.IDENTITY, g.IDENTITY)] * election.candidates
    seen = set()
    if jobs == 1 or len(entries) <= CHUNK:
        _init_worker(election.params, entries)
        results = map(_verify_chunk, _chunks(entries))
        return _merge(results, totals, seen)
    with multiprocessing.get_context(_start_method()).Pool(jobs, _init_worker, (election.params, entries)) as pool:
        return _merge(pool.imap(_verify_chunk, _chunks(entries)), totals, seen)


def _start_method():
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _merge(results, totals, seen):
    for start, failure, chunk_totals, alphas in results:
        if failure:
            raise VerificationFailed(*failure)
        totals = [(g.add(a, ca), g.add(b, cb)) for (a, b), (ca, cb) in zip(totals, chunk_totals, strict=True)]
        for offset, alpha in enumerate(alphas):
            if alpha in seen:
                number = start + offset // len(totals) + 1
                raise VerificationFailed(
                    f"ballot {number}", "a ciphertext of an earlier ballot is repeated (copied ballot)"
                )
            seen.add(alpha)
    return totals


def verify_chain(fingerprint, entries):
    """The head after checking every link; VerificationFailed names the first broken one."""
    link = boards.genesis(fingerprint)
    for number, entry in enumerate(entries, start=1):
        expected = boards.chain_link(link, entry["hash"])
        if entry["chain"] != expected:
            raise VerificationFailed(
                f"ballot {number}", "chain link does not follow from the previous link and the ballot hash"
            )
        link = expected
    return link


# --- the board --------------------------------------------------------------------------------


def _election(board):
    try:
        election = prepare(board.get("election"))
    except InvalidElection as error:
        raise VerificationFailed("election parameters", str(error)) from error
    if board.get("fingerprint") != election.fingerprint:
        raise VerificationFailed("election parameters", "fingerprint does not match the parameters")
    return election


def _trustees(election):
    try:
        public_key, verification_keys = check_record(election.params.get("trustees"))
    except SetupError as error:
        raise VerificationFailed(f"trustee {error.trustee}" if error.trustee else "trustees", error.reason) from error
    if public_key != election.public_key:
        raise VerificationFailed("public key", "the election key is not the sum of the trustees' commitments")
    return verification_keys


def verify_board(board, jobs=None) -> Report:
    """Check everything on ``board``; raise VerificationFailed naming the first failing item."""
    if not isinstance(board, dict) or board.get("format") != boards.FORMAT:
        raise VerificationFailed("board", f"not a {boards.FORMAT} document")
    election = _election(board)
    verification_keys = _trustees(election)
    entries = board.get("ballots")
    if not isinstance(entries, list):
        raise VerificationFailed("board", "ballots must be a list")
    totals = verify_ballots(election, entries, jobs)
    head = verify_chain(election.fingerprint, entries)
    if board.get("count") != len(entries):
        raise VerificationFailed("count", f"the board says {board.get('count')} ballots, it holds {len(entries)}")
    if board.get("head") != head:
        raise VerificationFailed("head", "the published head is not the last chain link")
    report = Report(board.get("stage"), len(entries), head, election.fingerprint)
    if board.get("stage") == "voting":
        extra = {"totals", "partial_decryptions", "paper", "result"} & set(board)
        if extra:
            raise VerificationFailed("board", f"a voting board has no {', '.join(sorted(extra))}")
        return report
    if board.get("stage") != "final":
        raise VerificationFailed("board", "stage must be voting or final")
    report.result = _verify_count(board, election, verification_keys, totals, len(entries))
    return report


def _verify_count(board, election, verification_keys, totals, ballots):
    try:
        published = decryption.decode_totals(board.get("totals"), election.candidates)
    except (ValueError, AttributeError) as error:
        raise VerificationFailed("totals", str(error)) from error
    for number, (mine, theirs) in enumerate(zip(totals, published, strict=True), start=1):
        if mine != theirs:
            raise VerificationFailed(f"totals of candidate {number}", "not the product of the ballots' ciphertexts")
    partials = {}
    messages = board.get("partial_decryptions")
    if not isinstance(messages, list):
        raise VerificationFailed("partial decryptions", "must be a list")
    for position, message in enumerate(messages, start=1):
        try:
            index, factors = decryption.check_partial_decryption(election, verification_keys, totals, message)
        except decryption.DecryptionError as error:
            raise VerificationFailed(
                f"partial decryption {position} (trustee {error.trustee})", error.reason
            ) from error
        if index in partials:
            raise VerificationFailed(f"partial decryption {position} (trustee {index})", "a trustee appears twice")
        partials[index] = factors
    threshold = election.params["trustees"]["setup"]["threshold"]
    try:
        online = decryption.combine(totals, partials, threshold, ballots)
    except ValueError as error:
        raise VerificationFailed("decryption", str(error)) from error
    paper = _verify_paper(board.get("paper"), election)
    expected = boards.compute_result(election, board["head"], online, paper)
    _compare_result(board.get("result"), expected)
    return expected


def _verify_paper(paper, election):
    places = {p["id"] for p in election.params.get("polling_places", [])}
    if not isinstance(paper, list):
        raise VerificationFailed("paper counts", "must be a list")
    seen = set()
    for position, count in enumerate(paper, start=1):
        item = f"paper count {position}"
        if not isinstance(count, dict) or set(count) != {"place", "votes", "invalid"}:
            raise VerificationFailed(item, "members must be place, votes and invalid")
        if count["place"] not in places or count["place"] in seen:
            raise VerificationFailed(item, "unknown or repeated polling place")
        seen.add(count["place"])
        numbers = [*count["votes"], count["invalid"]] if isinstance(count["votes"], list) else None
        if (
            numbers is None
            or len(count["votes"]) != election.candidates
            or any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in numbers)
        ):
            raise VerificationFailed(item, "one non-negative vote count per candidate and an invalid count")
    return paper


def _compare_result(published, expected):
    if not isinstance(published, dict):
        raise VerificationFailed("result", "missing")
    for key in ("online", "paper", "votes", "seed", "ties", "rows"):
        if published.get(key) != expected[key]:
            raise VerificationFailed(
                f"result: {key}", "differs from what the board's ballots, decryptions and paper counts give"
            )
    extra = set(published) - set(expected)
    if extra:
        raise VerificationFailed("result", f"unexpected members {', '.join(sorted(extra))}")


# --- diff: a later board must extend an earlier one ---------------------------------------------


def diff_boards(earlier, later):
    """Raise VerificationFailed unless ``later`` extends ``earlier`` (a board or a published head).

    Same election parameters; the earlier ballots are an exact prefix of the later ones (hashes and
    links included); an earlier head must appear as the later chain's link at the earlier count.
    A final earlier board must equal the later one. Run ``verify_board`` on the later board as well.
    """
    if not isinstance(later, dict) or later.get("format") != boards.FORMAT:
        raise VerificationFailed("later board", f"not a {boards.FORMAT} document")
    later_entries = later.get("ballots") or []
    if not isinstance(earlier, dict) or earlier.get("format") not in (boards.FORMAT, boards.HEAD_FORMAT):
        raise VerificationFailed("earlier board", "not a board or a published head")
    if earlier.get("fingerprint") != later.get("fingerprint"):
        raise VerificationFailed("election parameters", "the boards are for different elections")
    if earlier["format"] == boards.FORMAT and earlier.get("election") != later.get("election"):
        raise VerificationFailed("election parameters", "changed between the two boards")
    count = earlier.get("count")
    if not isinstance(count, int) or count > len(later_entries):
        raise VerificationFailed(
            "count", f"the later board holds fewer ballots ({len(later_entries)}) than the earlier ({count})"
        )
    if earlier["format"] == boards.FORMAT:
        earlier_entries = earlier.get("ballots") or []
        if len(earlier_entries) != count:
            raise VerificationFailed("earlier board", "its count does not match its ballots")
        for number, (old, new) in enumerate(zip(earlier_entries, later_entries, strict=False), start=1):
            if old != new:
                raise VerificationFailed(f"ballot {number}", "changed or removed in the later board")
    head = later_entries[count - 1]["chain"] if count else boards.genesis(later["fingerprint"])
    if earlier.get("head") != head:
        raise VerificationFailed(f"ballot {count}" if count else "head", "the earlier head is not in the later chain")
    if earlier.get("stage") == "final" and earlier != later:
        raise VerificationFailed("board", "a final board changed")
