"""Delete the saved, unfinished answers of every survey that has closed (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from consultations.surveys.drafts import delete_closed


class Command(BaseCommand):
    help = "Sletter gemte, ufærdige svar på undersøgelser, der er lukket."

    def handle(self, *args, **options):
        deleted = delete_closed()
        self.stdout.write(f"{deleted} gemte svar slettet.")
