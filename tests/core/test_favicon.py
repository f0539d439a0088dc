"""The site's icon. Every page names it, and /favicon.ico (what a browser or feed reader asks for
when no page names one) sends the browser to it instead of rendering the 404 page, which would
also renew the visitor's CSRF cookie (a browser's icon request still in flight when its cookies
are cleared put the old cookie back and a form sent "without cookies" went through)."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_every_page_names_the_icon(client, home_page):
    page = client.get("/")
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page.content.decode()


def test_favicon_ico_leads_to_the_icon_without_touching_cookies(client, home_page):
    client.get("/")
    assert "csrftoken" in client.cookies

    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert finders.find("img/favicon.svg")
