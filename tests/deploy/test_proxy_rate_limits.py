"""Issue 10, "rate limits behind a reverse proxy": behind nginx (deploy/nginx/medborger.conf on
loopback, in front of the live server) each visitor is limited on their own address. Visitors are
played from different loopback addresses (127.0.0.2, 127.0.0.3, …); nginx connects to the app from
127.0.0.1, the one trusted proxy. A client that talks to the app directly cannot choose its address
by sending X-Forwarded-For. On main before the fix every visitor behind nginx shared 127.0.0.1."""

import pytest

from core.throttle import WAIT
from elections.voting import LOGIN_FAILED
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.deploy import services
from tests.elections import factories as election_factories

pytestmark = pytest.mark.django_db(transaction=True)

VISITOR_A, VISITOR_B, DIRECT = "127.0.0.2", "127.0.0.3", "127.0.0.5"
BIRTH = "17-05-1980"
WRONG_CODE = "AAAA-BBBB-CCCC"


@pytest.fixture(autouse=True)
def _behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]


@pytest.fixture
def election(home_page):
    council = election_factories.council(home_page)
    election = election_factories.election(council)
    voters = election_factories.add_voters(election, 3)
    election_factories.candidate(election, "Anna Ahmadi")
    election_factories.candidate(election, "Bo Berg")
    election = election_factories.open_for_voting(election)
    codes = [voter.issue_poll_card() for _number, voter in voters]
    return election, codes


def vote_login(client, base_url, election, code, headers=None):
    url = f"{base_url}/valg/{election.pk}/stem/"
    form = client.get(url)
    assert form.status_code == 200
    data = {"csrfmiddlewaretoken": services.csrf_token(form.text), "code": code, "birth_date": BIRTH}
    return client.post(url, data=data, headers=headers or {}, allow_redirects=False)


def logged_in(response, election):
    return response.status_code == 302 and response.headers["Location"].endswith(
        f"/valg/{election.pk}/stem/stemmeseddel/"
    )


def refused(response):
    return response.status_code == 200 and str(LOGIN_FAILED) in response.text


def told_to_wait(response):
    return response.status_code == 200 and WAIT.split("%")[0] in response.text


@pytest.fixture
def free_failures(settings):
    """Five refusals before an address waits, and a long first wait (no race with a slow machine)."""
    settings.LOGIN_FAILURES_FREE = 5
    settings.LOGIN_DELAY_FIRST_SECONDS = 60
    return 5


def test_one_visitors_wrong_poll_card_codes_do_not_lock_out_another(proxy, election, free_failures):
    election, codes = election
    a, b = proxy.client(VISITOR_A), proxy.client(VISITOR_B)
    for _ in range(free_failures):
        assert refused(vote_login(a, proxy.url, election, WRONG_CODE))
    # Visitor A must now wait before even a right code is checked ...
    assert told_to_wait(vote_login(a, proxy.url, election, codes[0]))
    # ... whatever X-Forwarded-For it sends (nginx replaces it with the address it sees) ...
    assert told_to_wait(vote_login(a, proxy.url, election, codes[0], headers={"X-Forwarded-For": VISITOR_B}))
    # ... and visitor B, behind the same proxy, logs in.
    assert logged_in(vote_login(b, proxy.url, election, codes[1]), election)


def test_a_client_talking_to_the_app_directly_cannot_choose_its_address(proxy, live_server, election, free_failures):
    election, codes = election
    direct = services.client_from(DIRECT)
    for n in range(free_failures):
        response = vote_login(direct, live_server.url, election, WRONG_CODE, headers={"X-Forwarded-For": f"10.9.9.{n}"})
        assert refused(response)
    assert told_to_wait(
        vote_login(direct, live_server.url, election, codes[0], headers={"X-Forwarded-For": "10.9.9.99"})
    )
    # Its spoofed addresses were not counted against anyone behind the proxy either.
    assert logged_in(vote_login(proxy.client(VISITOR_A), proxy.url, election, codes[1]), election)


@pytest.fixture
def hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    return HearingFactory(parent=index, title="Cykelstier i Valby", slug="cykelstier-valby")


def answer(client, base_url, hearing, email):
    return services.post_response(client, base_url, hearing, email, "Der mangler cykelstier ved skolen.")


def test_the_response_forms_limit_counts_each_visitor_on_their_own(proxy, hearing, settings):
    settings.HEARING_RESPONSE_RATE_IP = "2/h"
    a, b = proxy.client(VISITOR_A), proxy.client(VISITOR_B)
    assert [answer(a, proxy.url, hearing, f"a{n}@example.org").status_code for n in range(3)] == [302, 302, 429]
    assert answer(b, proxy.url, hearing, "b@example.org").status_code == 302


def failed_login(client, base_url, email):
    page = client.get(base_url + "/konto/login/")
    data = {"csrfmiddlewaretoken": services.csrf_token(page.text), "login": email, "password": "forkert-kodeord"}
    return client.post(base_url + "/konto/login/", data=data, allow_redirects=False)


TOO_MANY = "Der er for mange mislykkede logonforsøg"


def test_allauths_login_limit_counts_each_visitor_on_their_own(proxy, home_page, settings, user_factory):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    for n in range(4):
        user_factory(email=f"borger{n}@example.org")
    a, b = proxy.client(VISITOR_A), proxy.client(VISITOR_B)
    for n in range(3):
        response = failed_login(a, proxy.url, f"borger{n}@example.org")
        assert response.status_code == 200
        assert TOO_MANY not in response.text  # a wrong password, said as such
    assert TOO_MANY in failed_login(a, proxy.url, "borger3@example.org").text
    assert TOO_MANY not in failed_login(b, proxy.url, "borger3@example.org").text
