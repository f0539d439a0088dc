"""Issue 15, what must hold 3 (second bullet): an endorser confirms a nomination with MitID.

Every login goes through the real test provider (tests/oidc_provider, django-oauth-toolkit in OIDC
mode on loopback) and allauth's views; the roll is matched by the keyed hash of the personal number
the broker sends (users.mitid.mitid_voter_key), and the endorsement is stored as the poll card's is.
"""

import datetime
import re

import pytest
import time_machine
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from elections import crypto
from elections.models import AuditLogEntry, Candidate, ElectionPage, Endorsement
from tests.oidc_provider.fixtures import CITIZEN, CITIZEN_CLAIMS, CITIZEN_NUMBER, log_in_with_mitid
from tests.users.mitid_helpers import columns_holding, confirmation_path, request_for, sign_up_with_mitid
from users import mitid as mitid_module

from . import factories

pytestmark = pytest.mark.django_db

CITIZEN_KEY = crypto.voter_key(CITIZEN_NUMBER)


@pytest.fixture
def nomination(council):
    """An election open for nominations that needs two endorsers, the citizen of the test broker on
    its roll (as the seventh voter), and a pending nomination by the roll's first voter."""
    election, numbers = factories.nominating(council)
    factories.VoterFactory(
        election=election,
        card_number=7,
        name="Karen Testesen",
        birth_date=datetime.date(1990, 1, 1),
        polling_place=election.polling_places.first(),
        voter_key=CITIZEN_KEY,
    )
    candidate = factories.candidate(election, "Samira Haddad", status=Candidate.Status.PENDING, number=numbers[0])
    return election, candidate, numbers


def main_text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main") : html.index("</main>")]))


def returning_endorser(client, broker, candidate, username=CITIZEN):
    """A citizen with a MitID account (signed up earlier, logged out) starts at the endorse page:
    »Log ind med MitID« → the broker → straight back to the endorse page."""
    sign_up_with_mitid(client, broker, username, email=f"{username}@example.org")
    client.post("/konto/logout/")
    response, _ = log_in_with_mitid(client, broker, username, next_url=candidate.get_endorse_url())
    assert response.status_code == 302
    assert response["Location"] == candidate.get_endorse_url()
    return client.get(response["Location"])


def not_on_the_roll(broker):
    """The broker knows "fremmed", whose (invented) personal number is on no roll."""
    stranger = {**CITIZEN_CLAIMS, "sub": "stranger-pseudonym", "cprNumberIdentifier": "0202851234"}
    broker.configure(identities={"fremmed": stranger})


def confirm(client, candidate, **extra):
    return client.post(candidate.get_endorse_url(), {"way": "mitid"}, **extra)


# --- Shown only with a broker ---------------------------------------------------------------------


def test_without_a_broker_the_endorse_page_has_no_mitid_and_a_mitid_post_stores_nothing(client, nomination):
    election, candidate, _numbers = nomination
    assert not mitid_module.is_configured()
    page = client.get(candidate.get_endorse_url())
    assert page.status_code == 200
    assert "MitID" not in page.content.decode()
    assert "Skriv koden fra dit valgkort" in main_text(page)

    forged = confirm(client, candidate)
    assert forged.status_code == 200
    assert "Vi kunne ikke se et gyldigt login med MitID." in main_text(forged)
    assert not Endorsement.objects.exists()


def test_with_a_broker_the_endorse_page_offers_mitid_and_comes_back_to_it(client, mitid, nomination):
    _election, candidate, _numbers = nomination
    html = client.get(candidate.get_endorse_url()).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrfmiddlewaretoken"', html)
    assert form, html
    assert form.group(1).replace("&amp;", "&") == mitid_module.login_url(candidate.get_endorse_url())
    assert re.search(r'<button type="submit" class="button button-secondary" id="mitid-login">Log ind med MitID<', html)
    assert "Dit CPR-nummer gemmes ikke." in html
    # The poll-card way is still there.
    assert 'name="code"' in html


# --- Confirming -----------------------------------------------------------------------------------


def test_an_endorser_on_the_roll_confirms_with_mitid(client, mitid, nomination):
    election, candidate, _numbers = nomination
    page = returning_endorser(client, mitid, candidate)
    text = main_text(page)
    assert "Du er logget ind med MitID. Samira Haddad har anmeldt sig som kandidat" in text
    assert 'id="mitid-endorse"' in page.content.decode()
    assert not Endorsement.objects.exists()  # looking is not confirming

    done = confirm(client, candidate)
    assert done.status_code == 200
    assert "Tak – du er nu stiller for Samira Haddad" in main_text(done)
    endorsement = Endorsement.objects.get()
    assert (endorsement.election_id, endorsement.candidate_id) == (election.pk, candidate.pk)
    assert endorsement.voter_key == CITIZEN_KEY == election.voters.get(card_number=7).voter_key
    assert AuditLogEntry.objects.filter(action="nomination.endorse").get().user is None
    # The keyed hash is used once: gone from the cache, and a second POST stores nothing.
    assert mitid_module.mitid_voter_key(request_for(client)) is None
    again = confirm(client, candidate)
    assert "Vi kunne ikke se et gyldigt login med MitID." in main_text(again)
    assert Endorsement.objects.count() == 1


