from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class AdminRequiresMFAMiddleware:
    """Staff cannot open the Wagtail admin until they have set up two-factor authentication.

    Login to the admin goes through allauth (WAGTAILADMIN_LOGIN_URL), which asks for the
    TOTP code of users who have one. Users without one are sent to set it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MEDBORGER_ADMIN_REQUIRES_MFA
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and not request.user.has_mfa
        ):
            messages.warning(
                request,
                _(
                    "Du skal opsætte tofaktorgodkendelse, før du kan bruge administrationen. "
                    "Bekræft først din adgangskode. Scan derefter QR-koden med en godkendelsesapp "
                    "(fx Google Authenticator eller Microsoft Authenticator), og indtast den kode, appen viser."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next=/admin/")
        return self.get_response(request)
