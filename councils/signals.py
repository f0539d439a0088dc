"""Every council page gets its secretariat group the moment it is created."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CouncilPage, CouncilSecretariat


@receiver(post_save, sender=CouncilPage)
def council_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .permissions import ensure_secretariat

    ensure_secretariat(instance)


@receiver(post_delete, sender=CouncilSecretariat)
def secretariat_deleted(sender, instance, **kwargs):
    """A deleted council takes its group along; its documents stay in their collection."""
    from django.contrib.auth.models import Group

    Group.objects.filter(pk=instance.group_id).delete()
