"""Audit log actions of surveys (Wagtail's log, shown in the page's history)."""

from django.utils.translation import gettext_lazy as _

from core.log_actions import register_log_actions

ACTIONS = {
    "consultations.survey.close": (_("Undersøgelse lukket"), _("Undersøgelsen blev lukket")),
    "consultations.survey.publish_results": (
        _("Resultater offentliggjort"),
        _("Resultaterne af undersøgelsen blev offentliggjort"),
    ),
    "consultations.survey.invitations_sent": (_("Invitationer sendt"), _("Invitationer til panelet blev sendt")),
    "consultations.survey.reminders_sent": (_("Påmindelser sendt"), _("Påmindelser til panelet blev sendt")),
}


register_log_actions(ACTIONS)
