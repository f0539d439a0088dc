"""Issue 13, must hold 3: page content translated through the admin (core.translated_pages).

An editor downloads a hearing's translation file for Turkish, a translator fills it in, the editor
uploads it and publishes it; a Turkish reader then sees the hearing in Turkish. A page without a
published translation is the Danish page with a note in the reader's language. Bad files are
refused as a whole with Danish messages, and each role may do only what it should.
"""

import re

import polib
import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from consultations.models import Access, Response, SurveyResponse
from core.cache import HIT_HEADER
from core.models import PageTranslation
from core.translated_pages import OverlayNotSaved, overlaid, segments
from tests.conftest import FIXED_NOW, create_roles
from tests.consultations import secretariat
from tests.consultations.drafts import traffic_draft
from tests.consultations.factories import HearingIndexPageFactory
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.elections import factories as election_factories
from tests.helpers import assert_refused_by_the_admin as assert_refused
from users.models import User

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "own_secretariat", "other_secretariat", "superuser"]
ALLOWED = {"own_secretariat", "superuser"}

LINK = '<a linktype="page" id="3">høringsportalen</a>'
BODY = [
    {"type": "heading", "id": "h-1", "value": {"text": "Hvad handler planen om?", "level": "h2"}},
    {"type": "paragraph", "id": "p-1", "value": f"<p>Læs mere på {LINK} og <b>svar</b> senest fredag.</p>"},
]
TURKISH = {
    "title": "İstihdam planı 2027",
    "summary": "Belediye görüşlerinizi duymak istiyor.",
    "body/h-1/text": "Plan ne hakkında?",
    "body/p-1": (
        '<p><a id="a1">Danışma portalında</a> daha fazlasını okuyun ve cuma gününe kadar <b>yanıt verin</b>.</p>'
    ),
}


@pytest.fixture(scope="module")
def _setup(django_db_setup, django_db_blocker):
    """Valby's and Vesterbro's councils with their secretariats, a hearing under Valby and the five
    roles, built once for this module instead of once per test (the council pages and users were
    most of each test's set-up). Built at FIXED_NOW, as a test's own fixtures would be, in a
    transaction rolled back when the module is done; each test runs in a savepoint inside it, so
    what a test changes is undone as before. Yields primary keys; ``setup`` gives fresh copies."""
    from home.demo import load_site
    from home.models import HomePage

    with django_db_blocker.unblock(), time_machine.travel(FIXED_NOW, tick=True), transaction.atomic():
        home_page = HomePage.objects.first() or load_site()
        valby, _group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
        vesterbro, _group = secretariat.council_with_secretariat(home_page, "Vesterbro Lokaludvalg", "vesterbro")
        hearing = secretariat.hearing_under(
            valby, title="Beskæftigelsesplan 2027", summary="Kommunen vil gerne høre din mening.", body=BODY
        )
        users = create_roles(valby, vesterbro, "valby@kommune.example", "vesterbro@kommune.example")
        yield {"hearing": (type(hearing), hearing.pk), "users": {role: user.pk for role, user in users.items()}}
        transaction.set_rollback(True)


@pytest.fixture
def setup(db, _setup):
    model, pk = _setup["hearing"]
    users = User.objects.in_bulk(pk for pk in _setup["users"].values() if pk is not None)
    return {
        "hearing": model.objects.get(pk=pk),
        "users": {role: users[pk] if pk is not None else AnonymousUser() for role, pk in _setup["users"].items()},
    }


def url(name, hearing, code=None):
    return reverse(name, args=[hearing.pk] if code is None else [hearing.pk, code])


def admin_client(setup, role="superuser"):
    client = Client()
    client.force_login(setup["users"][role])
    return client


def reader(code):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def translate(po_bytes, texts):
    po = polib.pofile(po_bytes.decode("utf-8"))
    for entry in po:
        if entry.msgctxt in texts:
            entry.msgstr = texts[entry.msgctxt]
    return str(po).encode("utf-8")


def upload(client, hearing, code, content, name="side.tr.po"):
    return client.post(
        url("core_translation_upload", hearing, code),
        {"file": SimpleUploadedFile(name, content, content_type="text/x-gettext-translation")},
    )


def exported(client, hearing, code="tr"):
    response = client.get(url("core_translation_download", hearing, code))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{code}.po"')
    return response.content


