"""Survey hooks for the Wagtail admin (imported by consultations/wagtail_hooks.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button, ListingButton

from consultations.surveys import audit  # noqa: F401  (registers the log actions)

from . import admin_views
from .models import SurveyPage
from .permissions import can_manage_survey


@hooks.register("register_admin_urls")
def register_survey_admin_urls():
    return admin_views.urls()


def _survey_buttons(page, user, cls):
    if issubclass(page.specific_class or object, SurveyPage) and can_manage_survey(user, page):
        yield cls(
            _("Deltagelse, resultater og eksport"),
            reverse("consultations_admin_survey", args=[page.pk]),
            icon_name="clipboard-list",
            priority=60,
        )


@hooks.register("register_page_listing_buttons")
def survey_listing_buttons(page, user, next_url=None):
    yield from _survey_buttons(page, user, ListingButton)


@hooks.register("register_page_header_buttons")
def survey_header_buttons(page, user, next_url=None, view_name=None):
    yield from _survey_buttons(page, user, Button)
