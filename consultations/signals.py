"""Signal receivers of the consultations app."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import HearingPage
from .notifications import notify_subscribers_task


@receiver(page_published, dispatch_uid="consultations_notify_subscribers")
def notify_subscribers_on_publish(sender, instance, **kwargs):
    """The first publication of a hearing notifies matching subscribers (once: see notifications)."""
    if not isinstance(instance, HearingPage) or instance.subscribers_notified_at is not None:
        return
    if not instance.is_past_deadline:
        hearing_id = instance.pk
        transaction.on_commit(lambda: notify_subscribers_task.enqueue(hearing_id))
