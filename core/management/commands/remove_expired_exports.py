"""Delete the files and rows of background exports older than EXPORT_KEEP_HOURS (run it hourly)."""

from django.core.management.base import BaseCommand

from core.background_exports import remove_expired


class Command(BaseCommand):
    help = "Delete expired background exports (hearings and surveys) and their private files."

    def handle(self, *args, **options):
        removed = remove_expired()
        self.stdout.write(f"{removed} expired exports removed.")
