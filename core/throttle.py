"""A growing delay for logins from an address that keeps getting them wrong.

Everyone behind one address (a library's network, a language school's, a mobile operator's NAT)
shares it, so the address must never lock anyone out: only refused attempts count, and after
``LOGIN_FAILURES_FREE`` of them within ``LOGIN_FAILURE_WINDOW_MINUTES`` the next attempt from that
address must wait ``LOGIN_DELAY_FIRST_SECONDS``, then twice as long after each further refusal, up
to ``LOGIN_DELAY_MAX_SECONDS``. An attempt that comes too early is not checked and not counted; it
gets ``wait_message`` (the form keeps what was typed) and goes through once the wait is over.
What locks is the account or the poll card itself (users.adapters, elections.voting).

Used by the poll-card login (failures in the database, elections.models.PollCardFailure) and by the
account login (failures in the cache, ``AddressFailures``).
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext, gettext_noop

WAIT = gettext_noop("Der har været mange forkerte forsøg fra dit netværk. Vent %(seconds)s sekunder, og prøv igen.")


def window_seconds():
    return settings.LOGIN_FAILURE_WINDOW_MINUTES * 60


def delay_after(failures):
    """Seconds the address waits after its latest refusal, with ``failures`` refusals in the window."""
    free = settings.LOGIN_FAILURES_FREE
    if failures < free:
        return 0
    return min(settings.LOGIN_DELAY_MAX_SECONDS, settings.LOGIN_DELAY_FIRST_SECONDS * 2 ** (failures - free))


def seconds_to_wait(failures, latest, now):
    """Whole seconds (0: none) before the next attempt is checked; ``latest``/``now`` in seconds."""
    if not failures:
        return 0
    remaining = latest + delay_after(failures) - now
    # At least 2, so the message never says »1 sekunder«; a second more is no harm.
    return max(2, math.ceil(remaining)) if remaining > 0 else 0


def wait_message(seconds):
    return gettext(WAIT) % {"seconds": seconds}


class AddressFailures:
    """Refused attempts per client address, in the cache (Redis in production), for one ``scope``."""

    def __init__(self, scope):
        self.scope = scope

    def _key(self, address):
        return f"throttle:{self.scope}:{address}"

    def _recent(self, address, now):
        since = now - window_seconds()
        return [t for t in cache.get(self._key(address), []) if t > since]

    def wait(self, address):
        now = time.time()
        times = self._recent(address, now)
        return seconds_to_wait(len(times), max(times, default=0), now)

    def record(self, address):
        now = time.time()
        times = self._recent(address, now) + [now]
        cache.set(self._key(address), times, window_seconds())
