"""Weekly digest for subscribers who chose it instead of one email per new hearing.

``consultations.notifications.send_weekly_digests()`` (run weekly: ``manage.py send_weekly_digest``
or the task) sends each confirmed weekly subscriber one email listing the matching hearings published in the past week
that it has not been told about, and the decisions recorded that week on matching hearings, with
one unsubscribe link. A week with nothing for a subscriber sends nothing. Each hearing is logged
as told (``SubscriptionNotification``), so it is never in two digests; the digest row is unique per
subscription and week, so a second run in the same week sends nothing. Immediate subscribers are
handled by ``consultations.notifications`` as before. (Surveys are not in the digest yet.)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .decisions import HearingDecision


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Med det samme (én e-mail pr. ny høring)")
    WEEKLY = "weekly", _("Én gang om ugen (samlet oversigt)")


class Digest(models.Model):
    """One weekly digest to one subscription: what it listed."""

    subscription = models.ForeignKey("consultations.Subscription", on_delete=models.CASCADE, related_name="digests")
    week = models.DateField(_("uge (mandag)"))
    hearing_ids = models.JSONField(default=list)
    decision_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ugeoversigt")
        verbose_name_plural = _("ugeoversigter")
        constraints = [models.UniqueConstraint(fields=["subscription", "week"], name="unique_digest_per_week")]

    def __str__(self):
        return f"{self.subscription_id} – {self.week}"

    def hearings(self):
        """The hearings it listed, by deadline (the specific pages, found without importing the page module)."""
        pages = Page.objects.filter(pk__in=self.hearing_ids).specific()
        return sorted(pages, key=lambda hearing: (hearing.closes_at, hearing.pk))

    def decisions(self):
        """The decisions it listed."""
        return HearingDecision.objects.filter(pk__in=self.decision_ids).select_related("hearing", "council")
