"""Settings shared by every environment. Configuration comes from the environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.conf import locale as django_locale

from core import languages as site_languages

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form sent without its token gets the site's own page in the visitor's language (home.views).
CSRF_FAILURE_VIEW = "home.views.csrf_failure"

# Keyed hash for personal numbers (CPR). Never SECRET_KEY; see README.
VOTER_ID_HMAC_KEY = os.environ.get("VOTER_ID_HMAC_KEY", "")

INSTALLED_APPS = [
    "core",
    "home",
    "users",
    "councils",
    "consultations",
    "elections",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so pages served from it carry the headers as well.
    "core.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "home.middleware.DanishFirstLocaleMiddleware",
    "core.middleware.RefuseMalformedInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous visitors get public pages from the page cache (inside CSRF: it sets the token cookie).
    "core.cache.PageCacheMiddleware",
    # What the page cache does not answer: the page of an address found in one query (core.cache).
    "core.cache.PageRouteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A hearing whose approval the required-consultee rules refuse: a message, not an error page.
    "consultations.middleware.RefusedPublicationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "users.middleware.AdminRequiresMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_context",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # BEGIN IMMEDIATE: a transaction takes the write lock up front and others wait for it (up to
    # the timeout) instead of failing with "database is locked" when a read turns into a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: Danish first, English second.
LANGUAGE_CODE = "da"
# The public site's languages, each named in its own language (core/languages.py: the registry with
# direction and review status). The admin stays Danish/English (WAGTAILADMIN_PERMITTED_LANGUAGES).
LANGUAGES = site_languages.settings_languages()
django_locale.LANG_INFO.update(site_languages.EXTRA_LANG_INFO)  # Django has no Somali locale data
# site/locale is the site catalog (makemessages writes there: keep it first). site/locale_overrides
# holds consistent Danish wording for django-allauth; both win over the apps' own catalogs.
LOCALE_PATHS = [
    BASE_DIR / "site" / "locale",
    BASE_DIR / "site" / "locale_overrides",  # allauth wording
    BASE_DIR / "site" / "locale_wagtail",  # Danish for Wagtail admin strings Wagtail leaves in English
]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "medborger_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the choice is remembered across visits (a year)
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "site" / "static",
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    # libsodium for the ballot and trustee code in the browser (plain scripts, no bundler):
    # static/libsodium/libsodium-sumo.js, then static/libsodium/libsodium-wrappers.js.
    ("libsodium", BASE_DIR / "node_modules" / "libsodium-sumo" / "dist" / "modules-sumo"),
    ("libsodium", BASE_DIR / "node_modules" / "libsodium-wrappers-sumo" / "dist" / "modules-sumo"),
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Private uploads (hearing response attachments; later survey exports and poll-card letters) live
# outside MEDIA_ROOT and are served only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))


# Files on S3-compatible object storage (README "Object storage"): when a bucket is named, that kind
# of file lives there instead of on the local disk, so several app servers share no disk.
def s3_storage(bucket, **options):
    """django-storages' S3 backend for one bucket, configured from the environment."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            # Objects get the bucket's own (private) access rules; a name is never reused.
            "default_acl": None,
            "file_overwrite": False,
            # A file read through the app is spooled to a temporary file above 1 MB, not held in memory.
            "max_memory_size": 1024 * 1024,
            **options,
        },
    }


S3_MEDIA_BUCKET = os.environ.get("S3_MEDIA_BUCKET", "")
S3_PRIVATE_BUCKET = os.environ.get("S3_PRIVATE_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Private files, through core.storage.private_storage() only; never a public URL.
    "private": {"BACKEND": "core.storage.PrivateStorage"},
}
if S3_PRIVATE_BUCKET:
    STORAGES["private"] = s3_storage(S3_PRIVATE_BUCKET, location="private")
    STORAGES["private"]["BACKEND"] = "core.s3.PrivateS3Storage"
if S3_MEDIA_BUCKET:
    # Public media: images are linked with signed, expiring URLs unless S3_MEDIA_CUSTOM_DOMAIN names a
    # host that serves them publicly; documents are always streamed by Wagtail's permission-checked view.
    media_domain = os.environ.get("S3_MEDIA_CUSTOM_DOMAIN") or None
    STORAGES["default"] = s3_storage(
        S3_MEDIA_BUCKET, location="media", custom_domain=media_domain, querystring_auth=media_domain is None
    )


def s3_media_origins():
    """Where public images are linked from when they live on object storage (for img-src)."""
    if not S3_MEDIA_BUCKET:
        return []
    domain = os.environ.get("S3_MEDIA_CUSTOM_DOMAIN", "").strip()
    if domain:
        return [f"https://{domain}"]
    endpoint = os.environ.get("S3_ENDPOINT_URL", "").strip()
    if endpoint:
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://*.{parts.netloc}"]
    return ["https://*.amazonaws.com"]


DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Medborger <noreply@medborger.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache (rate limits live here): Redis in production via REDIS_URL, local memory otherwise. Every app
# server must use the same REDIS_URL and REDIS_KEY_PREFIX, or each counts its own rate limits.
# The page cache (core.cache, README "Page cache") is its own alias: rendered pages, purged by path.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "core.cache_backends.RedisCache",  # one Redis client per pool, not per call
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "medborger") + suffix,
        }
        for alias, suffix in (("default", ""), ("pages", ":pages"))
    }
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# How long a public page is kept at most; every change that shows on a page purges it at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# A visitor who finds the page missing while another renders it waits this long at most.
PAGE_CACHE_LOCK_SECONDS = 10
# A session or messages cookie makes every page personal (never looked up). A browser mark
# ("survey-<id>", "survey-poll-<id>": core.browser_marks) makes personal only the pages that read it.
# Never public: not even looked up (saves the cache round trips).
PAGE_CACHE_SKIP_PATHS = ["/admin/", "/konto/", "/min-side/", "/static/", "/media/", "/dokumenter/", "/i18n/"]
# Purges go to every backend: the app's cache, and nginx in front when PAGE_CACHE_PROXY_URL is set
# (deploy/nginx/medborger.conf answers PURGE from the app servers).
WAGTAILFRONTENDCACHE = {"app": {"BACKEND": "core.cache.AppPageCache"}}
if os.environ.get("PAGE_CACHE_PROXY_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "core.cache.ProxyPurge",  # Wagtail's HTTPBackend with a time limit
        "LOCATION": os.environ["PAGE_CACHE_PROXY_URL"],
    }
RATELIMIT_USE_CACHE = "default"
# Rate limits on what anonymous visitors submit, per client address unless said otherwise
# (django-ratelimit's "count/period": s, m, h or d). Every limit of the site is declared here.
HEARING_RESPONSE_RATE_IP = os.environ.get("HEARING_RESPONSE_RATE_IP", "10/h")
HEARING_RESPONSE_RATE_EMAIL = os.environ.get(
    "HEARING_RESPONSE_RATE_EMAIL", "5/h"
)  # per mailbox (plus-addressing ignored)
HEARING_SUBSCRIBE_RATE = os.environ.get("HEARING_SUBSCRIBE_RATE", "20/h")
# Per mailbox (a+x@example.dk counts as a@example.dk): each subscription mails a confirmation link.
HEARING_SUBSCRIBE_RATE_EMAIL = os.environ.get("HEARING_SUBSCRIBE_RATE_EMAIL", "5/h")
ELECTION_NOMINATION_RATE = os.environ.get("ELECTION_NOMINATION_RATE", "10/h")
# Refused poll-card attempts per address per minute (successes never count). With the growing
# delay below a guesser cannot reach it one request at a time; it holds parallel bursts.
ELECTION_POLL_CARD_RATE = os.environ.get("ELECTION_POLL_CARD_RATE", "20/m")
# Logins (account and poll card) from one address: no lockout by address, a growing delay instead
# (core/throttle.py). After LOGIN_FAILURES_FREE refused attempts within the window, the next attempt
# from that address waits LOGIN_DELAY_FIRST_SECONDS, doubling per further refusal up to the maximum.
# What locks is the account (5 wrong in 5 minutes) or the poll card (5 wrong in total).
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
LOGIN_FAILURES_FREE = int(os.environ.get("LOGIN_FAILURES_FREE", "10"))
LOGIN_DELAY_FIRST_SECONDS = int(os.environ.get("LOGIN_DELAY_FIRST_SECONDS", "2"))
LOGIN_DELAY_MAX_SECONDS = int(os.environ.get("LOGIN_DELAY_MAX_SECONDS", "60"))
SURVEY_SUBMIT_RATE_IP = os.environ.get("SURVEY_SUBMIT_RATE_IP", "30/h")  # answers to surveys open to anyone
SURVEY_DRAFT_RATE_IP = os.environ.get("SURVEY_DRAFT_RATE_IP", "30/h")  # »Gem og fortsæt senere« per address
QUICK_POLL_RATE_IP = os.environ.get("QUICK_POLL_RATE_IP", "30/h")  # votes in quick polls (core.polls) per address
# MitID logins started or completed (each one makes the server call the broker).
MITID_LOGIN_RATE = os.environ.get("MITID_LOGIN_RATE", "30/m")
# Rate limits keyed on the client address take it from the one proxy-aware function (TRUSTED_PROXIES).
RATELIMIT_IP_META_KEY = "core.clientip.client_ip"
RATELIMIT_VIEW = "core.views.ratelimited"

