"""Subscriptions to new hearings (double opt-in) and the log of which hearing each was told about.

A table module below ``consultations.models``; sending is ``consultations.notifications``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .areas import area_choices, district_name
from .digests import Frequency

# --- Subscriptions -------------------------------------------------------------------------


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def matching(self, hearing):
        """Confirmed subscriptions whose filters all match the hearing (an empty filter matches all)."""
        topic_ids = list(hearing.topics.values_list("pk", flat=True))
        council = hearing.issuing_council
        qs = self.confirmed()
        qs = qs.filter(Q(area="") | Q(area=hearing.area))
        topic_match = Exists(Subscription.topics.through.objects.filter(subscription=OuterRef("pk"), tag__in=topic_ids))
        has_topics = Exists(Subscription.topics.through.objects.filter(subscription=OuterRef("pk")))
        qs = qs.filter(~has_topics | topic_match)
        council_through = Subscription.councils.through
        has_councils = Exists(council_through.objects.filter(subscription=OuterRef("pk")))
        if council:
            council_match = Exists(council_through.objects.filter(subscription=OuterRef("pk"), councilpage=council))
            qs = qs.filter(~has_councils | council_match)
        else:
            qs = qs.filter(~has_councils)
        return qs


class Subscription(TimeStampedModel):
    """Email notice of new hearings, filtered by topics, area and councils (double opt-in).

    ``token`` is in every email's unsubscribe link; it is random and unique.
    """

    email = models.EmailField(_("e-mail"))
    topics = models.ManyToManyField("taggit.Tag", blank=True, related_name="+", verbose_name=_("emner"))
    area = models.CharField(_("område"), max_length=40, choices=area_choices, blank=True)
    councils = models.ManyToManyField(
        "councils.CouncilPage", blank=True, related_name="hearing_subscriptions", verbose_name=_("råd og udvalg")
    )
    token = models.CharField(max_length=64, unique=True, editable=False, default=secrets.token_urlsafe)
    language = models.CharField(_("sprog"), max_length=10, default=settings.LANGUAGE_CODE, editable=False)
    frequency = models.CharField(_("hvor ofte"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hearing_subscriptions",
        verbose_name=_("bruger"),
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement på høringer")
        verbose_name_plural = _("abonnementer på høringer")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        return reverse("consultations:subscription_manage", args=[self.token])

    def get_confirm_url(self):
        return settings.BASE_URL.rstrip("/") + reverse("consultations:subscription_confirm", args=[self.token])

    def get_unsubscribe_url(self):
        return settings.BASE_URL.rstrip("/") + reverse("consultations:unsubscribe", args=[self.token])

    def confirm(self, now=None):
        if self.confirmed_at:
            return False
        self.confirmed_at = now or timezone.now()
        self.save(update_fields=["confirmed_at", "updated_at"])
        return True

    def describe_filters(self):
        """Danish summary of the filters, e.g. »Emner: Beskæftigelse · Område: Valby«."""
        parts = []
        topics = [t.name for t in self.topics.all()]
        if topics:
            parts.append(_("Emner: %s") % ", ".join(topics))
        if self.area:
            parts.append(_("Område: %s") % district_name(self.area))
        councils = [c.title for c in self.councils.all()]
        if councils:
            parts.append(_("Råd og udvalg: %s") % ", ".join(councils))
        return " · ".join(str(p) for p in parts) or _("Alle nye høringer")


class SubscriptionNotification(models.Model):
    """Log: this subscription was told about this hearing (never twice)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notifications")
    hearing = models.ForeignKey(
        "consultations.HearingPage", on_delete=models.CASCADE, related_name="subscription_notifications"
    )
    sent_at = models.DateTimeField(_("sendt"), auto_now_add=True)

    class Meta:
        verbose_name = _("underretning om høring")
        verbose_name_plural = _("underretninger om høringer")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "subscription"], name="unique_notification_per_subscription")
        ]

    def __str__(self):
        return f"{self.subscription} – {self.hearing}"
