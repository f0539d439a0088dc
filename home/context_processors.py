from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def _first_live_pages(*model_paths):
    """The first live public page (in tree order) of each model, or None: one query for them all."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    models = [apps.get_model(path) for path in model_paths]
    content_types = ContentType.objects.get_for_models(*models)  # cached after the first request
    first = {}
    for page in Page.objects.live().public().filter(content_type__in=content_types.values()).order_by("path"):
        first.setdefault(page.content_type_id, page)
    return [first.get(content_types[model].pk) for model in models]


def site_context(request):
    """Municipality name, footer links and the main navigation, for every page.

    Computed once per request: form fields and fragments rendered with the request run the
    context processors again, and this one needs a few queries.
    """
    cached = getattr(request, "_medborger_site_context", None)
    if cached is None:
        cached = _site_context(request)
        request._medborger_site_context = cached
    return cached


def _site_context(request):
    from home.models import SiteSettings

    site_settings = SiteSettings.for_request(request) if getattr(request, "_wagtail_site", True) else None
    accessibility = site_settings.accessibility_page if site_settings else None
    about = site_settings.about_page if site_settings else None
    navigation = []
    pages = _first_live_pages("councils.CouncilIndexPage", "consultations.HearingIndexPage")
    for page, title in zip(pages, (_("Råd og udvalg"), _("Høringer")), strict=True):
        if page:
            navigation.append({"title": title, "url": page.url, "active": request.path.startswith(page.url)})
    elections_url = reverse("elections:index")
    navigation.append({"title": _("Valg"), "url": elections_url, "active": request.path.startswith(elections_url)})
    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "contact_email": site_settings.contact_email if site_settings else "",
        "contact_phone": site_settings.contact_phone if site_settings else "",
        "accessibility_url": accessibility.url if accessibility and accessibility.live else "",
        "about_url": about.url if about and about.live else "",
        "main_navigation": navigation,
    }
