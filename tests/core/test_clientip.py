"""core.clientip: X-Forwarded-For is believed only from TRUSTED_PROXIES, read from the right."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory

from core.clientip import client_ip


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_from_a_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request("10.0.0.5", "203.0.113.7")) == "203.0.113.7"


def test_from_any_other_peer_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request("203.0.113.9", "203.0.113.7")) == "203.0.113.9"


def test_a_spoofed_start_of_the_chain_is_ignored(settings):
    """A client that sends its own X-Forwarded-For to a proxy that appends gets it prepended."""
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request("10.0.0.5", "198.51.100.1, 203.0.113.7")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_and_networks(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.0.2.10"]
    assert client_ip(request("10.0.0.5", "198.51.100.1, 203.0.113.7, 192.0.2.10, 10.0.0.9")) == "203.0.113.7"


def test_entries_without_spaces(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request("10.0.0.5", "198.51.100.1,203.0.113.7")) == "203.0.113.7"


def test_a_malformed_entry_stops_the_walk(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(request("10.0.0.5", "203.0.113.7, nonsense, 10.0.0.9")) == "10.0.0.9"
    assert client_ip(request("10.0.0.5", "")) == "10.0.0.5"


def test_ipv6_and_ipv4_mapped_addresses(settings):
    settings.TRUSTED_PROXIES = ["::1", "fd00::/8"]
    assert client_ip(request("::1", "2001:db8::42")) == "2001:db8::42"
    assert client_ip(request("fd00::3", "::ffff:203.0.113.7")) == "203.0.113.7"


def test_a_bad_setting_fails_the_system_check(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(SystemCheckError, match="TRUSTED_PROXIES"):
        call_command("check")


def test_rate_limits_and_allauth_use_it(settings):
    """django-ratelimit's key "ip" and allauth's rate limits see the client, not the proxy."""
    from allauth.account.adapter import get_adapter
    from django_ratelimit.core import get_usage

    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    behind_proxy = request("10.0.0.5", "203.0.113.7")
    assert get_adapter(behind_proxy).get_client_ip(behind_proxy) == "203.0.113.7"
    first = get_usage(behind_proxy, group="t", key="ip", rate="5/m", increment=True)
    other = get_usage(request("10.0.0.5", "203.0.113.8"), group="t", key="ip", rate="5/m", increment=True)
    again = get_usage(behind_proxy, group="t", key="ip", rate="5/m", increment=True)
    assert (first["count"], other["count"], again["count"]) == (1, 1, 2)
