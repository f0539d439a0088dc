"""Fixtures of the deployment tests: a local S3 server, nginx from the repository's site file in
front of the live server, and (in the tests that need them) gunicorn app servers and the task
worker as subprocesses. Everything they start is stopped when the fixture ends."""

import secrets

import pytest
from django.conf import settings

from tests.deploy import services

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# App servers and workers in other processes share the test database. They run against PostgreSQL,
# as in production; CI's second run of the whole suite is on PostgreSQL and runs them there.
postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="app servers and workers in separate processes run against PostgreSQL (CI's PostgreSQL run covers them)",
)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server on loopback for the whole session (each test makes its own buckets)."""
    with services.moto_s3(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def s3_buckets(s3_server):
    """A fresh (media bucket, private bucket) pair on the local S3 server."""
    token = secrets.token_hex(4)
    return s3_server.create_bucket(f"media-{token}"), s3_server.create_bucket(f"private-{token}")


@pytest.fixture(scope="session")
def proxy(live_server, tmp_path_factory):
    """nginx (deploy/nginx/medborger.conf, TLS on loopback) in front of pytest-django's live server."""
    port = int(live_server.url.rsplit(":", 1)[1])
    with services.nginx(
        tmp_path_factory.mktemp("nginx"), [port], static_root=settings.STATIC_ROOT, media_root=settings.MEDIA_ROOT
    ) as server:
        yield server


@pytest.fixture
def root_collection(db):
    """Wagtail's root collection (transactional tests elsewhere flush the one its migration made)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")
