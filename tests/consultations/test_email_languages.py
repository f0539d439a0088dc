"""Issue 13, must-hold 5: the response confirmation, the receipt and the survey invitation go out
in the language the person used (their page language, or the »sprog« column of a panel file),
and in Danish when they gave none."""

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.models import Access, SurveyPanelMember, SurveyParticipation
from tests.consultations.factories import HearingFactory
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.consultations.test_response_form import form_data

pytestmark = pytest.mark.django_db

TITLE = "Trafik i Valby"
SURVEY = "Tilfredshed med jobcentret 2026"


@pytest.mark.parametrize(
    "language, confirm, receipt",
    [
        ("ar", f"أكّد ردّك على «{TITLE}»", f"إيصال ردّك على «{TITLE}»"),
        ("so", f"Xaqiiji jawaabtaada »{TITLE}«", f"Rasiidka jawaabtaada »{TITLE}«"),
        ("da", f"Bekræft dit høringssvar til »{TITLE}«", f"Kvittering for dit høringssvar til »{TITLE}«"),
    ],
)
def test_confirmation_and_receipt_are_in_the_language_the_respondent_used(
    client, hearing_index, django_capture_on_commit_callbacks, language, confirm, receipt
):
    hearing = HearingFactory(parent=hearing_index, title=TITLE, slug="trafik")
    client.cookies["medborger_language"] = language
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(hearing.url, form_data()).status_code == 302
    (confirmation,) = mail.outbox
    assert confirmation.subject == confirm
    link = re.search(r"https?://[^/\s]+(/hoeringer/svar/bekraeft/\S+/)", confirmation.body).group(1)
    # The receipt follows the language of the response, even if the link is opened in another one.
    client.cookies["medborger_language"] = "da" if language != "da" else "en"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 200
    assert mail.outbox[1].subject == receipt


@pytest.fixture
def panel_survey(home_page):
    return make_survey(SurveyIndexPageFactory(parent=home_page), access=Access.PANEL, title=SURVEY)


def test_panel_invitations_are_in_each_members_language(staff_client, panel_survey, django_capture_on_commit_callbacks):
    csv = (
        "navn;e-mail;sprog\n"
        "Amira Demo;amira@example.org;so\n"
        "Bo Demo;bo@example.org;\n"
        "Cem Demo;cem@example.org;arabisk\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/undersoegelser/{panel_survey.pk}/inviter/",
            {"new_panel": "Brugerpanel Nord", "members": SimpleUploadedFile("panel.csv", csv.encode())},
        )
    assert response.status_code == 302
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "amira@example.org": f"Martiqaad: »{SURVEY}«",
        "bo@example.org": f"Invitation: »{SURVEY}«",
        "cem@example.org": f"دعوة: »{SURVEY}«",
    }
    somali = next(message for message in mail.outbox if message.to == ["amira@example.org"])
    danish = next(message for message in mail.outbox if message.to == ["bo@example.org"])
    assert "Waxaa lagugu martiqaaday inaad ka jawaabto sahan." in somali.body
    assert "Du er inviteret til at svare på en undersøgelse." in danish.body
    assert dict(SurveyPanelMember.objects.values_list("email", "language")) == {
        "amira@example.org": "so",
        "bo@example.org": "",
        "cem@example.org": "ar",
    }
    # The reminder keeps the member's language.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/undersoegelser/{panel_survey.pk}/paamind/")
    reminder = next(message for message in mail.outbox if message.to == ["amira@example.org"])
    assert "Weli ma helin jawaabtaada sahanka." in reminder.body


def test_the_invitation_gives_the_closing_time_the_way_each_reader_writes_it(
    staff_client, panel_survey, django_capture_on_commit_callbacks
):
    panel_survey.closes_at = datetime(2036, 12, 18, 11, 0, tzinfo=UTC)  # 12.00 in Copenhagen
    panel_survey.save_revision().publish()
    csv = "navn;e-mail;sprog\nBo Demo;bo@example.org;\nCem Demo;cem@example.org;ar\nEva Demo;eva@example.org;en\n"
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"/admin/undersoegelser/{panel_survey.pk}/inviter/",
            {"new_panel": "Brugerpanel Nord", "members": SimpleUploadedFile("panel.csv", csv.encode())},
        )
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "18. december 2036 kl. 12.00" in bodies["bo@example.org"]
    assert "١٨ ديسمبر ٢٠٣٦، الساعة ١٢:٠٠" in bodies["cem@example.org"]
    assert "18 December 2036, 12:00" in bodies["eva@example.org"]


def test_an_unknown_language_in_the_panel_file_is_refused_by_line(staff_client, panel_survey):
    csv = "navn;e-mail;sprog\nAmira Demo;amira@example.org;klingon\n"
    response = staff_client.post(
        f"/admin/undersoegelser/{panel_survey.pk}/inviter/",
        {"new_panel": "Brugerpanel Nord", "members": SimpleUploadedFile("panel.csv", csv.encode())},
    )
    assert response.status_code == 200
    assert (
        "Linje 2: sproget »klingon« kendes ikke (skriv fx da, en, ar, fa, ur, tr, so, pl eller uk)."
        in response.content.decode()
    )
    assert not SurveyParticipation.objects.exists() and not SurveyPanelMember.objects.exists()


def test_the_email_link_of_a_survey_is_in_the_visitors_language(client, home_page, django_capture_on_commit_callbacks):
    survey = make_survey(SurveyIndexPageFactory(parent=home_page), access=Access.EMAIL, title=SURVEY)
    client.cookies["medborger_language"] = "ar"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(survey.url, {"email": "amira@example.org"}).status_code == 200
    (message,) = mail.outbox
    assert SurveyParticipation.objects.get().language == "ar"
    assert message.subject == f"رابطك إلى الاستبيان »{SURVEY}«"
