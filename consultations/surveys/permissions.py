"""Who may do what with surveys. Every check the survey views, admin views and hooks use is here,
built on ``core.permissions``: whoever may edit a survey page (superusers, and the groups given
page permissions on it) manages it; nobody else does."""

from core.permissions import can_edit_page


def can_manage_survey(user, survey):
    """See participation and results, invite, close, publish, moderate and export."""
    return can_edit_page(user, survey)
