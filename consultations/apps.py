from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    label = "consultations"
    verbose_name = "Høringer"

    def ready(self):
        from . import audit, invitations, signals  # noqa: F401  (log actions, signal receivers)
