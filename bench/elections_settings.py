"""Settings for the elections benchmark: the shared bench settings, with rate limits off.

All simulated voters come from 127.0.0.1, so the per-address rate limit on the poll-card form
would otherwise stop the load after 20 requests a minute.
"""

from bench_settings import *  # noqa: F403

RATELIMIT_ENABLE = False
