"""Every council page gets its secretariat groups and approval workflow the moment it is created."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Task, Workflow
from wagtail.signals import page_published

from .models import CouncilPage, CouncilSecretariat
from .permissions import apply_approval_setting, ensure_secretariat


@receiver(post_save, sender=CouncilPage)
def council_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ensure_secretariat(instance)


@receiver(page_published, sender=CouncilPage, dispatch_uid="councils_approval_setting")
def council_published(sender, instance, **kwargs):
    """»Godkendelse før udgivelse« takes effect when the council page is published (by whoever may
    publish it: the secretariat, or through its approval)."""
    secretariat = CouncilSecretariat.objects.filter(council=instance).select_related("editors", "workflow").first()
    if secretariat and secretariat.editors_id and secretariat.workflow_id:
        apply_approval_setting(secretariat, instance.approval_before_publishing)


@receiver(post_delete, sender=CouncilSecretariat)
def secretariat_deleted(sender, instance, **kwargs):
    """A deleted council takes its groups and workflow along; its documents stay in their collection."""
    Group.objects.filter(pk__in=[pk for pk in (instance.group_id, instance.editors_id) if pk]).delete()
    if instance.workflow_id:
        Task.objects.filter(workflow_tasks__workflow_id=instance.workflow_id).delete()
        Workflow.objects.filter(pk=instance.workflow_id).delete()
