"""pytest fixtures: the test OpenID Connect provider, and the platform configured to use it as MitID."""

import json
import os
import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CALLBACK_PATH = "/konto/oidc/mitid/login/callback/"
STARTUP_TIMEOUT = 180  # seconds; it migrates a small SQLite database first


@dataclass
class OIDCProvider:
    issuer: str
    client_id: str
    client_secret: str

    @property
    def host(self):
        return urlsplit(self.issuer).netloc

    def configure(self, **data):
        """mode=…, identities={username: claims}, redirect_uris=[…] (see views.configure)."""
        response = requests.post(f"{self.issuer}/test/configure/", data=json.dumps(data), timeout=10)
        response.raise_for_status()
        return response.json()

    def authorize(self, authorize_url, username):
        """Play the citizen at the broker: log in as ``username`` and return the redirect to the callback."""
        session = requests.Session()
        session.post(f"{self.issuer}/login/", data={"username": username}, allow_redirects=False, timeout=10)
        response = session.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The provider process, started once per test run on a port the OS chooses."""
    log = tmp_path_factory.mktemp("oidc-provider") / "provider.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings"}
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.run"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
    try:
        ready, _, _ = select.select([process.stdout], [], [], STARTUP_TIMEOUT)
        line = process.stdout.readline() if ready else ""
        if not line:
            process.kill()
            process.wait(timeout=10)
            raise RuntimeError(f"the test OpenID Connect provider did not start:\n{log.read_text()}")
        yield OIDCProvider(**json.loads(line))
    finally:
        process.stdin.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# A made-up person: the personal number is a test number, no real person's.
CITIZEN = "borger"
CITIZEN_NUMBER = "0101901234"
CITIZEN_CLAIMS = {
    "sub": "8e6ab4ea-58b9-4130-a900-4366ba54eed9",
    "given_name": "Karen",
    "family_name": "Testesen",
    "name": "Karen Testesen",
    "cprNumberIdentifier": CITIZEN_NUMBER,
    "https://data.gov.dk/concept/core/nsis/loa": "Substantial",
    "birthdate": "1990-01-01",
    "identityscheme": "dkmitid",
}


@pytest.fixture
def mitid(oidc_provider, settings):
    """The platform with the test provider as its MitID broker; the provider behaves and knows CITIZEN."""
    settings.MITID_OIDC_ISSUER = oidc_provider.issuer
    settings.MITID_OIDC_CLIENT_ID = oidc_provider.client_id
    settings.MITID_OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.MITID_OIDC_SCOPES = ["openid", "profile", "ssn"]
    oidc_provider.configure(
        mode="normal",
        identities={CITIZEN: CITIZEN_CLAIMS},
        redirect_uris=[f"http://testserver{CALLBACK_PATH}"],
    )
    yield oidc_provider
    oidc_provider.configure(mode="normal")


def callback_path(location):
    """The path and query of the provider's redirect back to the platform."""
    parts = urlsplit(location)
    assert parts.path == CALLBACK_PATH, location
    return f"{parts.path}?{parts.query}"


def log_in_with_mitid(client, provider, username=CITIZEN, next_url=None, process="login"):
    """The whole round trip with Django's test client: the "Log ind med MitID" button (a POST),
    the broker, the callback. Returns (the callback's response, the callback path, for replays)."""
    from users import mitid

    start = client.post(mitid.login_url(next_url, process))
    assert start.status_code == 302, start.content[:500]
    assert start["Location"].startswith(f"{provider.issuer}/authorize/")
    path = callback_path(provider.authorize(start["Location"], username))
    return client.get(path), path
