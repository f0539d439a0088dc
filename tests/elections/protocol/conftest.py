"""Shared fixtures: one 2-of-3 key ceremony, a six-candidate election and an honest final board."""

import copy

import pytest

from elections import protocol
from elections.protocol import board as boards
from elections.protocol import ceremony, decryption

# Votes per candidate, in ballot order: a tie between the 2nd and 3rd (2 seats, 1 substitute).
VOTES = [4, 2, 2, 1, 0, 1]
PAPER = [
    {"place": 1, "votes": [1, 0, 0, 2, 0, 0], "invalid": 1},
    {"place": 2, "votes": [0, 1, 1, 0, 0, 0], "invalid": 0},
]


def make_election(record, public_key, election_id="valg-2026", candidates=6, min_choices=1, max_choices=1):
    return protocol.new_election(
        election_id,
        "Valg til Integrationsrådet",
        [{"id": 100 + i, "name": f"Kandidat {i + 1}", "group": None} for i in range(candidates)],
        [{"id": None, "name": None, "seats": 2, "substitutes": 1}],
        [{"id": 1, "name": "Rådhuset"}, {"id": 2, "name": "Biblioteket"}],
        "0f" * 32,
        record,
        public_key,
        min_choices,
        max_choices,
    )


def one_hot(candidates, index):
    return [1 if i == index else 0 for i in range(candidates)]


def cast_all(election, votes):
    """Board entries for ballots giving ``votes[i]`` votes to candidate i."""
    entries, link = [], protocol.genesis(protocol.prepare(election).fingerprint)
    for index, count in enumerate(votes):
        for _ in range(count):
            ballot, _randomness = protocol.encrypt_ballot(election, one_hot(len(votes), index))
            entry = protocol.chain_entry(link, ballot)
            entries.append(entry)
            link = entry["chain"]
    return entries


@pytest.fixture(scope="session")
def trustee_setup():
    """(record, public key, key files) of a 2-of-3 ceremony."""
    return ceremony.run_ceremony("valg-2026", 2, 3)


@pytest.fixture(scope="session")
def election_params(trustee_setup):
    record, public_key, _key_files = trustee_setup
    return make_election(record, public_key)


@pytest.fixture(scope="session")
def other_election(trustee_setup):
    """Another election with its own trustees (and so its own key)."""
    record, public_key, _key_files = ceremony.run_ceremony("valg-2030", 2, 3)
    return make_election(record, public_key, election_id="valg-2030")


@pytest.fixture(scope="session")
def _honest_board(trustee_setup, election_params):
    _record, _public_key, key_files = trustee_setup
    entries = cast_all(election_params, VOTES)
    totals = boards.totals_of(election_params, entries)
    # Trustee 2 is absent: 1 and 3 decrypt.
    partials = [decryption.trustee_partial_decryption(election_params, key_files[i], totals) for i in (0, 2)]
    return protocol.final_board(election_params, entries, partials, PAPER)


@pytest.fixture
def honest_board(_honest_board):
    """A fresh copy of the honest final board (tests may tamper with it)."""
    return copy.deepcopy(_honest_board)
