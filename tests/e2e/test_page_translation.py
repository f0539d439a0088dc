"""Issue 13, must hold 3: an editor translates a hearing page into Turkish through the admin — opens
»Oversættelser« from the page, downloads the translation file, has it translated (the test fills it
in as the translator would), uploads a wrong file first (refused with a Danish message, nothing
stored), then the right one, publishes it — and a Turkish reader who chose Türkçe in the language
picker sees the hearing in Turkish, marked as not reviewed by a native speaker, with its Turkish title
in the breadcrumb, the home page's list and the hearing index (reached through the menu) while the
untranslated hearing beside it stays Danish, marked lang="da"; a page that is not translated is the
Danish page with the note in Turkish. axe finds nothing on every page visited."""

import polib
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import SurveyPage, SurveyResponse
from core.models import PageTranslation
from core.translated_pages import segments
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.helpers import login_with_mfa, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"
BODY = [
    {"type": "heading", "id": "h-1", "value": {"text": "Hvad handler planen om?", "level": "h2"}},
    {"type": "paragraph", "id": "p-1", "value": "<p>Jobcentret vil hjælpe flere i job og <b>svar</b> gerne.</p>"},
]
TURKISH = {
    "title": "İstihdam planı 2027",
    "summary": "Belediye görüşlerinizi duymak istiyor.",
    "body/h-1/text": "Plan ne hakkında?",
    "body/p-1": "<p>İş merkezi daha fazla kişinin iş bulmasına yardım etmek istiyor, lütfen <b>yanıt verin</b>.</p>",
}


def translated_file(downloaded, tmp_path, language="tr", name="hoering.tr.po"):
    """What the external translator sends back: the downloaded file with msgstr filled in."""
    po = polib.pofile(downloaded.read_text(encoding="utf-8"))
    for entry in po:
        entry.msgstr = TURKISH[entry.msgctxt]
    po.metadata["Language"] = language
    path = tmp_path / name
    po.save(str(path))
    return path


def test_editor_translates_a_hearing_into_turkish_and_a_turkish_reader_sees_it(
    page, browser, live_server, home_page, check_a11y, mfa_user, tmp_path
):
    index = HearingIndexPageFactory(parent=home_page)
    hearing = HearingFactory(
        parent=index,
        title="Beskæftigelsesplan 2027",
        slug="beskaeftigelsesplan-2027",
        summary="Kommunen vil gerne høre din mening.",
        body=BODY,
    )
    HearingFactory(parent=index, title="Integrationspolitik 2027", slug="integrationspolitik-2027")  # not translated
    mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    _user, secret = mfa_user(email="redaktoer@kommune.example", is_staff=True, is_superuser=True)
    login_with_mfa(page, "redaktoer@kommune.example", PASSWORD, secret)
    page.wait_for_url(lambda url: "/konto/" not in url)

    # The editor opens the hearing in the admin's page listing and chooses »Oversættelser«.
    page.goto(f"/admin/pages/{index.pk}/")
    row = page.get_by_role("row").filter(has_text="Beskæftigelsesplan 2027")
    row.get_by_role("button", name="Flere muligheder for 'Beskæftigelsesplan 2027'").click()
    row.get_by_role("link", name="Oversættelser").click()
    page.wait_for_url(f"**/admin/oversaettelser/{hearing.pk}/")
    expect(page.locator("tr[data-language='tr']")).to_contain_text("Ikke oversat")
    check_a11y(page)

    page.get_by_role("link", name="Åbn Turkish").click()
    page.wait_for_url(f"**/admin/oversaettelser/{hearing.pk}/tr/")
    expect(page.locator("#translation-status")).to_contain_text("Ikke oversat")
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("main").get_by_role("link", name="Download oversættelsesfil").click()
    downloaded = tmp_path / "downloaded.po"
    download.value.save_as(downloaded)
    assert download.value.suggested_filename == "beskaeftigelsesplan-2027.tr.po"

    # A file meant for Arabic is refused whole, with a Danish message; nothing is stored.
    page.get_by_label("Oversættelsesfil (PO)").set_input_files(translated_file(downloaded, tmp_path, "ar", "ar.po"))
    page.get_by_role("button", name="Upload oversættelsesfil").click()
    expect(page.get_by_role("alert")).to_contain_text("Filen er til sproget »ar«, men du uploader til »Türkçe«.")
    check_a11y(page)
    assert not PageTranslation.objects.exists()

    page.get_by_label("Oversættelsesfil (PO)").set_input_files(translated_file(downloaded, tmp_path))
    page.get_by_role("button", name="Upload oversættelsesfil").click()
    expect(page.get_by_text("Oversættelsen er gemt som kladde: 4 af 4 tekster er oversat.")).to_be_visible()
    expect(page.locator("#review-status")).to_have_text("Ikke gennemgået af en, der har sproget som modersmål.")
    check_a11y(settled(page))
    page.get_by_role("button", name="Offentliggør oversættelsen").click()
    expect(page.get_by_text("Oversættelsen til Türkçe er offentliggjort.")).to_be_visible()
    expect(page.locator("#translation-status")).to_contain_text("Offentliggjort")
    check_a11y(settled(page))
    page.get_by_role("link", name="Tilbage til alle sprog").click()
    expect(page.locator("tr[data-language='tr']")).to_contain_text("Offentliggjort")
    expect(page.locator("tr[data-language='tr']")).to_contain_text("Nej")  # not reviewed, and says so

    # A Turkish reader: chooses Türkçe in the language picker on the front page, opens the hearing.
    reader = browser.new_context(base_url=live_server.url, locale="tr-TR")
    citizen = reader.new_page()
    citizen.goto("/")
    citizen.get_by_role("banner").get_by_text("Sprog").first.click()
    citizen.get_by_role("button", name="Türkçe").first.click()
    expect(citizen.locator("html")).to_have_attribute("lang", "tr")
    check_a11y(citizen)
    citizen.goto(hearing.url)
    expect(citizen.get_by_role("heading", level=1)).to_have_text("İstihdam planı 2027")
    expect(citizen.get_by_role("heading", name="Plan ne hakkında?")).to_be_visible()
    expect(citizen.get_by_text("Belediye görüşlerinizi duymak istiyor.")).to_be_visible()
    expect(citizen.locator("#content-translation-note")).to_contain_text("gözden geçirilmedi")
    expect(citizen.get_by_text("Bu sayfa henüz çevrilmedi")).to_have_count(0)
    breadcrumb = citizen.get_by_role("navigation", name="Sayfa yolu")
    expect(breadcrumb.locator("[aria-current='page']")).to_have_text("İstihdam planı 2027")
    expect(breadcrumb.get_by_role("link", name="Høringer").locator("bdi")).to_have_attribute("lang", "da")
    check_a11y(citizen)

    # The Turkish title in the lists too: the home page's open hearings, and the hearing index reached
    # through the main menu; the untranslated hearing beside it is Danish, marked as Danish.
    citizen.goto("/")
    open_hearings = citizen.locator("section[aria-labelledby='open-hearings-heading']")
    expect(open_hearings.get_by_role("link", name="İstihdam planı 2027")).to_be_visible()
    expect(open_hearings.get_by_text("Belediye görüşlerinizi duymak istiyor.")).to_be_visible()
    expect(open_hearings.get_by_role("link", name="Integrationspolitik 2027")).to_have_attribute("lang", "da")
    expect(open_hearings.get_by_role("link", name="Beskæftigelsesplan 2027")).to_have_count(0)
    check_a11y(citizen)
    citizen.get_by_role("banner").get_by_role("link", name="Kamu danışmaları").click()
    citizen.wait_for_url(f"**{index.url}")
    results = citizen.locator("section[aria-labelledby='results-heading']")
    expect(results.get_by_role("link", name="Integrationspolitik 2027")).to_have_attribute("lang", "da")
    turkish_title = results.get_by_role("link", name="İstihdam planı 2027")
    expect(turkish_title).not_to_have_attribute("lang", "da")
    check_a11y(citizen)
    turkish_title.click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("İstihdam planı 2027")

    # The about page is not translated: Danish, marked as Danish, with the note in Turkish.
    citizen.goto("/om/")
    expect(citizen.locator("#content-translation-note")).to_have_text(
        "Bu sayfa henüz çevrilmedi. Sayfayı Danca olarak görüyorsunuz."
    )
    expect(citizen.get_by_role("heading", level=1)).to_have_attribute("lang", "da")
    check_a11y(citizen)
    reader.close()


