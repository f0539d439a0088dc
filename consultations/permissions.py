"""Who may do what with hearings, their responses and the consultee rules.

Every check the consultations views, admin views and hooks use is here, built on
``core.permissions``. Permissions follow the page tree: whoever may edit a hearing page (its
council's secretariat, superusers) manages everything that belongs to the hearing — reads,
moderates, adds and exports its responses, invites parties, groups campaigns, writes the
høringsnotat and records the decision; nobody else does. (Surveys: ``consultations.surveys.permissions``.)
"""

from core.permissions import can_edit_page, editable_pages, rows_of_editable_pages, signed_in
from councils.models import CouncilPage
from councils.permissions import editable_councils

from .models import HearingPage, Response
from .rules import ConsulteeRule

# --- Hearings and responses -----------------------------------------------------------------


def hearings_for_user(user):
    """Hearings whose page the user may edit (superusers: all)."""
    return editable_pages(user, HearingPage)


def responses_for_user(user):
    """Responses to the hearings the user may edit."""
    return rows_of_editable_pages(user, Response, "hearing", HearingPage)


def may_use_responses(user):
    """Sees the responses admin (menu, listing): may edit at least one hearing. Cached on the request's user."""
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_may_use_hearing_responses"):
        user._may_use_hearing_responses = hearings_for_user(user).exists()
    return user._may_use_hearing_responses


def can_manage_hearing(user, hearing):
    """Every secretariat action on a hearing and its responses: whoever may edit the hearing page."""
    return can_edit_page(user, hearing)


def can_moderate_response(user, response):
    """Publish, withhold, redact, summarise and comment on a response."""
    return can_manage_hearing(user, response.hearing)


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
    if signed_in(user) and response.user_id == user.pk:
        return True
    return can_manage_hearing(user, hearing)


# --- Required consultees -------------------------------------------------------------------


def consultee_rules_for_user(user):
    """Rules the user may see and change: superusers all; a secretariat its own council's rules."""
    return rows_of_editable_pages(user, ConsulteeRule, "owner", CouncilPage)


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
