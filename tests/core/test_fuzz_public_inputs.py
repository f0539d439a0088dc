"""Issue 10, what must hold 4: a table of bad inputs over every public form and query parameter.

The public addresses come from the URLconfs (config/urls.py, consultations/urls.py, councils/urls.py,
elections/urls.py) and the pages that serve forms themselves (hearing page, hearing index, survey
page, search). For every case:

* no 500: the test client re-raises any exception a view lets through, and the status is below 500;
* a query parameter or token that makes no sense gets a page (the list unfiltered, »Siden findes
  ikke«, or the 400 page »Vi kan ikke læse forespørgslen«), in Danish, with the input escaped;
* a form that refuses says so in Danish (the error summary »Der er problemer med det, du har
  udfyldt«, the survey's or the poll card's own message, or the 400 page) and keeps what was typed,
  and nothing is stored: the rows of every table a public form writes are counted before and after.
"""

import html
import re
import uuid
from urllib.parse import quote

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from consultations.models import (
    PendingSurveyResponse,
    Response,
    ResponseAttachment,
    Subscription,
    SurveyParticipation,
    SurveyResponse,
)
from elections.models import Ballot, Candidate, Endorsement, PollCardFailure, Voter
from tests.conftest import FIXED_NOW
from tests.consultations.factories import (
    HearingFactory,
    HearingIndexPageFactory,
    HearingPartyFactory,
    SubscriptionFactory,
)
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.elections import factories as election_factories

pytestmark = pytest.mark.django_db

ERROR_SUMMARY = "Der er problemer med det, du har udfyldt"
BAD_REQUEST = "Vi kan ikke læse forespørgslen"
NOT_FOUND = "Siden findes ikke"

# What an attacker (or a confused browser, or a copy-paste) sends. Keys name the case in the report.
NASTY = {
    "nul": "Lise\x00Holm",
    "lang": "x" * 20_000,
    "bidi": "\u202eLise Holm",
    "crlf": "Lise\r\nBcc: offer@example.org",
    "html": '<script>alert("x")</script>',
    "sql": "' OR 1=1 --",
    "arabiske-cifre": "١٢٣٤",
    "emoji": "🙂" * 10,
    "stort-tal": "99999999999999999999999999",
    "negativ": "-1",
    "sti": "../../../../etc/passwd",
    "format": "%(name)s {0} %s %n",
    "tom": "   ",
}
# Raw bytes in the query string that are no UTF-8 at all (the browser would never send them).
INVALID_UTF8 = "%ff%fe%c3%28"


def counts():
    """Rows of every table a public form writes."""
    models = (
        Response,
        ResponseAttachment,
        Subscription,
        SurveyParticipation,
        SurveyResponse,
        PendingSurveyResponse,
        Candidate,
        Endorsement,
        Ballot,
    )
    numbers = {model.__name__: model.objects.count() for model in models}
    # A wrong poll-card login is recorded for the lockout (a keyed hash of the client address, no
    # typed input) by design; what must not happen is garbage counting against a real voter's card.
    numbers["failures against a card"] = PollCardFailure.objects.filter(voter__isnull=False).count()
    numbers["voted"] = Voter.objects.voted().count()
    numbers["mails"] = len(mail.outbox)
    return numbers


