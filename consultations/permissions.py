"""Who may see what of a hearing's responses. One function per action."""

from core.permissions import can_edit_page, signed_in
from councils.permissions import editable_councils

from .rules import ConsulteeRule


def can_moderate_hearing(user, hearing):
    """Whoever may edit the hearing page may read and moderate its responses; nobody else."""
    return can_edit_page(user, hearing)


def passes_view_restrictions(request, page):
    """The page's Wagtail view restrictions (password, login, groups, also inherited) let this
    request see it."""
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


def can_download_attachment(request, attachment):
    """Anyone who may see the hearing page, for a published response shown on it; else its author
    or the secretariat."""
    user = request.user
    response = attachment.response
    hearing = response.hearing
    if (
        response.status == response.Status.PUBLISHED
        and hearing.live
        and hearing.responses_are_public
        and passes_view_restrictions(request, hearing)
    ):
        return True
    if user is not None and user.is_authenticated and response.user_id == user.pk:
        return True
    return can_moderate_hearing(user, hearing)


# --- Required consultees -------------------------------------------------------------------


def consultee_rules_for_user(user):
    """Rules the user may see and change: superusers all; a secretariat its own council's rules."""
    if not signed_in(user):
        return ConsulteeRule.objects.none()
    if user.is_superuser:
        return ConsulteeRule.objects.all()
    return ConsulteeRule.objects.filter(owner__in=editable_councils(user))


def can_manage_consultee_rules(user):
    """Sees the rules menu: an administrator, or the secretariat of at least one council."""
    return signed_in(user) and (user.is_superuser or editable_councils(user).exists())


def can_change_consultee_rule(user, rule):
    """A council's rule: whoever may edit the council page. A cross-council rule: administrators only."""
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    return rule.owner_id is not None and can_edit_page(user, rule.owner)
