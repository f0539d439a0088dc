"""Issue 14, two app servers: two gunicorn instances with production settings and separate local
disks (MEDIA_ROOT, PRIVATE_MEDIA_ROOT, TMPDIR), sharing only PostgreSQL, Redis (DB 5, a key prefix of
their own) and the local S3 server, serve the same site – directly and behind nginx.

Structured for the page cache to come: ``servers`` is the pair; a test that purges the cache through
one server and reads the page through the other belongs here.
"""

import secrets
from pathlib import Path

import pytest
import redis

from consultations.models import ResponseAttachment
from tests.consultations.factories import MINIMAL_PDF, HearingFactory, HearingIndexPageFactory
from tests.deploy import services
from tests.deploy.conftest import postgresql_only

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/5"
PASSWORD = "Kodeord-der-er-langt-42"
TOO_MANY = "Der er for mange mislykkede logonforsøg"
WAIT = "Der har været mange forkerte forsøg fra dit netværk. Vent"


@pytest.fixture(scope="module")
def redis_prefix():
    prefix = f"infra-test-{secrets.token_hex(4)}"
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()  # the machine's Redis (README); fails loudly if it is not there
    yield prefix
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)
    connection.close()


@pytest.fixture(autouse=True)
def fresh_shared_cache(redis_prefix):
    services.forget_shared_cache(REDIS_URL, redis_prefix)


@pytest.fixture(scope="module")
def servers(django_db_setup, s3_server, redis_prefix, tmp_path_factory):
    """Servers A and B. Only the database, Redis and S3 are common to them."""
    from django.db import connection

    token = secrets.token_hex(4)
    media_bucket, private_bucket = (
        s3_server.create_bucket(f"media-{token}"),
        s3_server.create_bucket(f"private-{token}"),
    )
    database = services.database_url(connection.settings_dict)
    shared = {
        **s3_server.environment(media_bucket=media_bucket, private_bucket=private_bucket),
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": redis_prefix,
        "TRUSTED_PROXIES": "127.0.0.1",
        "LOGIN_DELAY_FIRST_SECONDS": "60",  # no race between a slow machine and a 2-second wait
    }
    workdirs = [tmp_path_factory.mktemp(name) for name in ("server-a", "server-b")]
    with (
        services.gunicorn(services.server_environment(database, workdirs[0], **shared), workdirs[0]) as a,
        services.gunicorn(services.server_environment(database, workdirs[1], **shared), workdirs[1]) as b,
    ):
        yield a, b, private_bucket


@pytest.fixture
def hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    return HearingFactory(parent=index, title="Skolevej i Valby", slug="skolevej-valby")


@pytest.fixture
def citizen(user_factory):
    return user_factory(email="amira@example.org", password=PASSWORD)


def log_in(client, base_url, email, password=PASSWORD, headers=None):
    page = client.get(base_url + "/konto/login/")
    data = {"csrfmiddlewaretoken": services.csrf_token(page.text), "login": email, "password": password}
    return client.post(base_url + "/konto/login/", data=data, headers=headers or {}, allow_redirects=False)


def local_files(server):
    return [
        p for p in Path(server.workdir).rglob("*") if p.is_file() and p.parent.name != "mail" and p.suffix != ".log"
    ]


def test_an_attachment_uploaded_through_one_server_downloads_through_the_other(servers, s3_server, hearing, citizen):
    a, b, private_bucket = servers
    client = services.client_from()
    assert log_in(client, a.url, citizen.email).status_code == 302

    posted = services.post_response(
        client,
        a.url,
        hearing,
        citizen.email,
        "Skolevejen mangler et fodgængerfelt.",
        files={"attachments": ("skitse.pdf", MINIMAL_PDF, "application/pdf")},
    )
    assert posted.status_code == 302, posted.text[:2000]
    attachment = ResponseAttachment.objects.get()
    assert s3_server.keys(private_bucket) == [f"private/{attachment.file.name}"]
    assert local_files(a) == [] and local_files(b) == []

    # Server B has never seen the file or the login: the session is in PostgreSQL, the file in S3.
    download = client.get(b.url + attachment.get_absolute_url())
    assert download.status_code == 200
    assert download.content == MINIMAL_PDF
    assert download.headers["Content-Disposition"] == 'attachment; filename="skitse.pdf"'
    assert services.client_from().get(b.url + attachment.get_absolute_url()).status_code == 404
    assert local_files(b) == []