@pytest.fixture
def client():
    return Client(raise_request_exception=True)  # a view's exception fails the case with its traceback


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The world below, built once for this module's 93 cases instead of once per case (its pages,
    elections and voters were most of each case's time). Built at FIXED_NOW, as a test's own
    fixtures would be, in a transaction rolled back when the module is done; each case runs in a
    savepoint inside it, so whatever a case stores is undone as before. Yields (model, pk) pairs."""
    from home.demo import load_site
    from home.models import HomePage

    with django_db_blocker.unblock(), time_machine.travel(FIXED_NOW, tick=True), transaction.atomic():
        built = _build_world(HomePage.objects.first() or load_site())
        yield {name: (type(thing), thing.pk) for name, thing in built.items()}
        transaction.set_rollback(True)


@pytest.fixture
def world(db, _world):
    """One of each public thing: an open hearing with a topic, a council, a subscription, an open
    survey, an election open for nominations (endorsers required) and one open for voting. Fresh
    copies from the database for each case."""
    return {name: model._default_manager.get(pk=pk) for name, (model, pk) in _world.items()}


def _build_world(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    hearing = HearingFactory(parent=index, title="Trafikplan for Valby", slug="trafikplan", area="valby")
    hearing.topics.add("Trafik")
    hearing.hearing_lists.add(HearingPartyFactory(name="Valby Lokaludvalg").hearing_list)  # the form offers »party«
    hearing.save_revision().publish()
    council = election_factories.council(home_page)
    nominating, _numbers = election_factories.nominating(council, endorsers_required=1)
    pending = election_factories.candidate(nominating, "Samira Haddad", status=Candidate.Status.PENDING)
    voting = election_factories.election(council, slug="valg-2026")
    election_factories.add_voters(voting, 3, start=100)
    election_factories.candidate(voting, "Alice Ahmadi")
    election_factories.candidate(voting, "Bo Berg")
    voting = election_factories.open_for_voting(voting)
    survey = make_survey(SurveyIndexPageFactory(parent=home_page))
    return {
        "hearing": hearing,
        "index": index,
        "council": council,
        "subscription": SubscriptionFactory(),
        "survey": survey,
        "nominating": nominating,
        "pending": pending,
        "voting": voting,
    }


def assert_page_in_danish(answer, payload):
    """A page, never an error the visitor cannot read; the payload never comes back unescaped."""
    assert answer.status_code < 500, answer.status_code
    body = answer.content.decode(errors="replace")
    if answer.status_code == 400:
        assert BAD_REQUEST in body
    elif answer.status_code == 404 and answer["Content-Type"].startswith("text/html"):
        # The site's »Siden findes ikke«, or the view's own page (e.g. »Abonnementet findes ikke længere«).
        assert '<html lang="da"' in body and "<h1>" in body
    if "<" in payload:
        assert payload not in body  # escaped, not markup


# --- Query parameters and tokens in addresses ----------------------------------------------------

# (name, address with {v} where the payload goes, quoted). Addresses that take an id use the world's.
GET_TARGETS = [
    ("soeg-q", "/soeg/?q={v}"),
    ("soeg-side", "/soeg/?q=trafik&side={v}"),
    ("hoeringer-status", "{index}?status={v}"),
    ("hoeringer-emne", "{index}?emne={v}"),
    ("hoeringer-omraade", "{index}?omraade={v}"),
    ("hoeringer-afsender", "{index}?afsender={v}"),
    ("hoeringer-side", "{index}?side={v}"),
    ("hoering-svar-side", "{hearing}?svar-side={v}"),
    ("hoering-afsnit", "{hearing}?afsnit={v}"),
    ("lang-parameter", "{hearing}?lang={v}"),
    ("svar-bekraeft", "/hoeringer/svar/bekraeft/{v}/"),
    ("abonnement-bekraeft", "/hoeringer/abonnement/bekraeft/{v}/"),
    ("abonnement-vis", "/hoeringer/abonnement/vis/{v}/"),
    ("abonnement-afmeld", "/hoeringer/abonnement/afmeld/{v}/"),
    ("feed-emne", "/hoeringer/feeds/emne/{v}/rss/"),
    ("feed-raad", "/hoeringer/feeds/raad/{v}/atom/"),
    ("raad-kalender", "/raad/{v}/kalender.ics"),
    ("valg-kontrol-kode", "/valg/{voting_pk}/kontrol/?kode={v}"),
    ("valg-kontrol-side", "/valg/{voting_pk}/kontrol/?side={v}"),
    ("undersoegelse-resultat-svar", "{survey}resultater/?svar={v}"),
    ("undersoegelse-resultat-panel", "{survey}resultater/?panel={v}"),
]
GET_PAYLOADS = ["nul", "lang", "bidi", "html", "sql", "arabiske-cifre", "stort-tal", "negativ", "sti", "format"]


def _address(world, template, value):
    return template.format(
        v=value,
        index=world["index"].url,
        hearing=world["hearing"].url,
        survey=world["survey"].url,
        voting_pk=world["voting"].pk,
    )


@pytest.mark.parametrize(("target", "template"), GET_TARGETS, ids=[t[0] for t in GET_TARGETS])
def test_query_parameters_and_tokens_never_crash(client, world, target, template):
    before = counts()
    for key in GET_PAYLOADS:
        payload = NASTY[key]
        answer = client.get(_address(world, template, quote(payload, safe="")))
        assert_page_in_danish(answer, payload)
        if key == "nul":
            assert answer.status_code == 400, target
    answer = client.get(_address(world, template, INVALID_UTF8))
    assert_page_in_danish(answer, "")
    # The same parameter twice, and an empty one.
    answer = client.get(_address(world, template, "a") + ("&" if "?" in template else "?") + "x=1&x=2")
    assert_page_in_danish(answer, "")
    assert counts() == before  # reading stores nothing


def test_calendar_and_feed_addresses_with_bad_values_say_not_found(client, world):
    """Not a 200 with an empty calendar that a subscriber's app keeps polling: »Siden findes ikke«."""
    for address in ("/raad/findes-ikke/kalender.ics", "/hoeringer/feeds/raad/findes-ikke/rss/"):
        answer = client.get(address)
        assert answer.status_code == 404, address
        assert NOT_FOUND in answer.content.decode()


