"""Audit log actions of the consultations app (Wagtail's log, shown in the admin history)."""

from django.utils.translation import gettext_lazy as _

from core.log_actions import register_log_actions

ACTIONS = {
    "consultations.conclude": (_("Høringsnotat offentliggjort"), _("Høringsnotatet blev offentliggjort")),
    "consultations.erase_personal_data": (
        _("Persondata i høringssvar slettet"),
        _("Persondata i høringssvarene blev slettet"),
    ),
    "consultations.invitations_sent": (_("Invitationer sendt"), _("Invitationer til høringsparter blev sendt")),
    "consultations.reminders_sent": (_("Påmindelser sendt"), _("Påmindelser til høringsparter blev sendt")),
    "consultations.subscribers_notified": (_("Abonnenter underrettet"), _("Abonnenter fik besked om høringen")),
    "consultations.response.publish": (_("Høringssvar offentliggjort"), _("Høringssvaret blev offentliggjort")),
    "consultations.response.withhold": (
        _("Høringssvar ikke offentliggjort"),
        _("Høringssvaret blev ikke offentliggjort"),
    ),
    "consultations.consultees_omitted": (
        _("Obligatoriske høringsparter udeladt"),
        _("Høringen blev udgivet uden obligatoriske høringsparter"),
    ),
    "consultations.publish_refused": (
        _("Planlagt udgivelse afvist"),
        _("Den planlagte udgivelse blev afvist: obligatoriske høringsparter mangler og ingen begrundelse"),
    ),
    "consultations.decision": (_("Beslutning registreret"), _("Den politiske beslutning blev registreret")),
    "consultations.decision_notified": (
        _("Besked om beslutning sendt"),
        _("Svarafgivere og høringsparter fik besked om beslutningen"),
    ),
    "consultations.group.publish": (
        _("Enslydende svar offentliggjort"),
        _("En gruppe enslydende høringssvar blev offentliggjort"),
    ),
    "consultations.group.withhold": (
        _("Enslydende svar ikke offentliggjort"),
        _("En gruppe enslydende høringssvar blev ikke offentliggjort"),
    ),
    "consultations.group.comment": (
        _("Bemærkning til enslydende svar"),
        _("Forvaltningens bemærkning blev skrevet til en gruppe enslydende svar"),
    ),
    "consultations.response.redact": (_("Høringssvar redigeret"), _("Den offentlige tekst blev redigeret")),
}


register_log_actions(ACTIONS)
