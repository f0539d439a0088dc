"""Start the test OpenID Connect provider on 127.0.0.1 at a port the OS chooses.

    python -m tests.oidc_provider.run

Prints one JSON line {"issuer", "client_id", "client_secret"} when it serves, then serves until
its standard input closes (the test run ended or died) or it is terminated.
"""

import json
import os
import secrets
import sys
import tempfile
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the signature of the base class)
        pass


def _private_key_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _exit_when_stdin_closes(server):
    sys.stdin.read()
    server.shutdown()


def main():
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    workdir = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        OIDC_PROVIDER_ISSUER=issuer,
        OIDC_PROVIDER_RSA_KEY=_private_key_pem(),
        OIDC_PROVIDER_DB=str(workdir / "provider.sqlite3"),
        OIDC_PROVIDER_SECRET_KEY=secrets.token_urlsafe(32),
    )
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0)
    application_model = get_application_model()
    client_id, client_secret = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    application_model.objects.create(
        name="Medborger (test)",
        client_id=client_id,
        client_secret=client_secret,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://testserver/konto/oidc/mitid/login/callback/",
        algorithm=application_model.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server.set_app(WSGIHandler())
    threading.Thread(target=_exit_when_stdin_closes, args=(server,), daemon=True).start()
    print(json.dumps({"issuer": issuer, "client_id": client_id, "client_secret": client_secret}), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