# --- Forms ---------------------------------------------------------------------------------------

RESPONSE_DATA = {
    "name": "Amira Hassan",
    "email": "amira@example.org",
    "postcode": "2500",
    "district": "valby",
    "respondent": "person",
    "organisation_name": "",
    "text": "Planen mangler cykelstier ved skolerne.",
    "consent": "on",
    "website": "",
    "submission_key": "0123456789abcdef0123456789abcdef",
}
SUBSCRIPTION_DATA = {"email": "lise@example.org", "area": "", "frequency": "immediate", "website": ""}
NOMINATION_DATA = {
    "name": "Yusuf Demir",
    "email": "yusuf@example.org",
    "personal_number": "",  # filled in by the case: a number on the roll
    "statement": "Jeg vil arbejde for flere sprogtilbud.",
    "languages": "dansk, tyrkisk",
    "consent": "on",
}

# (form, field, payload key, refused?, Danish message expected when refused). refused=None: the input
# may be accepted as typed (it is text, shown escaped); either way the outcome is checked.
FORM_CASES = [
    ("hoeringssvar", "name", "bidi", True, "usynlige tegn, der vender skriftretningen"),
    ("hoeringssvar", "name", "crlf", True, "Skriv det på én linje uden linjeskift."),
    ("hoeringssvar", "name", "lang", True, None),
    ("hoeringssvar", "name", "tom", True, None),
    ("hoeringssvar", "name", "html", None, None),
    ("hoeringssvar", "name", "emoji", None, None),
    ("hoeringssvar", "email", "crlf", True, "Skriv en gyldig e-mailadresse"),
    ("hoeringssvar", "email", "html", True, "Skriv en gyldig e-mailadresse"),
    ("hoeringssvar", "email", "lang", True, None),
    ("hoeringssvar", "postcode", "arabiske-cifre", True, "Skriv postnummeret med cifrene 0-9"),
    ("hoeringssvar", "postcode", "negativ", True, "postnummer"),
    ("hoeringssvar", "postcode", "stort-tal", True, "postnummer"),
    ("hoeringssvar", "district", "sti", True, "Vælg en bydel fra listen."),
    ("hoeringssvar", "respondent", "sql", True, "Vælg en af mulighederne."),
    ("hoeringssvar", "text", "lang", None, None),
    ("hoeringssvar", "text", "html", None, None),
    ("hoeringssvar", "text", "tom", True, "Skriv dit høringssvar."),
    ("hoeringssvar", "text", "nul", True, BAD_REQUEST),
    ("hoeringssvar", "submission_key", "sql", True, "Formularen var udløbet"),
    ("hoeringssvar", "submission_key", "lang", True, "Formularen var udløbet"),
    ("hoeringssvar", "kind", "format", True, "Vælg en af mulighederne."),
    ("hoeringssvar", "party", "stort-tal", True, "Vælg en organisation fra listen."),
    ("hoeringssvar", "party", "sql", True, "Vælg en organisation fra listen."),
    ("abonnement", "email", "crlf", True, "Skriv en gyldig e-mailadresse"),
    ("abonnement", "email", "bidi", True, "Skriv en gyldig e-mailadresse"),
    ("abonnement", "email", "lang", True, None),
    ("abonnement", "email", "nul", True, BAD_REQUEST),
    ("abonnement", "area", "sti", True, None),
    ("abonnement", "frequency", "sql", True, "Vælg en af mulighederne."),
    ("abonnement", "topics", "stort-tal", True, None),
    ("abonnement", "councils", "negativ", True, None),
    ("abonnement", "councils", "stort-tal", True, None),
    ("abonnement", "topics", "html", True, None),
    ("kandidat", "name", "bidi", True, "usynlige tegn, der vender skriftretningen"),
    ("kandidat", "name", "crlf", True, "Skriv det på én linje uden linjeskift."),
    ("kandidat", "name", "lang", True, None),
    ("kandidat", "email", "html", True, "Skriv en gyldig e-mailadresse"),
    ("kandidat", "personal_number", "arabiske-cifre", True, "Skriv personnummeret med cifrene 0-9"),
    ("kandidat", "personal_number", "sql", True, "personnummeret"),
    ("kandidat", "personal_number", "stort-tal", True, "personnummeret"),
    ("kandidat", "statement", "lang", True, None),
    ("kandidat", "group", "stort-tal", None, None),  # this election has no seat groups: ignored
    ("kandidat", "languages", "crlf", None, None),
    ("valgkort", "code", "sql", True, None),
    ("valgkort", "code", "lang", True, None),
    ("valgkort", "code", "arabiske-cifre", True, None),
    ("valgkort", "birth_date", "format", True, "Skriv datoen som dag-måned-år"),
    ("valgkort", "birth_date", "stort-tal", True, "Skriv datoen som dag-måned-år"),
    ("valgkort", "birth_date", "arabiske-cifre", True, None),
    ("stiller", "code", "html", True, None),
    ("stiller", "birth_date", "negativ", True, "Skriv datoen som dag-måned-år"),
    ("stiller", "code", "nul", True, BAD_REQUEST),
    ("undersoegelse", "q-kontakt", "sql", True, None),
    ("undersoegelse", "q-alder", "stort-tal", True, None),
    ("undersoegelse", "q-alder", "arabiske-cifre", True, None),
    ("undersoegelse", "q-alder", "negativ", True, None),
    ("undersoegelse", "state", "html", True, "Formularen kunne ikke læses"),
    ("undersoegelse", "state", "lang", True, "Formularen kunne ikke læses"),
    ("undersoegelse", "section", "stort-tal", None, None),
    ("undersoegelse", "section", "negativ", None, None),
    ("undersoegelse", "action", "sql", None, None),
]


