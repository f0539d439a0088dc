"""A form sent without its security token (a stale tab, cookies refused) gets the site's own page in
the visitor's language, status 403, with a way back to the page on this site — not Django's bare
»Forbudt (403)«. Nothing the form carried is acted on."""

import re

import pytest
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


def _links(html):
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', html)


def test_a_post_without_the_token_gets_a_danish_explanation_and_a_way_back(strict, home_page):
    response = strict.post("/hoeringer/", {"email": "lise@example.org"})

    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="da"' in html
    assert "<h1>Formularen blev ikke sendt</h1>" in html
    assert "din browser tillader ikke cookies fra dette site" in html
    assert ("/hoeringer/", "Gå tilbage til siden") in _links(html)
    assert "Forbudt" not in html and "CSRF" not in html


def test_in_arabic_the_page_is_arabic_and_right_to_left(strict, home_page):
    html = strict.post("/?lang=ar", {}).content.decode()

    assert re.search(r'<html lang="ar" dir="rtl"', html)
    assert "<h1>لم يتم إرسال النموذج</h1>" in html
    assert ("/", "العودة إلى الصفحة") in _links(html)


def test_the_way_back_never_leads_to_another_site(rf, home_page):
    """A path that a browser would read as another host (//evil.example/…) is not linked to."""
    from django.contrib.auth.models import AnonymousUser

    from home.views import csrf_failure

    request = rf.post("/hoeringer/")
    request.path = request.path_info = "//evil.example/hoeringer/"
    request.user = AnonymousUser()
    with translation.override("da"):
        response = csrf_failure(request, reason="CSRF cookie not set.")

    assert response.status_code == 403
    links = {text: href for href, text in _links(response.content.decode())}
    assert links["Gå tilbage til siden"] == "/"
    assert not [href for href in links.values() if "evil.example" in href]


def test_a_form_with_its_token_is_not_refused(client, home_page):
    """The page is only for a missing or wrong token: the normal client (which passes CSRF) is served."""
    assert Client(enforce_csrf_checks=True).get("/").status_code == 200
    assert client.post("/", {}).status_code != 403
