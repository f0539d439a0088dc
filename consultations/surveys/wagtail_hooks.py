"""Survey hooks for the Wagtail admin (imported by consultations/wagtail_hooks.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from consultations.surveys import audit  # noqa: F401  (registers the log actions)
from core.admin_buttons import register_page_button

from . import admin_views
from .models import SurveyPage
from .permissions import can_manage_survey


@hooks.register("register_admin_urls")
def register_survey_admin_urls():
    return admin_views.urls()


register_page_button(
    SurveyPage, _("Deltagelse, resultater og eksport"), "consultations_admin_survey", can_manage_survey
)
