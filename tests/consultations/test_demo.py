"""The consultations demo: the hearings of the issue, every kind of respondent, idempotent."""

import io

import pytest
from django.conf import settings

from consultations import demo
from consultations.models import HearingIndexPage, HearingPage, HearingStatus, Response
from core.models import PageTranslation
from councils import demo as councils_demo
from councils.models import PartyKind

pytestmark = pytest.mark.django_db


def counts():
    return (HearingIndexPage.objects.count(), HearingPage.objects.count(), Response.objects.count())


def test_demo_loads_hearings_once_with_every_kind_of_response(home_page, client, django_capture_on_commit_callbacks):
    councils_demo.load(home_page, stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(home_page, stdout=io.StringIO())
    first = counts()
    demo.load(home_page, stdout=io.StringIO())
    assert counts() == first

    index = HearingIndexPage.objects.get()
    assert index.slug == "hoeringer"
    hearings = {h.title: h for h in HearingPage.objects.all()}
    assert hearings["Beskæftigelsesplan 2027"].status == HearingStatus.OPEN
    assert hearings["Integrationspolitik 2027–2030"].status == HearingStatus.OPEN
    assert [h.name for h in hearings["Beskæftigelsesplan 2027"].hearing_lists.all()] == [demo.EMPLOYMENT_LIST]
    assert [h.name for h in hearings["Integrationspolitik 2027–2030"].hearing_lists.all()] == [demo.INTEGRATION_LIST]
    statuses = {h.status for h in hearings.values()}
    assert {HearingStatus.CLOSED, HearingStatus.CONCLUDED} <= statuses
    closed = next(h for h in hearings.values() if h.status == HearingStatus.CLOSED)
    assert closed.responses.awaiting_moderation().exists()
    assert set(Response.objects.values_list("kind", flat=True)) == set(PartyKind.values)
    local_replies = Response.objects.confirmed().filter(party__name__endswith="Lokaludvalg")
    assert local_replies.count() >= 2

    for hearing in hearings.values():
        assert client.get(hearing.url).status_code == 200
    assert client.get(index.url).status_code == 200
    concluded = next(h for h in hearings.values() if h.status == HearingStatus.CONCLUDED)
    html = client.get(concluded.url).content.decode()
    assert "Høringsnotat" in html
    assert "Har svaret" in html


def test_demo_without_councils_skips_links_with_a_message(home_page):
    out = io.StringIO()
    demo.load(home_page, stdout=out)
    assert "not found; skipped" in out.getvalue()
    assert HearingPage.objects.count() == 4


def test_demo_hearing_has_a_turkish_translation_marked_not_reviewed(home_page, client):
    councils_demo.load(home_page, stdout=io.StringIO())
    demo.load(home_page, stdout=io.StringIO())
    demo.load(home_page, stdout=io.StringIO())
    plan = HearingPage.objects.get(slug="beskaeftigelsesplan-2027")
    row = PageTranslation.objects.get(page=plan)  # one, however often the demo is loaded
    assert (row.language, row.is_published, row.reviewed, row.published_reviewed) == ("tr", True, False, False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tr"
    html = client.get(plan.url).content.decode()
    assert "İstihdam Planı 2027" in html and "Uzun süreli işsizler" in html
    assert "gözden geçirilmedi" in html


def test_demo_draft_shows_each_sections_heading_and_text_under_a_stable_id(home_page, client):
    """Before, the demo's sections were stored without list-item ids: the page showed »1.1« with no
    heading and no text, and every read gave a section a new id."""
    from consultations.sections import draft_sections

    councils_demo.load(home_page, stdout=io.StringIO())
    demo.load(home_page, stdout=io.StringIO())
    plan = HearingPage.objects.get(slug="beskaeftigelsesplan-2027")
    first = draft_sections(plan.draft)[0]
    assert (first.number, first.heading) == ("1.1", "Formål")
    assert "Planen beskriver kommunens mål" in str(first.text)
    again = HearingPage.objects.get(pk=plan.pk)
    assert [s.id for s in draft_sections(again.draft)] == [s.id for s in draft_sections(plan.draft)]
    html = client.get(plan.url).content.decode()
    assert '<span class="draft-section-number">1.1</span> Formål</h4>' in html
    assert "<p>Planen beskriver kommunens mål og indsatser på beskæftigelsesområdet i 2027.</p>" in html
    # Read in Arabic (no Arabic translation): the draft's Danish headings and text are marked as
    # Danish, left to right, so »1. Indledning« does not read »Indledning .1«.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(plan.url).content.decode()
    assert '<h3 id="kapitel-1-heading" lang="da" dir="ltr">1. Indledning</h3>' in html
    assert (
        '<h4 id="afsnit-1-1-heading" lang="da" dir="ltr"><span class="draft-section-number">1.1</span> Formål</h4>'
        in html
    )
    assert '<div class="draft-section-text" lang="da" dir="ltr"><p>Planen beskriver' in html
