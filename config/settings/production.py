"""Production: PostgreSQL behind gunicorn. Every secret comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MITID_OIDC_ISSUER, env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
VOTER_ID_HMAC_KEY = os.environ.get("VOTER_ID_HMAC_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")
if not VOTER_ID_HMAC_KEY:
    raise ImproperlyConfigured("Set VOTER_ID_HMAC_KEY in the environment (not equal to SECRET_KEY).")
if VOTER_ID_HMAC_KEY == SECRET_KEY:
    raise ImproperlyConfigured("VOTER_ID_HMAC_KEY must differ from SECRET_KEY: give it a random value of its own.")
if MITID_OIDC_ISSUER and not MITID_OIDC_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("MITID_OIDC_ISSUER must be an https:// address in production.")

STORAGES = {
    **STORAGES,  # noqa: F405 – media (and private files) on local disk or S3, from the environment
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Staff always need two-factor authentication for the admin in production (no switch here).
MEDBORGER_ADMIN_REQUIRES_MFA = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
