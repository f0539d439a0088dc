"""The shared permission helpers every app's ``permissions.py`` builds on.

Permissions follow the page tree (DESIGN.md, principle 3): whoever may edit a page may manage
what belongs to it. Each app keeps its own checks (one function per action) in its own
``permissions.py``; they are built from these two helpers.
"""

from wagtail.permission_policies.pages import PagePermissionPolicy


def signed_in(user):
    """A logged-in, active user."""
    return user is not None and user.is_authenticated and user.is_active


def editable_pages(user, model, action="change"):
    """Pages of type ``model`` (a Page subclass) the user may ``action`` ("change", "publish" …)."""
    if not signed_in(user):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, action)
    return model.objects.filter(pk__in=pages.values("pk"))


def can_edit_page(user, page):
    """May edit this page (and so manage what belongs to it)."""
    return signed_in(user) and page.permissions_for_user(user).can_edit()


def can_publish_page(user, page):
    return signed_in(user) and page.permissions_for_user(user).can_publish()
