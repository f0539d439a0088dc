"""A survey's date question on a phone (375 px), in Danish and in Arabic (right to left): the field says
how to write the date, a date that does not exist or lies outside the allowed period is refused with
a message in the reader's language that repeats what they typed, and the typed text stays in the
field; a date written the Danish way is stored. axe on every page.

Before, the question was an <input type="date">: Chromium showed »mm/dd/yyyy« whatever the page's
language, a typed 31-02-2026 was dropped by the browser (nothing was sent), and the page answered
»Besvar spørgsmålet.« with the field empty. A required question was also labelled »(valgfrit)«, and
the comment box was wider than the phone (the page scrolled sideways): seen on screenshots."""

import datetime

import pytest
from playwright.sync_api import expect

from consultations.models import SurveyResponse
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey, question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
QUESTION = "Hvornår var dit seneste møde?"

TEXTS = {
    "da": {
        "hint": "Dagen for mødet. Skriv dag-måned-år, fx 24-12-2026.",
        "not_a_date": "»31-02-2026« er ikke en gyldig dato. Skriv dag-måned-år, fx 24-12-2026.",
        "outside": "Skriv en dato fra 01-01-2026 til 31-12-2026.",
        "optional": "(valgfrit)",
        "send": "Send svar",
        "thanks": "Tak for dit svar",
    },
    "ar": {
        "hint": "Dagen for mødet. اكتب اليوم-الشهر-السنة، مثل 24-12-2026.",
        "not_a_date": "«31-02-2026» ليس تاريخًا صحيحًا. اكتب اليوم-الشهر-السنة، مثل 24-12-2026.",
        "outside": "اكتب تاريخًا من 01-01-2026 إلى 31-12-2026.",
        "optional": "(اختياري)",
        "send": "أرسل الإجابات",
        "thanks": "شكرًا على إجابتك",
    },
}


@pytest.fixture
def survey(home_page, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    return make_survey(
        SurveyIndexPageFactory(parent=home_page),
        questions=[
            question(
                "date", "moede", QUESTION, help_text="Dagen for mødet.",
                min_date=datetime.date(2026, 1, 1), max_date=datetime.date(2026, 12, 31),
            ),
            question("text", "kommentar", "Har du andre kommentarer?", required=False, max_length=500),
        ],
    )  # fmt: skip


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=PHONE)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def send(page, texts, typed):
    field = page.get_by_role("textbox", name=QUESTION)
    field.fill(typed)
    page.get_by_role("button", name=texts["send"]).click()


@pytest.mark.parametrize("language", ["da", "ar"])
def test_a_date_typed_on_a_phone_is_kept_and_explained(phone, check_a11y, survey, language):
    texts = TEXTS[language]
    phone.goto(f"{survey.url}?lang={language}")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    field = phone.get_by_role("textbox", name=QUESTION)
    expect(field).to_have_attribute("type", "text")
    expect(field).to_have_accessible_description(texts["hint"])
    expect(phone.locator(f"label[for='{field.get_attribute('id')}']")).not_to_contain_text(texts["optional"])
    # The question's label: the survey's Danish words (in Arabic marked lang=da) and the interface's »(optional)«.
    expect(phone.locator("label", has_text="Har du andre kommentarer?")).to_contain_text(texts["optional"])
    no_sideways_scroll(phone)
    check_a11y(phone)

    # A date that does not exist: refused in the reader's language, naming what was typed, which stays.
    send(phone, texts, "31-02-2026")
    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text(texts["not_a_date"])
    field = phone.get_by_role("textbox", name=QUESTION)
    expect(field).to_have_value("31-02-2026")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(f"{texts['hint']} {'خطأ:' if language == 'ar' else 'Fejl:'} "
                                                 f"{texts['not_a_date']}")  # fmt: skip
    no_sideways_scroll(phone)
    check_a11y(phone)

    # Outside the allowed period: the period is named.
    send(phone, texts, "24-12-2027")
    expect(phone.get_by_role("alert")).to_contain_text(texts["outside"])
    expect(phone.get_by_role("textbox", name=QUESTION)).to_have_value("24-12-2027")
    check_a11y(phone)
    assert not SurveyResponse.objects.exists()

    # Written the Danish way, with dots: stored as the date.
    send(phone, texts, "24.12.2026")
    expect(phone.get_by_role("heading", level=1)).to_have_text(texts["thanks"])
    check_a11y(phone)
    (stored,) = SurveyResponse.objects.all()
    [date_question] = [q for q in survey.questionnaire.questions if q.key == "moede"]
    assert stored.answers[date_question.id] == "2026-12-24"