def test_the_mitid_endorsement_stores_what_the_poll_card_endorsement_stores(client, mitid, nomination):
    election, candidate, _numbers = nomination
    by_card = election.voters.get(card_number=2)
    Client().post(candidate.get_endorse_url(), {"code": by_card.issue_poll_card(), "birth_date": "17-05-1980"})
    returning_endorser(client, mitid, candidate)
    confirm(client, candidate)

    rows = list(Endorsement.objects.order_by("pk").values())
    assert [row["voter_key"] for row in rows] == [by_card.voter_key, CITIZEN_KEY]
    assert [set(row) for row in rows] == [{"id", "election_id", "candidate_id", "voter_key"}] * 2
    assert [(row["election_id"], row["candidate_id"]) for row in rows] == [(election.pk, candidate.pk)] * 2
    logged = list(AuditLogEntry.objects.filter(action="nomination.endorse").order_by("pk"))
    assert [(entry.user_id, entry.message, entry.data) for entry in logged] == [
        (None, "Stiller bekræftet for Samira Haddad", {})
    ] * 2


def test_a_person_not_on_the_roll_is_refused_and_nothing_is_stored(client, mitid, nomination):
    _election, candidate, _numbers = nomination
    not_on_the_roll(mitid)
    returning_endorser(client, mitid, candidate, "fremmed")
    refused = confirm(client, candidate)
    assert refused.status_code == 200
    assert "Du står ikke på valglisten til dette valg, så du kan ikke være stiller." in main_text(refused)
    assert 'id="mitid-errors"' in refused.content.decode()
    assert not Endorsement.objects.exists()


def test_endorsing_twice_is_refused(client, mitid, nomination):
    _election, candidate, _numbers = nomination
    returning_endorser(client, mitid, candidate)
    confirm(client, candidate)
    client.post("/konto/logout/")
    log_in_with_mitid(client, mitid, next_url=candidate.get_endorse_url())
    refused = confirm(client, candidate)
    assert "Du er allerede stiller for en kandidat ved dette valg." in main_text(refused)
    assert Endorsement.objects.count() == 1


def test_the_candidate_cannot_endorse_themself_with_mitid(client, mitid, nomination):
    election, candidate, _numbers = nomination
    Candidate.objects.filter(pk=candidate.pk).update(voter_key=CITIZEN_KEY)
    returning_endorser(client, mitid, candidate)
    refused = confirm(client, candidate)
    assert "Du kan ikke være stiller for dig selv." in main_text(refused)
    assert not Endorsement.objects.exists()


def test_a_closed_nomination_takes_no_mitid_endorsement(client, mitid, nomination):
    election, candidate, _numbers = nomination
    returning_endorser(client, mitid, candidate)
    ElectionPage.objects.filter(pk=election.pk).update(
        nominations_close_at=timezone.now() - datetime.timedelta(hours=1)
    )
    refused = confirm(client, candidate)
    assert refused.status_code == 200
    assert "Kandidatanmeldelsen er ikke åben" in main_text(refused)
    assert not Endorsement.objects.exists()


def test_an_old_mitid_login_must_be_renewed(client, mitid, nomination):
    _election, candidate, _numbers = nomination
    returning_endorser(client, mitid, candidate)
    later = timezone.now() + datetime.timedelta(seconds=settings.MITID_VOTER_KEY_MAX_AGE + 1)
    with time_machine.travel(later):
        page = main_text(client.get(candidate.get_endorse_url()))
        assert "Dit login med MitID kan ikke bruges til at bekræfte" in page
        assert "Bekræft med MitID" not in page
        refused = confirm(client, candidate)
    assert "Vi kunne ikke se et gyldigt login med MitID." in main_text(refused)
    assert not Endorsement.objects.exists()


def test_mitid_refusals_are_rate_limited(client, mitid, nomination):
    _election, candidate, _numbers = nomination
    not_on_the_roll(mitid)
    returning_endorser(client, mitid, candidate, "fremmed")
    for _attempt in range(21):  # 20 an hour per address, as for wrong poll cards
        assert "Du står ikke på valglisten" in main_text(confirm(client, candidate))
    assert confirm(client, candidate).status_code == 429
    assert not Endorsement.objects.exists()
    # Another address can still endorse.
    other = Client()
    returning_endorser(other, mitid, candidate, CITIZEN)
    assert "Tak – du er nu stiller" in main_text(confirm(other, candidate, REMOTE_ADDR="192.0.2.7"))


@pytest.mark.parametrize("data", [{"way": "mitid", "code": "x"}, {"way": ["mitid", "kort"]}, {"way": "x" * 5000}])
def test_odd_posts_get_an_answer_not_an_error(client, mitid, nomination, data):
    _election, candidate, _numbers = nomination
    returning_endorser(client, mitid, candidate)
    assert client.post(candidate.get_endorse_url(), data).status_code in (200, 400)


