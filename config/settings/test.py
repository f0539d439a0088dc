"""Test settings: fast hasher, in-memory cache and email, immediate tasks."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
VOTER_ID_HMAC_KEY = "test-only-voter-id-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Off for the suite (tests change rows directly and read the page at once); the page-cache tests
# switch it on (tests/core/test_page_cache.py).
PAGE_CACHE_ENABLED = False
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="medborger-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="medborger-private-"))
MEDBORGER_ADMIN_REQUIRES_MFA = True
WAGTAILADMIN_BASE_URL = "http://testserver"
BASE_URL = WAGTAILADMIN_BASE_URL

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not in memory: SQLite's shared in-memory cache answers concurrent
    # writers with "table is locked" at once instead of letting them wait their turn, and the tests
    # of simultaneous check-ins and votes need them to wait as they would in a real deployment.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="medborger-testdb-")) / "test.sqlite3"),
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"  # noqa: F405
