from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from core import languages

# A link in an email or on a poll-card letter ends in ?lang=<code>: the page opens in the
# recipient's language and the choice is remembered (the language cookie), as with the picker.
LANGUAGE_PARAMETER = languages.LINK_PARAMETER


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Danish unless the visitor chose another language with the language picker (or a ?lang link).

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so a Danish
    citizen with an English browser would get a half-English site. The choice made with the
    language picker (the language cookie set by `set_language`) is the only thing that counts.
    The Wagtail admin is Danish/English only: any other choice shows it in Danish.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        from_link = request.GET.get(LANGUAGE_PARAMETER)
        chosen = from_link if from_link in supported else request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        request._medborger_language_from_link = from_link if from_link in supported else None
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        if request.path.startswith("/admin/") and language not in languages.ADMIN_LANGUAGES:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        chosen = getattr(request, "_medborger_language_from_link", None)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