def test_export_edit_import_publish_and_a_turkish_reader_sees_it(setup):
    hearing, client = setup["hearing"], admin_client(setup)
    po = polib.pofile(exported(client, hearing).decode("utf-8"))
    assert po.metadata["Language"] == "tr" and po.metadata["X-Medborger-Page"] == str(hearing.pk)
    by_context = {entry.msgctxt: entry for entry in po}
    assert set(by_context) == {"title", "summary", "body/h-1/text", "body/p-1"}
    # The link's address is not in the file: a numbered placeholder stands for it.
    assert (
        by_context["body/p-1"].msgid
        == '<p>Læs mere på <a id="a1">høringsportalen</a> og <b>svar</b> senest fredag.</p>'
    )

    response = upload(client, hearing, "tr", translate(exported(client, hearing), TURKISH))
    assert response.status_code == 302
    row = PageTranslation.objects.get(page=hearing, language="tr")
    assert row.entries["body/p-1"]["text"].startswith(f"<p>{LINK.replace('høringsportalen', 'Danışma portalında')}")
    assert not row.is_published and not row.reviewed

    # Not published yet: the Turkish reader still gets the Danish page, with the note in Turkish.
    html = reader("tr").get(hearing.url).content.decode()
    assert "Beskæftigelsesplan 2027" in html and "İstihdam planı 2027" not in html
    assert "Bu sayfa henüz çevrilmedi" in html

    assert client.post(url("core_translation_publish", hearing, "tr")).status_code == 302
    html = reader("tr").get(hearing.url).content.decode()
    assert '<h1 id="hearing-title">İstihdam planı 2027</h1>' in html  # Turkish page in Turkish: no lang mark
    assert "Belediye görüşlerinizi duymak istiyor." in html
    assert "Plan ne hakkında?" in html
    assert 'href="/' in html and "Danışma portalında</a>" in html  # the link points where the Danish one does
    assert "<b>yanıt verin</b>" in html
    assert "Bu sayfa henüz çevrilmedi" not in html
    assert "anadili" in html and "gözden geçirilmedi" in html  # honest: not reviewed by a native speaker
    assert "<title>İstihdam planı 2027" in html
    # Danish and Arabic readers are unaffected; the Danish page in the database is unchanged.
    assert "İstihdam" not in reader("da").get(hearing.url).content.decode()
    arabic = reader("ar").get(hearing.url).content.decode()
    assert "Beskæftigelsesplan 2027" in arabic and "İstihdam" not in arabic
    hearing.refresh_from_db()
    assert hearing.title == "Beskæftigelsesplan 2027"


def test_a_published_translation_is_purged_from_the_page_cache(setup, settings):
    settings.PAGE_CACHE_ENABLED = True
    hearing, client = setup["hearing"], admin_client(setup)
    upload(client, hearing, "tr", translate(exported(client, hearing), TURKISH))
    assert "İstihdam" not in reader("tr").get(hearing.url).content.decode()
    assert reader("tr").get(hearing.url)[HIT_HEADER] == "hit"  # now cached in Turkish
    client.post(url("core_translation_publish", hearing, "tr"))
    assert "İstihdam planı 2027" in reader("tr").get(hearing.url).content.decode()
    client.post(url("core_translation_unpublish", hearing, "tr"))
    html = reader("tr").get(hearing.url).content.decode()
    assert "İstihdam" not in html and "Bu sayfa henüz çevrilmedi" in html


def test_untranslated_page_falls_back_to_danish_with_the_note_in_each_language(setup):
    hearing = setup["hearing"]
    notes = {
        "en": "This page has not been translated yet",
        "ar": "لم تُترجم هذه الصفحة بعد",
        "so": "Boggan weli lama turjumin",
        "uk": "Цю сторінку ще не перекладено",
    }
    for code, note in notes.items():
        response = reader(code).get(hearing.url)
        html = response.content.decode()
        assert response.status_code == 200
        assert note in html, code
        assert 'lang="da" dir="ltr">Beskæftigelsesplan 2027</h1>' in html  # the Danish text marked as Danish
    assert "ikke oversat endnu" not in reader("da").get(hearing.url).content.decode()


