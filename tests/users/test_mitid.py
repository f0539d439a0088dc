"""Issue 15, what must hold 3 (the login side): MitID through an OpenID Connect broker.

Every login here goes through the real test provider in tests/oidc_provider (django-oauth-toolkit
in OIDC mode, a subprocess on loopback) and allauth's own views: no mock of either.
"""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from elections import roll
from elections.models import Voter
from tests.elections import factories as election_factories
from tests.oidc_provider.fixtures import CITIZEN, CITIZEN_CLAIMS, CITIZEN_NUMBER, log_in_with_mitid
from tests.users.mitid_helpers import EMAIL, confirmation_path, every_stored_text, request_for, sign_up_with_mitid
from users import mitid as mitid_module
from users.models import User

pytestmark = pytest.mark.django_db


def main_text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main") : html.index("</main>")]))


# --- Shown only with a broker ---------------------------------------------------------------------


def test_without_a_broker_nothing_of_mitid_is_shown(client, home_page, user_factory):
    assert not mitid_module.is_configured()
    assert "MitID" not in client.get("/konto/login/").content.decode()
    assert "MitID" not in client.get("/konto/signup/").content.decode()
    assert client.post("/konto/oidc/mitid/login/?process=login").status_code == 404
    assert client.get("/konto/oidc/mitid/login/callback/?code=x&state=y").status_code == 404
    assert mitid_module.login_url() is None
    client.force_login(user_factory())
    assert "MitID" not in client.get("/min-side/").content.decode()