def test_a_session_started_on_one_server_is_known_to_the_other(servers, citizen, home_page):
    a, b, _bucket = servers
    client = services.client_from()
    assert log_in(client, a.url, citizen.email).status_code == 302
    my_page = client.get(b.url + "/min-side/", allow_redirects=False)
    assert my_page.status_code == 200
    assert citizen.email in my_page.text


def test_rate_limits_count_across_both_servers(servers, home_page):
    """After 10 failed logins from one address it waits before the next is checked (core.throttle,
    in Redis): alternating servers does not double it. (Each attempt names another account, so only
    the per-address count applies.)"""
    a, b, _bucket = servers
    client = services.client_from()
    for n in range(10):
        server = (a, b)[n % 2]
        text = log_in(client, server.url, f"ukendt{n}@example.org", password="forkert").text
        assert TOO_MANY not in text and WAIT not in text
    assert WAIT in log_in(client, a.url, "ukendt10@example.org", password="forkert").text
    assert WAIT in log_in(client, b.url, "ukendt11@example.org", password="forkert").text


def test_behind_nginx_both_servers_serve_one_site_over_https(servers, citizen, home_page, tmp_path):
    a, b, _bucket = servers
    with services.nginx(tmp_path / "nginx", [a.port, b.port], static_root=tmp_path, media_root=tmp_path) as proxy:
        client = proxy.client("127.0.0.2")
        # An HTTPS form post needs a Referer from the same origin: the app knows it is HTTPS.
        assert (
            log_in(client, proxy.url, citizen.email, headers={"Referer": proxy.url + "/konto/login/"}).status_code
            == 302
        )
        before = a.requests_served("/min-side/"), b.requests_served("/min-side/")
        pages = [client.get(proxy.url + "/min-side/", allow_redirects=False) for _ in range(4)]
        assert [page.status_code for page in pages] == [200, 200, 200, 200]
        assert all(citizen.email in page.text for page in pages)
        # HSTS is sent only on requests Django sees as HTTPS (X-Forwarded-Proto from the trusted proxy).
        assert all(page.headers["Strict-Transport-Security"].startswith("max-age=31536000") for page in pages)

        def served():
            return a.requests_served("/min-side/") - before[0], b.requests_served("/min-side/") - before[1]

        # (gunicorn writes the access log line just after the response: wait for all four.)
        services.wait_for(lambda: sum(served()) == 4, timeout=10, what="four access log lines")
        assert served() == (2, 2)  # nginx spreads them over both servers
    assert "Strict-Transport-Security" not in services.client_from().get(a.url + "/").headers


def test_a_site_changed_in_another_process_is_used_by_both_servers_at_once(servers, hearing):
    """Each server keeps the site of a host in its memory (core.cache.site_for_request) under the site
    generation in Redis: a Site saved in another process (here a management command with the
    servers' settings, as an editor on another server would) reaches both at their next request."""
    a, b, _bucket = servers
    index = hearing.get_parent()
    client = services.client_from()
    for server in (a, b, a, b):  # each server keeps the default site: the hearing is under its index
        assert client.get(server.url + "/").status_code == 200
        assert client.get(server.url + hearing.url).status_code == 200
        assert client.get(server.url + "/skolevej-valby/").status_code == 404
    services.manage(
        a.env,
        "shell",
        "-c",
        "from wagtail.models import Page, Site; site = Site.objects.get(is_default_site=True); "
        f"site.root_page = Page.objects.get(pk={index.pk}); site.save()",
    )
    for server in (a, b):  # the hearing index is the site's root now, on both
        assert client.get(server.url + "/skolevej-valby/").status_code == 200, server
        assert client.get(server.url + hearing.url).status_code == 404, server
