"""Local development: `make run`. Never used in production."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105
VOTER_ID_HMAC_KEY = "dev-only-voter-id-key"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The local demo may switch off the admin MFA requirement so a newcomer can look around:
# MEDBORGER_ADMIN_REQUIRES_MFA=0 make run
MEDBORGER_ADMIN_REQUIRES_MFA = env_bool("MEDBORGER_ADMIN_REQUIRES_MFA", True)