def test_a_turkish_respondent_answers_a_translated_survey(browser, live_server, home_page, check_a11y, settings):
    """Issue 13 (surveys): a survey translated into Turkish is listed, shown and answered in Turkish —
    questions, options, the conditional follow-up (shown by the browser after »TR Ja«) and the
    thank-you text — and the answers are stored as the same option ids a Danish answer stores."""
    settings.SURVEY_ANONYMOUS_BATCH = 1
    survey = make_survey(SurveyIndexPageFactory(parent=home_page), thanks_text="Tak, vi læser alle svar.")
    entries = {s.path: {"source": s.source, "text": f"TR {s.source}"} for s in segments(survey)}
    PageTranslation.objects.create(
        page=survey, language="tr", entries=entries, published_entries=entries, published_at=timezone.now()
    )
    context = browser.new_context(base_url=live_server.url, locale="tr-TR")
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "tr", "url": live_server.url}])
    page = context.new_page()
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="TR Tilfredshed med jobcentret 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("TR Tilfredshed med jobcentret 2026")
    expect(page.locator("#content-translation-note")).to_contain_text("gözden geçirilmedi")
    check_a11y(page)

    def group(name):
        return page.get_by_role("group", name=name, exact=True)

    follow_up = group("TR Hvordan var du i kontakt?")
    expect(follow_up).to_be_hidden()
    group("TR Har du været i kontakt med jobcentret i år?").get_by_label("TR Ja").check()
    expect(follow_up).to_be_visible()  # the condition, named by its Danish answer, still holds
    follow_up.get_by_label("TR Telefon").check()
    check_a11y(page)
    page.locator("button[value='next']").click()
    expect(group("TR Hvad hjalp dig?")).to_be_visible()
    group("TR Hvad hjalp dig?").get_by_label("TR Kurser").check()
    scale = group("TR Hvor tilfreds er du med jobcentret?")
    expect(scale.get_by_label("1 – TR Meget utilfreds")).to_be_visible()
    scale.get_by_label("4", exact=True).check()
    group("TR Jeg blev mødt med respekt").get_by_label("TR Enig", exact=True).check()
    group("TR Jeg fik svar til tiden").get_by_label("TR Hverken eller", exact=True).check()
    check_a11y(page)
    page.locator("button[value='submit']").click()
    expect(page.get_by_text("TR Tak, vi læser alle svar.")).to_be_visible()
    check_a11y(page)
    context.close()

    questions = {q.key: q for q in SurveyPage.objects.get(pk=survey.pk).questionnaire.questions}

    def option(key, label):
        return next(o.id for o in questions[key].options if o.label == label)

    (stored,) = SurveyResponse.objects.filter(survey=survey)
    assert stored.answers[questions["kontakt"].id] == option("kontakt", "Ja")
    assert stored.answers[questions["kanal"].id] == option("kanal", "Telefon")
    assert stored.answers[questions["hjalp"].id] == [option("hjalp", "Kurser")]
    assert stored.answers[questions["tilfreds"].id] == "4"
