"""Production settings with the documented environment variables pass `check --deploy` cleanly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.checks import check_base_url_https, check_voter_id_key

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # A clean environment: the test run's own settings (and conftest's DJANGO_ALLOW_ASYNC_UNSAFE) stay out.
    inherited = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    environment = {key: value for key, value in os.environ.items() if key in inherited}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def documented_environment():
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "VOTER_ID_HMAC_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "medborger.kommune.example",
        "BASE_URL": "https://medborger.kommune.example",
        "DATABASE_URL": "postgres://medborger:hemmelig@db.kommune.example:5432/medborger",
    }


def test_check_deploy_has_no_warnings():
    result = run_manage("check", "--deploy", **documented_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_production_refuses_to_start_without_secrets():
    environment = documented_environment()
    del environment["SECRET_KEY"]
    result = run_manage("check", **environment)
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment." in result.stderr

    environment = documented_environment()
    del environment["VOTER_ID_HMAC_KEY"]
    result = run_manage("check", **environment)
    assert result.returncode != 0
    assert "Set VOTER_ID_HMAC_KEY" in result.stderr


def test_production_refuses_to_start_when_the_voter_key_is_the_secret_key():
    environment = documented_environment()
    environment["VOTER_ID_HMAC_KEY"] = environment["SECRET_KEY"]
    result = run_manage("check", "--deploy", **environment)
    assert result.returncode != 0
    assert "VOTER_ID_HMAC_KEY must differ from SECRET_KEY" in result.stderr


def test_check_deploy_fails_when_the_voter_key_is_the_secret_key(settings):
    settings.VOTER_ID_HMAC_KEY = settings.SECRET_KEY
    with pytest.raises(SystemCheckError, match=r"medborger\.E001.*VOTER_ID_HMAC_KEY is the same as SECRET_KEY"):
        call_command("check", "--deploy")


def test_the_key_check_passes_with_a_voter_key_of_its_own(settings):
    settings.VOTER_ID_HMAC_KEY = "a-key-of-its-own"
    assert check_voter_id_key() == []
    settings.VOTER_ID_HMAC_KEY = settings.SECRET_KEY
    assert [error.id for error in check_voter_id_key()] == ["medborger.E001"]


def test_check_deploy_warns_when_base_url_is_not_https(settings):
    """Emails' links, List-Unsubscribe included, are built on BASE_URL; RFC 8058 one-click needs https."""
    settings.BASE_URL = "http://medborger.kommune.example"
    assert [w.id for w in check_base_url_https()] == ["medborger.W001"]
    settings.BASE_URL = "https://medborger.kommune.example"
    assert check_base_url_https() == []


def test_check_deploy_names_a_plain_http_base_url():
    environment = {**documented_environment(), "BASE_URL": "http://medborger.kommune.example"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode != 0
    assert "medborger.W001" in result.stdout + result.stderr
