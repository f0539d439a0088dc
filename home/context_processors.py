from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page, PageViewRestriction, Site

from core import languages
from core.cache import site_cached
from home.models import SiteSettings

# The main menu's sections, in order: the first live public index page of each type, with its title.
MENU = (
    ("councils.CouncilIndexPage", gettext_lazy("Råd og udvalg")),
    ("consultations.HearingIndexPage", gettext_lazy("Høringer")),
    ("consultations.SurveyIndexPage", gettext_lazy("Undersøgelser")),
)
MENU_INDEXES = tuple(path for path, _title in MENU)
# The kept links' key names the menu's index types: links kept by a release with other entries (the
# same site generation survives a deploy) are not read by this one.
LINKS_KEY = "site_links:{site}:" + "|".join(MENU_INDEXES) + ":by-type"


def _first_live_pages(*model_paths):
    """The first live public page (in tree order) of each model, or None: one query for them all.

    Public as Wagtail's ``public()`` has it (no view restriction on the page or above it), read in
    the same query (NOT EXISTS) instead of a query of every restriction first."""
    models = [apps.get_model(path) for path in model_paths]
    content_types = ContentType.objects.get_for_models(*models)  # cached after the first request
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    pages = Page.objects.live().filter(content_type__in=content_types.values()).exclude(Exists(restricted))
    first = {}
    for page in pages.order_by("path"):
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
    site = Site.find_for_request(request) if getattr(request, "_wagtail_site", True) else None
    links = site_cached(LINKS_KEY.format(site=site.pk if site else 0), lambda: _site_links(request))
    navigation = []
    for path, title in MENU:
        url = links["index_urls"].get(path, "")
        if url:
            navigation.append({"title": title, "url": url, "active": request.path.startswith(url)})
    elections_url = reverse("elections:index")
    navigation.append({"title": _("Valg"), "url": elections_url, "active": request.path.startswith(elections_url)})
    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "contact_email": links["contact_email"],
        "contact_phone": links["contact_phone"],
        "accessibility_url": links["accessibility_url"],
        "about_url": links["about_url"],
        "main_navigation": navigation,
        "language_picker": languages.picker(translation.get_language()),
    }


def _site_links(request):
    """What the header and footer link to: a few queries, cached until any page changes."""
    site_settings = SiteSettings.for_request(request) if getattr(request, "_wagtail_site", True) else None
    accessibility = site_settings.accessibility_page if site_settings else None
    about = site_settings.about_page if site_settings else None
    pages = _first_live_pages(*MENU_INDEXES)
    return {
        "index_urls": {path: page.url if page else "" for path, page in zip(MENU_INDEXES, pages, strict=True)},
        "contact_email": site_settings.contact_email if site_settings else "",
        "contact_phone": site_settings.contact_phone if site_settings else "",
        "accessibility_url": accessibility.url if accessibility and accessibility.live else "",
        "about_url": about.url if about and about.live else "",
    }
