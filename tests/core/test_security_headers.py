"""Issue 10, what must hold 3: every public page sends a strict Content-Security-Policy (no inline
script, no other host) and a Permissions-Policy, also when it comes from the page cache; the Wagtail
admin gets only the allowances documented in the settings; production sends the same policy.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches

from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.elections import factories as election_factories
from tests.helpers import csp_directives

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
OFF_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def policy_of(response):
    return csp_directives(response["Content-Security-Policy"])


def permissions_of(response):
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


@pytest.fixture
def public_pages(home_page):
    """One page of each public kind, published, with what makes it look as it does in use."""
    council = election_factories.council(home_page)
    hearing = HearingFactory(parent=HearingIndexPageFactory(parent=home_page), title="Trafikplan for Valby")
    election = election_factories.election(council)
    election_factories.candidate(election, "Alice Ahmadi")
    survey = make_survey(SurveyIndexPageFactory(parent=home_page))
    return {
        "home": home_page.url,
        "hearing": hearing.url,
        "council": council.url,
        "election": election.url,
        "survey": survey.url,
        "search": "/soeg/?q=trafik",
    }


def assert_strict(response, what):
    assert response.status_code == 200, what
    policy = policy_of(response)
    assert policy == PUBLIC_POLICY, what
    assert "unsafe-inline" not in response["Content-Security-Policy"], what
    features = permissions_of(response)
    for feature in OFF_FEATURES:
        assert features[feature] == "()", (what, feature)


def test_every_public_page_sends_the_strict_policy_and_the_permissions_policy(client, public_pages):
    for kind, url in public_pages.items():
        response = client.get(url)
        assert_strict(response, kind)
        assert "<script>" not in response.content.decode(), f"{kind} has an inline script"


def test_pages_from_the_page_cache_carry_the_same_headers(client, public_pages, settings):
    settings.PAGE_CACHE_ENABLED = True
    caches["pages"].clear()
    for kind in ("home", "hearing", "council", "election", "survey"):
        first = client.get(public_pages[kind])
        assert first["X-Page-Cache"] == "miss", kind
        again = client.get(public_pages[kind])
        assert again["X-Page-Cache"] == "hit", kind
        assert_strict(again, f"{kind} from the cache")


def test_the_ballot_adds_only_webassembly_to_the_policy(client):
    from django.http import HttpResponse

    from core.csp import add_to_policy
    from elections.views import with_ballot_csp

    response = with_ballot_csp(HttpResponse("ballot"))
    assert response._csp_update == {"script-src": ["'wasm-unsafe-eval'"]}
    assert add_to_policy(response, {"script-src": ["'self'"]})._csp_update == {
        "script-src": ["'wasm-unsafe-eval'", "'self'"]
    }


def test_with_mitid_the_login_form_may_post_to_the_broker_only(client, home_page, settings):
    settings.MITID_OIDC_ISSUER = "https://broker.example/op"
    settings.MITID_OIDC_CLIENT_ID = "medborger"
    settings.MITID_OIDC_CLIENT_SECRET = "hemmelig"  # noqa: S105
    policy = policy_of(client.get("/konto/login/"))
    assert policy["form-action"] == "'self' https://broker.example"
    assert policy["script-src"] == "'self'"

    settings.MITID_OIDC_CLIENT_SECRET = ""  # not configured: no broker named
    assert policy_of(client.get("/konto/login/"))["form-action"] == "'self'"


def test_the_admin_gets_the_documented_allowances_and_no_other_host(staff_client):
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["img-src"] == "'self' data: blob:"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert policy["default-src"] == "'self'" and policy["connect-src"] == "'self'"
    assert "http" not in response["Content-Security-Policy"], "no other host"
    assert permissions_of(response)["camera"] == "()"


def _settings_of(module, **env):
    """CSP, Permissions-Policy and middleware as a settings module defines them, in a fresh process."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'csp': settings.CONTENT_SECURITY_POLICY,"
        " 'admin': settings.CONTENT_SECURITY_POLICY_ADMIN_REPLACE,"
        " 'permissions': settings.PERMISSIONS_POLICY, 'middleware': settings.MIDDLEWARE}))"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("S3_")}
    environment.update(DJANGO_SETTINGS_MODULE=module, **env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_the_policy_the_browser_journeys_run_under():
    production = _settings_of(
        "config.settings.production", SECRET_KEY="p" * 50, VOTER_ID_HMAC_KEY="v" * 50, ALLOWED_HOSTS="medborger.example"
    )
    test = _settings_of("config.settings.test")
    assert production == test
    assert production["csp"]["DIRECTIVES"]["script-src"] == ["'self'"]
    middleware = production["middleware"]
    # Outside the page cache: a page served from it still gets both headers.
    assert middleware.index("core.csp.ContentSecurityPolicyMiddleware") < middleware.index(
        "core.cache.PageCacheMiddleware"
    )
    assert middleware.index("django_permissions_policy.PermissionsPolicyMiddleware") < middleware.index(
        "core.cache.PageCacheMiddleware"
    )


def test_public_images_on_object_storage_are_allowed_from_that_host_only():
    with_bucket = _settings_of(
        "config.settings.test", S3_MEDIA_BUCKET="medier", S3_MEDIA_CUSTOM_DOMAIN="medier.kommune.example"
    )
    assert with_bucket["csp"]["DIRECTIVES"]["img-src"] == ["'self'", "https://medier.kommune.example"]
    assert with_bucket["csp"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'"]
