"""Medborger's election protocol: encrypted ballots, threshold trustees, homomorphic tally, public board.

Pure Python on top of PyNaCl (libsodium's ed25519 group); it imports nothing from Django or the
rest of the project, so ``python -m elections.protocol verify board.json`` runs in a virtual
environment that holds only PyNaCl. The specification is docs/election-protocol.md.

The names below are the API the Django app uses; everything else is internal.
"""

from .ballot import (
    BallotRejected,
    BallotVerdict,
    audit_ballot,
    ballot_alphas,
    ballot_hash,
    check_ballot,
    encrypt_ballot,
    parse_ballot,
    tracker,
    verify_ballot,
)
from .board import (
    chain_entry,
    count_part,
    final_board,
    genesis,
    head_snapshot,
    totals_of,
    totals_of_stored,
    voting_board,
)
from .board import dumps as dump_board
from .ceremony import run_ceremony
from .decryption import (
    DecryptionError,
    check_partial_decryption,
    decode_totals,
    encode_totals,
    trustee_partial_decryption,
)
from .election import Election, InvalidElection, new_election, prepare
from .encoding import canonical_json, fingerprint, loads, tracker_from_hash
from .seats import allocate, lot_key, rank_candidates, tie_break_seed
from .trustees import (
    SetupError,
    assemble,
    check_dealing,
    check_key,
    check_keys,
    check_record,
    generate_key,
    make_confirmation,
    make_dealing,
    new_setup,
)
from .verifier import VerificationFailed, diff_boards, verify_board

__all__ = [
    "BallotRejected",
    "BallotVerdict",
    "DecryptionError",
    "Election",
    "InvalidElection",
    "SetupError",
    "VerificationFailed",
    "allocate",
    "assemble",
    "audit_ballot",
    "ballot_alphas",
    "ballot_hash",
    "canonical_json",
    "chain_entry",
    "check_ballot",
    "check_dealing",
    "check_key",
    "check_keys",
    "check_partial_decryption",
    "check_record",
    "decode_totals",
    "diff_boards",
    "dump_board",
    "encode_totals",
    "encrypt_ballot",
    "count_part",
    "final_board",
    "fingerprint",
    "generate_key",
    "genesis",
    "head_snapshot",
    "loads",
    "lot_key",
    "make_confirmation",
    "make_dealing",
    "new_election",
    "new_setup",
    "parse_ballot",
    "prepare",
    "rank_candidates",
    "run_ceremony",
    "tie_break_seed",
    "totals_of",
    "totals_of_stored",
    "tracker",
    "tracker_from_hash",
    "trustee_partial_decryption",
    "verify_ballot",
    "verify_board",
    "voting_board",
]
