"""The client's address: the one function every rate limit and lockout uses.

Behind a reverse proxy every request arrives from the proxy (REMOTE_ADDR is nginx's address). The
proxy passes the visitor's address in X-Forwarded-For, but any client can send that header too, so
it is believed only when the request comes from one of ``settings.TRUSTED_PROXIES`` (addresses or
CIDR networks). The chain is read from the right – each trusted proxy appended the address it saw –
and the first address that is not a trusted proxy is the client. Without trusted proxies, or from
any other peer, the header is ignored and the client is REMOTE_ADDR.

Used by django-ratelimit (``RATELIMIT_IP_META_KEY``), allauth's rate limits (the account adapter's
``get_client_ip``) and the poll-card login's failure count.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=16)
def _networks(entries):
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc} (use addresses or CIDR networks, comma-separated)") from exc


def trusted_proxies():
    """settings.TRUSTED_PROXIES as networks (ImproperlyConfigured for an entry that is neither)."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _address(value):
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address, networks):
    return any(address in network for network in networks)


def client_ip(request):
    """The address of the client who sent ``request``, as a string."""
    remote = request.META.get("REMOTE_ADDR", "")
    peer = _address(remote)
    networks = trusted_proxies()
    if peer is None or not networks or not _is_trusted(peer, networks):
        return str(peer) if peer is not None else remote
    # Several X-Forwarded-For headers arrive joined by commas, as one chain.
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    client = peer
    for hop in reversed(hops):
        if not hop.strip():
            continue
        address = _address(hop)
        if address is None:
            break  # a malformed entry: nothing to the left of it can be believed
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def check_trusted_proxies(app_configs=None, **kwargs):
    """System check: every TRUSTED_PROXIES entry is an address or a network."""
    try:
        trusted_proxies()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="core.E001")]
    return []