def test_a_changed_danish_text_takes_the_translation_off_until_it_is_updated(setup):
    hearing, client = setup["hearing"], admin_client(setup)
    upload(client, hearing, "tr", translate(exported(client, hearing), TURKISH))
    client.post(url("core_translation_publish", hearing, "tr"))
    hearing.summary = "Kommunen vil høre din mening om planen."
    hearing.save()
    html = reader("tr").get(hearing.url).content.decode()
    assert "İstihdam" not in html and "Bu sayfa henüz çevrilmedi" in html  # never half translated
    overview = client.get(url("core_translations", hearing)).content.decode()
    assert "Forældet" in overview
    # The new file carries the old translation, marked fuzzy where the Danish changed.
    po = polib.pofile(exported(client, hearing).decode("utf-8"))
    assert "fuzzy" in po.find("Kommunen vil høre din mening om planen.", msgctxt="summary").flags
    assert po.find("Beskæftigelsesplan 2027", msgctxt="title").msgstr == "İstihdam planı 2027"


def test_review_status_is_recorded_with_the_reviewer_and_reset_by_a_new_upload(setup):
    hearing, client = setup["hearing"], admin_client(setup)
    upload(client, hearing, "tr", translate(exported(client, hearing), TURKISH))
    response = client.post(url("core_translation_review", hearing, "tr"), {"reviewed": "on", "reviewer_name": ""})
    assert response.status_code == 400
    assert "Skriv navnet på den, der har gennemgået oversættelsen." in response.content.decode()
    client.post(url("core_translation_review", hearing, "tr"), {"reviewed": "on", "reviewer_name": "Ayşe Demir"})
    client.post(url("core_translation_publish", hearing, "tr"))
    row = PageTranslation.objects.get(page=hearing, language="tr")
    assert (row.reviewed, row.reviewer_name, row.published_reviewed) == (True, "Ayşe Demir", True)
    html = reader("tr").get(hearing.url).content.decode()
    assert "gözden geçirildi" in html and "gözden geçirilmedi" not in html
    assert "Ja – Ayşe Demir" in client.get(url("core_translations", hearing)).content.decode()
    changed = dict(TURKISH, title="İstihdam Planı 2027")
    upload(client, hearing, "tr", translate(exported(client, hearing), changed))
    row.refresh_from_db()
    assert (row.reviewed, row.reviewer_name) == (False, "")  # the review covered the old texts only
    assert row.published_reviewed  # what readers see now was reviewed


def bad_file(client, hearing, edit):
    po = polib.pofile(translate(exported(client, hearing), TURKISH).decode("utf-8"))
    edit(po)
    return str(po).encode("utf-8")


def set_text(context, value):
    def edit(po):
        next(entry for entry in po if entry.msgctxt == context).msgstr = value

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda po: po.metadata.update({"X-Medborger-Page": "999999"}), "Filen hører til en anden side"),
        (lambda po: po.metadata.update({"Language": "ar"}), "Filen er til sproget »ar«, men du uploader til »Türkçe«."),
        (set_text("body/p-1", '<p><a id="a7">portal</a> okuyun</p>'), "linket a7 findes ikke i den danske tekst"),
        (set_text("body/p-1", "<p>portal okuyun</p>"), "linket a1 mangler"),
        (set_text("body/p-1", '<p><a id="a1">portal</a> <b>okuyun</p>'), "&lt;b&gt; er ikke lukket"),
        (set_text("title", "İstihdam\nplanı"), "Skriv det på én linje uden linjeskift."),
        (set_text("title", "x" * 256), "højst 255 tegn"),
        (lambda po: setattr(po[0], "msgctxt", "body/ukendt"), "Teksten »body/ukendt« findes ikke på siden."),
        (lambda po: setattr(po[1], "msgid", "En gammel dansk tekst"), "er ændret, siden filen blev hentet"),
    ],
)
def test_bad_files_are_refused_whole_with_a_danish_message(setup, edit, message):
    hearing, client = setup["hearing"], admin_client(setup)
    response = upload(client, hearing, "tr", bad_file(client, hearing, edit))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Filen blev ikke gemt – intet er ændret" in html
    assert not PageTranslation.objects.filter(page=hearing).exists()  # nothing half stored


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8 \xe6", "Filen er ikke gemt som UTF-8"),
        (b'msgid "x"\nmsgstr "y"\nmsgid', "Filen kan ikke læses som en oversættelsesfil (PO): fejl i linje 3."),
        (b"#" * (2 * 1024 * 1024 + 1), "Filen er for stor"),
    ],
)
def test_files_that_are_not_po_files_are_refused(setup, content, message):
    hearing, client = setup["hearing"], admin_client(setup)
    response = upload(client, hearing, "tr", content)
    assert response.status_code == 400 and message in response.content.decode()
    assert not PageTranslation.objects.exists()


