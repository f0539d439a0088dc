"""Save and continue later (issue 11, »Answering«): a citizen answers the first section of a survey,
part of the second, saves, has the resume link emailed, closes the browser; days later, in another
browser, the link brings the answers back (also those of the first section when going back); the
citizen finishes and sends, and the saved draft is gone. axe on every page, also at 375 px."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consultations.models import SurveyDraft, SurveyResponse
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def survey(home_page, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    return make_survey(SurveyIndexPageFactory(parent=home_page))


def group(page, name):
    return page.get_by_role("group", name=name, exact=True)


def new_page(browser, live_server, viewport=None):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=viewport)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_save_get_the_link_by_email_and_finish_in_another_browser(browser, live_server, check_a11y, survey):
    context, page = new_page(browser, live_server)
    try:
        page.goto(survey.url)
        expect(page.get_by_text("Side 1 af 2")).to_be_visible()
        check_a11y(page)
        group(page, "Har du været i kontakt med jobcentret i år?").get_by_label("Ja").check()
        group(page, "Hvordan var du i kontakt?").get_by_label("Telefon").check()
        page.get_by_label("Hvor gammel er du?").fill("52")
        page.get_by_role("button", name="Næste").click()
        expect(page.get_by_text("Side 2 af 2")).to_be_visible()
        group(page, "Hvor tilfreds er du med jobcentret?").get_by_label("2", exact=True).check()
        page.get_by_label("Har du andre kommentarer?").fill("Jeg skriver resten i morgen.")
        page.get_by_role("button", name="Gem og fortsæt senere").click()

        expect(page.get_by_role("heading", name="Dine svar er gemt")).to_be_visible()
        link = page.locator("#resume-link")
        expect(link).to_have_text(re.compile(r"/fortsaet/[^/]+/$"))
        check_a11y(page)
        page.set_viewport_size(PHONE)
        check_a11y(page)
        # No address: a Danish message, nothing sent.
        page.get_by_role("button", name="Send linket til mig").click()
        expect(page.get_by_role("alert")).to_contain_text("Skriv din e-mailadresse.")
        check_a11y(page)
        page.get_by_label("Din e-mailadresse").fill("borger@example.org")
        page.get_by_role("button", name="Send linket til mig").click()
        expect(page.get_by_text("Linket er sendt.")).to_be_visible()
        check_a11y(page)
        assert SurveyDraft.objects.count() == 1 and not SurveyResponse.objects.exists()
    finally:
        context.close()

    (message,) = [m for m in mail.outbox if m.to == ["borger@example.org"]]
    path = re.search(r"https?://[^/\s]+(/\S+/fortsaet/[^/\s]+/)", message.body).group(1)

    # The next day, on another device.
    context, page = new_page(browser, live_server, viewport=PHONE)
    try:
        page.goto(path)
        expect(page.get_by_text("Side 2 af 2")).to_be_visible()
        expect(group(page, "Hvor tilfreds er du med jobcentret?").get_by_label("2", exact=True)).to_be_checked()
        expect(page.get_by_label("Har du andre kommentarer?")).to_have_value("Jeg skriver resten i morgen.")
        check_a11y(page)
        page.get_by_role("button", name="Tilbage").click()
        expect(group(page, "Hvordan var du i kontakt?").get_by_label("Telefon")).to_be_checked()
        expect(page.get_by_label("Hvor gammel er du?")).to_have_value("52")
        check_a11y(page)
        page.get_by_role("button", name="Næste").click()
        group(page, "Hvad hjalp dig?").get_by_label("Samtaler").check()
        group(page, "Jeg blev mødt med respekt").get_by_label("Enig", exact=True).check()
        group(page, "Jeg fik svar til tiden").get_by_label("Uenig", exact=True).check()
        page.get_by_label("Har du andre kommentarer?").fill("Færdig nu.")
        page.get_by_role("button", name="Send svar").click()
        expect(page.get_by_role("heading", name="Tak for dit svar")).to_be_visible()
        check_a11y(page)
        # The draft is gone: the link says so in Danish.
        page.goto(path)
        expect(page.get_by_role("heading", name="Linket til dine gemte svar virker ikke")).to_be_visible()
        check_a11y(page)
    finally:
        context.close()
    assert not SurveyDraft.objects.exists()
    questions = {q.key: q for q in survey.questionnaire.questions}
    answers = SurveyResponse.objects.get().answers
    assert answers[questions["alder"].id] == 52
    assert answers[questions["kommentar"].id] == "Færdig nu."
