from django.core.management.base import BaseCommand

from consultations.notices import send_daily_response_notices


class Command(BaseCommand):
    help = (
        "Send the daily notice of new hearing responses to the secretariat members who asked for it (run once a day)."
    )

    def handle(self, *args, **options):
        count = send_daily_response_notices()
        self.stdout.write(f"{count} notice(s) queued")