def test_with_a_broker_the_login_page_offers_mitid_in_danish_and_english(client, mitid, home_page):
    page = client.get("/konto/login/?next=/hoeringer/")
    html = page.content.decode()
    assert '<h2 id="mitid-login-heading">Eller brug MitID</h2>' in html
    assert "Dit CPR-nummer gemmes ikke." in html
    form = re.search(r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrfmiddlewaretoken"', html)
    assert form and form.group(1).replace("&amp;", "&") == "/konto/oidc/mitid/login/?process=login&next=%2Fhoeringer%2F"
    assert re.search(
        r'<button type="submit" class="button button-primary" id="mitid-login">Log ind med MitID</button>', html
    )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/konto/login/").content.decode()
    assert "Or use MitID" in html
    assert ">Log in with MitID</button>" in html
    assert "Your personal identification number (CPR) is not stored." in html


# --- Logging in -----------------------------------------------------------------------------------


def test_a_citizen_gets_an_account_verified_at_the_level_the_broker_reports(client, mitid, home_page):
    started = timezone.now()
    user = sign_up_with_mitid(client, mitid)

    assert (user.first_name, user.last_name) == ("Karen", "Testesen")
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("mitid", CITIZEN_CLAIMS["sub"])
    # extra_data keeps the pseudonym, issuer, level and time, and not one claim more.
    assert set(account.extra_data) == {"sub", "iss", "level", "verified_at"}
    assert account.extra_data["level"] == "substantial"
    assert account.extra_data["iss"] == mitid.issuer
    assert started <= datetime.datetime.fromisoformat(account.extra_data["verified_at"]) <= timezone.now()

    request = request_for(client)
    assert request.user == user
    assert mitid_module.session_level(request) == "substantial"
    my_page = main_text(client.get("/min-side/"))
    assert "Tilknyttet – sikringsniveau betydelig" in my_page


def test_an_email_login_is_not_a_mitid_login(client, mitid, home_page, user_factory):
    user = sign_up_with_mitid(client, mitid)
    client.post("/konto/logout/")
    user.set_password("Kodeord-der-er-langt-42")
    user.save()
    client.post("/konto/login/", {"login": EMAIL, "password": "Kodeord-der-er-langt-42"})
    request = request_for(client)
    assert request.user == user
    assert mitid_module.session_level(request) == ""
    assert mitid_module.mitid_voter_key(request) is None


@pytest.mark.parametrize(
    ("claims", "level"),
    [
        ({"https://data.gov.dk/concept/core/nsis/loa": "High"}, "high"),  # NemLog-in
        ({"mitid_loa": "SUBSTANTIAL"}, "substantial"),  # Signicat (mitid-extra scope)
        ({"mitid.loa": "LOW"}, "low"),  # Signicat Express
        ({"acr": "urn:grn:authn:dk:mitid:high"}, "high"),  # Criipto/Idura
        ({"loa": "https://data.gov.dk/concept/core/nsis/Substantial"}, "substantial"),  # Signaturgruppen
        ({"acr": "idp:mitid"}, "unspecified"),  # names no level
        ({}, "unspecified"),
    ],
)
def test_the_level_claim_of_each_broker_style_is_read(client, mitid, home_page, claims, level):
    base = {k: v for k, v in CITIZEN_CLAIMS.items() if k != "https://data.gov.dk/concept/core/nsis/loa"}
    mitid.configure(identities={"niveau": {**base, **claims, "email": "niveau@example.org", "email_verified": True}})
    response, _ = log_in_with_mitid(client, mitid, "niveau")
    assert response.status_code == 302
    assert SocialAccount.objects.get(uid=base["sub"]).extra_data["level"] == level


def test_a_returning_citizen_is_logged_in_and_the_level_updated(client, mitid, home_page):
    user = sign_up_with_mitid(client, mitid)
    client.post("/konto/logout/")
    mitid.configure(identities={CITIZEN: {**CITIZEN_CLAIMS, "https://data.gov.dk/concept/core/nsis/loa": "High"}})
    response, _ = log_in_with_mitid(client, mitid)
    assert response["Location"] == "/min-side/"
    assert request_for(client).user == user
    assert SocialAccount.objects.get(user=user).extra_data["level"] == "high"
    assert mitid_module.session_level(request_for(client)) == "high"
    assert User.objects.count() == 1


# --- The personal number ----------------------------------------------------------------------------


def assert_number_stored_nowhere():
    forms = {CITIZEN_NUMBER, f"{CITIZEN_NUMBER[:6]}-{CITIZEN_NUMBER[6:]}"}
    texts = every_stored_text()
    assert texts, "the scan read nothing"
    leaks = [text[:200] for text in texts if any(form in text for form in forms)]
    assert not leaks


def test_the_personal_number_is_stored_nowhere_in_clear(client, mitid, home_page):
    # Half-way: the email form is pending, the social login waits in the session.
    response, _ = log_in_with_mitid(client, mitid)
    assert response["Location"] == "/konto/3rdparty/signup/"
    assert_number_stored_nowhere()
    # Signed up, confirmed, logged in again.
    client.post("/konto/3rdparty/signup/", {"email": EMAIL})
    assert_number_stored_nowhere()
    client.post(confirmation_path(mail.outbox[-1]))
    log_in_with_mitid(client, mitid)
    assert SocialAccount.objects.filter(provider="mitid").count() == 1
    assert_number_stored_nowhere()
    # The scan reads the account tables and the decoded sessions (it would see the number there) …
    texts = every_stored_text()
    assert any(EMAIL in text for text in texts)
    assert any(CITIZEN_CLAIMS["sub"] in text for text in texts)
    assert any("mitid_login" in text for text in texts)
    # … and the keyed hash is only in the cache, not in the database either.
    key = mitid_module.mitid_voter_key(request_for(client))
    assert key
    assert not any(key in text for text in texts)


def test_the_keyed_hash_matches_the_roll_hash_of_the_same_number(client, mitid, home_page):
    council = election_factories.council(home_page)
    election = election_factories.election(council)
    line = f"{CITIZEN_NUMBER[:6]}-{CITIZEN_NUMBER[6:]};Karen Testesen;01-01-1990;Testvej 1, 2300 København S;1\n"
    report = roll.import_roll(election, f"personnummer;navn;fødselsdato;adresse;valgsted\n{line}".encode())
    assert report.ok, report.errors
    voter = Voter.objects.get(election=election)

    sign_up_with_mitid(client, mitid)
    key = mitid_module.mitid_voter_key(request_for(client))
    assert key == voter.voter_key
    assert Voter.objects.filter(election=election, voter_key=key).exists()


def test_the_keyed_hash_lasts_a_short_time_and_only_for_this_session(client, mitid, home_page):
    sign_up_with_mitid(client, mitid)
    request = request_for(client)
    assert mitid_module.mitid_voter_key(request)

    # Another person's session knows nothing of it.
    other = Client()
    other.force_login(User.objects.create_user(email="anden@example.org"))
    assert mitid_module.mitid_voter_key(request_for(other)) is None

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=settings.MITID_VOTER_KEY_MAX_AGE + 1)):
        assert mitid_module.mitid_voter_key(request) is None


def test_the_keyed_hash_is_forgotten_after_use_and_at_logout(client, mitid, home_page):
    sign_up_with_mitid(client, mitid)
    request = request_for(client)
    assert mitid_module.mitid_voter_key(request)
    mitid_module.forget_mitid_voter_key(request)
    assert mitid_module.mitid_voter_key(request) is None

    client.post("/konto/logout/")
    log_in_with_mitid(client, mitid)
    assert mitid_module.mitid_voter_key(request_for(client))
    client.post("/konto/logout/")
    assert mitid_module.mitid_voter_key(request_for(client)) is None


def test_without_a_personal_number_claim_there_is_no_keyed_hash(client, mitid, home_page):
    claims = {k: v for k, v in CITIZEN_CLAIMS.items() if k != "cprNumberIdentifier"}
    mitid.configure(identities={CITIZEN: claims})
    sign_up_with_mitid(client, mitid)
    request = request_for(client)
    assert mitid_module.session_level(request) == "substantial"
    assert mitid_module.mitid_voter_key(request) is None


