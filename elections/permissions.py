"""Who may run an election: whoever may edit its page (the council's secretariat), and superusers.

Permissions follow the page tree, so a secretariat group with page permissions on its
council's subtree manages that council's elections and nobody else's.
"""

from wagtail.permission_policies.pages import PagePermissionPolicy


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def can_manage_election(user, election):
    """Import and freeze the roll, decide nominations, run the lifecycle, see the audit log."""
    return _signed_in(user) and election.permissions_for_user(user).can_edit()


def can_publish_election(user, election):
    """Publish results and record the appointment: needs publish permission on the page too."""
    return _signed_in(user) and election.permissions_for_user(user).can_publish()


def manageable_elections(user):
    from .models import ElectionPage

    if not _signed_in(user):
        return ElectionPage.objects.none()
    if user.is_superuser:
        return ElectionPage.objects.all()
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return ElectionPage.objects.filter(pk__in=pages.values("pk"))
