import os
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from home.demo import load_site
from users.models import User

DEMO_APPS = ("councils", "consultations", "elections")
DEMO_ADMIN_EMAIL = "admin@medborger.example"
DEMO_ADMIN_PASSWORD = "demo-admin-medborger"  # noqa: S105 - local demo only, printed on purpose


class Command(BaseCommand):
    help = "Load invented demo content (idempotent: a second run adds no duplicates and keeps edits)."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo superuser.")

    def handle(self, *args, **options):
        with transaction.atomic():
            home = load_site()
            for app in DEMO_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.load(home, stdout=self.stdout)
        if not options["no_admin"] and os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith("production"):
            self.stdout.write("Production settings: no demo superuser created.")
            return
        if not options["no_admin"]:
            user, created = User.objects.get_or_create(
                email=DEMO_ADMIN_EMAIL, defaults={"is_staff": True, "is_superuser": True, "first_name": "Demo"}
            )
            if created:
                user.set_password(DEMO_ADMIN_PASSWORD)
                user.save()
                EmailAddress.objects.get_or_create(
                    user=user, email=user.email, defaults={"verified": True, "primary": True}
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo admin (local only): {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}"
                    f" at {settings.BASE_URL.rstrip('/')}/admin/"
                )
            )
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
