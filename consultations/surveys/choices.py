"""A survey's stored choice values (English), shared by the page, the tables and the views."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Kommende")
    OPEN = "open", _("Åben")
    CLOSED = "closed", _("Lukket")


class Access(models.TextChoices):
    ANYONE = "anyone", _("Alle (ét svar pr. browser)")
    EMAIL = "email", _("Alle med en bekræftet e-mailadresse (ét svar pr. e-mail)")
    LOGIN = "login", _("Brugere, der er logget ind (ét svar pr. bruger)")
    PANEL = "panel", _("Kun inviterede (personligt link)")


class ResultsRule(models.TextChoices):
    AFTER_CLOSE = "after_close", _("Offentliggøres, når sekretariatet har lukket undersøgelsen og frigivet dem")
    NOT_PUBLISHED = "not_published", _("Offentliggøres ikke")