def test_html_outside_the_rich_text_features_is_removed_and_the_editor_told(setup):
    hearing, client = setup["hearing"], admin_client(setup)
    evil = (
        '<p onclick="steal()"><a id="a1" href="https://evil.example">portal</a> '
        "<script>alert(1)</script><img src=x>okuyun</p>"
    )
    response = upload(client, hearing, "tr", bad_file(client, hearing, set_text("body/p-1", evil)))
    assert response.status_code == 302
    stored = PageTranslation.objects.get(page=hearing).entries["body/p-1"]["text"]
    assert stored == f"<p>{LINK.replace('høringsportalen', 'portal')} okuyun</p>"
    shown = client.get(url("core_translation_language", hearing, "tr")).content.decode()
    assert "Fjernet fra oversættelsen (ikke tilladt)" in shown and "&lt;script&gt;" in shown


def test_a_translation_missing_texts_cannot_be_published(setup):
    hearing, client = setup["hearing"], admin_client(setup)
    upload(client, hearing, "tr", translate(exported(client, hearing), {"title": "İstihdam planı 2027"}))
    response = client.post(url("core_translation_publish", hearing, "tr"), follow=True)
    assert "3 af 4 tekster mangler" in response.content.decode()
    assert not PageTranslation.objects.get(page=hearing).is_published
    assert "İstihdam" not in reader("tr").get(hearing.url).content.decode()


def test_the_overview_lists_every_language_with_its_status(setup):
    hearing, client = setup["hearing"], admin_client(setup)
    upload(client, hearing, "tr", translate(exported(client, hearing), TURKISH))
    html = client.get(url("core_translations", hearing)).content.decode()
    for name in ("English", "العربية", "فارسی", "اردو", "Türkçe", "Soomaali", "Polski", "Українська"):
        assert name in html
    assert html.count("Ikke oversat") == 7 and "Kladde (ikke offentliggjort)" in html and "4 / 4" in html


def test_the_overlay_is_never_saved(setup):
    hearing, client = setup["hearing"], admin_client(setup)
    upload(client, hearing, "tr", translate(exported(client, hearing), TURKISH))
    client.post(url("core_translation_publish", hearing, "tr"))
    copy = overlaid(hearing, PageTranslation.objects.get(page=hearing))
    assert copy.title == "İstihdam planı 2027" and hearing.title == "Beskæftigelsesplan 2027"
    with pytest.raises(OverlayNotSaved):
        copy.save()
    assert [s.path for s in segments(hearing)] == ["title", "summary", "body/h-1/text", "body/p-1"]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_translate(setup, role, client):
    hearing = setup["hearing"]
    user = setup["users"][role]
    if user.is_authenticated:
        client.force_login(user)
    overview = url("core_translations", hearing)
    response = client.get(overview)
    if role not in ALLOWED:
        assert_refused(response, role, overview)
        for name in ("core_translation_download", "core_translation_language"):
            assert_refused(client.get(url(name, hearing, "tr")), role, url(name, hearing, "tr"))
        target = url("core_translation_upload", hearing, "tr")
        refused = client.post(target, {"file": SimpleUploadedFile("x.po", b"")})
        assert_refused(refused, role, target)
        target = url("core_translation_publish", hearing, "tr")
        assert_refused(client.post(target), role, target)
        assert not PageTranslation.objects.exists()
        return
    assert response.status_code == 200
    content = translate(client.get(url("core_translation_download", hearing, "tr")).content, TURKISH)
    assert upload(client, hearing, "tr", content).status_code == 302
    assert client.post(url("core_translation_publish", hearing, "tr")).status_code == 302
    assert PageTranslation.objects.get(page=hearing).is_published


def test_an_editor_without_publish_rights_uploads_but_cannot_publish(setup, mfa_user):
    hearing = setup["hearing"]
    group = Group.objects.create(name="Oversættere")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=hearing, permission=Permission.objects.get(codename="change_page")
    )
    user, _secret = mfa_user(email="oversaetter@kommune.example")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    content = translate(client.get(url("core_translation_download", hearing, "tr")).content, TURKISH)
    assert upload(client, hearing, "tr", content).status_code == 302
    assert client.post(url("core_translation_publish", hearing, "tr")).status_code == 404
    assert (
        "Du må ikke offentliggøre denne side"
        in client.get(url("core_translation_language", hearing, "tr")).content.decode()
    )
    assert not PageTranslation.objects.get(page=hearing).is_published


