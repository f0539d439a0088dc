"""Command line: ``python -m elections.protocol verify BOARD`` and ``python -m elections.protocol diff EARLIER LATER``.

Exit status 0 when everything verifies, 1 naming the first failing item, 2 for a file that cannot
be read as JSON.
"""

import argparse
import sys
from pathlib import Path

from .encoding import NotCanonical, loads
from .verifier import VerificationFailed, diff_boards, verify_board


def _load(path):
    try:
        return loads(Path(path).read_bytes())
    except (OSError, ValueError, NotCanonical) as error:
        print(f"ERROR: cannot read {path}: {error}", file=sys.stderr)
        raise SystemExit(2) from error


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m elections.protocol", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="check every proof, the chain, the decryption and the result")
    verify.add_argument("board")
    verify.add_argument("--jobs", type=int, default=None, help="processes for the ballot proofs (default: all cores)")
    diff = commands.add_parser("diff", help="check that LATER extends EARLIER (nothing removed or changed)")
    diff.add_argument("earlier")
    diff.add_argument("later")
    args = parser.parse_args(argv)
    try:
        if args.command == "verify":
            report = verify_board(_load(args.board), jobs=args.jobs)
            print(report.summary())
        else:
            diff_boards(_load(args.earlier), _load(args.later))
            print("OK: the later board extends the earlier one")
    except VerificationFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
