"""The hearing's stored choice values (English), shared by the pages, tables, forms and listing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HearingStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Kommende")
    OPEN = "open", _("Åben")
    CLOSED = "closed", _("Afsluttet")
    CONCLUDED = "concluded", _("Konkluderet")


class PublicationRule(models.TextChoices):
    WHILE_OPEN = "while_open", _("Offentliggøres løbende efter moderation")
    AFTER_DEADLINE = "after_deadline", _("Offentliggøres efter høringsfristen")
    NOT_PUBLISHED = "not_published", _("Offentliggøres ikke")