def test_other_page_types_have_no_translation_screen(setup):
    council_index = setup["hearing"].get_parent().get_parent()  # a CouncilIndexPage: no translatable_fields
    assert admin_client(setup).get(url("core_translations", council_index)).status_code == 404
    assert admin_client(setup).get(url("core_translation_language", setup["hearing"], "xx")).status_code == 404


def machine_turkish(entry):
    """A stand-in translator for the other page types: »TR « in front of each text, tags kept."""
    if entry.msgid.startswith("<"):
        return entry.msgid.replace(">", "> TR ", 1)
    return f"TR {entry.msgid}"


def translate_all_and_publish(client, page):
    po = polib.pofile(exported(client, page).decode("utf-8"))
    assert len(po) >= 2
    for entry in po:
        entry.msgstr = machine_turkish(entry)
    assert upload(client, page, "tr", str(po).encode("utf-8")).status_code == 302
    assert client.post(url("core_translation_publish", page, "tr")).status_code == 302


def test_council_and_election_pages_are_translated_the_same_way(setup):
    client = admin_client(setup)
    council = setup["hearing"].get_parent().specific
    council.mandate = "<p>Lokaludvalget giver høringssvar om Valby.</p>"
    council.save_revision().publish()
    election = election_factories.election(
        election_factories.council(council.get_parent().get_parent()),
        intro="<p>Du kan stemme online med koden på dit valgkort.</p>",
    )
    for page, danish in ((council, "Lokaludvalget giver høringssvar om Valby."), (election, "Du kan stemme online")):
        page.refresh_from_db()
        assert "Bu sayfa henüz çevrilmedi" in reader("tr").get(page.url).content.decode()
        translate_all_and_publish(client, page)
        html = reader("tr").get(page.url).content.decode()
        assert f"TR {page.title}" in html and f"<p> TR {danish}" in html
        assert "Bu sayfa henüz çevrilmedi" not in html
        polish = reader("pl").get(page.url).content.decode()
        assert "Ta strona nie została jeszcze przetłumaczona" in polish and "TR " not in polish