def _survey_state(client, survey):
    page = client.get(survey.url)
    return re.search(r'name="state" value="([^"]*)"', page.content.decode()).group(1)


def _submit(client, world, form, field, payload):
    """POST the form with valid data except ``field``; returns the answer and what was typed."""
    if form == "hoeringssvar":
        data = {**RESPONSE_DATA, field: payload}
        if field in ("kind", "party"):
            data["respondent"] = "organisation"
        return client.post(world["hearing"].url, data)
    if form == "abonnement":
        return client.post("/hoeringer/abonnement/", {**SUBSCRIPTION_DATA, field: payload})
    if form == "kandidat":
        election = world["nominating"]
        voter_number = election_factories.cpr(5)  # the sixth voter of factories.nominating's roll
        data = {**NOMINATION_DATA, "personal_number": voter_number, field: payload}
        return client.post(f"/valg/{election.pk}/kandidat/", data)
    if form == "valgkort":
        data = {"code": "ABCD-EFGH-JKLM", "birth_date": "17-05-1980", field: payload}
        return client.post(f"/valg/{world['voting'].pk}/stem/", data)
    if form == "stiller":
        data = {"code": "ABCD-EFGH-JKLM", "birth_date": "17-05-1980", field: payload}
        return client.post(world["pending"].get_endorse_url(), data)
    if form == "undersoegelse":
        survey = world["survey"]
        questions = {q.key: q for q in survey.questionnaire.questions}
        data = {
            "state": _survey_state(client, survey),
            "section": "0",
            "action": "submit",
            "q-kontakt": questions["kontakt"].options[1].id,  # »Nej«
            field: payload,
        }
        return client.post(survey.url, data)
    raise AssertionError(form)


