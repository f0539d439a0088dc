"""The reverse proxy: deploy/nginx/medborger.conf, rendered and run by nginx on loopback in front of
the app, terminates TLS, redirects plain HTTP, tells the app the request was HTTPS, serves the
static files itself and never serves anything under /media/ but public images."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.deploy import services
from tests.helpers import csp_directives

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_placeholder_in_the_site_file_must_be_filled():
    with pytest.raises(ValueError, match="APP_SERVERS"):
        services.render_nginx_site(SERVER_NAME="medborger.kommune.dk")


def test_the_site_is_served_over_https_through_nginx(proxy, home_page):
    response = proxy.client().get(proxy.url + "/")
    assert response.status_code == 200
    assert response.headers["Server"] == "nginx"  # server_tokens off: no version
    assert home_page.title in response.text


def test_plain_http_is_redirected_to_https(proxy, home_page):
    response = proxy.client().get(proxy.http_url + "/hoeringer/?side=2", allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1/hoeringer/?side=2"


def test_static_files_come_from_disk_with_an_expiry(proxy):
    css = Path(settings.STATIC_ROOT) / "dkfds" / "css" / "dkfds.min.css"
    response = proxy.client().get(proxy.url + "/static/dkfds/css/dkfds.min.css")
    assert response.status_code == 200
    assert response.content == css.read_bytes()
    assert response.headers["Cache-Control"] == "max-age=604800"


def test_a_static_file_not_on_this_machine_falls_back_to_the_app(proxy, home_page):
    response = proxy.client().get(proxy.url + "/static/ikke-her.css")
    assert response.status_code == 404
    assert "<h1>Siden findes ikke</h1>" in response.text  # the app's 404 page, not nginx's


def test_the_security_headers_reach_the_visitor_through_nginx(proxy, home_page, client):
    """nginx must neither drop nor replace the app's Content-Security-Policy and Permissions-Policy."""
    direct = client.get("/")
    response = proxy.client().get(proxy.url + "/")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == direct["Content-Security-Policy"]
    assert csp_directives(response.headers["Content-Security-Policy"])["script-src"] == "'self'"
    assert response.headers["Permissions-Policy"] == direct["Permissions-Policy"]
