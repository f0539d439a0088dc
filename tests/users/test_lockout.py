"""Issue 10: account lockout as denial of service.

Five wrong passwords, or five wrong two-factor codes, from an attacker's address must not lock the
real user out: failures count per account *and* client address (core.clientip, so also behind a
trusted proxy). The attacker's own address stays limited."""

import pytest
from django.test import Client

from tests.helpers import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "Kodeord-der-er-langt-42"
ATTACKER = "198.51.100.66"
OFFICER = "203.0.113.10"
PROXY = "10.0.0.2"
TOO_MANY = "Der er for mange mislykkede logonforsøg. Prøv igen senere."


def from_address(address, via_proxy=False):
    if via_proxy:
        return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    return Client(REMOTE_ADDR=address)


def login(client, email, password):
    return client.post("/konto/login/", {"login": email, "password": password})


@pytest.mark.parametrize("via_proxy", [False, True], ids=["direct", "behind-proxy"])
def test_wrong_passwords_from_one_address_do_not_lock_the_user_out(home_page, user_factory, settings, via_proxy):
    settings.TRUSTED_PROXIES = [PROXY]
    user = user_factory(email="valgsekretaer@kommune.example")
    attacker = from_address(ATTACKER, via_proxy)
    for _ in range(5):
        assert login(attacker, user.email, "forkert-kodeord").status_code == 200
    refused = login(attacker, user.email, "forkert-kodeord")
    assert TOO_MANY in refused.content.decode()
    # The attacker's address stays locked, even with the right password …
    assert TOO_MANY in login(attacker, user.email, PASSWORD).content.decode()

    # … while the officer logs in from their own address.
    officer = from_address(OFFICER, via_proxy)
    answer = login(officer, user.email, PASSWORD)
    assert answer.status_code == 302
    assert officer.get("/min-side/").status_code == 200


@pytest.mark.parametrize("via_proxy", [False, True], ids=["direct", "behind-proxy"])
def test_wrong_totp_codes_from_one_address_do_not_lock_the_officer_out(home_page, mfa_user, settings, via_proxy):
    settings.TRUSTED_PROXIES = [PROXY]
    user, secret = mfa_user(email="valgsekretaer@kommune.example", is_staff=True, is_superuser=True)
    attacker = from_address(ATTACKER, via_proxy)  # has the password, not the authenticator app
    assert login(attacker, user.email, PASSWORD)["Location"].startswith("/konto/2fa/authenticate/")
    for _ in range(5):
        assert "Koden er forkert" in attacker.post("/konto/2fa/authenticate/", {"code": "000000"}).content.decode()
    assert TOO_MANY in attacker.post("/konto/2fa/authenticate/", {"code": "000000"}).content.decode()
    assert TOO_MANY in attacker.post("/konto/2fa/authenticate/", {"code": totp_code(secret)}).content.decode()

    officer = from_address(OFFICER, via_proxy)
    assert login(officer, user.email, PASSWORD)["Location"].startswith("/konto/2fa/authenticate/")
    answer = officer.post("/konto/2fa/authenticate/", {"code": totp_code(secret)})
    assert (answer.status_code, answer["Location"]) == (302, "/min-side/")
    assert officer.get("/admin/").status_code == 200


WAIT = "Der har været mange forkerte forsøg fra dit netværk. Vent"


def test_thirty_people_behind_one_address_log_in_while_a_guesser_there_is_slowed(
    home_page, user_factory, settings, time_machine
):
    """A library's network: 30 people log in to their own accounts, one a minute, while someone on
    the same network tries wrong passwords on many accounts (one every 5 seconds). Before, ten
    failures a minute from the address refused every login from it, right passwords included.
    Now everyone gets in (told to wait, they wait and send again); the guesser's attempts are
    checked at most once per delay, once a minute at the end."""
    time_machine.move_to("2026-11-17 10:00:00+00:00", tick=False)
    network = "198.51.100.7"
    people = [user_factory(email=f"laaner{n}@bibliotek.example") for n in range(30)]
    victims = [user_factory(email=f"offer{n}@kommune.example") for n in range(20)]
    guesser = from_address(network)
    guesses = waits = 0
    for person in people:
        for _ in range(12):
            victim = victims[guesses % len(victims)]
            guesses += 1
            text = login(guesser, victim.email, f"gaet-{guesses}").content.decode()
            waits += WAIT in text
            time_machine.shift(5)
        browser = from_address(network)
        answer = login(browser, person.email, PASSWORD)
        if answer.status_code == 200:
            told = answer.content.decode()
            assert WAIT in told, person.email
            seconds = int(told.split(f"{WAIT} ")[1].split(" ")[0])
            assert seconds <= settings.LOGIN_DELAY_MAX_SECONDS
            time_machine.shift(seconds)
            answer = login(browser, person.email, PASSWORD)
        assert answer.status_code == 302, person.email
        assert browser.get("/min-side/").status_code == 200
    checked = guesses - waits
    assert guesses == 360 and checked <= settings.LOGIN_FAILURES_FREE + 5 + 30, checked
    # Right after a checked guess, even the right password of a victim is not checked.
    time_machine.shift(settings.LOGIN_DELAY_MAX_SECONDS)
    login(guesser, victims[0].email, "gaet-igen")
    assert WAIT in login(guesser, victims[0].email, PASSWORD).content.decode()
