"""The languages of the public site, and how far each translation can be trusted.

One registry for the settings (``LANGUAGES``), the language picker, the README and the
completeness test. Pure data: ``config.settings`` imports it before Django is set up.

``review`` says who checked a language's catalogs:

* ``source``   – the language the site is written in (Danish);
* ``reviewed`` – read and corrected by a native speaker;
* ``team``     – translated by the developers who wrote the Danish (English), not reviewed by a
  native speaker;
* ``drafted``  – drafted by a developer (with machine help), **not reviewed by a native
  speaker**. The picker shows this next to the language's name, and each catalog says the same
  in its ``X-Review-Status`` header. Change a language to ``reviewed`` only after a native
  speaker has read its catalogs (then ``scripts/i18n.py headers`` rewrites the headers).

The Wagtail admin stays Danish/English (``ADMIN_LANGUAGES``).
"""

from dataclasses import dataclass

SOURCE = "source"
REVIEWED = "reviewed"
TEAM = "team"
DRAFTED = "drafted"

# A link in an email or on a poll-card letter ends in ?lang=<code> (home.middleware, core.emails.absolute_url).
LINK_PARAMETER = "lang"

# What a catalog's X-Review-Status header says for each status.
REVIEW_HEADERS = {
    SOURCE: "source language",
    REVIEWED: "reviewed by a native speaker",
    TEAM: "translated by the developers, not reviewed by a native speaker",
    DRAFTED: "machine-drafted, not reviewed by a native speaker",
}


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself and its own script
    english_name: str
    rtl: bool = False
    review: str = DRAFTED
    # The review status in the language itself, shown next to its name in the language picker
    # (drafted like the catalogs, not reviewed by a native speaker).
    review_note: str = ""

    @property
    def direction(self):
        return "rtl" if self.rtl else "ltr"

    @property
    def reviewed(self):
        return self.review in (SOURCE, REVIEWED)

    @property
    def review_header(self):
        return REVIEW_HEADERS[self.review]


LANGUAGES = [
    Language("da", "Dansk", "Danish", review=SOURCE),
    Language(
        "en",
        "English",
        "English",
        review=TEAM,
        review_note="translated by the developers, not reviewed by a native speaker",
    ),
    Language("ar", "العربية", "Arabic", rtl=True, review_note="ترجمة أولية لم يراجعها متحدث أصلي"),
    Language("fa", "فارسی", "Farsi", rtl=True, review_note="ترجمهٔ اولیه، بازبینی‌نشده توسط گویشور بومی"),
    Language("ur", "اردو", "Urdu", rtl=True, review_note="ابتدائی ترجمہ، کسی اہلِ زبان نے نظرثانی نہیں کی"),
    Language("tr", "Türkçe", "Turkish", review_note="taslak çeviri, anadili Türkçe olan biri gözden geçirmedi"),
    Language("so", "Soomaali", "Somali", review_note="tarjumad hordhac ah, qof afka hooyo u leh ma eegin"),
    Language("pl", "Polski", "Polish", review_note="wstępne tłumaczenie, niesprawdzone przez rodzimego użytkownika"),
    Language("uk", "Українська", "Ukrainian", review_note="чернетка перекладу, не перевірена носієм мови"),
]
BY_CODE = {language.code: language for language in LANGUAGES}
CODES = [language.code for language in LANGUAGES]
# The languages whose catalogs the completeness test holds to every public string.
TRANSLATED = [language.code for language in LANGUAGES if language.code != "da"]
ADMIN_LANGUAGES = ["da", "en"]

# Django has no locale data for Somali: settings.py adds it to django.conf.locale.LANG_INFO.
EXTRA_LANG_INFO = {
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
}


def get(code):
    """The Language for ``code`` (e.g. from get_language()), Danish when unknown."""
    return BY_CODE.get(code) or BY_CODE.get((code or "").split("-")[0]) or BY_CODE["da"]


def settings_languages():
    """``settings.LANGUAGES``: (code, name in its own language)."""
    return [(language.code, language.name) for language in LANGUAGES]


def picker(current):
    """The language picker's entries: each language in its own name, script and direction."""
    return [
        {
            "code": language.code,
            "name": language.name,
            "dir": language.direction,
            "note": language.review_note,
            "current": language.code == get(current).code,
        }
        for language in LANGUAGES
    ]


# What a municipality's file may write in a "sprog"/"language" column: the code, or the language's
# name in Danish, English or the language itself (any case).
NAMES = {
    "da": {"dansk", "danish"},
    "en": {"engelsk", "english"},
    "ar": {"arabisk", "arabic"},
    "fa": {"farsi", "persisk", "persian", "dari"},
    "ur": {"urdu"},
    "tr": {"tyrkisk", "turkish", "turkce"},
    "so": {"somali", "somalisk"},
    "pl": {"polsk", "polish"},
    "uk": {"ukrainsk", "ukrainian"},
}


def parse(value):
    """The site's code for a language written as in a municipality's file, or None if unknown."""
    text = (value or "").strip().casefold()
    if not text:
        return None
    for language in LANGUAGES:
        if text in {language.code, language.name.casefold(), language.english_name.casefold()} | NAMES[language.code]:
            return language.code
    return None


def supported(code):
    """``code`` if the site has that language, else Danish."""
    return code if code in BY_CODE else "da"
