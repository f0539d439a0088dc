"""Issue 10: a NUL (%00) in a public address or form field, or a form body declared in a charset
that is not ASCII-compatible, gets the site's 400 page in Danish – never a 500 – and stores nothing."""

import pytest
from django.test import Client

from consultations.models import Subscription

pytestmark = pytest.mark.django_db

HEADING = "Vi kan ikke læse forespørgslen"

PUBLIC_URLS_WITH_NUL = [
    "/hoeringer/abonnement/bekraeft/abc%00def/",
    "/hoeringer/abonnement/vis/abc%00def/",
    "/hoeringer/abonnement/afmeld/abc%00def/",
    "/raad/valby%00/kalender.ics",
    "/hoeringer/feeds/emne/trafik%00/rss/",
    "/soeg/?q=cykel%00sti",
    "/hoeringer/?emne=trafik%00",
    "/valg/1/kontrol/?kode=ABCD%00",
]


@pytest.fixture
def client():
    # A real browser gets a response, never an exception: let the handler turn errors into pages.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", PUBLIC_URLS_WITH_NUL)
def test_nul_in_a_public_address_gets_the_400_page(client, home_page, url):
    answer = client.get(url)
    assert answer.status_code == 400
    assert HEADING in answer.content.decode()


def test_ordinary_addresses_still_work(client, home_page):
    assert client.get("/soeg/?q=cykelsti").status_code == 200


def test_form_body_in_utf16_is_refused_and_nothing_stored(client, home_page):
    body = "email=borger@example.org&website="  # the test client encodes it in the declared charset
    answer = client.post(
        "/hoeringer/abonnement/", body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert answer.status_code == 400
    assert HEADING in answer.content.decode()
    assert not Subscription.objects.exists()


def test_nul_in_a_form_field_is_refused_and_nothing_stored(client, home_page):
    answer = client.post("/hoeringer/abonnement/", {"email": "borger\x00@example.org", "website": ""})
    assert answer.status_code == 400
    assert HEADING in answer.content.decode()
    assert not Subscription.objects.exists()