def test_a_turkish_reader_answers_a_translated_hearing(setup, django_capture_on_commit_callbacks, settings, tmp_path):
    """The page shown in Turkish is a copy for rendering; answering it stores the response on the
    hearing and re-renders a bad form in Turkish with what was typed."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    hearing, client = setup["hearing"], admin_client(setup)
    upload(client, hearing, "tr", translate(exported(client, hearing), TURKISH))
    client.post(url("core_translation_publish", hearing, "tr"))
    turkish = reader("tr")
    data = {
        "name": "Ayşe Yılmaz",
        "email": "ayse@example.org",
        "postcode": "1620",
        "district": "vesterbro",
        "respondent": "person",
        "text": "Daha fazla bisiklet yolu istiyorum.",
        "consent": "on",
        "website": "",
        "submission_key": "0123456789abcdef0123456789abcdef",
    }
    refused = turkish.post(hearing.url, {**data, "email": "ikke-en-adresse"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "İstihdam planı 2027" in html and "Daha fazla bisiklet yolu istiyorum." in html
    with django_capture_on_commit_callbacks(execute=True):
        sent = turkish.post(hearing.url, data)
    assert sent.status_code == 302
    stored = Response.objects.get()
    assert stored.hearing_id == hearing.pk and stored.text == "Daha fazla bisiklet yolu istiyorum."
    hearing.refresh_from_db()
    assert hearing.title == "Beskæftigelsesplan 2027"


def test_the_draft_sections_are_segments_with_their_section_ids(setup):
    hearing = setup["hearing"]
    hearing.draft = traffic_draft()
    hearing.save()
    hearing = type(hearing).objects.get(pk=hearing.pk)
    paths = [segment.path for segment in segments(hearing)]
    chapter_id = hearing.draft[1].id
    assert f"draft/{chapter_id}/heading" in paths
    assert f"draft/{chapter_id}/sections/s-2-1/heading" in paths
    assert f"draft/{chapter_id}/sections/s-2-1/text" in paths
    assert paths == [segment.path for segment in segments(type(hearing).objects.get(pk=hearing.pk))]  # stable


# --- Listings, breadcrumbs, search and feeds in the reader's language -----------------------------


def published(page, language, texts):
    """A published translation of ``page`` as the admin stores one (for the listing tests, which
    need many): every segment with its Danish source and the text from ``texts`` (or »TR …«)."""
    entries = {s.path: {"source": s.source, "text": texts.get(s.path, f"TR {s.source}")} for s in segments(page)}
    return PageTranslation.objects.create(
        page=page, language=language, entries=entries, published_entries=entries, published_at=timezone.now()
    )


def title_link(html, title):
    """The <a …>title</a> (or <bdi …>) that shows ``title``: its attributes say which language it is in."""
    match = re.search(rf"<(a|bdi)\b([^>]*)>{re.escape(title)}</(a|bdi)>", html)
    assert match, title
    return match.group(2)


@pytest.fixture
def listed(setup):
    """Two hearings under Valby Lokaludvalg, a hearing index listing them: the first translated into
    Turkish, the second not."""
    index = HearingIndexPageFactory(parent=setup["hearing"].get_parent().get_parent().get_parent())
    other = secretariat.hearing_under(setup["hearing"].get_parent(), title="Integrationspolitik 2027")
    published(setup["hearing"], "tr", TURKISH)
    return {**setup, "index": index, "other": other}


def test_a_turkish_reader_sees_turkish_titles_in_listings_and_danish_ones_marked_danish(listed):
    turkish = reader("tr")
    for where in (listed["index"].url, "/"):  # the hearing index and the home page's open hearings
        html = turkish.get(where).content.decode()
        assert "lang=" not in title_link(html, "İstihdam planı 2027"), where  # the reader's own language
        assert "Belediye görüşlerinizi duymak istiyor." in html, where  # its summary too
        assert "Beskæftigelsesplan 2027" not in html, where
        assert 'lang="da" dir="ltr"' in title_link(html, "Integrationspolitik 2027"), where
    assert "Kamu danışmaları: 2" in turkish.get(listed["index"].url).content.decode()  # the count, in Turkish
    danish = reader("da").get(listed["index"].url).content.decode()
    assert "Beskæftigelsesplan 2027" in danish and "İstihdam" not in danish
    assert "lang=" not in title_link(danish, "Integrationspolitik 2027")
    polish = reader("pl").get(listed["index"].url).content.decode()  # no Polish translation: Danish
    assert 'lang="da" dir="ltr"' in title_link(polish, "Beskæftigelsesplan 2027")


def test_breadcrumbs_show_translated_ancestors_and_mark_the_others_danish(listed):
    council = listed["hearing"].get_parent().specific
    published(council, "tr", {"title": "Valby Yerel Komitesi"})
    html = reader("tr").get(listed["other"].url).content.decode()
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert "lang=" not in title_link(crumbs, "Valby Yerel Komitesi")
    assert "Valby Lokaludvalg" not in crumbs
    assert 'lang="da" dir="ltr"' in title_link(crumbs, "Integrationspolitik 2027")  # the page itself, untranslated
    assert 'lang="da" dir="ltr"' in title_link(crumbs, "Råd og udvalg")  # the council index: not translatable
    own = reader("tr").get(listed["hearing"].url).content.decode()
    own_crumbs = own.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert "lang=" not in title_link(own_crumbs, "İstihdam planı 2027")


def test_search_results_and_feeds_show_the_translation(listed):
    results = reader("tr").get(reverse("search"), {"q": "Beskæftigelsesplan"}).content.decode()
    assert "lang=" not in title_link(results, "İstihdam planı 2027")
    for name in ("consultations:feed_rss", "consultations:feed_atom", "consultations:deadlines_ics"):
        feed = reader("tr").get(reverse(name)).content.decode()
        assert "İstihdam planı 2027" in feed and "Beskæftigelsesplan 2027" not in feed, name
        assert "Integrationspolitik 2027" in feed, name
        assert "Beskæftigelsesplan 2027" in reader("da").get(reverse(name)).content.decode(), name


def test_an_outdated_translation_is_not_listed(listed):
    hearing = listed["hearing"]
    hearing.summary = "Kommunen vil høre din mening om planen."
    hearing.save_revision().publish()
    html = reader("tr").get(listed["index"].url).content.decode()
    assert 'lang="da" dir="ltr"' in title_link(html, "Beskæftigelsesplan 2027")  # as on its own page
    assert "İstihdam" not in html


def queries_of(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_listing_reads_all_its_translations_in_one_query(listed):
    """The number of queries of the hearing index does not grow with the translated hearings on it:
    one query reads the translations of every listed page."""
    council = listed["hearing"].get_parent()
    turkish = reader("tr")
    queries_of(turkish, listed["index"].url)  # warm up (content types, site root paths)
    few = queries_of(turkish, listed["index"].url)
    for number in range(6):
        published(secretariat.hearing_under(council, title=f"Ekstra høring {number}"), "tr", {})
    many = queries_of(turkish, listed["index"].url)
    html = turkish.get(listed["index"].url).content.decode()
    assert "TR Ekstra høring 5" in html and "İstihdam planı 2027" in html
    translation_queries = [sql for sql in many if "core_pagetranslation" in sql]
    assert len(translation_queries) == 2, translation_queries  # the breadcrumb's ancestors, the listing
    assert len(many) == len(few)


def test_publishing_or_withdrawing_a_translation_purges_the_listings_from_the_page_cache(listed, settings):
    settings.PAGE_CACHE_ENABLED = True
    PageTranslation.objects.all().delete()
    hearing, council, client = listed["hearing"], listed["hearing"].get_parent().specific, admin_client(listed)
    upload(client, hearing, "tr", translate(exported(client, hearing), TURKISH))
    upload(client, council, "tr", translate(exported(client, council), {"title": "Valby Yerel Komitesi"}))
    listings = [listed["index"].url, "/", reverse("consultations:feed_rss")]
    below = listed["other"].url  # a page under the council: its breadcrumb shows the council's title
    turkish = reader("tr")

    def crumbs():
        return turkish.get(below).content.decode().split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]

    for where in [*listings, below]:
        turkish.get(where)
        assert turkish.get(where)[HIT_HEADER] == "hit", where  # cached, all in Danish
    client.post(url("core_translation_publish", hearing, "tr"))
    for where in listings:
        html = turkish.get(where).content.decode()
        assert "İstihdam planı 2027" in html and "Beskæftigelsesplan 2027" not in html, where
    assert "Valby Lokaludvalg" in crumbs()
    client.post(url("core_translation_publish", council, "tr"))
    assert "Valby Yerel Komitesi" in crumbs() and "Valby Lokaludvalg" not in crumbs()
    client.post(url("core_translation_unpublish", council, "tr"))
    assert "Valby Lokaludvalg" in crumbs()
    client.post(url("core_translation_unpublish", hearing, "tr"))
    for where in listings:
        html = turkish.get(where).content.decode()
        assert "Beskæftigelsesplan 2027" in html and "İstihdam" not in html, where


# --- Surveys: texts and option labels translated, answers keep the option ids ----------------------


@pytest.fixture
def survey(setup, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 1
    index = SurveyIndexPageFactory(parent=setup["hearing"].get_parent().get_parent().get_parent())
    return make_survey(
        index,
        intro="Fortæl os, hvad du synes.",
        privacy_text="Vi gemmer ikke dit navn.",
        thanks_text="Tak, vi læser alle svar.",
    )


def test_a_survey_is_translated_with_its_questions_and_options_and_answers_keep_the_option_ids(setup, survey):
    client = admin_client(setup)
    po = polib.pofile(exported(client, survey).decode("utf-8"))
    contexts = {entry.msgctxt for entry in po}
    questions = {q.key: q for q in survey.questionnaire.questions}
    contact, channel = questions["kontakt"], questions["kanal"]
    yes = next(o for o in contact.options if o.label == "Ja")
    assert {"title", "intro", "privacy_text", "thanks_text", f"questions/{contact.id}/text"} <= contexts
    assert f"questions/{contact.id}/options/{yes.id}" in contexts  # an option: by its stable id
    assert f"questions/{questions['tilfreds'].id}/min_label" in contexts
    assert f"questions/{questions['udsagn'].id}/statements/{questions['udsagn'].statements[0].id}" in contexts
    assert not [c for c in contexts if c.endswith(("show_if_question", "show_if_answer", "/key"))]
    translate_all_and_publish(client, survey)

    turkish = reader("tr")
    first = turkish.get(survey.url)
    html = first.content.decode()
    assert "TR Har du været i kontakt med jobcentret i år?" in html and "TR Hvordan var du i kontakt?" in html
    assert f'value="{yes.id}"' in html and ">TR Ja<" in html.replace("\n", "").replace("  ", "")
    assert ">Har du været i kontakt med jobcentret i år?</" not in html
    assert 'lang="da"' not in html.split('id="content-translation-note"', 1)[1]  # Turkish read in Turkish: unmarked
    assert "Bu sayfa henüz çevrilmedi" not in html and 'id="content-translation-note"' in html
    # The condition still works (it names its answer by the Danish label) and is written in Turkish.
    assert "»TR Ja«" in html and "»TR Har du været i kontakt med jobcentret i år?«" in html
    state = first.context["form"]["state"].value()
    payload = {"section": "0", "state": state, "action": "next", "q-kontakt": yes.id}
    assert turkish.post(survey.url, payload).status_code == 400  # the follow-up is required after »TR Ja«
    phone = next(o for o in channel.options if o.label == "Telefon")
    second = turkish.post(survey.url, {**payload, "q-kanal": phone.id})
    assert second.status_code == 200 and "TR Hvad hjalp dig?" in second.content.decode()
    assert "1 – TR Meget utilfreds" in second.content.decode()
    matrix, talks = questions["udsagn"], next(o for o in questions["hjalp"].options if o.label == "Samtaler")
    agree = next(o for o in matrix.options if o.label == "Enig")
    answers = {
        "section": "1",
        "state": second.context["form"]["state"].value(),
        "action": "submit",
        "q-tilfreds": "4",
        "q-hjalp": [talks.id],
        f"q-udsagn-{matrix.statements[0].id[:8]}": agree.id,
        f"q-udsagn-{matrix.statements[1].id[:8]}": agree.id,
    }
    done = turkish.post(survey.url, answers)
    assert done.status_code == 302, done.context["form"].errors
    stored = SurveyResponse.objects.get(survey=survey)
    assert stored.answers[contact.id] == yes.id and stored.answers[channel.id] == phone.id  # ids, not labels
    assert stored.answers[questions["hjalp"].id] == [talks.id]
    assert "TR Tak, vi læser alle svar." in turkish.get(done.url).content.decode()
    survey.refresh_from_db()
    assert survey.questionnaire.questions[0].text == "Har du været i kontakt med jobcentret i år?"
    # Polish: no translation, the Danish survey with the note.
    polish = reader("pl").get(survey.url).content.decode()
    assert "Har du været i kontakt med jobcentret i år?" in polish and "TR " not in polish
    assert "Ta strona nie została jeszcze przetłumaczona" in polish


def test_a_survey_listed_in_turkish(setup, survey):
    translate_all_and_publish(admin_client(setup), survey)
    html = reader("tr").get("/").content.decode()
    assert "lang=" not in title_link(html, "TR Tilfredshed med jobcentret 2026")


def test_publishing_a_survey_translation_purges_its_results_page(setup, survey, settings):
    settings.PAGE_CACHE_ENABLED = True
    survey.set_state(closed_at=timezone.now(), results_published_at=timezone.now())
    results, turkish = survey.url + "resultater/", reader("tr")
    turkish.get(results)
    cached = turkish.get(results)
    assert cached.status_code == 200 and cached[HIT_HEADER] == "hit"
    assert "Hvor tilfreds er du med jobcentret?" in cached.content.decode()
    translate_all_and_publish(admin_client(setup), survey)
    assert "TR Hvor tilfreds er du med jobcentret?" in turkish.get(results).content.decode()


def test_a_survey_invitation_carries_the_title_in_the_members_language(
    setup, client, home_page, django_capture_on_commit_callbacks
):
    staff_client = client
    staff_client.force_login(setup["users"]["superuser"])  # staff_client's user: the module's superuser with TOTP
    survey = make_survey(SurveyIndexPageFactory(parent=home_page), access=Access.PANEL, slug="panel-2026")
    published(survey, "so", {"title": "Qanacsanaanta xarunta shaqada 2026"})
    csv = "navn;e-mail;sprog\nAmira Demo;amira@example.org;so\nBo Demo;bo@example.org;\nLena Demo;lena@example.org;pl\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/undersoegelser/{survey.pk}/inviter/",
            {"new_panel": "Brugerpanel Nord", "members": SimpleUploadedFile("panel.csv", csv.encode())},
        )
    assert response.status_code == 302
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["amira@example.org"] == "Martiqaad: »Qanacsanaanta xarunta shaqada 2026«"
    assert subjects["bo@example.org"] == "Invitation: »Tilfredshed med jobcentret 2026«"
    assert "Tilfredshed med jobcentret 2026" in subjects["lena@example.org"]  # no Polish translation
