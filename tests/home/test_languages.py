"""The public site's languages: which there are, how a visitor gets one, and that the admin stays Danish/English."""

import pytest
from django.conf import settings
from django.utils import translation

from core import languages
from tests.test_translations import ROOT


def test_the_public_site_has_the_voters_languages_named_in_their_own_script():
    assert dict(settings.LANGUAGES) == {
        "da": "Dansk",
        "en": "English",
        "ar": "العربية",
        "fa": "فارسی",
        "ur": "اردو",
        "tr": "Türkçe",
        "so": "Soomaali",
        "pl": "Polski",
        "uk": "Українська",
    }
    assert settings.LANGUAGE_CODE == "da"


def test_arabic_farsi_and_urdu_are_right_to_left():
    for code in ("ar", "fa", "ur"):
        with translation.override(code):
            assert translation.get_language_bidi(), code
        assert languages.get(code).direction == "rtl"
    for code in ("da", "tr", "so", "pl", "uk"):
        with translation.override(code):
            assert not translation.get_language_bidi(), code


def test_somali_has_locale_data_although_django_has_none():
    info = translation.get_language_info("so")
    assert info["name_local"] == "Soomaali"
    assert info["bidi"] is False


def test_no_language_claims_a_review_that_did_not_happen():
    """Only Danish (the source) counts as reviewed; every translation says it is not reviewed."""
    assert [language.code for language in languages.LANGUAGES if language.reviewed] == ["da"]
    for language in languages.LANGUAGES[1:]:
        assert "not reviewed by a native speaker" in language.review_header


@pytest.mark.parametrize("code", languages.CODES)
def test_every_catalog_header_states_its_review_status(code):
    for catalog in ("site", "consultations", "elections", "councils"):
        path = ROOT / catalog / "locale" / code / "LC_MESSAGES" / "django.po"
        if catalog == "site":
            path = ROOT / "site" / "locale" / code / "LC_MESSAGES" / "django.po"
        header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        assert f'"X-Review-Status: {languages.get(code).review_header}\\n"' in header, path
        assert f'"Language: {code}\\n"' in header, path


@pytest.mark.django_db
def test_a_link_with_lang_opens_the_page_in_that_language_and_remembers_it(client, home_page):
    response = client.get("/?lang=ar")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ar"
    assert int(cookie["max-age"]) >= 300 * 24 * 60 * 60  # remembered across visits, not just this session
    # the next visit, without the parameter, keeps the language
    assert '<html lang="ar" dir="rtl">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_lang_parameter_is_ignored(client, home_page):
    response = client.get("/?lang=xx")
    assert '<html lang="da" dir="ltr">' in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_the_picker_choice_is_remembered_for_a_year(client, home_page):
    response = client.post("/i18n/setlang/", {"language": "so", "next": "/"})
    assert int(response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"]) >= 300 * 24 * 60 * 60
    assert '<html lang="so" dir="ltr">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_admin_stays_danish_when_the_visitor_chose_arabic(staff_client, home_page):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    dashboard = staff_client.get("/admin/").content.decode()
    assert '<html lang="da" dir="ltr"' in dashboard
    assert "Billeder" in dashboard


def test_the_admin_offers_only_danish_and_english():
    from wagtail.admin.localization import get_available_admin_languages

    assert [code for code, _name in get_available_admin_languages()] == ["da", "en"]


@pytest.mark.django_db
def test_the_picker_lists_every_language_in_its_own_name_and_script_with_its_review_status(client, home_page):
    html = client.get("/?lang=uk").content.decode()
    picker = html[html.index('<details class="language-picker">') : html.index("</details>")]
    for language in languages.LANGUAGES:
        item = f'<li lang="{language.code}" dir="{language.direction}">'
        assert item in picker, language.code
        entry = picker[picker.index(item) : picker.index("</li>", picker.index(item))]
        assert f'value="{language.code}"' in entry
        assert f'<span class="language-picker__name">{language.name}</span>' in entry
        if language.code == "da":
            assert "language-picker__note" not in entry  # the source language needs no note
        else:
            assert f"({language.review_note})" in entry  # "not reviewed", in the language itself
    assert 'value="uk" class="function-link language-picker__choice" aria-current="true"' in picker
    assert "Мова" in picker  # the picker's own label follows the interface language


@pytest.mark.django_db
def test_right_to_left_pages_get_the_mirrored_stylesheet(client, home_page):
    assert "css/rtl.css" in client.get("/?lang=fa").content.decode()
    assert "css/rtl.css" not in client.get("/?lang=tr").content.decode()


@pytest.mark.django_db
def test_danish_page_content_inside_an_arabic_page_keeps_its_language_and_direction(client, home_page):
    html = client.get("/?lang=ar").content.decode()
    assert f'<h1 lang="da" dir="ltr">{home_page.title}</h1>' in html
    html = client.get("/?lang=da").content.decode()
    assert f"<h1>{home_page.title}</h1>" in html


def test_dates_follow_the_readers_language():
    import datetime

    from core.templatetags.dates import long_date, long_datetime

    moment = datetime.datetime(2026, 12, 18, 11, 0, tzinfo=datetime.UTC)  # 12.00 in Copenhagen
    expected = {
        "da": "18. december 2026 kl. 12.00",
        "en": "18 December 2026, 12:00",
        "ar": "١٨ ديسمبر ٢٠٢٦، الساعة ١٢:٠٠",
        "fa": "۱۸ دسامبر ۲۰۲۶، ساعت ۱۲:۰۰",
        "ur": "18 دسمبر 2026، 12:00",
        "tr": "18 Aralık 2026, 12:00",
        "so": "18 Desembar 2026, 12:00",
        "pl": "18 grudnia 2026, 12:00",
        "uk": "18 грудня 2026 р., 12:00",
    }
    for code, text in expected.items():
        with translation.override(code):
            assert long_datetime(moment) == text, code
    with translation.override("so"):
        assert long_date(moment.date()) == "18 Desembar 2026"


def test_names_are_isolated_inside_translated_text():
    from core.templatetags.languages import bdi

    assert bdi("Fatima <Ali>") == "<bdi>Fatima &lt;Ali&gt;</bdi>"
    assert bdi("") == ""
