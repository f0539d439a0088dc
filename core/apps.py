from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: what every app builds on (see docs/architecture.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    label = "core"
    verbose_name = _("Fælles")

    def ready(self):
        from django.core import checks

        from .cache import connect_signals
        from .clientip import check_trusted_proxies

        checks.register(check_trusted_proxies)
        connect_signals()
