"""Issue 11, what must hold 4 (and the answering flow): one section per page, conditions decided on
the server, answers kept going back, bad input refused in Danish with nothing stored."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from consultations.models import (
    Access,
    PendingSurveyResponse,
    SurveyParticipation,
    SurveyResponse,
)
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(home_page, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    index = SurveyIndexPageFactory(parent=home_page)
    return make_survey(index)


def ids(survey):
    """{key: question}, and option id by (key, label)."""
    questions = {q.key: q for q in survey.questionnaire.questions}

    def opt(key, label):
        return next(o.id for o in questions[key].options if o.label == label or o.label.startswith(label + " "))

    return questions, opt


def state_of(response):
    return response.context["form"]["state"].value()


def post(client, survey, section, state, data, action="next", path=None):
    payload = {"section": str(section), "state": state, "action": action, **data}
    return client.post(path or survey.url, payload)


def first_section(client, survey):
    response = client.get(survey.url)
    assert response.status_code == 200
    return response


def answer_first(client, survey, contact="Ja", **extra):
    questions, opt = ids(survey)
    response = first_section(client, survey)
    data = {"q-kontakt": opt("kontakt", contact), **extra}
    if contact == "Ja":
        data.setdefault("q-kanal", opt("kanal", "Telefon"))
    return post(client, survey, 0, state_of(response), data)


def second_section_data(survey, **overrides):
    questions, opt = ids(survey)
    matrix = questions["udsagn"]
    data = {
        "q-tilfreds": opt("tilfreds", "4"),
        "q-hjalp": [opt("hjalp", "Samtaler")],
        f"q-udsagn-{matrix.statements[0].id[:8]}": opt("udsagn", "Enig"),
        f"q-udsagn-{matrix.statements[1].id[:8]}": opt("udsagn", "Uenig"),
        "q-kommentar": "Fint",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_conditional_question_is_decided_on_the_server_and_answers_survive_back(client, survey):
    questions, opt = ids(survey)
    first = first_section(client, survey)
    # The follow-up is in the same section: shown with its condition written out, for no-JS users.
    assert "Besvares kun, hvis du har svaret »Ja« til »Har du været i kontakt" in first.content.decode()
    second = answer_first(client, survey, contact="Nej")
    assert second.status_code == 200, second.context["form"].errors
    assert second.context["position"] == 2
    page = second.content.decode()
    assert "Hvor tilfreds er du med jobcentret?" in page
    assert "Hvad hjalp dig?" not in page  # hidden: depends on »Ja« in the earlier section
    back = post(client, survey, 1, state_of(second), {"q-tilfreds": opt("tilfreds", "2")}, action="back")
    assert back.context["position"] == 1
    assert back.context["form"]["q-kontakt"].value() == opt("kontakt", "Nej")
    missing = post(client, survey, 0, state_of(back), {"q-kontakt": opt("kontakt", "Ja")})
    assert missing.status_code == 400  # the follow-up in the same section is now required
    assert missing.context["form"].errors == {"q-kanal": ["Besvar spørgsmålet."]}
    changed = post(
        client, survey, 0, state_of(back), {"q-kontakt": opt("kontakt", "Ja"), "q-kanal": opt("kanal", "Møde")}
    )
    assert "Hvad hjalp dig?" in changed.content.decode()  # now shown
    assert changed.context["form"]["q-tilfreds"].value() == opt("tilfreds", "2")  # kept from before going back
    done = post(client, survey, 1, state_of(changed), second_section_data(survey), action="submit")
    assert done.status_code == 302 and done.url.endswith("/tak/")
    stored = SurveyResponse.objects.get(survey=survey)
    assert stored.answers[questions["kontakt"].id] == opt("kontakt", "Ja")
    assert stored.answers[questions["hjalp"].id] == [opt("hjalp", "Samtaler")]
    assert stored.participation_id is None and stored.submitted_at is None
    thanks = client.get(done.url)
    assert "Tak for dit svar" in thanks.content.decode()


def test_answer_to_question_hidden_by_earlier_answer_is_dropped_when_answer_changes(client, survey):
    questions, opt = ids(survey)
    second = answer_first(client, survey, contact="Ja")
    back = post(client, survey, 1, state_of(second), second_section_data(survey), action="back")
    no = post(client, survey, 0, state_of(back), {"q-kontakt": opt("kontakt", "Nej")})
    data = second_section_data(survey, **{"q-hjalp": None})
    done = post(client, survey, 1, state_of(no), data, action="submit")
    assert done.status_code == 302
    assert questions["hjalp"].id not in SurveyResponse.objects.get().answers


def assert_refused(response, message):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Der er problemer med det, du har udfyldt" in response.content.decode()
    assert not SurveyResponse.objects.exists() and not PendingSurveyResponse.objects.exists()


def test_required_missing(client, survey):
    response = post(client, survey, 0, state_of(first_section(client, survey)), {})
    assert_refused(response, "Besvar spørgsmålet.")


def test_out_of_range_scale_keeps_the_other_answers(client, survey):
    second = answer_first(client, survey)
    response = post(
        client, survey, 1, state_of(second), second_section_data(survey, **{"q-tilfreds": "9"}), action="submit"
    )
    assert_refused(response, "Vælg en af de viste svarmuligheder.")
    assert response.context["form"]["q-kommentar"].value() == "Fint"


def test_too_many_choices(client, survey):
    questions, opt = ids(survey)
    second = answer_first(client, survey)
    many = [opt("hjalp", "Samtaler"), opt("hjalp", "Kurser"), opt("hjalp", "Praktik")]
    response = post(
        client, survey, 1, state_of(second), second_section_data(survey, **{"q-hjalp": many}), action="submit"
    )
    assert_refused(response, "Vælg højst 2 svarmuligheder.")
    assert response.context["form"]["q-hjalp"].value() == many


def test_option_of_another_question(client, survey):
    questions, opt = ids(survey)
    second = answer_first(client, survey)
    response = post(
        client,
        survey,
        1,
        state_of(second),
        second_section_data(survey, **{"q-hjalp": [opt("kanal", "Møde")]}),
        "submit",
    )
    assert_refused(response, "Vælg en af de viste svarmuligheder.")


def test_answer_to_a_hidden_question_is_refused(client, survey):
    questions, opt = ids(survey)
    second = answer_first(client, survey, contact="Nej")
    response = post(
        client,
        survey,
        1,
        state_of(second),
        second_section_data(survey, **{"q-hjalp": [opt("hjalp", "Kurser")]}),
        "submit",
    )
    assert_refused(response, "Dette spørgsmål skal ikke besvares ud fra dine svar.")


def test_same_section_condition_refused_without_the_trigger(client, survey):
    questions, opt = ids(survey)
    response = post(
        client,
        survey,
        0,
        state_of(first_section(client, survey)),
        {"q-kontakt": opt("kontakt", "Nej"), "q-kanal": opt("kanal", "Telefon")},
    )
    assert_refused(response, "Dette spørgsmål skal ikke besvares ud fra dine svar.")
    assert response.context["form"]["q-kanal"].value() == opt("kanal", "Telefon")


def test_tampered_state_is_refused(client, survey):
    second = answer_first(client, survey)
    state = state_of(second)
    response = post(client, survey, 1, state[:-3] + "abc", second_section_data(survey), action="submit")
    assert response.status_code == 400
    assert "Formularen er udløbet eller blev ændret undervejs. Intet er gemt." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_closed_survey_refuses_and_keeps_answers(client, survey):
    second = answer_first(client, survey)
    survey.close()
    response = post(client, survey, 1, state_of(second), second_section_data(survey), action="submit")
    assert_refused(response, "Undersøgelsen er lukket, så dit svar kan ikke modtages.")
    assert response.context["form"]["q-kommentar"].value() == "Fint"


def test_too_many_answers_from_one_address_are_refused_with_the_answers_kept(client, survey, settings):
    settings.SURVEY_SUBMIT_RATE_IP = "1/h"
    second = answer_first(client, survey)
    assert post(client, survey, 1, state_of(second), second_section_data(survey), action="submit").status_code == 302
    other_browser = Client()  # same address, no »answered from this browser« mark
    second = answer_first(other_browser, survey)
    limited = post(other_browser, survey, 1, state_of(second), second_section_data(survey), action="submit")
    assert limited.status_code == 429
    assert "Der er sendt for mange svar fra din forbindelse på kort tid. Prøv igen senere." in limited.content.decode()
    assert limited.context["form"]["q-kommentar"].value() == "Fint"
    assert SurveyResponse.objects.count() == 1


def test_second_answer_from_the_same_browser(client, survey):
    second = answer_first(client, survey)
    assert post(client, survey, 1, state_of(second), second_section_data(survey), action="submit").status_code == 302
    again = client.get(survey.url)
    assert again.status_code == 409
    assert "Der er allerede svaret på undersøgelsen fra denne browser." in again.content.decode()
    assert SurveyResponse.objects.count() == 1


@pytest.fixture
def panel_survey(home_page, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    index = SurveyIndexPageFactory(parent=home_page)
    page = make_survey(index, access=Access.PANEL, slug="panel")
    participation = SurveyParticipation.objects.create(survey=page, kind="invited", email="a@example.org")
    return page, participation


def test_invitation_link_is_single_use_and_a_forged_one_fails(client, panel_survey):
    page, participation = panel_survey
    link = participation.link_path
    assert "Undersøgelsen er for et inviteret panel" in client.get(page.url).content.decode()
    forged = client.get(page.url + "svar/" + "x" * 40 + "/")
    assert forged.status_code == 404
    assert "Linket til undersøgelsen er ugyldigt." in forged.content.decode()
    questions, opt = ids(page)
    first = client.get(link)
    second = post(
        client,
        page,
        0,
        state_of(first),
        {"q-kontakt": opt("kontakt", "Ja"), "q-kanal": opt("kanal", "Møde")},
        path=link,
    )
    done = post(client, page, 1, state_of(second), second_section_data(page), action="submit", path=link)
    assert done.status_code == 302
    participation.refresh_from_db()
    assert participation.answered
    reused = client.get(link)
    assert reused.status_code == 409
    assert "kan kun bruges én gang, og der er allerede svaret med det" in reused.content.decode()
    # A form opened before the link was used, sent afterwards, stores nothing more.
    late = post(client, page, 1, state_of(second), second_section_data(page), action="submit", path=link)
    assert late.status_code == 409
    assert SurveyResponse.objects.count() == 1


def test_upcoming_survey_shows_no_form(client, home_page):
    index = SurveyIndexPageFactory(parent=home_page)
    page = make_survey(index, opens_at=timezone.now() + timedelta(days=2), closes_at=timezone.now() + timedelta(days=9))
    response = client.get(page.url)
    assert "Undersøgelsen er ikke åbnet endnu." in response.content.decode()
    assert "form" not in response.context


def test_in_another_language_the_surveys_own_words_keep_their_language_and_direction(home_page, client):
    """Read in Arabic, a Danish survey's questions, options and help are marked lang=da dir=ltr
    (before, »Bor du i kommunen?« showed as »?Bor du i kommunen«), while the interface's own words
    around them (»(optional)«) are not; what an editor typed stays escaped."""
    import re

    from django.conf import settings

    from tests.consultations.survey_factories import question

    index = SurveyIndexPageFactory(parent=home_page)
    survey = make_survey(
        index,
        questions=[
            question("single", "bor", "Bor du i <b>kommunen</b>?", options=["Ja", "Nej"], help_text="Svar ja & nej"),
            question("number", "aar", "Hvor mange år?", required=False),
        ],
    )
    danish = client.get(survey.url).content.decode()
    assert '<legend class="form-label">Bor du i &lt;b&gt;kommunen&lt;/b&gt;?</legend>' in danish
    assert re.search(r'<label class="form-label" for="[^"]+">Ja</label>', danish)
    assert 'lang="da"' not in danish.split("<main", 1)[1]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(survey.url).content.decode()
    marked = '<span lang="da" dir="ltr">'
    assert f'<legend class="form-label">{marked}Bor du i &lt;b&gt;kommunen&lt;/b&gt;?</span></legend>' in html
    assert f">{marked}Svar ja &amp; nej</span></span>" in html  # the help text, inside its hint
    assert re.search(rf'<label class="form-label" for="[^"]+">{marked}Ja</span></label>', html)
    optional = re.search(
        rf'<label class="form-label" for="[^"]+">{marked}Hvor mange år\?</span>'
        r' <span class="weight-normal">\((.*?)\)</span>',
        html,
    )
    assert optional and optional.group(1) == "اختياري"
