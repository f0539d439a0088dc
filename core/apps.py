from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from .checks import check_base_url_https, check_voter_id_key
from .clientip import check_trusted_proxies


class CoreConfig(AppConfig):
    """The bottom layer: what every app builds on (see docs/architecture.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    label = "core"
    verbose_name = _("Fælles")

    def ready(self):
        from .cache import connect_signals  # core.cache imports models: only once the apps are ready

        checks.register(check_trusted_proxies)
        checks.register(check_voter_id_key)
        checks.register(check_base_url_https, deploy=True)
        connect_signals()
