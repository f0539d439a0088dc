"""'Min side': the account's email, its two-factor status and the sections apps add."""

import re

import pytest

from users import my_page


def test_my_page_requires_login(client, home_page):
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/min-side/"


def test_my_page_shows_email_and_mfa_off(client, home_page, user_factory):
    user = user_factory(email="anna@example.org")
    client.force_login(user)
    html = client.get("/min-side/").content.decode()
    assert "<h1>Min side</h1>" in html
    assert "anna@example.org" in html
    assert "Bekræftet" in html
    assert "<dd>Ikke slået til</dd>" in html
    assert 'href="/konto/2fa/"' in html
    assert 'href="/konto/password/change/"' in html
    assert 'href="/konto/email/"' in html
    # Breadcrumbs: Forside › Min side
    assert re.search(r'aria-current="page"><svg[^>]*>.*?</svg><bdi>Min side</bdi></li>', html)


def test_my_page_shows_mfa_on(client, home_page, mfa_user):
    user, _secret = mfa_user(email="bo@example.org")
    client.force_login(user)
    assert "<dd>Slået til</dd>" in client.get("/min-side/").content.decode()


def test_unverified_email_is_marked(client, home_page, user_factory):
    client.force_login(user_factory(email="ny@example.org", verified=False))
    assert "Ikke bekræftet" in client.get("/min-side/").content.decode()


@pytest.fixture
def demo_section(monkeypatch):
    # tests.home has no my_page module: it is passed over.
    monkeypatch.setattr(my_page, "APPS_WITH_SECTIONS", ("tests.home", "tests.users.sectiondemo"))


def test_sections_from_apps_are_shown(client, home_page, user_factory, demo_section):
    client.force_login(user_factory(email="med.svar@example.org"))
    html = client.get("/min-side/").content.decode()
    assert "<h2>Mine høringssvar</h2>" in html
    assert "<p>3 svar</p>" in html


def test_an_app_may_have_nothing_to_show(client, home_page, user_factory, demo_section):
    client.force_login(user_factory(email="uden@example.org"))
    html = client.get("/min-side/").content.decode()
    assert "Mine høringssvar" not in html
    assert "<h1>Min side</h1>" in html
