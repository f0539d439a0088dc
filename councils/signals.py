"""Every council page gets its secretariat group the moment it is created."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CouncilPage, CouncilSecretariat
from .permissions import ensure_secretariat


@receiver(post_save, sender=CouncilPage)
def council_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ensure_secretariat(instance)


@receiver(post_delete, sender=CouncilSecretariat)
def secretariat_deleted(sender, instance, **kwargs):
    """A deleted council takes its group along; its documents stay in their collection."""
    Group.objects.filter(pk=instance.group_id).delete()
