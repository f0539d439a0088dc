"""Verify an election's board with the standalone verifier, and against earlier copies.

    manage.py verify_election <slug> [--earlier board-or-head.json ...] [--out board.json]

The board is built from the database as the site publishes it and checked by
``elections.protocol.verify_board`` (the same code as ``python -m elections.protocol verify``).
``--earlier`` runs the verifier's diff against copies of the board or of its head kept while
voting ran (by observers, trustees, voters' receipts): a rewritten and re-chained board verifies on
its own but not against them. Exit status 0 when everything holds, 1 naming what failed.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from elections import protocol
from elections.models import ElectionPage
from elections.models.tally import published_board
from elections.verification import verify


class Command(BaseCommand):
    help = "Verify an election's board (every proof, the chain, the decryption, the result) and diff earlier copies."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the election page's slug (or its id)")
        parser.add_argument("--earlier", action="append", default=[], help="an earlier board or head JSON file")
        parser.add_argument("--out", help="also write the board to this file")
        parser.add_argument("--jobs", type=int, default=None, help="processes for checking the ballots")

    def handle(self, *args, **options):
        slug = options["slug"]
        elections = ElectionPage.objects.filter(slug=slug)
        if slug.isdigit() and not elections.exists():
            elections = ElectionPage.objects.filter(pk=int(slug))
        if elections.count() != 1:
            raise CommandError(f"No single election with slug {slug!r}.")
        election = elections.get()
        earlier = []
        for path in options["earlier"]:
            try:
                with open(path, "rb") as handle:
                    earlier.append(protocol.loads(handle.read()))
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read {path}: {error}") from error
        report = verify(election, earlier, jobs=options["jobs"])
        if options["out"]:
            board = published_board(election)
            if board is not None:
                with open(options["out"], "wb") as handle:
                    handle.write(protocol.dump_board(board))
        self.stdout.write(f"Election: {election.title} ({election.slug})")
        self.stdout.write(f"Board: stage {report.stage}, {report.ballots} ballots, head {report.chain_head}")
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS("OK: the board verifies" + (" and extends every earlier copy." if earlier else "."))
            )
            return
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"FAILED: {problem}"))
        self.stdout.flush()
        sys.exit(1)
