import jwt
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import emails, throttle
from core.clientip import client_ip

from . import mitid

ADDRESS_FAILURES = throttle.AddressFailures("account-login")


class AccountAdapter(DefaultAccountAdapter):
    """Account emails greet from the platform's name, not from the bare host name; allauth's rate
    limits count per client address behind the proxy (core.clientip).

    allauth renders its emails in the request (its templates, the visitor's language); they leave
    through core.emails and are logged like every other email.
    """

    def get_client_ip(self, request):
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed password logins are counted per account *and* client address (issue 10): an
        attacker's wrong passwords from their address do not lock the real user out of their own.
        (allauth's per-address limit, ``10/m/ip``, still holds across accounts.)"""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        """An address with many wrong logins waits (core.throttle) before its next one is checked;
        nobody behind it is locked out, the guesser is slowed to one guess a minute at most."""
        wait = ADDRESS_FAILURES.wait(client_ip(request))
        if wait:
            raise ValidationError(throttle.wait_message(wait), code="login_delay")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        ADDRESS_FAILURES.record(client_ip(request))
        super().authentication_failed(request, **credentials)

    def get_email_verification_redirect_url(self, email_address):
        """After confirming the email of a MitID signup, the login page leads on to where the MitID
        login was to go (an endorse page), not only to "Min side"."""
        if not self.request.user.is_authenticated:
            return mitid.login_page_after_confirmation(self.request) or super().get_email_verification_redirect_url(
                email_address
            )
        return super().get_email_verification_redirect_url(email_address)

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        site = get_current_site(request)
        site.name = settings.WAGTAIL_SITE_NAME
        context = {"request": request, "email": email, "current_site": site, **context}
        message = self.render_mail(template_prefix, email, context)
        emails.send_rendered(message, kind=template_prefix)


# --- MitID ----------------------------------------------------------------------------------------

REFUSAL_MESSAGES = {
    "issuer": _("Svaret kom ikke fra den MitID-tjeneste, kommunen bruger."),
    "expired": _("Svaret fra MitID var udløbet."),
    "signature": _("Svaret fra MitID havde ikke en gyldig underskrift."),
    "state": _("Login-forsøget er allerede brugt eller er udløbet."),
    "unavailable": _("MitID kan ikke nås lige nu."),
    "invalid": _("Svaret fra MitID kunne ikke godkendes."),
}


class MitIDRefused(OAuth2Error):
    """The broker's answer is not accepted; ``reason`` is a key of REFUSAL_MESSAGES."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _reason(error):
    cause = error.__cause__
    if isinstance(cause, jwt.ExpiredSignatureError):
        return "expired"
    if isinstance(cause, jwt.InvalidIssuerError):
        return "issuer"
    if isinstance(cause, jwt.InvalidSignatureError) or "kid" in str(error):
        return "signature"
    if "already used" in str(error):  # allauth's check that an ID token (its jti) is used once
        return "state"
    return "invalid"


class MitIDOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, stricter, and keeping only what users/mitid.py allows.

    * The ID token's signature is always checked against the broker's published keys (allauth
      skips that when the token came straight from the token endpoint), its issuer against
      MITID_OIDC_ISSUER (not against whatever the discovery document says), its audience and
      expiry as allauth does.
    * The userinfo answer must be about the same ``sub`` as the ID token.
    * The personal number becomes a keyed hash in the cache; the SocialLogin carries no claim but
      the pseudonym, the level and the user's own name and email.
    """

    def _decode_id_token(self, app, id_token):
        try:
            return jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=self.openid_config["jwks_uri"],
                issuer=settings.MITID_OIDC_ISSUER,
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        except MitIDRefused:
            raise
        except OAuth2Error as error:
            raise MitIDRefused(_reason(error)) from error
        except (KeyError, ValueError, TypeError) as error:  # a token without "kid", or no JWT at all
            raise MitIDRefused("signature") from error

    def complete_login(self, request, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise MitIDRefused("invalid")
        claims = self._decode_id_token(app, id_token)
        if not claims.get("sub"):
            raise MitIDRefused("invalid")
        userinfo = self._fetch_user_info(token.token) if app.settings.get("fetch_userinfo", True) else {}
        if userinfo and str(userinfo.get("sub")) != str(claims.get("sub")):
            raise MitIDRefused("invalid")
        broker_login = mitid.BrokerLogin.from_claims({**userinfo, **claims}, issuer=claims["iss"])
        login = self.get_provider().sociallogin_from_response(request, broker_login.provider_response())
        login.account.extra_data = broker_login.extra_data()
        request.mitid_handle = broker_login.stash_voter_key()
        return login


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """The MitID app comes from the MITID_OIDC_* settings; tokens are never kept."""

    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        if (
            mitid.is_configured()
            and provider in (None, "openid_connect", mitid.PROVIDER_ID)
            and client_id in (None, settings.MITID_OIDC_CLIENT_ID)
        ):
            apps.append(
                SocialApp(
                    provider="openid_connect",
                    provider_id=mitid.PROVIDER_ID,
                    name="MitID",
                    client_id=settings.MITID_OIDC_CLIENT_ID,
                    secret=settings.MITID_OIDC_CLIENT_SECRET,
                    settings=mitid.app_settings(),
                )
            )
        return apps

    def pre_social_login(self, request, sociallogin):
        if sociallogin.account.provider != mitid.PROVIDER_ID:
            return
        # The access token may be a JWT with the personal number in it: it must not reach the
        # session (a pending signup is kept there) — the platform never calls the broker again.
        sociallogin.token = None
        handle = getattr(request, "mitid_handle", None)
        if handle:
            sociallogin.state["mitid_handle"] = handle

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        mitid.remember_signup_next(request, sociallogin)
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )
        if extra_context is None or getattr(provider, "sub_id", None) != mitid.PROVIDER_ID:
            return
        if isinstance(exception, MitIDRefused):
            reason = exception.reason
        elif exception is None and "state_id" in extra_context:
            reason = "state"
        elif exception is not None and exception.__class__.__module__.startswith("requests"):
            reason = "unavailable"
        else:
            reason = "invalid"
        extra_context["mitid_refusal"] = REFUSAL_MESSAGES[reason]
