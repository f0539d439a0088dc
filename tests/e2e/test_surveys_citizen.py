"""Issue 11, what must hold 1: a citizen goes from the home page to a survey, answers across
sections (the conditional question appears only after the triggering answer – in the browser with
JavaScript, and from the server without it), goes back and changes an answer, submits and sees
the thank-you page. axe finds nothing on any page, also at 375 px (axe cannot run with
JavaScript off, so the no-JavaScript journey checks behaviour only)."""

import pytest
from playwright.sync_api import expect

from consultations.models import SurveyResponse
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def survey(home_page, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    return make_survey(SurveyIndexPageFactory(parent=home_page), intro="Fortæl os, hvordan det går med jobcentret.")


def group(page, name):
    return page.get_by_role("group", name=name, exact=True)


def open_survey(page, check_a11y):
    page.goto("/")
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Tilfredshed med jobcentret 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilfredshed med jobcentret 2026")
    expect(page.get_by_text("Side 1 af 2")).to_be_visible()
    check_a11y(page)


def answer_second_section(page):
    group(page, "Hvor tilfreds er du med jobcentret?").get_by_label("4", exact=True).check()
    group(page, "Jeg blev mødt med respekt").get_by_label("Enig", exact=True).check()
    group(page, "Jeg fik svar til tiden").get_by_label("Hverken eller", exact=True).check()
    page.get_by_label("Har du andre kommentarer?").fill("Min sagsbehandler var god.")


def finish(page, check_a11y):
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("heading", name="Tak for dit svar")).to_be_visible()
    expect(page.get_by_text("Dit svar på »Tilfredshed med jobcentret 2026« er modtaget.")).to_be_visible()
    check_a11y(page)


@pytest.fixture(params=[None, PHONE], ids=["desktop", "375px"])
def page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=request.param)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_answer_with_javascript(page, check_a11y, survey):
    open_survey(page, check_a11y)
    follow_up = group(page, "Hvordan var du i kontakt?")
    expect(follow_up).to_be_hidden()  # shown only after »Ja«
    group(page, "Har du været i kontakt med jobcentret i år?").get_by_label("Ja").check()
    expect(follow_up).to_be_visible()
    follow_up.get_by_label("Telefon").check()
    check_a11y(page)
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_text("Side 2 af 2")).to_be_visible()
    expect(group(page, "Hvad hjalp dig?")).to_be_visible()
    group(page, "Hvad hjalp dig?").get_by_label("Kurser").check()
    answer_second_section(page)
    check_a11y(page)
    # Back: the first section still holds the answers; change »Ja« to »Nej«.
    page.get_by_role("button", name="Tilbage").click()
    expect(group(page, "Har du været i kontakt med jobcentret i år?").get_by_label("Ja")).to_be_checked()
    group(page, "Har du været i kontakt med jobcentret i år?").get_by_label("Nej").check()
    expect(follow_up).to_be_hidden()
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_text("Side 2 af 2")).to_be_visible()
    expect(group(page, "Hvad hjalp dig?")).to_have_count(0)  # its condition is no longer met
    expect(page.get_by_label("Har du andre kommentarer?")).to_have_value("Min sagsbehandler var god.")
    finish(page, check_a11y)
    answers = SurveyResponse.objects.get().answers
    questions = {q.key: q for q in survey.questionnaire.questions}
    assert questions["hjalp"].id not in answers and questions["kanal"].id not in answers
    assert answers[questions["kommentar"].id] == "Min sagsbehandler var god."


def no_axe(page):
    """axe needs JavaScript: the same pages are checked above with it on, at both widths."""


def test_answer_without_javascript_on_a_phone(browser, live_server, survey):
    check_a11y = no_axe
    context = browser.new_context(base_url=live_server.url, locale="da-DK", java_script_enabled=False, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        open_survey(page, check_a11y)
        # Without JavaScript the follow-up in the same section is shown with its rule.
        expect(page.get_by_text("Besvares kun, hvis du har svaret »Ja« til »Har du været i kontakt")).to_be_visible()
        group(page, "Har du været i kontakt med jobcentret i år?").get_by_label("Nej").check()
        page.get_by_role("button", name="Næste").click()
        expect(page.get_by_text("Side 2 af 2")).to_be_visible()
        expect(group(page, "Hvad hjalp dig?")).to_have_count(0)  # the server leaves it out after »Nej«
        answer_second_section(page)
        check_a11y(page)
        page.get_by_role("button", name="Tilbage").click()
        group(page, "Har du været i kontakt med jobcentret i år?").get_by_label("Ja").check()
        page.get_by_role("button", name="Næste").click()
        expect(page.get_by_role("alert")).to_contain_text("Besvar spørgsmålet.")  # the follow-up is now required
        check_a11y(page)
        group(page, "Hvordan var du i kontakt?").get_by_label("Møde").check()
        page.get_by_role("button", name="Næste").click()
        expect(group(page, "Hvad hjalp dig?")).to_be_visible()  # appears after the triggering answer
        expect(group(page, "Jeg blev mødt med respekt").get_by_label("Enig", exact=True)).to_be_checked()
        group(page, "Hvad hjalp dig?").get_by_label("Samtaler").check()
        finish(page, check_a11y)
    finally:
        context.close()
    questions = {q.key: q for q in survey.questionnaire.questions}
    answers = SurveyResponse.objects.get().answers
    assert len(answers[questions["hjalp"].id]) == 1
