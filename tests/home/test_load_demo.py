"""`make run` loads the demo and says where its admin is: on the address the site runs at
(BASE_URL, which `make run` sets from HOST and PORT), not a fixed http://127.0.0.1:8000. (The demo's
content itself is loaded and browsed by tests/e2e/test_mobile_pages.py; here only the message.)"""

import io

import pytest
from django.core.management import call_command

from home.management.commands import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_names_the_admin_at_the_sites_own_address(settings, monkeypatch, home_page):
    monkeypatch.setattr(load_demo, "load_site", lambda: home_page)
    monkeypatch.setattr(load_demo, "DEMO_APPS", ())
    settings.BASE_URL = "http://127.0.0.1:8123"
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "admin@medborger.example / demo-admin-medborger at http://127.0.0.1:8123/admin/" in out.getvalue()
