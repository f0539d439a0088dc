"""allauth's two-factor forms, with wrong codes counted per account and client address.

allauth counts wrong TOTP/recovery codes per account only (``mfa-auth-user-<pk>``), so five
wrong codes from anywhere lock the officer out for everyone (issue 10: account lockout as denial
of service). These forms count them per account *and* client address (core.clientip), with the
same ``login_failed`` rates (ACCOUNT_RATE_LIMITS); the code check itself is allauth's.
"""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context, ratelimit
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator

from core.clientip import client_ip


def _check_rate_limit(user):
    request = context.request
    key = f"mfa-auth-user-{user.pk}:{client_ip(request)}"
    if not ratelimit.consume(request, action="login_failed", key=key):
        raise get_account_adapter().validation_error("too_many_login_attempts")
    return lambda: ratelimit.clear(request, action="login_failed", key=key)


class _PerAddressCodeMixin:
    def clean_code(self):
        clear_rl = _check_rate_limit(self.user)
        code = self.cleaned_data["code"]
        main_auth = None
        # As allauth's BaseAuthenticateForm.clean_code (65.x), but for the rate-limit key.
        for auth in Authenticator.objects.filter(user=self.user).exclude(type=Authenticator.Type.WEBAUTHN):
            if not main_auth or auth.type == Authenticator.Type.TOTP:
                main_auth = auth
            if auth.wrap().validate_code(code):
                auth.user = self.user
                self.authenticator = auth
                clear_rl()
                return code
        if main_auth:
            self._emit_authentication_failed(main_auth)
        raise get_adapter().validation_error("incorrect_code")


class AuthenticateForm(_PerAddressCodeMixin, mfa_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_PerAddressCodeMixin, mfa_forms.ReauthenticateForm):
    pass
