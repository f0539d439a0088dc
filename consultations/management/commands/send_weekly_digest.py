from django.core.management.base import BaseCommand

from consultations.notifications import send_weekly_digests


class Command(BaseCommand):
    help = "Send this week's digest to subscribers who chose a weekly digest (run once a week, e.g. Monday 7:00)."

    def handle(self, *args, **options):
        count = send_weekly_digests()
        self.stdout.write(f"Weekly digests queued: {count}")
