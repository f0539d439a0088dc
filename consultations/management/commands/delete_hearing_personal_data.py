"""Erase respondents' personal data from hearings whose deletion date has come.

Run daily from cron (see README). Idempotent: a second run finds nothing to do.
What is erased and what is kept is documented on ``Response.erase_personal_data``.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from consultations.models import HearingPage


class Command(BaseCommand):
    help = "Sletter persondata i høringssvar for høringer, hvis sletningsdato er nået."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Vis hvad der ville blive slettet.")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        hearings = HearingPage.objects.due_for_deletion(today).order_by("deletion_date", "pk")
        total = 0
        for hearing in hearings:
            if dry_run:
                count = hearing.responses.filter(personal_data_erased_at__isnull=True).count()
                self.stdout.write(f"{hearing.title}: {count} svar ville blive slettet (dry run)")
                continue
            count = hearing.erase_personal_data()
            total += count
            self.stdout.write(f"{hearing.title}: persondata slettet i {count} svar")
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Færdig: {total} svar behandlet."))
