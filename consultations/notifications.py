"""Tell subscribers about hearings: a newly published hearing to the immediate subscribers (once
per subscription, logged), and the weekly digest (see ``consultations.digests``)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from .decisions import HearingDecision
from .digests import Digest, Frequency
from .emails import DigestEmail, NewHearingEmail
from .models import HearingPage, Subscription, SubscriptionNotification


def notify_subscribers(hearing, now=None):
    """Email every matching confirmed subscription that has not yet been told. Returns the count."""
    sent = 0
    immediate = Subscription.objects.matching(hearing).filter(frequency=Frequency.IMMEDIATE)
    for subscription in immediate.exclude(notifications__hearing=hearing):
        try:
            with transaction.atomic():
                notification = SubscriptionNotification.objects.create(subscription=subscription, hearing=hearing)
                NewHearingEmail.send(notification)
        except IntegrityError:
            continue  # told already by a concurrent run
        sent += 1
    if hearing.subscribers_notified_at is None:
        hearing.set_state(subscribers_notified_at=now or timezone.now())
        log(instance=hearing, action="consultations.subscribers_notified", data={"subscriptions": sent})
    return sent


@task()
def notify_subscribers_task(hearing_id):
    hearing = HearingPage.objects.live().filter(pk=hearing_id).first()
    if hearing is None or hearing.subscribers_notified_at is not None:
        return 0
    return notify_subscribers(hearing)


def send_weekly_digests(now=None):
    """Queue one digest email per weekly subscriber with something new; return how many."""
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
