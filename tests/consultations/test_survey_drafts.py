"""Save and continue later (issue 11, »Answering«): a respondent on a survey of several sections saves
the answers so far, gets a resume link (shown, and by email if asked) that brings them back, and the
saved draft leaves nothing readable or linkable in the database (consultations.surveys.drafts)."""

import re
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command

from consultations.models import Access, SurveyDraft, SurveyParticipation, SurveyResponse
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.consultations.test_survey_answering import ids, post, second_section_data, state_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(home_page, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    return make_survey(SurveyIndexPageFactory(parent=home_page))


def resume_path(response):
    """The path of the resume link shown on the »saved« page."""
    link = response.context["resume_url"]
    return re.sub(r"^https?://[^/]+", "", link)


def save_after_first_section(client, survey, path=None):
    """Answer section 1, go on to section 2, fill part of it and save there."""
    questions, opt = ids(survey)
    first = client.get(path or survey.url)
    second = post(
        client,
        survey,
        0,
        state_of(first),
        {"q-kontakt": opt("kontakt", "Ja"), "q-kanal": opt("kanal", "Møde"), "q-alder": "41"},
        path=path,
    )
    assert second.context["position"] == 2
    assert second.context["can_save"]
    saved = post(
        client,
        survey,
        1,
        state_of(second),
        {"q-tilfreds": opt("tilfreds", "2"), "q-kommentar": "Hemmelig kommentar 4711", "q-hjalp": ["ikke-en-id"]},
        action="save",
        path=path,
    )
    assert saved.status_code == 200
    return saved


def test_save_shows_a_link_that_brings_the_answers_back_and_sending_deletes_the_draft(client, survey):
    questions, opt = ids(survey)
    saved = save_after_first_section(client, survey)
    page = saved.content.decode()
    assert "Dine svar er gemt" in page and "Dit svar er ikke sendt endnu." in page
    assert not SurveyResponse.objects.exists()
    assert SurveyDraft.objects.count() == 1
    path = resume_path(saved)
    assert path.startswith(survey.url + "fortsaet/")

    resumed = client.get(path)  # e.g. days later, in another browser
    assert resumed.status_code == 200
    assert resumed.context["position"] == 2  # the section where it was saved
    form = resumed.context["form"]
    assert form["q-tilfreds"].value() == opt("tilfreds", "2")
    assert form["q-kommentar"].value() == "Hemmelig kommentar 4711"
    assert form["q-hjalp"].value() in (None, [])  # the invalid choice was not kept
    # Back to the first section: its answers came back too.
    back = post(client, survey, 1, state_of(resumed), {"draft": resumed.context["draft_token"]}, action="back")
    assert back.context["form"]["q-kontakt"].value() == opt("kontakt", "Ja")
    assert back.context["form"]["q-alder"].value() == "41"
    assert back.context["draft_token"]  # the draft goes along, so sending deletes it
    second = post(
        client,
        survey,
        0,
        state_of(back),
        {
            "q-kontakt": opt("kontakt", "Ja"),
            "q-kanal": opt("kanal", "Møde"),
            "q-alder": "41",
            "draft": back.context["draft_token"],
        },
    )
    data = second_section_data(survey, **{"draft": second.context["draft_token"]})
    done = post(client, survey, 1, state_of(second), data, action="submit")
    assert done.status_code == 302 and done.url.endswith("/tak/")
    stored = SurveyResponse.objects.get()
    assert stored.answers[questions["alder"].id] == 41
    assert not SurveyDraft.objects.exists()
    gone = client.get(path)
    assert gone.status_code == 404
    assert "Der er ingen gemte svar til dette link." in gone.content.decode()


def test_the_stored_draft_is_sealed_and_names_no_one(client, survey):
    saved = save_after_first_section(client, survey)
    draft = SurveyDraft.objects.get()
    token = resume_path(saved).rstrip("/").rsplit("/", 1)[1]
    assert token not in draft.token_hash
    sealed = bytes(draft.sealed)
    assert b"4711" not in sealed and b"Hemmelig" not in sealed
    columns = {f.column for f in SurveyDraft._meta.concrete_fields}
    assert columns == {"id", "survey_id", "token_hash", "sealed"}  # no time, user, invitation, email, address


def test_saving_again_from_a_resumed_draft_keeps_one_draft_and_the_same_link(client, survey):
    questions, opt = ids(survey)
    saved = save_after_first_section(client, survey)
    path = resume_path(saved)
    resumed = client.get(path)
    again = post(
        client,
        survey,
        1,
        state_of(resumed),
        {"q-tilfreds": opt("tilfreds", "5"), "draft": resumed.context["draft_token"]},
        action="save",
    )
    assert resume_path(again) == path
    assert SurveyDraft.objects.count() == 1
    assert client.get(path).context["form"]["q-tilfreds"].value() == opt("tilfreds", "5")


def test_forged_or_other_surveys_link_is_refused_in_danish(client, survey, home_page):
    saved = save_after_first_section(client, survey)
    token = resume_path(saved).rstrip("/").rsplit("/", 1)[1]
    forged = client.get(survey.url + "fortsaet/" + token[:-2] + "xy/")
    assert forged.status_code == 404
    assert "Linket til dine gemte svar virker ikke" in forged.content.decode()
    other = make_survey(survey.get_parent(), slug="anden")
    assert client.get(other.url + "fortsaet/" + token + "/").status_code == 404


def test_the_link_by_email_and_the_address_is_not_kept(client, survey):
    saved = save_after_first_section(client, survey)
    token = saved.context["email_form"].initial["draft"]
    bad = client.post(survey.url + "gemt/send/", {"draft": token, "email": "ikke en adresse"})
    assert bad.status_code == 400
    assert "Skriv en gyldig e-mailadresse" in bad.content.decode()
    assert bad.context["email_form"]["email"].value() == "ikke en adresse"
    assert not mail.outbox
    sent = client.post(survey.url + "gemt/send/", {"draft": token, "email": "borger@example.org"})
    assert sent.status_code == 200
    assert "Linket er sendt." in sent.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["borger@example.org"]
    assert "Fortsæt dit svar på »Tilfredshed med jobcentret 2026«" in message.subject
    assert resume_path(saved) in message.body
    assert "borger@example.org" not in str(list(SurveyDraft.objects.values_list("token_hash", "sealed")))
    assert not SurveyParticipation.objects.exists()
    forged = client.post(survey.url + "gemt/send/", {"draft": "x" * 30, "email": "borger@example.org"})
    assert forged.status_code == 404 and len(mail.outbox) == 1


def test_a_mail_server_that_fails_gives_a_danish_message_and_keeps_the_link(client, survey, monkeypatch):
    saved = save_after_first_section(client, survey)
    token = saved.context["email_form"].initial["draft"]

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("nede")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    failed = client.post(survey.url + "gemt/send/", {"draft": token, "email": "borger@example.org"})
    assert failed.status_code == 503
    page = failed.content.decode()
    assert "Linket kunne ikke sendes lige nu." in page
    assert resume_path(saved) in page  # the link is still shown to copy
    assert failed.context["email_form"]["email"].value() == "borger@example.org"
    assert SurveyDraft.objects.count() == 1


def test_a_closed_survey_deletes_its_drafts(client, survey):
    saved = save_after_first_section(client, survey)
    survey.close()
    assert not SurveyDraft.objects.exists()
    assert client.get(resume_path(saved)).status_code == 404


def test_drafts_of_surveys_past_their_deadline_are_deleted_by_the_command(client, survey):
    save_after_first_section(client, survey)
    other = make_survey(survey.get_parent(), slug="anden")
    save_after_first_section(client, other)
    assert SurveyDraft.objects.count() == 2
    type(survey).objects.filter(pk=survey.pk).update(closes_at=survey.opens_at)  # its deadline passed
    call_command("delete_closed_survey_drafts")
    assert list(SurveyDraft.objects.values_list("survey_id", flat=True)) == [other.pk]


@pytest.fixture
def panel_survey(home_page, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    page = make_survey(SurveyIndexPageFactory(parent=home_page), access=Access.PANEL, slug="panel")
    participation = SurveyParticipation.objects.create(survey=page, kind="invited", email="a@example.org")
    return page, participation


def test_an_invited_member_resumes_through_the_link_and_the_invitation_is_used_once(client, panel_survey):
    page, participation = panel_survey
    saved = save_after_first_section(client, page, path=participation.link_path)
    path = resume_path(saved)
    assert participation.token not in path
    client.cookies.clear()  # another browser
    resumed = client.get(path)
    assert resumed.status_code == 200
    assert resumed.context["action_url"] == participation.link_path  # sending uses the invitation
    data = second_section_data(page, draft=resumed.context["draft_token"])
    done = post(client, page, 1, state_of(resumed), data, action="submit", path=participation.link_path)
    assert done.status_code == 302
    participation.refresh_from_db()
    assert participation.answered
    assert not SurveyDraft.objects.exists()


def test_a_draft_of_an_invitation_answered_meanwhile_is_refused_and_deleted(client, panel_survey):
    page, participation = panel_survey
    saved = save_after_first_section(client, page, path=participation.link_path)
    SurveyParticipation.objects.filter(pk=participation.pk).update(answered=True)
    reused = client.get(resume_path(saved))
    assert reused.status_code == 409
    assert "Du har allerede svaret" in reused.content.decode()
    assert not SurveyDraft.objects.exists()


def test_a_login_survey_draft_is_only_for_the_account_that_saved_it(client, home_page, user_factory, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    page = make_survey(SurveyIndexPageFactory(parent=home_page), access=Access.LOGIN, slug="login")
    owner, other = user_factory(email="ejer@example.org"), user_factory(email="anden@example.org")
    client.force_login(owner)
    saved = save_after_first_section(client, page)
    path = resume_path(saved)
    client.logout()
    anonymous = client.get(path)
    assert anonymous.context["needs_login"]
    assert f"next={path}" in anonymous.content.decode()  # back to the draft after logging in
    client.force_login(other)
    refused = client.get(path)
    assert refused.status_code == 403
    assert "Svarene blev gemt af en anden konto." in refused.content.decode()
    client.force_login(owner)
    assert client.get(path).context["position"] == 2


def test_saving_is_rate_limited_per_address(client, survey, settings):
    settings.SURVEY_DRAFT_RATE_IP = "2/h"
    save_after_first_section(client, survey)
    save_after_first_section(client, survey)
    questions, opt = ids(survey)
    first = client.get(survey.url)
    limited = post(client, survey, 0, state_of(first), {"q-kontakt": opt("kontakt", "Nej")}, action="save")
    assert limited.status_code == 429
    assert "Der er gemt for mange svar fra din forbindelse" in limited.content.decode()
    assert SurveyDraft.objects.count() == 2


def test_a_one_section_survey_offers_no_saving(client, home_page):
    from tests.consultations.survey_factories import question

    page = make_survey(
        SurveyIndexPageFactory(parent=home_page),
        questions=[question("single", "ja", "Ja eller nej?", options=["Ja", "Nej"])],
        slug="kort",
    )
    response = client.get(page.url)
    assert not response.context["can_save"]
    assert "Gem og fortsæt senere" not in response.content.decode()
