"""Cron: invite the parties of hearings that have opened, and remind those that have not replied.

Run it e.g. every 15 minutes. Idempotent: every party is invited once and reminded once
(``HEARING_REMINDER_DAYS`` days before the deadline); a second run sends nothing new.
"""

from django.core.management.base import BaseCommand

from consultations.invitations import run_periodic


class Command(BaseCommand):
    help = "Sender invitationer til høringsparter for åbne høringer og påmindelser før høringsfristen."

    def handle(self, *args, **options):
        invited, reminded = run_periodic()
        self.stdout.write(f"Invitationer: {invited}, påmindelser: {reminded}")
