"""The shared permission helpers every app's ``permissions.py`` builds on.

Permissions follow the page tree (DESIGN.md, principle 3): whoever may edit a page may manage
what belongs to it. Each app keeps its own checks (one function per action) in its own
``permissions.py``; they are built from these helpers.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies.base import BasePermissionPolicy
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


def rows_of_editable_pages(user, model, page_field, page_model):
    """Rows of ``model`` that belong, through the foreign key ``page_field``, to a page of type
    ``page_model`` the user may edit; superusers all rows (also those that belong to no page)."""
    if not signed_in(user):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    return model.objects.filter(**{f"{page_field}__in": editable_pages(user, page_model)})


def can_edit_page(user, page):
    """May edit this page (and so manage what belongs to it)."""
    return signed_in(user) and page.permissions_for_user(user).can_edit()


def can_publish_page(user, page):
    return signed_in(user) and page.permissions_for_user(user).can_publish()


def is_superuser(user):
    return signed_in(user) and user.is_superuser


class CheckPermissionPolicy(BasePermissionPolicy):
    """A Wagtail permission policy for a model whose objects belong to pages, answered by an app's
    own checks instead of Django model permissions:

    * ``may_use(user)``: sees the model's admin at all (menu, listing);
    * ``may_change(user, instance)``: may act on this object;
    * ``scope(user)``: the objects the user may list and act on;
    * ``delete_superusers_only``: deleting is for superusers (others list nothing to delete).

    Register it with ``wagtail.permissions.register_permission_policy(Model, policy, exact_class=True)``.
    """

    def __init__(self, model, *, may_use, may_change, scope, delete_superusers_only=False):
        super().__init__(model)
        self.may_use, self.may_change, self.scope = may_use, may_change, scope
        self.delete_superusers_only = delete_superusers_only

    def _superuser_action(self, action):
        return self.delete_superusers_only and action == "delete"

    def user_has_permission(self, user, action):
        return is_superuser(user) if self._superuser_action(action) else bool(self.may_use(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return is_superuser(user) if self._superuser_action(action) else bool(self.may_change(user, instance))

    def instances_user_has_any_permission_for(self, user, actions):
        if all(self._superuser_action(action) for action in actions) and not is_superuser(user):
            return self.model._default_manager.none()
        return self.scope(user)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)
