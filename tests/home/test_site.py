"""Site-wide behaviour: layout, error pages, language switch, search, sitemap and robots.txt."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core.demo import get_or_create_child
from home.models import StandardPage
from home.views import server_error


@pytest.fixture
def index_pages(home_page):
    """The council and hearing index pages the main navigation points to."""
    from consultations.models import HearingIndexPage
    from councils.models import CouncilIndexPage

    councils, _ = get_or_create_child(home_page, CouncilIndexPage, "raad-og-udvalg", title="Råd og udvalg")
    hearings, _ = get_or_create_child(home_page, HearingIndexPage, "hoeringer", title="Høringer")
    return councils, hearings


def test_layout_has_skip_link_header_navigation_and_footer(client, home_page, index_pages):
    councils, hearings = index_pages
    html = client.get("/om/").content.decode()
    assert '<a class="skipnav" href="#main-content">Gå til sidens indhold</a>' in html
    assert '<main id="main-content"' in html
    assert "Københavns Kommune" in html
    nav = re.search(r'<nav class="nav" aria-label="Hovedmenu">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r"<span>(.*?)</span>", nav) == ["Råd og udvalg", "Høringer", "Valg", "Søg"]
    assert f'href="{councils.url}"' in nav
    assert f'href="{hearings.url}"' in nav
    assert 'action="/i18n/setlang/"' in html
    # Breadcrumbs: home, then the current page.
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert 'href="/"' in crumbs
    assert re.search(r'aria-current="page"><svg[^>]*>.*?</svg><bdi>Om Medborger</bdi></li>', crumbs)
    # Footer: contact and the accessibility statement.
    footer = html[html.index("<footer") :]
    assert "brugerdemokrati@kommune.example" in footer
    assert ">Tilgængelighedserklæring</a>" in footer
    assert 'href="/tilgaengelighedserklaering/"' in footer


def test_the_main_menu_leads_to_the_surveys_once_there_is_a_survey_index(client, home_page, index_pages):
    from consultations.models import SurveyIndexPage

    surveys, _ = get_or_create_child(home_page, SurveyIndexPage, "undersoegelser", title="Brugerundersøgelser")
    html = client.get(surveys.url).content.decode()
    nav = re.search(r'<nav class="nav" aria-label="Hovedmenu">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r"<span>(.*?)</span>", nav) == ["Råd og udvalg", "Høringer", "Undersøgelser", "Valg", "Søg"]
    assert f'<a href="{surveys.url}" class="nav-link" aria-current="page">' in nav
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    nav = re.search(r'<nav class="nav" aria-label="[^"]*">(.*?)</nav>', client.get("/").content.decode(), re.S).group(1)
    assert re.findall(r"<span>(.*?)</span>", nav) == [
        "Councils and committees",
        "Hearings",
        "Surveys",
        "Elections",
        "Search",
    ]


def test_current_section_is_marked_in_the_navigation(client, home_page, index_pages):
    _councils, hearings = index_pages
    html = client.get(hearings.url).content.decode()
    assert f'<a href="{hearings.url}" class="nav-link" aria-current="page">' in html


def test_the_mobile_drawer_repeats_the_header_menu_and_language_picker(client, home_page, index_pages):
    _councils, hearings = index_pages
    html = client.get(hearings.url).content.decode()
    header = re.search(r'<nav class="nav" aria-label="Hovedmenu">(.*?)</nav>', html, re.S).group(1)
    drawer = re.search(r'<nav class="navigation-menu-mobile" aria-label="Hovedmenu">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r"<span>(.*?)</span>", header) == ["Råd og udvalg", "Høringer", "Valg", "Søg"]
    assert drawer.strip() == header.strip()  # the same entries, the current section marked in both
    assert drawer.count('aria-current="page"') == 1
    pickers = re.findall(r'<details class="language-picker">.*?</details>', html, re.S)
    assert len(pickers) == 2 and pickers[0] == pickers[1]
    assert pickers[0].count('name="language"') == len(settings.LANGUAGES)
    assert 'name="csrfmiddlewaretoken"' in pickers[0]
    drawer_part = html[html.index('<div class="mobile-drawer"') :]
    assert re.search(r'<div class="mobile-language">\s*<details class="language-picker">', drawer_part)


def test_breadcrumbs_of_a_deep_page_read_its_ancestors_in_one_query(
    client, home_page, index_pages, django_assert_num_queries
):
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from wagtail.models import Site

    councils, _hearings = index_pages
    council, _ = get_or_create_child(councils, StandardPage, "et-raad", title="Et råd")
    page, _ = get_or_create_child(council, StandardPage, "en-side", title="En side")
    html = client.get(page.url).content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)" class="breadcrumbs__link">(.*?)</a>', crumbs)
    assert links == [("/", "Forside"), (councils.url, "<bdi>Råd og udvalg</bdi>"), (council.url, "<bdi>Et råd</bdi>")]
    assert crumbs.count("#chevron-right") == 3
    assert re.search(
        r'aria-current="page"><svg[^>]*><use href="[^"]+#chevron-right"></use></svg><bdi>En side</bdi>', crumbs
    )
    # The ancestors in one query, and nothing a crumb shows read afterwards (a field left out of
    # that query would cost one more query per ancestor).
    request = RequestFactory().get(page.url)
    Site.find_for_request(request)
    page.get_url(request)  # the site's root paths, read once per request by the page itself
    with django_assert_num_queries(1):
        rendered = render_to_string("includes/breadcrumbs.html", {"page": page, "request": request})
    assert re.search(r'<nav class="breadcrumbs".*?</nav>', rendered, re.S).group(0) == crumbs


def test_404_page_is_styled_and_says_what_to_do(client, home_page):
    assert settings.DEBUG is False
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Siden findes ikke</h1>" in html
    assert "dkfds/css/dkfds-borgerdk.min.css" in html
    assert '<a class="skipnav"' in html
    assert ">Tilgængelighedserklæring</a>" in html
    assert 'href="/soeg/"' in html


def test_404_page_follows_the_chosen_language(client, home_page):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_500_page_renders_without_the_database():
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Der er sket en fejl</h1>" in html
    assert "dkfds/css/dkfds-borgerdk.min.css" in html
    assert 'lang="da"' in html


def test_danish_is_the_default_even_for_an_english_browser(client, home_page):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="da" dir="ltr">' in html
    assert ">Log ind</a>" in html


def test_language_switch_changes_language_and_keeps_the_page(client, home_page):
    html = client.get("/om/").content.decode()
    form = re.search(r'<form action="/i18n/setlang/".*?</form>', html, re.S).group(0)
    next_url = re.search(r'name="next" type="hidden" value="([^"]*)"', form).group(1)
    assert next_url == "/om/"

    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/om/"

    html = client.get("/om/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert ">Sign in</a>" in html
    assert "Skip to content" in html
    assert ">Accessibility statement</a>" in html
    assert '<li lang="da" dir="ltr">' in html  # the way back, in its own language
    assert '<span class="language-picker__name">Dansk</span>' in html

    client.post("/i18n/setlang/", {"language": "da", "next": "/om/"})
    assert ">Log ind</a>" in client.get("/om/").content.decode()


def test_language_switch_ignores_links_to_other_sites(client, home_page):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_allauth_pages_are_in_danish_with_consistent_wording(client, home_page):
    html = client.get("/konto/password/reset/").content.decode()
    assert re.search(r"<h1>\s*Nulstil adgangskode\s*</h1>", html)
    assert "password" not in html.lower().replace('type="password"', "").replace("/password/", "")
    assert "Emailadresse" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert re.search(r"<h1>\s*Password Reset\s*</h1>", client.get("/konto/password/reset/").content.decode())


def test_search_finds_a_standard_page(client, home_page):
    get_or_create_child(
        home_page,
        StandardPage,
        "borgerbudget",
        title="Borgerbudget",
        introduction="Sådan fordeler lokaludvalget puljemidlerne.",
        body=[{"type": "paragraph", "value": "<p>Puljemidlerne går til foreningslivet i bydelen.</p>"}],
    )
    response = client.get("/soeg/", {"q": "puljemidlerne"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/borgerbudget/"' in html
    assert "Sådan fordeler lokaludvalget puljemidlerne." in html  # the introduction describes the hit
    assert "1 resultat for »puljemidlerne«" in html
    assert 'value="puljemidlerne"' in html

    html = client.get("/soeg/", {"q": "zxqvw"}).content.decode()
    assert "0 resultater for »zxqvw«" in html
    assert "Prøv et andet ord" in html


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="SQLite's full-text search has no Danish stemming")
def test_search_uses_danish_stemming_on_postgresql(client, home_page):
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "danish"
    get_or_create_child(
        home_page,
        StandardPage,
        "udvalg",
        title="Udvalgenes arbejde",
        body=[{"type": "paragraph", "value": "<p>Lokaludvalgene afgiver høringssvar.</p>"}],
    )
    # "lokaludvalg" finds "Lokaludvalgene" only with Danish stemming.
    assert 'href="/udvalg/"' in client.get("/soeg/", {"q": "lokaludvalg"}).content.decode()


def test_search_page_without_query(client, home_page):
    response = client.get("/soeg/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="form-label" for="search-q">Søg på sitet</label>' in html
    assert "resultat" not in html


def test_sitemap_lists_the_live_pages(client, home_page):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<urlset" in xml
    assert "/om/</loc>" in xml
    assert "/tilgaengelighedserklaering/</loc>" in xml


def test_robots_txt_points_to_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_429_page_explains_to_wait(home_page):
    from core.views import ratelimited

    request = RequestFactory().get("/hoeringer/")
    request.user = AnonymousUser()
    response = ratelimited(request)
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>For mange forsøg</h1>" in html
    assert "Vent lidt, og prøv igen." in html


def _site_request(home_page):
    from django.test import RequestFactory
    from wagtail.models import Site

    request = RequestFactory().get("/")
    Site.find_for_request(request)
    home_page.get_url(request)  # the site's root paths (Wagtail's own cache)
    return request


def test_the_header_and_footer_links_are_read_in_two_queries(home_page, index_pages, django_assert_num_queries):
    """After a site-wide purge every first render rebuilds them: the settings with both footer
    pages in one query, the first public index pages with their view restrictions in another."""
    from home.context_processors import _site_links

    councils, hearings = index_pages
    _site_links(_site_request(home_page))  # the content types, kept per process
    request = _site_request(home_page)
    with django_assert_num_queries(2):
        links = _site_links(request)
    assert links["index_urls"] == {
        "councils.CouncilIndexPage": councils.url,
        "consultations.HearingIndexPage": hearings.url,
        "consultations.SurveyIndexPage": "",
    }  # no survey index here
    assert links["about_url"] == "/om/" and links["accessibility_url"]


def test_the_main_menu_leaves_out_an_index_under_a_view_restriction(home_page, index_pages):
    from wagtail.models import PageViewRestriction

    from home.context_processors import _site_links

    councils, hearings = index_pages
    PageViewRestriction.objects.create(page=hearings, restriction_type=PageViewRestriction.LOGIN)
    assert _site_links(_site_request(home_page))["index_urls"] == {
        "councils.CouncilIndexPage": councils.url,
        "consultations.HearingIndexPage": "",
        "consultations.SurveyIndexPage": "",
    }
    # A restriction above them (the home page) covers both.
    PageViewRestriction.objects.create(page=home_page, restriction_type=PageViewRestriction.LOGIN)
    assert _site_links(_site_request(home_page))["index_urls"] == {
        "councils.CouncilIndexPage": "",
        "consultations.HearingIndexPage": "",
        "consultations.SurveyIndexPage": "",
    }


def test_menu_links_kept_by_an_earlier_release_are_not_read(client, home_page, index_pages):
    """A deploy keeps the site generation, so the links an earlier release kept stay current for up
    to an hour: when the menu has other sections now (»Undersøgelser« was added), those links are not
    read (they had two index addresses for three titles: every page was a 500)."""
    from django.core.cache import caches
    from wagtail.models import Site

    from core.cache import SITE, generation

    councils, hearings = index_pages
    site = Site.objects.get(is_default_site=True)
    earlier = {
        "index_urls": [councils.url, hearings.url],
        "contact_email": "",
        "contact_phone": "",
        "accessibility_url": "",
        "about_url": "",
    }
    caches["pages"].set(f"pagecache:site:site_links:{site.pk}", (generation(SITE), earlier), 3600)
    response = client.get("/om/")
    assert response.status_code == 200
    nav = re.search(r'<nav class="nav" aria-label="Hovedmenu">(.*?)</nav>', response.content.decode(), re.S).group(1)
    assert f'href="{hearings.url}"' in nav
