"""The election's own audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogEntry(models.Model):
    """One step in an election's audit log. Never edited; shown read-only to the secretariat.

    Actions: roll.import, roll.freeze, pollcards.export, nomination.submit/approve/reject,
    nomination.email (an email sent to a candidate), nominations.close, voting.open,
    voting.close, tally.count, results.publish, appoint, pollbook.checkin, paper.enter,
    paper.confirm, pollbook.officer.add/remove/place (officers and the polling place each
    serves at). Online votes are not logged per voter.
    """

    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="audit_log")
    action = models.CharField(_("handling"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bruger"),
    )
    message = models.CharField(_("beskrivelse"), max_length=500, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("logpost")
        verbose_name_plural = _("valglog")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
