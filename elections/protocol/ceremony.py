"""Run a whole key ceremony in one process: for tests, benchmarks and the demo only.

In a real election each trustee runs its steps in its own browser (election-protocol.js) and
only public messages pass through the server. Here one process plays every trustee, so it sees
every key file: never use it for an election that matters.
"""

from . import trustees


def run_ceremony(election_id, threshold, count):
    """(trustees record, public key, [key file per trustee]) for a ``threshold``-of-``count`` setup."""
    setup = trustees.new_setup(election_id, threshold, count)
    generated = [trustees.generate_key(setup, i) for i in range(1, count + 1)]
    key_files = [key_file for key_file, _message in generated]
    keys = [message for _key_file, message in generated]
    dealings = [trustees.make_dealing(setup, key_file, keys) for key_file in key_files]
    confirmations = [trustees.make_confirmation(setup, key_file, keys, dealings) for key_file in key_files]
    record, public_key = trustees.assemble(setup, keys, dealings, confirmations)
    return record, public_key, key_files
