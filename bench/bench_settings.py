"""Settings for the benchmark: production settings, plain static storage, no HTTPS redirect on loopback."""

from config.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Warnings and errors on the console (gunicorn's stderr): a refused request or a 500 in a benchmark
# says why (django.security.csrf names the CSRF reason, django.request prints the traceback).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
ROOT_URLCONF = "bench_urls"
# The bare baseline view is not a page: the page cache does not look it up.
PAGE_CACHE_SKIP_PATHS = [*PAGE_CACHE_SKIP_PATHS, "/bench/"]  # noqa: F405
