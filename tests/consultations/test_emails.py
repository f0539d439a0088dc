"""The consultations emails through the public flow: subjects are plain text (issue 10: a
hearing called »Trafik & parkering« was mailed as »Trafik &amp; parkering«)."""

import re

import pytest
from django.core import mail

from consultations.models import Response
from tests.consultations.factories import HearingFactory
from tests.consultations.test_response_form import form_data

pytestmark = pytest.mark.django_db

TITLE = "Trafik & parkering i Valby"


def test_confirmation_and_receipt_subjects_are_not_html_escaped(
    client, hearing_index, django_capture_on_commit_callbacks
):
    hearing = HearingFactory(parent=hearing_index, title=TITLE, slug="trafik")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(hearing.url, form_data()).status_code == 302
    (confirmation,) = mail.outbox
    assert confirmation.subject == f"Bekræft dit høringssvar til »{TITLE}«"
    link = re.search(r"https?://[^/\s]+(/hoeringer/svar/bekraeft/\S+/)", confirmation.body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 200
    assert Response.objects.get().status == Response.Status.RECEIVED
    receipt = mail.outbox[1]
    assert receipt.subject == f"Kvittering for dit høringssvar til »{TITLE}«"
    assert f"»{TITLE}«" in receipt.body


def test_the_confirmation_link_is_the_only_copy_of_the_token(client, hearing_index, django_capture_on_commit_callbacks):
    """Only the token's hash is stored; the link in the email confirms, a made-up one does not."""
    hearing = HearingFactory(parent=hearing_index, title=TITLE, slug="trafik")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(hearing.url, form_data())
    token = re.search(r"/hoeringer/svar/bekraeft/(\S+)/", mail.outbox[0].body).group(1)
    response = Response.objects.get()
    assert response.confirmation_token_hash and token not in response.confirmation_token_hash
    assert client.post("/hoeringer/svar/bekraeft/not-the-token/").status_code == 404
    assert Response.for_token(token) == response
