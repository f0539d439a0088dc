"""The public board: one JSON document anyone can download, check (``verify``) and compare (``diff``).

Schema (documented in docs/election-protocol.md, "The board")::

    {"format": "medborger-board/1",
     "stage": "voting" | "final",
     "election": {...election parameters, trustees' record and public key...},
     "fingerprint": SHA-256 of the election parameters' canonical JSON (hex),
     "ballots": [{"ballot": {...}, "hash": hex, "chain": hex}, ...],   # in chain order
     "count": number of ballots, "head": chain link of the last ballot (or the genesis),
     # "final" only:
     "totals": [{"alpha", "beta"}, ...],            # per candidate, Σ of every ballot's ciphertext
     "partial_decryptions": [{"index", "factors", "proofs"}, ...],
     "paper": [{"place": id, "votes": [per candidate], "invalid": n}, ...],
     "result": {"online", "paper", "votes": [per candidate], "seed", "rows", "ties"}}

chain_k = SHA-256(hash_input("chain", [chain_{k−1}, hash_k])), chain_0 = the genesis
SHA-256(hash_input("chain-genesis", [fingerprint])), every value raw bytes.
"""

import base64
import hashlib
import json
import multiprocessing

from . import decryption, encoding, seats
from . import group as g
from .ballot import ballot_hash
from .decryption import decoded_ciphertexts
from .election import candidate_ids, prepare
from .trustees import check_record

FORMAT = "medborger-board/1"
HEAD_FORMAT = "medborger-head/1"


def genesis(fingerprint: str) -> str:
    return hashlib.sha256(g.hash_input("chain-genesis", [bytes.fromhex(fingerprint)])).hexdigest()


def chain_link(previous: str, digest: str) -> str:
    return hashlib.sha256(g.hash_input("chain", [bytes.fromhex(previous), bytes.fromhex(digest)])).hexdigest()


def chain_entry(previous: str, ballot) -> dict:
    """The board entry for a verified ballot appended after the link ``previous``."""
    digest = ballot_hash(ballot)
    return {"ballot": ballot, "hash": digest, "chain": chain_link(previous, digest)}


def head_snapshot(election_params, entries) -> dict:
    """What is published continuously during voting: fingerprint, ballot count and chain head."""
    election = prepare(election_params)
    head = entries[-1]["chain"] if entries else genesis(election.fingerprint)
    return {"format": HEAD_FORMAT, "fingerprint": election.fingerprint, "count": len(entries), "head": head}


def voting_board(election_params, entries) -> dict:
    """The board while voting runs (no totals, no result)."""
    election = prepare(election_params)
    snapshot = head_snapshot(election, entries)
    return {
        "format": FORMAT,
        "stage": "voting",
        "election": election.params,
        "fingerprint": election.fingerprint,
        "ballots": list(entries),
        "count": snapshot["count"],
        "head": snapshot["head"],
    }


def totals_of(election_params, entries, jobs=1):
    """Decoded per-candidate totals (Σα, Σβ) of the board entries, summed on ``jobs`` processes."""
    election = prepare(election_params)
    if jobs <= 1 or len(entries) < 2000:
        _init_totals(election.candidates, entries)
        return _chunk_totals((0, len(entries)))
    step = -(-len(entries) // (4 * jobs))
    chunks = [(i, min(i + step, len(entries))) for i in range(0, len(entries), step)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(jobs, _init_totals, (election.candidates, entries)) as pool:
        partial = pool.map(_chunk_totals, chunks)
    return decryption.homomorphic_totals(partial, election.candidates)


_totals_job = None


def _init_totals(candidates, entries):
    """Each worker gets the entries once (inherited, not copied, where processes fork)."""
    global _totals_job
    _totals_job = (candidates, entries)


def _chunk_totals(span):
    candidates, entries = _totals_job
    rows = (decoded_ciphertexts(e["ballot"]) for e in entries[span[0] : span[1]])
    return decryption.homomorphic_totals(rows, candidates)


def totals_of_stored(election_params, contents):
    """Decoded per-candidate totals (Σα, Σβ) of ballots given as the canonical JSON text the server stored.

    For the server's close: one pass over ``contents`` in any order (the sum does not depend on it),
    each ballot read with the C JSON parser and its points decoded without re-checking them — they
    were checked when the ballot was cast, and the verifier checks every ballot of the published
    board against these totals again. A stored point that is not one raises (libsodium refuses it).
    """
    election = prepare(election_params)
    return decryption.homomorphic_totals(_stored_ciphertexts(contents, election.candidates), election.candidates)


def _stored_ciphertexts(contents, candidates):
    """[(α, β)] per stored ballot, decoded without the canonical-spelling checks of ``decoded_ciphertexts``."""
    decode = base64.urlsafe_b64decode
    for content in contents:
        choices = json.loads(content)["choices"]
        if len(choices) != candidates:
            raise ValueError("a stored ballot does not have one ciphertext per candidate")
        yield [(decode(choice["alpha"] + "="), decode(choice["beta"] + "=")) for choice in choices]


def paper_sums(election, paper):
    sums = [0] * election.candidates
    for place in paper:
        for i, votes in enumerate(place["votes"]):
            sums[i] += votes
    return sums


def compute_result(election_params, head, online, paper):
    """The result from the online counts (per candidate) and the paper counts, seats allocated from the head."""
    election = prepare(election_params)
    ids = candidate_ids(election.params)
    paper_total = paper_sums(election, paper)
    seed = seats.tie_break_seed(head)
    candidates = [(c["id"], c.get("group")) for c in election.params["candidates"]]
    allocation = seats.allocate(
        election.params["seat_groups"],
        candidates,
        dict(zip(ids, online, strict=True)),
        dict(zip(ids, paper_total, strict=True)),
        seed,
    )
    votes = [a + b for a, b in zip(online, paper_total, strict=True)]
    return {"online": list(online), "paper": paper_total, "votes": votes, "seed": seed, **allocation}


def count_part(election_params, head, count, totals, partial_decryptions, paper):
    """The final board's count members (totals, partial decryptions, paper counts, result) from decoded totals.

    ``partial_decryptions`` must already be checked (``decryption.check_partial_decryption``); any
    ``threshold`` of them are combined; each decrypted total is at most ``count``.
    """
    election = prepare(election_params)
    _public_key, verification_keys = check_record(election.params["trustees"])
    partials = dict(
        decryption.check_partial_decryption(election, verification_keys, totals, message)
        for message in partial_decryptions
    )
    threshold = election.params["trustees"]["setup"]["threshold"]
    online = decryption.combine(totals, partials, threshold, count)
    return {
        "totals": decryption.encode_totals(totals),
        "partial_decryptions": list(partial_decryptions),
        "paper": list(paper),
        "result": compute_result(election, head, online, paper),
    }


def final_board(election_params, entries, partial_decryptions, paper, jobs=1):
    """The final board: totals, the partial decryptions, paper counts and the result (decrypted here).

    ``jobs``: processes for summing the ciphertexts. See ``count_part``.
    """
    election = prepare(election_params)
    board = voting_board(election, entries)
    totals = totals_of(election, entries, jobs)
    board.update(
        stage="final", **count_part(election, board["head"], board["count"], totals, partial_decryptions, paper)
    )
    return board


def dumps(board) -> bytes:
    """The board's bytes for download (canonical JSON)."""
    return encoding.canonical_json(board)
