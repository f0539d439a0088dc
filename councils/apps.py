from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "councils"
    label = "councils"
    verbose_name = "Råd og udvalg"

    def ready(self):
        from . import signals  # noqa: F401
