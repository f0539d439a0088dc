"""Issue 14, the page cache across machines: two gunicorn app servers sharing Redis (DB 5, a key
prefix of their own) behind nginx from deploy/nginx/medborger.conf, with PAGE_CACHE_PROXY_URL
pointing at that nginx. A purge made by one server is seen through the other and through nginx.
"""

import re
import secrets

import pytest
import redis

from consultations.models import Response
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory, ResponseFactory
from tests.deploy import services
from tests.deploy.conftest import postgresql_only
from tests.helpers import csp_directives

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/5"
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(scope="module")
def redis_prefix():
    return f"pagecache-test-{secrets.token_hex(4)}"


@pytest.fixture(autouse=True)
def fresh_shared_cache(redis_prefix):
    services.forget_shared_cache(REDIS_URL, redis_prefix)


@pytest.fixture(scope="module")
def site(django_db_setup, tmp_path_factory, redis_prefix):
    """Servers A and B and nginx in front; the servers purge nginx through HTTPS."""
    from django.db import connection

    prefix = redis_prefix
    server = redis.Redis.from_url(REDIS_URL)
    server.ping()
    nginx_dir = tmp_path_factory.mktemp("nginx")
    certificate = services.self_signed_certificate(nginx_dir)
    ports = services.free_port(), services.free_port()
    shared = {
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,
        "TRUSTED_PROXIES": "127.0.0.1",
        "PAGE_CACHE_PROXY_URL": f"https://127.0.0.1:{ports[1]}",
        "SSL_CERT_FILE": certificate[0],  # the purges trust nginx's throw-away certificate
    }
    database = services.database_url(connection.settings_dict)
    workdirs = [tmp_path_factory.mktemp(name) for name in ("edge-a", "edge-b")]
    with (
        services.gunicorn(services.server_environment(database, workdirs[0], **shared), workdirs[0]) as a,
        services.gunicorn(services.server_environment(database, workdirs[1], **shared), workdirs[1]) as b,
        services.nginx(
            nginx_dir,
            [a.port, b.port],
            static_root=nginx_dir,
            media_root=nginx_dir,
            ports=ports,
            certificate=certificate,
        ) as proxy,
    ):
        yield a, b, proxy
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.fixture
def hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    hearing = HearingFactory(parent=index, title="Havnebad i Sydhavnen", slug=f"havnebad-{secrets.token_hex(3)}")
    ResponseFactory(hearing=hearing, published=True, name="Bente Borger", text="Et svar om havnebadet")
    return hearing


def withhold_on(server, response):
    """The moderator's action, in a process of that server (its settings, cache and purges)."""
    services.manage(
        server.env,
        "shell",
        "-c",
        f"from consultations.models import Response; Response.objects.get(pk={response.pk}).withhold('Navn på nabo')",
    )


def test_a_purge_made_by_one_server_is_seen_through_the_other(site, hearing):
    a, b, _proxy = site
    site_host = {"Host": "127.0.0.1"}  # as behind the proxy: one site name, whichever server answers

    def visit(server):
        return services.client_from().get(server.url + hearing.url, headers=site_host)

    assert "Bente Borger" in visit(b).text
    assert visit(b).headers["X-Page-Cache"] == "hit"
    assert visit(a).headers["X-Page-Cache"] == "hit"  # one cache for both servers

    withhold_on(a, Response.objects.get(hearing=hearing))

    after = visit(b)
    assert after.headers["X-Page-Cache"] == "miss"
    assert "Bente Borger" not in after.text and "Et svar om havnebadet" not in after.text


def test_nginx_keeps_anonymous_pages_fills_each_visitors_tokens_and_is_purged(site, hearing):
    _a, b, proxy = site
    url = proxy.url + hearing.url
    first, second = proxy.client("127.0.0.2"), proxy.client("127.0.0.3")
    for visitor in (first, second):
        # The first visit has no CSRF cookie yet: the app answers and sets it.
        assert visitor.get(url).headers["X-Edge-Cache"] == "BYPASS"
    first.get(url)
    pages = [first.get(url), second.get(url)]
    assert [page.headers["X-Edge-Cache"] for page in pages] == ["HIT", "HIT"]
    for page in pages:  # what nginx keeps, it sends with the app's security headers
        assert csp_directives(page.headers["Content-Security-Policy"])["script-src"] == "'self'"
        assert "camera=()" in page.headers["Permissions-Policy"]
    for visitor, page in zip((first, second), pages, strict=True):
        assert "Bente Borger" in page.text
        assert set(CSRF.findall(page.text)) == {visitor.cookies["csrftoken"]}
    keys = [SUBMISSION_KEY.search(page.text).group(1) for page in pages]
    assert keys[0] != keys[1] and all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys)

    # The form of the page nginx kept works (no JavaScript involved).
    posted = second.post(
        url,
        data={
            "csrfmiddlewaretoken": second.cookies["csrftoken"],
            "submission_key": keys[1],
            "name": "Carl Cyklist",
            "email": "carl@example.org",
            "postcode": "2450",
            "respondent": "person",
            "text": "Gerne et havnebad.",
            "consent": "on",
            "website": "",
        },
        headers={"Referer": url},
        allow_redirects=False,
    )
    assert posted.status_code == 302, posted.text[:1000]
    assert Response.objects.filter(hearing=hearing, name="Carl Cyklist").count() == 1

    # A visitor may not purge; an app server may, and does when a response is withheld.
    assert first.request("PURGE", url).status_code == 403
    withhold_on(b, Response.objects.get(hearing=hearing, name="Bente Borger"))
    after = first.get(url)
    assert after.headers["X-Edge-Cache"] == "HIT"  # kept again: fetched afresh by the purge
    assert "Bente Borger" not in after.text


def test_logged_in_visitors_pass_nginx_and_the_app_cache(site, hearing, user_factory):
    _a, _b, proxy = site
    user_factory(email="dorte@example.org", password="Kodeord-der-er-langt-42", first_name="Dorte")
    client = proxy.client("127.0.0.4")
    login = client.get(proxy.url + "/konto/login/")
    client.post(
        proxy.url + "/konto/login/",
        data={
            "csrfmiddlewaretoken": services.csrf_token(login.text),
            "login": "dorte@example.org",
            "password": "Kodeord-der-er-langt-42",
        },
        headers={"Referer": proxy.url + "/konto/login/"},
        allow_redirects=False,
    )
    page = client.get(proxy.url + hearing.url)
    assert page.headers["X-Edge-Cache"] == "BYPASS"
    assert "X-Page-Cache" not in page.headers
    assert page.headers["Cache-Control"] == "private"
    assert 'value="dorte@example.org"' in page.text