@pytest.mark.parametrize(
    ("form", "field", "key", "refused", "message"), FORM_CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in FORM_CASES]
)
def test_public_forms_refuse_in_danish_and_store_nothing(client, world, form, field, key, refused, message):
    payload = NASTY[key]
    before = counts()
    answer = _submit(client, world, form, field, payload)
    assert answer.status_code < 500
    body = answer.content.decode(errors="replace")
    stored = counts() != before
    if "<" in payload:
        assert payload not in body  # escaped wherever it is shown
    if refused is None and stored:
        assert answer.status_code in (200, 302)
        return
    if refused is None and answer.status_code in (200, 302) and form == "undersoegelse":
        return  # an unknown section or action shows a section of the survey again
    assert not stored, f"{form}.{field}={key!r} was refused but stored: {before} -> {counts()}"
    assert answer.status_code in (200, 400, 403, 429)
    if answer.status_code == 400 and BAD_REQUEST in body:
        assert message in (None, BAD_REQUEST)
        return
    assert message != BAD_REQUEST, "expected the 400 page"
    danish = (ERROR_SUMMARY, "Formularen kunne ikke læses", "Vi kunne ikke", "Tjek koden")
    assert any(text in body for text in danish), f"no Danish refusal for {form}.{field}={key!r}"
    if message:
        assert html.escape(message) in body or message in body, message
    if field in ("name", "email", "text", "statement", "code", "birth_date", "postcode") and "\n" not in payload:
        assert html.escape(payload.strip(), quote=True) in body, "the form did not keep what was typed"


def test_the_valid_submissions_of_the_table_are_stored(client, world):
    """The base data of the table is accepted, so a refusal above is the payload's doing."""
    before = counts()
    assert _submit(client, world, "hoeringssvar", "name", "Amira Hassan").status_code == 302
    assert (
        "Bekræft dit abonnement" in _submit(client, world, "abonnement", "email", "lise@example.org").content.decode()
    )
    assert _submit(client, world, "kandidat", "name", "Yusuf Demir").status_code == 302
    after = counts()
    assert (after["Response"], after["Subscription"], after["Candidate"]) == (
        before["Response"] + 1,
        before["Subscription"] + 1,
        before["Candidate"] + 1,
    )


def test_an_attachment_that_is_no_document_is_refused_and_nothing_stored(client, world):
    before = counts()
    fake = SimpleUploadedFile("svar.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    answer = client.post(world["hearing"].url, {**RESPONSE_DATA, "attachments": [fake]})
    assert answer.status_code == 200
    assert ERROR_SUMMARY in answer.content.decode()
    assert counts() == before


def test_a_photo_that_is_no_image_is_refused_and_nothing_stored(client, world):
    before = counts()
    fake = SimpleUploadedFile("mig.jpg", b"\xff\xd8\xff<html></html>", content_type="image/jpeg")
    data = {**NOMINATION_DATA, "personal_number": election_factories.cpr(5), "photo": fake}
    answer = client.post(f"/valg/{world['nominating'].pk}/kandidat/", data)
    assert "Filen er ikke et billede i JPEG, PNG eller WebP." in answer.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("address", "data"),
    [
        ("/i18n/setlang/", {"language": "../../etc", "next": "https://evil.example/"}),
        ("/i18n/setlang/", {"language": NASTY["lang"], "next": NASTY["html"]}),
        ("/konto/login/", {"login": NASTY["bidi"], "password": NASTY["lang"]}),
        ("/konto/signup/", {"email": NASTY["crlf"], "password1": "x", "password2": "y"}),
        ("/konto/password/reset/", {"email": NASTY["html"]}),
    ],
    ids=["setlang-sti", "setlang-lang", "login", "signup", "password-reset"],
)
def test_language_and_account_forms_never_crash(client, world, address, data):
    before = counts()
    answer = client.post(address, data)
    assert answer.status_code < 500
    if answer.status_code in (301, 302):
        assert not answer["Location"].startswith("https://evil.example")
    assert counts() == before


def test_unknown_uuid_tokens_say_not_found(client, world):
    for address in (
        f"/hoeringer/svar/bilag/{uuid.uuid4()}/",
        f"/valg/{world['nominating'].pk}/stiller/{uuid.uuid4()}/",
    ):
        answer = client.get(address)
        assert answer.status_code == 404, address
        assert NOT_FOUND in answer.content.decode()


def test_the_topic_feed_link_is_offered_for_a_topic_that_exists_only(client, world):
    """The crash the table found on main: ?emne=</script> put a »/« into the feed link's address."""
    index = world["index"].url
    chosen = client.get(f"{index}?emne=trafik").content.decode()
    assert 'href="/hoeringer/feeds/emne/trafik/rss/"' in chosen
    assert "Trafikplan for Valby" in chosen
    for value in ("a%2Fb", quote(NASTY["html"], safe=""), "findes-ikke"):
        page = client.get(f"{index}?emne={value}")
        assert page.status_code == 200
        assert "RSS-feed med nye høringer om det valgte emne" not in page.content.decode()
        assert "Trafikplan for Valby" not in page.content.decode()  # the filter still applies