# The reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated),
# e.g. "10.0.0.5,10.0.1.0/24". Empty: the client address is the connection's (REMOTE_ADDR). Read by
# the one client-address function every rate limit uses (README "Reverse proxy").
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Background work: Django tasks (backport). Immediate in dev/test, database in production
# (django_tasks_db is installed everywhere so its tables exist in every database, tests' included).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Medborger")
MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "Københavns Kommune")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "users:my_page"
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [(code, name) for code, name in LANGUAGES if code in site_languages.ADMIN_LANGUAGES]
# Documents are always served by Wagtail's view, which checks collection view restrictions – never
# straight from MEDIA_ROOT or a storage URL (config/urls.py and deploy/nginx/ serve only images).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "txt", "csv", "png", "jpg"]
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        **({"SEARCH_CONFIG": "danish"} if IS_POSTGRES else {}),
    }
}

# allauth: email is the login, verification is mandatory.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Medborger] "
ACCOUNT_RATE_LIMITS = {
    # The key of login_failed is the account *and* the client address (users.adapters, users.forms):
    # an attacker's failures from their address never lock the real user out of their own. allauth
    # counts only failed logins. Per address the growing delay (LOGIN_FAILURES_FREE, core/throttle.py)
    # slows a guesser without refusing anyone; 30/m/ip only holds parallel bursts the delay cannot.
    "login_failed": "30/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "users.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Wrong two-factor codes counted per account and client address, like wrong passwords (users/forms.py).
MFA_FORMS = {"authenticate": "users.forms.AuthenticateForm", "reauthenticate": "users.forms.ReauthenticateForm"}
MFA_TOTP_ISSUER = "Medborger"
# Accept the code of the 30-second step before and after the current one (RFC 6238 §5.2), so a
# code typed as the authenticator app rolls over, or a slightly slow phone clock, still works.
MFA_TOTP_TOLERANCE = 1

# MitID through an OpenID Connect broker (NemLog-in, Signicat, Criipto/Idura, Signaturgruppen …),
# with allauth's openid_connect provider. Nothing of MitID is shown anywhere unless the issuer,
# client id and secret are all set; users.adapters.SocialAccountAdapter builds the provider
# ("mitid") from these settings. See the README, section "MitID".
# An anonymous survey's answers wait, unreadable to the results, until this many have come in (or
# the survey closes); then they are stored together in an order of their content, not of arrival
# (consultations/surveys/models.py).
SURVEY_ANONYMOUS_BATCH = max(1, int(os.environ.get("SURVEY_ANONYMOUS_BATCH", "5")))
# Background exports (core.background_exports): how long a finished export file is kept (then deleted).
EXPORT_KEEP_HOURS = max(1, int(os.environ.get("EXPORT_KEEP_HOURS", "72")))
# Fonts for the poll-card letters (elections/letters.py): {"latin", "latin_bold", "arabic",
# "arabic_bold", "mono"} → a TTF path; what is missing is looked up among the system's fonts.
POLL_CARD_FONTS = {}
MITID_OIDC_ISSUER = os.environ.get("MITID_OIDC_ISSUER", "").strip()
MITID_OIDC_CLIENT_ID = os.environ.get("MITID_OIDC_CLIENT_ID", "").strip()
MITID_OIDC_CLIENT_SECRET = os.environ.get("MITID_OIDC_CLIENT_SECRET", "")
# Scopes to ask for: the broker decides which scope releases the personal number ("ssn" at
# Criipto/Idura and Signaturgruppen, "nin" at Signicat). Space- or comma-separated.
MITID_OIDC_SCOPES = os.environ.get("MITID_OIDC_SCOPES", "openid").replace(",", " ").split()
# Sent as acr_values when set, e.g. "urn:grn:authn:dk:mitid:substantial" (Criipto/Idura).
MITID_OIDC_ACR_VALUES = os.environ.get("MITID_OIDC_ACR_VALUES", "").strip()
# Claims that carry the assurance level (NSIS: low/substantial/high), tried in order; the first
# whose value names a level wins ("Substantial", "SUBSTANTIAL", ".../nsis/loa/Substantial" and
# "urn:grn:authn:dk:mitid:substantial" all read as "substantial").
MITID_OIDC_LEVEL_CLAIMS = env_list(
    "MITID_OIDC_LEVEL_CLAIMS",
    "https://data.gov.dk/concept/core/nsis/loa,loa,mitid_loa,mitid.loa,acr",
)
# Claims that carry the personal number (CPR), tried in order. The number is turned into the
# voter roll's keyed hash at once and never stored (users/mitid.py).
MITID_OIDC_PERSONAL_NUMBER_CLAIMS = env_list(
    "MITID_OIDC_PERSONAL_NUMBER_CLAIMS",
    "https://data.gov.dk/model/core/eid/cprNumber,cprNumberIdentifier,nin,dk.cpr,mitid.cpr",
)
# Seconds the keyed hash of a MitID login stays available to confirm an endorsement.
MITID_VOTER_KEY_MAX_AGE = int(os.environ.get("MITID_VOTER_KEY_MAX_AGE", "900"))

SOCIALACCOUNT_ADAPTER = "users.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}  # the MitID app comes from MITID_OIDC_*
# The broker's tokens can carry the personal number: never store them.
SOCIALACCOUNT_STORE_TOKENS = False
# allauth's rule, stated explicitly: a MitID login whose email matches an existing account neither
# logs in to it nor connects to it; the owner logs in and connects MitID themselves.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False

# No requests from the admin to other hosts: no gravatar (Wagtail's local default avatar instead),
# no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No autosave in the page editor: editors save with »Gem kladde« or publish. Wagtail 8's autosave
# creates a new page in the background while the editor is still on the create form; a »Udgiv« sent
# while that save is under way reached Wagtail's create view a second time and failed on the slug the
# autosaved draft had just taken (a 500, seen in the hearing journey on PostgreSQL), and an autosave
# landing after a publication leaves a needless draft on top of it. Leaving a page with unsaved
# changes still asks first (Wagtail's unsaved-changes warning).
WAGTAIL_AUTOSAVE_INTERVAL = 0

# Content-Security-Policy (django-csp; core/csp.py), sent by every page in every settings module
# (dev, test and production alike, so the browser journeys run under the policy production sends).
# Public pages: nothing inline at all, neither scripts, event handler attributes nor style
# attributes; every script and style sheet is a file under /static/. No other host, except where
# public images live on object storage (S3_MEDIA_*: img-src gets that origin).
# Added per page in code, never here: the ballot and trustee pages add 'wasm-unsafe-eval' to
# script-src (libsodium is WebAssembly; elections.views.with_ballot_csp); when MitID is set up,
# form-action gets the broker's origin (the "Log ind med MitID" form is answered by a redirect to
# the broker, and browsers check form-action on that redirect).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *s3_media_origins()],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# What the Wagtail admin (/admin/) gets in place of the public directives, and why. Wagtail 8.0 is
# not yet written for a strict policy; this was found by walking the admin's screens in Chromium
# under the public policy (tests/e2e/test_csp.py walks them under this one and fails on any
# violation):
# * script-src 'unsafe-inline': Wagtail's own templates still write inline <script> blocks with
#   per-form content (the date and time widgets, also in every listing's filters; the inline and
#   multiple-chooser panels; search promotions), so neither hashes nor nonces can be added from
#   outside. No 'unsafe-eval': nothing on those screens needed it.
# * style-src 'unsafe-inline': Wagtail's vendor.js adds <style> elements, and its templates and
#   React components (StreamField, Draftail, side panels) set style attributes.
# * img-src data: and blob:: Wagtail's widgets use data: images; image choosers and the upload form
#   preview a chosen file from a blob: URL.
# * frame-src and frame-ancestors 'self': the page editor's live preview is an iframe of the admin.
#   The previewed page itself keeps the public policy (core/csp.py), framed by the admin only.
# Still no other host (no gravatar, no update check: see above), no plugins, no <base>.
CONTENT_SECURITY_POLICY_ADMIN_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *s3_media_origins()],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ["/admin/"]

# Permissions-Policy (django-permissions-policy): no page uses the camera, microphone, location,
# payment or any other powerful feature, so every one of them is off for us and anything we frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Staff must have set up two-factor authentication before they may use the Wagtail admin.
# Only the local demo (config.settings.dev) may switch it off: MEDBORGER_ADMIN_REQUIRES_MFA=0.
MEDBORGER_ADMIN_REQUIRES_MFA = True

# Hearings
HEARING_REMINDER_DAYS = int(os.environ.get("HEARING_REMINDER_DAYS", "7"))
HEARING_ATTACHMENT_MAX_BYTES = int(os.environ.get("HEARING_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
HEARING_ATTACHMENT_MAX_COUNT = int(os.environ.get("HEARING_ATTACHMENT_MAX_COUNT", "5"))
# The municipality's districts (bydele) as (code, name) pairs, for a hearing's area and the response
# form; None: Copenhagen's twelve (consultations.areas.COPENHAGEN_DISTRICTS). Set in a settings module.
MEDBORGER_DISTRICTS = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
