"""The one email mechanism (core.emails): after the commit, through a task, in the recipient's
language, subjects and text bodies never HTML-escaped, logged without personal data."""

import logging

import pytest
from django.core import mail

from consultations.emails import ResponseReceiptEmail, SubscriptionConfirmEmail
from consultations.models import Response
from core import emails
from tests.consultations.factories import (
    HearingFactory,
    HearingIndexPageFactory,
    ResponseFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

TITLE = "Trafik & parkering <Valby>"


@pytest.fixture
def hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    return HearingFactory(parent=index, title=TITLE, slug="trafik-og-parkering")


@pytest.fixture
def response(hearing):
    return ResponseFactory(hearing=hearing, name="Karen & Ole", email="karen@example.org", language="da")


def html_body(message):
    return "".join(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_nothing_is_sent_before_the_transaction_commits(response, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ResponseReceiptEmail.send(response)
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["karen@example.org"]]


def test_subject_and_text_are_plain_text_and_html_is_escaped(response, django_capture_on_commit_callbacks):
    """Issue 10: a hearing called »Trafik & parkering« arrived as »Trafik &amp; parkering«."""
    with django_capture_on_commit_callbacks(execute=True):
        ResponseReceiptEmail.send(response)
    (message,) = mail.outbox
    assert message.subject == f"Kvittering for dit høringssvar til »{TITLE}«"
    assert "&amp;" not in message.subject and "&lt;" not in message.subject
    assert "Kære Karen & Ole" in message.body
    assert f"»{TITLE}«" in message.body
    assert "Trafik &amp; parkering &lt;Valby&gt;" in html_body(message)
    assert "<Valby>" not in html_body(message)


def test_rendered_in_the_recipients_language(response, django_capture_on_commit_callbacks):
    Response.objects.filter(pk=response.pk).update(language="en")
    response.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        ResponseReceiptEmail.send(response)
    (message,) = mail.outbox
    assert message.subject == f"Receipt for your response to »{TITLE}«"


def test_an_unknown_language_falls_back_to_danish(response):
    Response.objects.filter(pk=response.pk).update(language="xx")
    response.refresh_from_db()
    assert ResponseReceiptEmail(response).render()[0] == f"Kvittering for dit høringssvar til »{TITLE}«"


def test_the_task_gets_ids_not_addresses_or_text(response, monkeypatch, django_capture_on_commit_callbacks):
    queued = []

    class Recorder:
        def enqueue(self, *args, **kwargs):
            queued.append((args, kwargs))

    monkeypatch.setattr(emails, "deliver", Recorder())
    with django_capture_on_commit_callbacks(execute=True):
        ResponseReceiptEmail.send(response)
    assert queued == [(("consultations.emails.ResponseReceiptEmail", "consultations.Response", response.pk, {}), {})]
    assert mail.outbox == []


def test_sent_and_skipped_messages_are_logged_without_personal_data(
    response, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="medborger.emails")
    with django_capture_on_commit_callbacks(execute=True):
        ResponseReceiptEmail.send(response)
    assert len(mail.outbox) == 1
    Response.objects.filter(pk=response.pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        ResponseReceiptEmail.send(response)
    assert len(mail.outbox) == 1  # no address any more: skipped
    lines = [record.getMessage() for record in caplog.records if record.name == "medborger.emails"]
    assert lines == [
        f"email sent: consultations/emails/response_receipt (consultations.Response #{response.pk})",
        f"email skipped: consultations/emails/response_receipt (consultations.Response #{response.pk})",
    ]
    assert "karen" not in caplog.text.lower() and "Karen" not in caplog.text


def test_an_object_deleted_before_the_worker_runs_is_skipped(response, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ResponseReceiptEmail.send(response)
    response.delete()
    callbacks[0]()
    assert mail.outbox == []


def test_should_send_is_asked_in_the_worker(home_page, django_capture_on_commit_callbacks):
    subscription = SubscriptionFactory(confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        SubscriptionConfirmEmail.send(subscription)
    subscription.confirm()  # confirmed by another link before the worker ran
    callbacks[0]()
    assert mail.outbox == []
