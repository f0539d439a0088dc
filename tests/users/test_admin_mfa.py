"""Staff cannot use the Wagtail admin before they have set up two-factor authentication."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.helpers import totp_code

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Kodeord-der-er-langt-42"


@pytest.fixture
def staff_without_mfa(user_factory):
    return user_factory(email="redaktoer@kommune.example", is_staff=True, is_superuser=True)


def test_anonymous_admin_visitor_is_sent_to_the_allauth_login(client, home_page):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=/admin/")


def test_wagtails_own_login_form_is_replaced_by_allauth(client, home_page):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=%2Fadmin%2Fpages%2F"


def test_staff_without_mfa_is_refused_with_instructions(client, home_page, staff_without_mfa):
    client.force_login(staff_without_mfa)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/?next=/admin/"

    # The message explains what to do on the next page the person sees.
    page = client.get(response["Location"], follow=True)
    text = page.content.decode()
    assert "Du skal opsætte tofaktorgodkendelse, før du kan bruge administrationen." in text
    assert "godkendelsesapp" in text


def test_staff_with_mfa_gets_into_the_admin(staff_client, home_page):
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    assert b"wagtail" in response.content.lower()


def test_staff_logs_in_to_the_admin_with_password_and_totp(client, home_page, mfa_user):
    user, secret = mfa_user(email="sekretariat@kommune.example", is_staff=True, is_superuser=True)
    response = client.post("/konto/login/?next=/admin/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # the password alone is not enough

    response = client.post("/konto/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (1, True), (-3, False), (3, False)])
def test_a_code_from_the_neighbouring_30_second_step_is_accepted(client, home_page, mfa_user, offset, accepted):
    """A code typed just as the app rolls over still works; an old one does not."""
    user, secret = mfa_user(email="sekretariat@kommune.example", is_staff=True, is_superuser=True)
    client.post("/konto/login/?next=/admin/", {"login": user.email, "password": PASSWORD})
    response = client.post("/konto/2fa/authenticate/", {"code": totp_code(secret, offset=offset)})
    if accepted:
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    else:
        assert response.status_code == 200
        assert "Koden er forkert" in response.content.decode()
        assert client.get("/admin/").status_code == 302


def test_non_staff_user_with_mfa_cannot_use_the_admin(client, home_page, mfa_user):
    user, _secret = mfa_user(email="borger@example.org")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@override_settings(MEDBORGER_ADMIN_REQUIRES_MFA=False)
def test_the_demo_switch_lets_staff_in_without_mfa(client, home_page, staff_without_mfa):
    client.force_login(staff_without_mfa)
    assert client.get("/admin/").status_code == 200


def settings_value(module, **env):
    """MEDBORGER_ADMIN_REQUIRES_MFA as a settings module computes it from the environment."""
    environment = {
        **os.environ,
        "SECRET_KEY": "x" * 60,
        "VOTER_ID_HMAC_KEY": "y" * 60,
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", f"from config.settings import {module} as s; print(s.MEDBORGER_ADMIN_REQUIRES_MFA)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_only_the_local_demo_can_switch_the_requirement_off():
    assert settings_value("dev", MEDBORGER_ADMIN_REQUIRES_MFA="0") == "False"
    assert settings_value("dev") == "True"
    assert settings_value("production", MEDBORGER_ADMIN_REQUIRES_MFA="0") == "True"
    assert settings_value("test", MEDBORGER_ADMIN_REQUIRES_MFA="0") == "True"
