"""Tell matching subscribers about a newly published hearing: once per subscription, logged."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from .emails import NewHearingEmail


def notify_subscribers(hearing, now=None):
    """Email every matching confirmed subscription that has not yet been told. Returns the count."""
    from .models import Frequency, Subscription, SubscriptionNotification

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
    from .models import HearingPage

    hearing = HearingPage.objects.live().filter(pk=hearing_id).first()
    if hearing is None or hearing.subscribers_notified_at is not None:
        return 0
    return notify_subscribers(hearing)
