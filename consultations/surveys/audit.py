"""Audit log actions of surveys (Wagtail's log, shown in the page's history)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = {
    "consultations.survey.close": (_("Undersøgelse lukket"), _("Undersøgelsen blev lukket")),
    "consultations.survey.publish_results": (
        _("Resultater offentliggjort"),
        _("Resultaterne af undersøgelsen blev offentliggjort"),
    ),
    "consultations.survey.invitations_sent": (_("Invitationer sendt"), _("Invitationer til panelet blev sendt")),
    "consultations.survey.reminders_sent": (_("Påmindelser sendt"), _("Påmindelser til panelet blev sendt")),
}


@hooks.register("register_log_actions")
def register_survey_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
