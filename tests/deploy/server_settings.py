"""Settings of the app servers and task workers that the deployment tests start as subprocesses.

Production settings as deployed – django-tasks-db's DatabaseBackend, Redis from REDIS_URL, S3 from
the S3_* variables, TRUSTED_PROXIES – with only what a loopback test cannot have changed:
plain HTTP to gunicorn (no HTTPS redirect, cookies not marked Secure), the static files that
`make test` collects without a manifest, a fast password hasher, and emails written to files
in EMAIL_FILE_PATH so a test can read what the worker sent.
"""

import os

from config.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
