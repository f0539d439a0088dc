"""Who may do what with councils, their pages, memberships and hearing lists.

Permissions follow the page tree: each council has a group »Sekretariat: <council>« with
Wagtail page permissions on the council's subtree (created with the council, see
``ensure_secretariat``), and a group »Redaktører: <council>« that may write there but, while the
council requires approval before publishing, only submits to the workflow »Godkendelse i
sekretariatet: <council>«, which the secretariat group approves. Memberships and hearing lists
belong to a council; whoever may edit the council page may manage them. Superusers may do
everything. Every check the councils views, admin views and hooks use is here, built on
core.permissions.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.permission_policies import ModelPermissionPolicy

from core.permissions import editable_pages, rows_of_editable_pages

from .models import CouncilPage, CouncilSecretariat, HearingList, Membership

SECRETARIAT_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
#: The editors write and submit for approval; ``publish_page`` is added while the council has approval switched off.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
SECRETARIAT_COLLECTION_PERMISSIONS = {
    ("wagtaildocs", "document"): ("add", "change", "delete", "choose"),
    ("wagtailimages", "image"): ("add", "change", "delete", "choose"),
}
SECRETARIAT_MODEL_PERMISSIONS = {
    ("wagtailadmin", "admin"): ("access_admin",),
    ("councils", "membership"): ("add_membership", "change_membership", "delete_membership", "view_membership"),
    ("councils", "hearinglist"): ("add_hearinglist", "change_hearinglist", "delete_hearinglist", "view_hearinglist"),
}


# --- Councils and their pages ------------------------------------------------------------


def editable_councils(user):
    """Council pages the user may edit (and so manage members, meetings, statements and hearing lists of)."""
    return editable_pages(user, CouncilPage)


# --- Memberships ---------------------------------------------------------------------------


def memberships_for_user(user):
    return rows_of_editable_pages(user, Membership, "council", CouncilPage)


# --- Hearing lists -------------------------------------------------------------------------


def hearing_lists_for_user(user):
    """Hearing lists the user may manage: their own councils' lists; superusers all (also those of no council)."""
    return rows_of_editable_pages(user, HearingList, "council", CouncilPage)


# --- The Wagtail permission policy for memberships and hearing lists -----------------------


class CouncilScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions (held by every secretariat group) limited to the objects of the user's own councils.

    Registered for Membership and HearingList, so Wagtail's own checks per object (listing buttons,
    delete, bulk actions) agree with the functions above.
    """

    def __init__(self, model, scope):
        super().__init__(model)
        self.scope = scope

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self.scope(user).filter(pk=instance.pk).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.scope(user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


# --- The secretariat group -----------------------------------------------------------------


def secretariat_collection_name(council):
    return council.title[:255]


def workflow_name(council):
    return f"Godkendelse i sekretariatet: {council.title}"[:255]


def task_name(council):
    return f"Godkendelse: {council.title}"[:255]


@transaction.atomic
def ensure_secretariat(council):
    """Create (or bring up to date) the groups »Sekretariat: <council>« and »Redaktører: <council>«,
    their permissions and the council's approval workflow.

    Idempotent: safe to call on every save of the council page.
    """
    name = council.secretariat_group_name[:150]
    secretariat = (
        CouncilSecretariat.objects.select_related("group", "collection", "editors", "workflow")
        .filter(council=council)
        .first()
    )
    if secretariat is None:
        group, _created = Group.objects.get_or_create(name=name)
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        collection = root.get_children().filter(name=secretariat_collection_name(council)).first()
        if collection is None:
            collection = root.add_child(name=secretariat_collection_name(council))
        secretariat = CouncilSecretariat.objects.create(council=council, group=group, collection=collection)
        _grant(secretariat)
    else:
        _rename_group(secretariat.group, name)
        if secretariat.collection and secretariat.collection.name != secretariat_collection_name(council):
            secretariat.collection.name = secretariat_collection_name(council)
            secretariat.collection.save(update_fields=["name"])
    _ensure_editors_and_workflow(secretariat, council)
    return secretariat


def _ensure_editors_and_workflow(secretariat, council):
    """The editors' group and the approval workflow, made once (for councils made before they
    existed too, on their next save); renamed with the council."""
    created = False
    if secretariat.editors is None:
        editors, _created = Group.objects.get_or_create(name=council.editors_group_name[:150])
        secretariat.editors = editors
        _grant_editors(secretariat)
        created = True
    else:
        _rename_group(secretariat.editors, council.editors_group_name[:150])
    if secretariat.workflow is None:
        task = GroupApprovalTask.objects.create(name=task_name(council))
        task.groups.set([secretariat.group])
        workflow = Workflow.objects.create(name=workflow_name(council))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        secretariat.workflow = workflow
        created = True
    elif secretariat.workflow.name != workflow_name(council):
        secretariat.workflow.name = workflow_name(council)
        secretariat.workflow.save(update_fields=["name"])
        GroupApprovalTask.objects.filter(workflow_tasks__workflow=secretariat.workflow).update(name=task_name(council))
    if created:
        secretariat.save(update_fields=["editors", "workflow"])
        # The stored value, not ``council``'s: saving a draft of the council page changes nothing.
        apply_approval_setting(secretariat, CouncilPage.objects.get(pk=council.pk).approval_before_publishing)


def apply_approval_setting(secretariat, required):
    """Approval before publishing on: the council's pages go through its workflow and the editors
    cannot publish. Off: no workflow on the council, and the editors publish themselves."""
    council_page = Page.objects.get(pk=secretariat.council_id)
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    if required:
        WorkflowPage.objects.update_or_create(page=council_page, defaults={"workflow": secretariat.workflow})
        GroupPagePermission.objects.filter(group=secretariat.editors, page=council_page, permission=publish).delete()
    else:
        WorkflowPage.objects.filter(page=council_page, workflow=secretariat.workflow).delete()
        GroupPagePermission.objects.get_or_create(group=secretariat.editors, page=council_page, permission=publish)


def _rename_group(group, name):
    """Follow the council's new title, unless another group already has that name."""
    if group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name
        group.save(update_fields=["name"])


def _grant_page_permissions(group, page_pk, codenames):
    """``codenames`` of Wagtail's page permissions for ``group`` on the council's subtree."""
    page = Page.objects.get(pk=page_pk)
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant(secretariat):
    group, council = secretariat.group, secretariat.council
    _grant_page_permissions(group, council.pk, SECRETARIAT_PAGE_PERMISSIONS)
    if secretariat.collection:
        for (app_label, model), actions in SECRETARIAT_COLLECTION_PERMISSIONS.items():
            for action in actions:
                permission = Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=secretariat.collection, permission=permission
                )
    _grant_model_permissions(group)


def _grant_editors(secretariat):
    """The editors get what the secretariat has (pages, documents, images, members, hearing lists)
    except publishing, locking and unlocking pages."""
    group = secretariat.editors
    _grant_page_permissions(group, secretariat.council_id, EDITOR_PAGE_PERMISSIONS)
    if secretariat.collection:
        for permission in GroupCollectionPermission.objects.filter(
            group=secretariat.group, collection=secretariat.collection
        ).values_list("permission", flat=True):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=secretariat.collection, permission_id=permission
            )
    _grant_model_permissions(group)


def _grant_model_permissions(group):
    for (app_label, _model), codenames in SECRETARIAT_MODEL_PERMISSIONS.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
