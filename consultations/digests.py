"""Weekly digest for subscribers who chose it instead of one email per new hearing.

``send_weekly_digests()`` (run weekly: ``manage.py send_weekly_digest`` or the task) sends each
confirmed weekly subscriber one email listing the matching hearings published in the past week
that it has not been told about, and the decisions recorded that week on matching hearings, with
one unsubscribe link. A week with nothing for a subscriber sends nothing. Each hearing is logged
as told (``SubscriptionNotification``), so it is never in two digests; the digest row is unique per
subscription and week, so a second run in the same week sends nothing. Immediate subscribers are
handled by ``consultations.notifications`` as before. (Surveys are not in the digest yet.)
"""

from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task


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


def send_weekly_digests(now=None):
    """Queue one digest email per weekly subscriber with something new; return how many."""
    from .decisions import HearingDecision
    from .emails import DigestEmail
    from .models import HearingPage, Subscription, SubscriptionNotification

    now = now or timezone.now()
    since = now - timedelta(days=7)
    local = timezone.localtime(now).date()
    week = local - timedelta(days=local.weekday())
    hearings = list(
        HearingPage.objects.live().public().filter(first_published_at__gte=since, first_published_at__lt=now)
    )
    decisions = list(
        HearingDecision.objects.filter(recorded_at__gte=since, recorded_at__lt=now, hearing__live=True).select_related(
            "hearing"
        )
    )
    news = [
        *(("hearings", hearing, hearing.pk) for hearing in hearings),
        *(("decisions", decision.hearing.specific, decision.pk) for decision in decisions),
    ]
    wanted = {}
    for kind, hearing, pk in news:
        weekly = Subscription.objects.matching(hearing).filter(frequency=Frequency.WEEKLY)
        for subscription_pk in weekly.values_list("pk", flat=True):
            wanted.setdefault(subscription_pk, {"hearings": [], "decisions": []})[kind].append(pk)
    # Which of this week's hearings each weekly subscriber was told about already: one query.
    told = set(
        SubscriptionNotification.objects.filter(
            hearing_id__in=[hearing.pk for hearing in hearings], subscription__frequency=Frequency.WEEKLY
        ).values_list("subscription_id", "hearing_id")
    )
    sent = 0
    for subscription_pk, items in wanted.items():
        new_hearings = [pk for pk in items["hearings"] if (subscription_pk, pk) not in told]
        if not new_hearings and not items["decisions"]:
            continue
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    subscription_id=subscription_pk,
                    week=week,
                    hearing_ids=new_hearings,
                    decision_ids=items["decisions"],
                )
                SubscriptionNotification.objects.bulk_create(
                    [SubscriptionNotification(subscription_id=subscription_pk, hearing_id=pk) for pk in new_hearings]
                )
                DigestEmail.send(digest)
        except IntegrityError:
            continue  # this week's digest exists already
        sent += 1
    return sent


@task()
def send_weekly_digests_task():
    return send_weekly_digests()
