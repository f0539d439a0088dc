"""Recompute an election's ballot chain and tally from the database and report any mismatch.

    manage.py verify_election <slug>

Exit status 0 when everything matches, 1 when a ballot was changed, removed or inserted
behind the application's back, or the stored result differs from a fresh count.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from elections.models import ElectionPage
from elections.verification import verify


class Command(BaseCommand):
    help = "Recompute an election's ballot hash chain and tally and report mismatches."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the election page's slug (or its id)")

    def handle(self, *args, **options):
        slug = options["slug"]
        elections = ElectionPage.objects.filter(slug=slug)
        if slug.isdigit() and not elections.exists():
            elections = ElectionPage.objects.filter(pk=int(slug))
        if elections.count() != 1:
            raise CommandError(f"No single election with slug {slug!r}.")
        election = elections.get()
        report = verify(election)
        self.stdout.write(f"Election: {election.title} ({election.slug})")
        self.stdout.write(f"Ballots stored: {report.ballots}")
        self.stdout.write(f"Chain head recomputed: {report.chain_head}")
        self.stdout.write(f"Chain head published: {report.published_head}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("OK: the chain and the tally match the stored ballots."))
            return
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"MISMATCH: {problem}"))
        self.stdout.flush()
        sys.exit(1)
