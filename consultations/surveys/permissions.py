"""Who may do what with surveys. Every check the survey views, admin views and hooks use is here,
built on ``core.permissions``.

Surveys follow the page tree: a survey under a council page belongs to that council, whose
secretariat group has page permissions there (councils.permissions). Whoever may edit a survey
page (its council's secretariat and editors, superusers) follows it: participation counts and
results. What reaches people outside the admin – inviting a panel, reminders, closing, publishing
results, approving free texts, exports of the answers, a new run – takes the right to publish the
page, as publishing the survey itself does: the council's secretariat, not its editors while the
council's approval workflow holds (they submit the survey to the secretariat instead).
"""

from core.permissions import can_edit_page, can_publish_page

from .responses import SurveyPanel


def can_manage_survey(user, survey):
    """See the survey's admin page: participation counts and results."""
    return can_edit_page(user, survey)


def can_run_survey(user, survey):
    """Invite, remind, close, publish results, moderate free texts, export, copy to a new run."""
    return can_publish_page(user, survey)


def panels_for_survey(survey):
    """The panels a survey may invite: its council's own; the administration's (no council) for one of no council."""
    return (
        SurveyPanel.objects.filter(council_id=survey.council_id)
        if survey.council_id
        else SurveyPanel.objects.filter(council__isnull=True)
    )
