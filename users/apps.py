from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    label = "users"
    verbose_name = _("Brugere")

    def ready(self):
        from . import signals  # noqa: F401  (connects the MitID receivers)
