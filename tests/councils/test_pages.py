"""Every page type renders for the public with what a citizen needs to see."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from councils.models import CouncilKind

from . import factories

pytestmark = pytest.mark.django_db


def test_index_page_lists_councils_by_kind(client, valby, index):
    disability = factories.council(index, "Handicaprådet", "handicapraadet", kind=CouncilKind.DISABILITY)
    html = client.get(index.url).content.decode()
    assert "Lokaludvalg" in html and "Handicapråd" in html
    assert valby.url in html and disability.url in html
    assert reverse("councils:calendar") in html


def test_council_page_shows_facts_meetings_statements_and_calendar(client, index):
    council = factories.disability_council(
        index, secretariat_email="handicap@kommune.example", mandate="<p>Rådet rådgiver kommunen.</p>"
    )
    now = timezone.now()
    factories.meeting(council, "naeste", "Næste møde", starts_at=now + timedelta(days=3))
    factories.meeting(council, "forrige", "Forrige møde", starts_at=now - timedelta(days=3))
    factories.statement(council, "udtalelse", "Udtalelse om tilgængelighed")
    factories.hearing_list("Høringsliste: handicap", council)
    response = client.get(council.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Retssikkerhedsloven § 37 a",
        "handicap@kommune.example",
        "Rådet rådgiver kommunen.",
        "Udtalelse om tilgængelighed",
        "Høringsliste: handicap",
        reverse("councils:council_calendar", args=["handicapraadet"]),
    ):
        assert text in html
    upcoming, _, past = html.partition("Tidligere møder")
    assert "Næste møde" in upcoming and "Forrige møde" not in upcoming
    assert "Forrige møde" in past


def test_meeting_page_shows_agenda_with_document_downloads_and_minutes_after_the_meeting(client, valby):
    doc = factories.document(valby, "Bydelsplan 2027")
    starts = timezone.now() + timedelta(days=2)
    meeting = factories.meeting(
        valby,
        "moede",
        "Lokaludvalgsmøde",
        starts_at=starts,
        agenda=[("Bydelsplan", doc), ("Eventuelt", None)],
        minutes_text="<p>Udvalget godkendte bydelsplanen.</p>",
        is_open=False,
    )
    html = client.get(meeting.url).content.decode()
    assert "Bydelsplan" in html and "Eventuelt" in html
    assert f'href="{doc.url}" download' in html
    assert "Lukket møde" in html
    assert "Referatet offentliggøres efter mødet." in html
    assert "Udvalget godkendte bydelsplanen." not in html
    with time_machine.travel(starts + timedelta(hours=3)):
        html = client.get(meeting.url).content.decode()
        assert "Udvalget godkendte bydelsplanen." in html
    download = client.get(doc.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_meeting_time_is_written_the_readers_way_and_the_minutes_keep_their_danish(client, valby):
    """In Arabic the meeting's time is in Arabic (month, weekday, digits, no Danish »kl.«), and the
    Danish agenda and minutes are marked lang=da dir=ltr; in Danish nothing changed."""
    from django.conf import settings

    copenhagen = timezone.get_current_timezone()
    starts = timezone.make_aware(timezone.datetime(2026, 11, 3, 17, 0), copenhagen)
    meeting = factories.meeting(
        valby,
        "moede",
        "Lokaludvalgsmøde",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        agenda=[("Bydelsplan", None)],
        minutes_text="<p>Udvalget godkendte bydelsplanen.</p>",
    )
    html = client.get(meeting.url).content.decode()
    assert ">tirsdag 3. november 2026 kl. 17.00</time>–<time" in html and ">19.00</time>" in html
    assert ">tirsdag 3. november 2026 kl. 17.00</time>" in client.get(valby.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(meeting.url).content.decode()
    assert ">الثلاثاء ٣ نوفمبر ٢٠٢٦، الساعة ١٧:٠٠</time>–<time" in html and ">١٩:٠٠</time>" in html
    assert "kl." not in html
    assert '<strong lang="da" dir="ltr">Bydelsplan</strong>' in html
    assert '<div class="rich-text" lang="da" dir="ltr"><p>Udvalget godkendte bydelsplanen.</p></div>' in html
    assert ">الثلاثاء ٣ نوفمبر ٢٠٢٦، الساعة ١٧:٠٠</time>" in client.get(valby.url).content.decode()


def test_statement_page_renders(client, valby):
    statement = factories.statement(valby, "udtalelse", "Udtalelse om trafik", subject="Trafik i Valby")
    html = client.get(statement.url).content.decode()
    assert "Udtalelse om trafik" in html
    assert "Trafik i Valby" in html
    assert "Udtalelse fra <bdi>Valby Lokaludvalg</bdi>" in html  # the name isolated inside the sentence
    assert "Rådet anbefaler forslaget." in html


def test_draft_meeting_is_not_public(client, valby):
    factories.meeting(valby, "kladde", "Hemmeligt møde", live=False)
    assert client.get(f"{valby.url}kladde/").status_code == 404
    assert "Hemmeligt møde" not in client.get(valby.url).content.decode()
