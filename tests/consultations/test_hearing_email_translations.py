"""Emails about a hearing carry its title in the recipient's language where the page has a published
translation, and their links open the translated page (``?lang=<code>``), also in a browser that has
never been on the site. Without a translation for the recipient's language the title stays Danish
(the interface around it is still theirs)."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from consultations.decisions import DecisionNotice, DecisionOutcome, HearingDecision
from consultations.digests import Frequency
from consultations.emails import DecisionEmail, NewHearingEmail, ResponseWithheldEmail
from consultations.models import Response, SubscriptionNotification
from consultations.notifications import notify_subscribers, send_weekly_digests
from tests.consultations.factories import HearingFactory, ResponseFactory, SubscriptionFactory
from tests.consultations.test_response_form import form_data
from tests.core.test_page_translations import published

pytestmark = pytest.mark.django_db

TITLE = "Trafik i Valby"
ARABIC = {"title": "حركة المرور في فالبي", "summary": "تريد البلدية أن تسمع رأيك في خطة المرور."}
ENGLISH = {"title": "Traffic in Valby", "summary": "The municipality would like your view on the traffic plan."}


def translated_hearing(hearing_index, **fields):
    hearing = HearingFactory(parent=hearing_index, title=TITLE, slug="trafik", **fields)
    published(hearing, "ar", ARABIC)
    published(hearing, "en", ENGLISH)
    return hearing


def links(message, path):
    """The absolute links to ``path`` in the text body and in the HTML body of ``message``."""
    html = message.alternatives[0][0] if message.alternatives else ""
    pattern = rf"https?://[^/\s\"]+{re.escape(path)}[^\s\"<]*"
    return re.findall(pattern, message.body), re.findall(pattern, html.replace("&amp;", "&"))


def opened(link):
    """What a browser that has never been on the site gets for ``link``: the page's heading."""
    parts = urlsplit(link)
    response = Client().get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    assert response.status_code == 200
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize(
    "language, title, subject",
    [
        ("ar", ARABIC["title"], f"أكّد ردّك على «{ARABIC['title']}»"),
        ("en", ENGLISH["title"], f"Confirm your response to »{ENGLISH['title']}«"),
        ("pl", TITLE, None),  # no Polish translation: the Danish title, the page in Polish around it
        ("da", TITLE, f"Bekræft dit høringssvar til »{TITLE}«"),
    ],
)
def test_confirmation_and_receipt_show_the_translated_title_and_link_to_the_translated_page(
    client, hearing_index, django_capture_on_commit_callbacks, language, title, subject
):
    hearing = translated_hearing(hearing_index)
    client.cookies["medborger_language"] = language
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(hearing.url, form_data()).status_code == 302
    (confirmation,) = mail.outbox
    assert title in confirmation.subject
    if subject:
        assert confirmation.subject == subject
    assert title in confirmation.body
    if title != TITLE:
        assert TITLE not in confirmation.body
    suffix = "" if language == "da" else f"?lang={language}"
    text_links, html_links = links(confirmation, "/hoeringer/svar/bekraeft/")
    assert text_links and all(link.endswith(f"/{suffix}") for link in text_links + html_links)

    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(text_links[0]).status_code == 200
    receipt = mail.outbox[1]
    assert title in receipt.subject
    assert title in receipt.body
    text_links, html_links = links(receipt, hearing.url)
    assert text_links == [f"{settings.BASE_URL.rstrip('/')}{hearing.url}{suffix}"]
    assert html_links == text_links
    assert opened(text_links[0]) == title


def test_a_new_hearing_notice_in_arabic_and_danish(hearing_index, django_capture_on_commit_callbacks):
    arabic = SubscriptionFactory(email="amira@example.org", language="ar")
    danish = SubscriptionFactory(email="bo@example.org", language="da")
    hearing = translated_hearing(hearing_index)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_subscribers(hearing) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    notice = by_address[arabic.email]
    assert ARABIC["title"] in notice.subject and TITLE not in notice.subject
    assert ARABIC["summary"] in notice.body
    text_links, html_links = links(notice, hearing.url)
    assert text_links[0].endswith(f"{hearing.url}?lang=ar") and html_links == text_links[:1]
    assert opened(text_links[0]) == ARABIC["title"]
    # The unsubscribe link is the subscription's own, unchanged.
    assert arabic.get_unsubscribe_url() in notice.body

    notice = by_address[danish.email]
    assert notice.subject == f"Ny høring: {TITLE}"
    text_links, _html = links(notice, hearing.url)
    assert text_links[0].endswith(hearing.url) and opened(text_links[0]) == TITLE


def test_a_translation_published_after_the_notice_was_queued_is_used_when_it_is_sent(hearing_index):
    """The worker renders the message: it shows what the page has when it is sent."""
    subscription = SubscriptionFactory(email="amira@example.org", language="ar")
    hearing = HearingFactory(parent=hearing_index, title=TITLE, slug="trafik")
    notification = SubscriptionNotification.objects.create(subscription=subscription, hearing=hearing)
    assert TITLE in NewHearingEmail(notification).render()[0]
    published(hearing, "ar", ARABIC)
    assert ARABIC["title"] in NewHearingEmail(notification).render()[0]


def test_the_weekly_digest_lists_hearings_in_the_subscribers_language(
    hearing_index, django_capture_on_commit_callbacks
):
    SubscriptionFactory(email="amira@example.org", language="ar", frequency=Frequency.WEEKLY)
    hearing = translated_hearing(hearing_index, live=False)
    other = HearingFactory(parent=hearing_index, title="Skoleplan 2027", slug="skoleplan", live=False)
    for page in (hearing, other):
        page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests() == 1
    (digest,) = mail.outbox
    assert ARABIC["title"] in digest.body and TITLE not in digest.body
    assert "Skoleplan 2027" in digest.body  # not translated into Arabic: Danish
    text_links, html_links = links(digest, hearing.url)
    assert text_links[0].endswith(f"{hearing.url}?lang=ar") and html_links == text_links[:1]


def test_the_withheld_notice_and_the_decision_are_in_the_respondents_language(hearing_index):
    hearing = translated_hearing(hearing_index)
    response = ResponseFactory(
        hearing=hearing, language="ar", status=Response.Status.WITHHELD, withheld_reason="Indeholder et CPR-nummer."
    )
    subject, _text, html = ResponseWithheldEmail(response).render()
    assert ARABIC["title"] in subject
    assert '<html lang="ar" dir="rtl">' in html  # was lang="da" whatever the language

    HearingDecision.objects.create(
        hearing=hearing, committee_name="Teknik- og Miljøudvalget", decided_on="2026-11-20",
        outcome=DecisionOutcome.ADOPTED,
    )  # fmt: skip
    notice = DecisionNotice.objects.create(hearing=hearing, email=response.email, language="ar", response=response)
    message = DecisionEmail(DecisionEmail.get_object(DecisionNotice, notice.pk)).message()
    assert ARABIC["title"] in message.subject and ARABIC["title"] in message.body
    text_links, html_links = links(message, hearing.url)
    assert text_links[0].endswith(f"{hearing.url}?lang=ar") and html_links == text_links[:1]
    summary = reverse("consultations:summary_print", args=[hearing.pk])
    assert links(message, summary)[0][0].endswith(f"{summary}?lang=ar")