# --- Refusals --------------------------------------------------------------------------------------


def assert_refused(response, client, message):
    assert response.status_code == 401
    text = main_text(response)
    assert "Login med MitID mislykkedes" in text
    assert message in text
    assert "Du er ikke logget ind, og der er ikke oprettet nogen konto." in text
    assert User.objects.count() == 0
    assert SocialAccount.objects.count() == 0
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("wrong_issuer", "Svaret kom ikke fra den MitID-tjeneste, kommunen bruger."),
        ("expired", "Svaret fra MitID var udløbet."),
        ("bad_signature", "Svaret fra MitID havde ikke en gyldig underskrift."),
    ],
)
def test_a_misbehaving_broker_is_refused_with_a_clear_danish_message(client, mitid, home_page, mode, message):
    mitid.configure(mode=mode, identities={"med-email": {**CITIZEN_CLAIMS, "email": EMAIL, "email_verified": True}})
    response, _ = log_in_with_mitid(client, mitid, "med-email")
    assert_refused(response, client, message)


def test_a_refusal_is_in_english_for_an_english_visitor(client, mitid, home_page):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    mitid.configure(mode="expired")
    response, _ = log_in_with_mitid(client, mitid)
    assert response.status_code == 401
    text = main_text(response)
    assert "Logging in with MitID failed" in text
    assert "The answer from MitID had expired." in text
    assert "You are not logged in, and no account has been created." in text


def test_a_replayed_callback_is_refused(client, mitid, home_page):
    mitid.configure(identities={"med-email": {**CITIZEN_CLAIMS, "email": EMAIL, "email_verified": True}})
    response, callback = log_in_with_mitid(client, mitid, "med-email")
    assert response.status_code == 302  # the first use logs in (the broker vouched for the email)
    user = User.objects.get()
    client.post("/konto/logout/")

    for replaying in (client, Client()):
        response = replaying.get(callback)
        assert response.status_code == 401
        assert "Login-forsøget er allerede brugt eller er udløbet." in main_text(response)
        assert "_auth_user_id" not in replaying.session
    assert list(User.objects.all()) == [user]
    assert SocialAccount.objects.count() == 1


def test_an_unreachable_broker_is_a_clear_message_not_an_error_page(client, mitid, home_page, settings):
    settings.MITID_OIDC_ISSUER = "http://127.0.0.1:9"  # discard port: nothing answers
    response = client.post(mitid_module.login_url())
    assert response.status_code == 503
    assert "MitID kan ikke nås lige nu." in main_text(response)
    assert User.objects.count() == 0


def test_mitid_logins_are_rate_limited_per_client_address(client, mitid, home_page, settings):
    settings.MITID_LOGIN_RATE = "3/m"
    for _ in range(3):
        assert client.post(mitid_module.login_url()).status_code == 302
    refused = client.post(mitid_module.login_url())
    assert refused.status_code == 429
    assert "Du har prøvet for mange gange på kort tid." in main_text(refused)
    # Another address is not affected.
    assert client.post(mitid_module.login_url(), REMOTE_ADDR="192.0.2.7").status_code == 302


# --- Account linking --------------------------------------------------------------------------------


def test_an_existing_email_account_is_not_connected_by_email(client, mitid, home_page, user_factory):
    owner = user_factory(email="anna@example.org")
    mitid.configure(
        identities={
            "anna": {**CITIZEN_CLAIMS, "sub": "anna-pseudonym", "email": "anna@example.org", "email_verified": True}
        }
    )
    response, _ = log_in_with_mitid(client, mitid, "anna")
    assert "_auth_user_id" not in client.session  # not logged in to Anna's account
    assert not SocialAccount.objects.exists()  # and MitID not connected to it
    assert User.objects.count() == 1
    # allauth's answer: the owner is told by email that an account exists; nothing else happens.
    assert mail.outbox[-1].to == ["anna@example.org"]
    assert mail.outbox[-1].subject == "[Medborger] Konto eksisterer allerede"

    # The owner confirms by logging in with her password and connecting MitID herself.
    owner_client = Client()
    owner_client.post("/konto/login/", {"login": "anna@example.org", "password": "Kodeord-der-er-langt-42"})
    assert request_for(owner_client).user == owner
    assert "Tilknyt MitID" in main_text(owner_client.get("/min-side/"))
    response, _ = log_in_with_mitid(owner_client, mitid, "anna", next_url="/min-side/", process="connect")
    assert response.status_code == 302
    account = SocialAccount.objects.get()
    assert account.user == owner
    assert set(account.extra_data) == {"sub", "iss", "level", "verified_at"}
    assert mitid_module.session_level(request_for(owner_client)) == "substantial"

    # From now on MitID logs in to her account.
    response, _ = log_in_with_mitid(client, mitid, "anna")
    assert request_for(client).user == owner
    assert User.objects.count() == 1
