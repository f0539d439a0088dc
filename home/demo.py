"""Demo content for the site itself: home page, about page, accessibility statement.

Idempotent: pages are looked up by slug, so a second run adds nothing and keeps edits.
"""

from django.conf import settings as django_settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from core.demo import get_or_create_child
from home.models import HomePage, SiteSettings, StandardPage

ABOUT_BODY = [
    {
        "type": "paragraph",
        "value": (
            "<p>Medborger er kommunens platform for brugerdemokrati. Her finder du rådene og "
            "udvalgene, deres møder og udtalelser, de offentlige høringer – og valget til "
            "Integrationsrådet.</p>"
        ),
    },
    {"type": "heading", "value": {"text": "Sådan deltager du", "level": "h2"}},
    {
        "type": "paragraph",
        "value": (
            "<ul><li>Læs og besvar høringer – du behøver ikke en konto.</li>"
            "<li>Følg et råd og abonnér på dets mødekalender.</li>"
            "<li>Stem til Integrationsrådet med koden fra dit valgkort.</li></ul>"
        ),
    },
    {
        "type": "callout",
        "value": {
            "kind": "info",
            "heading": "Dine oplysninger",
            "text": "<p>Vi viser aldrig din adresse eller e-mail. Høringssvar slettes fra platformen "
            "på den slettedato, der står på hver høring.</p>",
        },
    },
]

ACCESSIBILITY_BODY = [
    {
        "type": "paragraph",
        "value": (
            "<p>Kommunen ønsker at gøre denne hjemmeside tilgængelig for alle i henhold til lov om "
            "tilgængelighed af offentlige organers websteder og mobilapplikationer (EU-direktiv "
            "2016/2102). Siden følger standarden EN 301 549, som svarer til WCAG 2.1 niveau A og AA.</p>"
        ),
    },
    {"type": "heading", "value": {"text": "Overholdelsesstatus", "level": "h2"}},
    {
        "type": "paragraph",
        "value": (
            "<p>Siden er bygget med Det Fælles Designsystem og testes automatisk med axe på "
            "hver side i vores browsertests. Vi kender ikke til indhold, der ikke er tilgængeligt. "
            "PDF-dokumenter fra før 2018 kan være utilgængelige.</p>"
        ),
    },
    {"type": "heading", "value": {"text": "Feedback og kontakt", "level": "h2"}},
    {
        "type": "paragraph",
        "value": (
            "<p>Oplever du problemer, så skriv til brugerdemokrati@kommune.example. "
            "Du kan også klage til Digitaliseringsstyrelsen.</p>"
        ),
    },
]


def tree_root():
    """Wagtail's root page; made again if the database was flushed (transactional tests)."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def load_site():
    root = tree_root()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Brugerdemokrati i Københavns Kommune",
            slug="forside",
            intro="<p>Følg rådene og udvalgene, svar på høringer, og stem til Integrationsrådet.</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Medborger")
    elif site.root_page_id != home.id:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Medborger"
        site.save()
        if old_root.depth == 2 and not isinstance(old_root.specific, HomePage):
            old_root.delete()

    about, _ = get_or_create_child(
        home,
        StandardPage,
        "om",
        title="Om Medborger",
        introduction="Sådan fungerer brugerdemokratiet i kommunen.",
        body=ABOUT_BODY,
    )
    accessibility, _ = get_or_create_child(
        home,
        StandardPage,
        "tilgaengelighedserklaering",
        title="Tilgængelighedserklæring",
        introduction="Sådan lever siden op til reglerne om webtilgængelighed.",
        body=ACCESSIBILITY_BODY,
        show_in_menus=False,
    )
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    changed = False
    if not settings.contact_email:
        settings.contact_email = "brugerdemokrati@kommune.example"
        settings.contact_phone = "33 66 33 66"
        changed = True
    if settings.accessibility_page_id is None:
        settings.accessibility_page = accessibility
        changed = True
    if settings.about_page_id is None:
        settings.about_page = about
        changed = True
    if changed:
        settings.save()
    return home
