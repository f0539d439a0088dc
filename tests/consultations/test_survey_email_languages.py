"""A survey's emails open the survey in the recipient's language: the panel invitation's link in the
member's language from the panel file, the »continue later« link in the language the answers were
saved in (``?lang=<code>``, as the hearing emails do), also in a browser that has never been on the
site. Danish links carry no parameter."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from consultations.models import Access
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.consultations.test_survey_drafts import save_after_first_section

pytestmark = pytest.mark.django_db


def opened_in_a_new_browser(link):
    response = Client().get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    assert response.status_code == 200
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_a_panel_invitation_opens_the_survey_in_the_members_language(
    staff_client, home_page, django_capture_on_commit_callbacks
):
    survey = make_survey(SurveyIndexPageFactory(parent=home_page), access=Access.PANEL, slug="panel-2026")
    csv = "navn;e-mail;sprog\nAmira Demo;amira@example.org;so\nBo Demo;bo@example.org;\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/undersoegelser/{survey.pk}/inviter/",
            {"new_panel": "Brugerpanel Nord", "members": SimpleUploadedFile("panel.csv", csv.encode())},
        )
    assert response.status_code == 302
    links = {message.to[0]: re.search(r"https?://\S+", message.body).group(0) for message in mail.outbox}
    assert links["amira@example.org"].endswith("?lang=so")
    assert "?" not in links["bo@example.org"]
    assert opened_in_a_new_browser(links["amira@example.org"]) == "so"
    assert opened_in_a_new_browser(links["bo@example.org"]) == "da"


@pytest.fixture
def survey(home_page, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    return make_survey(SurveyIndexPageFactory(parent=home_page))


@pytest.mark.parametrize("language, suffix", [("ar", "?lang=ar"), ("da", "")])
def test_the_continue_later_link_opens_in_the_language_the_answers_were_saved_in(client, survey, language, suffix):
    client.get(survey.url + ("" if language == "da" else f"?lang={language}"))
    saved = save_after_first_section(client, survey)
    assert saved.context["resume_url"].endswith("/" + suffix)  # the link shown on the page
    token = saved.context["email_form"].initial["draft"]
    sent = client.post(survey.url + "gemt/send/", {"draft": token, "email": "borger@example.org"})
    assert sent.status_code == 200
    [message] = mail.outbox
    assert saved.context["resume_url"] in message.body
    assert opened_in_a_new_browser(saved.context["resume_url"]) == language