# --- What is stored -------------------------------------------------------------------------------


def test_no_table_holds_the_personal_number_or_the_mitid_pseudonym_beside_the_account(client, mitid, nomination):
    """After an endorsement with MitID, every column of every table (and every session, decoded) is read
    with SQL: the personal number is nowhere, in any spelling; the broker's pseudonym (sub) is only
    where the MitID login keeps it (allauth's account and the session's login marker), in no table of
    the elections; the keyed hash only on the roll and on the endorsement, as for a poll card."""
    _election, candidate, _numbers = nomination
    returning_endorser(client, mitid, candidate)
    assert "Tak – du er nu stiller" in main_text(confirm(client, candidate))

    number_forms = (CITIZEN_NUMBER, f"{CITIZEN_NUMBER[:6]}-{CITIZEN_NUMBER[6:]}")
    assert columns_holding(*number_forms) == set()
    sub = CITIZEN_CLAIMS["sub"]
    assert SocialAccount.objects.get(uid=sub)  # the scan has something to find …
    assert columns_holding(sub) == {
        ("socialaccount_socialaccount", "uid"),
        ("socialaccount_socialaccount", "extra_data"),
        ("django_session", "decoded"),
    }
    assert columns_holding(CITIZEN_KEY) == {("elections_voter", "voter_key"), ("elections_endorsement", "voter_key")}


@pytest.mark.parametrize(
    ("language", "offer", "refusal"),
    [
        ("en", "Log in with MitID", "You are not on the voter roll for this election, so you cannot be an endorser."),
        ("ar", "تسجيل الدخول باستخدام MitID", "أنت غير مدرج في قائمة الناخبين لهذه الانتخابات"),
    ],
)
def test_the_mitid_way_speaks_the_visitors_language(client, mitid, nomination, language, offer, refusal):
    _election, candidate, _numbers = nomination
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert offer in main_text(client.get(candidate.get_endorse_url()))
    not_on_the_roll(mitid)
    returning_endorser(client, mitid, candidate, "fremmed")
    assert refusal in main_text(confirm(client, candidate))


def test_a_new_citizen_is_led_back_to_the_endorse_page_after_confirming_the_email(client, mitid, nomination):
    """MitID → the email form → the emailed link → the login page → MitID again → the endorse page."""
    _election, candidate, _numbers = nomination
    endorse_url = candidate.get_endorse_url()
    response, _ = log_in_with_mitid(client, mitid, next_url=endorse_url)
    assert response["Location"] == "/konto/3rdparty/signup/"
    client.post("/konto/3rdparty/signup/", {"email": "ny@example.org"})
    confirmed = client.post(confirmation_path(mail.outbox[-1]))
    assert confirmed["Location"] == f"/konto/login/?{urlencode({'next': endorse_url})}"
    login_page = client.get(confirmed["Location"]).content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrfmiddlewaretoken"', login_page
    )
    assert form.group(1).replace("&amp;", "&") == mitid_module.login_url(endorse_url)
    response, _ = log_in_with_mitid(client, mitid, next_url=endorse_url)
    assert response["Location"] == endorse_url
    assert "Tak – du er nu stiller" in main_text(confirm(client, candidate))
    # Once used, the address is forgotten: the next confirmation leads to the plain login page.
    assert mitid_module.SIGNUP_NEXT_SESSION_KEY not in client.session


# --- Telling the candidate ------------------------------------------------------------------------


def nominate(client, election, number):
    return client.post(
        reverse("elections:nominate", args=[election.pk]),
        {
            "name": "Bo Berg",
            "email": "bo@example.org",
            "personal_number": number,
            "statement": "Jeg vil arbejde for flere sprogtilbud.",
            "languages": "dansk",
            "consent": "on",
        },
    )


@pytest.mark.parametrize("with_broker", [True, False])
def test_the_thank_you_page_and_the_receipt_say_endorsers_may_use_mitid_only_with_a_broker(
    client, council, settings, django_capture_on_commit_callbacks, with_broker
):
    if with_broker:  # configured, as the mitid fixture does; no login happens here
        settings.MITID_OIDC_ISSUER = "http://127.0.0.1:9"
        settings.MITID_OIDC_CLIENT_ID, settings.MITID_OIDC_CLIENT_SECRET = "medborger", "hemmelig"
    election, numbers = factories.nominating(council)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.get(nominate(client, election, numbers[1])["Location"])
    sentence = "Stillerne kan også bekræfte på siden ved at logge ind med MitID."
    assert (sentence in main_text(done)) is with_broker
    (receipt,) = mail.outbox
    html = "".join(content for content, mimetype in receipt.alternatives if mimetype == "text/html")
    assert (sentence in receipt.body) is with_broker
    assert (sentence in html) is with_broker
    assert Candidate.objects.get().get_endorse_url() in receipt.body
