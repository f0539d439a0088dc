"""Moderation in the admin: filters, redaction keeps the original, withholding tells the respondent,
and a response entered by hand after the deadline is marked late."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import HearingPage, Response
from councils.models import PartyKind
from tests.consultations import secretariat
from tests.consultations.factories import HearingFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def listing(client, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.get(reverse("consultations_response:list") + ("?" + query if query else "")).content.decode()


def test_filters_by_hearing_status_kind_late_and_party(staff_client, hearing, hearing_index):
    parties = secretariat.hearing_list("Beskæftigelse", [("LO Hovedstaden", "lo@example.org")])
    hearing.hearing_lists.set([parties])
    hearing.save()
    lo = parties.parties.get()
    ResponseFactory(hearing=hearing, name="Anna Jensen", published=True)
    ResponseFactory(hearing=hearing, name="Karen Holm", kind=PartyKind.ORGANISATION, party=lo)
    ResponseFactory(hearing=hearing, name="Sen Svend", is_late=True)
    ResponseFactory(hearing=HearingFactory(parent=hearing_index, title="En anden høring"), name="Ole Andet")

    everything = listing(staff_client)
    assert all(name in everything for name in ["Anna Jensen", "LO Hovedstaden", "Sen Svend", "Ole Andet"])
    by_hearing = listing(staff_client, hearing=hearing.pk)
    assert "Ole Andet" not in by_hearing and "Anna Jensen" in by_hearing
    published = listing(staff_client, status=Response.Status.PUBLISHED)
    assert "Anna Jensen" in published and "Sen Svend" not in published
    organisations = listing(staff_client, kind=PartyKind.ORGANISATION)
    assert "LO Hovedstaden" in organisations and "Anna Jensen" not in organisations
    late = listing(staff_client, is_late="true")
    assert "Sen Svend" in late and "Anna Jensen" not in late
    by_party = listing(staff_client, party=lo.pk)
    assert "LO Hovedstaden" in by_party and "Sen Svend" not in by_party


def test_redaction_changes_the_public_text_and_keeps_the_original(staff_client, hearing):
    response = ResponseFactory(
        hearing=hearing, name="Anna Jensen", text="Jeg bor på Toftegårds Allé 5. Flere cykelstier!"
    )
    staff_client.post(
        reverse("consultations_response:edit", args=[response.pk]),
        {"redacted_text": "[Adresse fjernet] Flere cykelstier!", "summary": "", "administration_comment": ""},
    )
    staff_client.post(reverse("consultations_admin_response_publish", args=[response.pk]))
    response.refresh_from_db()
    assert response.text.startswith("Jeg bor på Toftegårds Allé 5.")
    assert response.public_text == "[Adresse fjernet] Flere cykelstier!"

    public = staff_client.get(hearing.url).content.decode()
    assert "[Adresse fjernet] Flere cykelstier!" in public
    assert "Toftegårds Allé" not in public
    secretariat_view = staff_client.get(reverse("consultations_response:edit", args=[response.pk])).content.decode()
    assert "Toftegårds Allé 5" in secretariat_view


def test_withholding_needs_a_reason_and_tells_the_respondent(staff_client, hearing, django_capture_on_commit_callbacks):
    response = ResponseFactory(hearing=hearing, name="Peter Holm", email="peter@example.org", published=True)
    url = reverse("consultations_admin_response_withhold", args=[response.pk])
    empty = staff_client.post(url, {"reason": "  "})
    assert "Skriv en begrundelse." in empty.content.decode()
    response.refresh_from_db()
    assert response.status == Response.Status.PUBLISHED

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"reason": "Svaret nævner en navngiven borgers helbred."})
    response.refresh_from_db()
    assert response.status == Response.Status.WITHHELD
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["peter@example.org"]
    assert "bliver ikke offentliggjort" in notice.subject
    assert "navngiven borgers helbred" in notice.body
    assert "Peter Holm" not in staff_client.get(hearing.url).content.decode()


def test_an_unconfirmed_response_cannot_be_published(staff_client, hearing):
    response = ResponseFactory(hearing=hearing, pending=True)
    answer = staff_client.post(reverse("consultations_admin_response_publish", args=[response.pk]), follow=True)
    response.refresh_from_db()
    assert response.status == Response.Status.PENDING
    assert "ikke bekræftet" in answer.content.decode()


def test_bulk_withhold_asks_for_a_reason(staff_client, hearing, django_capture_on_commit_callbacks):
    first = ResponseFactory(hearing=hearing, email="a@example.org")
    second = ResponseFactory(hearing=hearing, email="b@example.org")
    url = reverse("wagtail_bulk_action", args=["consultations", "response", "withhold"])
    url += f"?id={first.pk}&id={second.pk}"
    staff_client.post(url, {"reason": ""})
    assert set(Response.objects.values_list("status", flat=True)) == {Response.Status.RECEIVED}
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"reason": "Reklame."})
    assert set(Response.objects.values_list("status", flat=True)) == {Response.Status.WITHHELD}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_secretariat_enters_a_late_response_by_hand(client, home_page, mfa_user):
    valby, valby_group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    vesterbro, _group = secretariat.council_with_secretariat(home_page, "Vesterbro Lokaludvalg", "vesterbro")
    hearing = secretariat.hearing_under(valby, title="Trafikplan for Valby")
    foreign = secretariat.hearing_under(vesterbro, title="Vesterbros lokalplan")
    HearingPage.objects.filter(pk=hearing.pk).update(closes_at=timezone.now() - timedelta(days=1))
    user, _secret = mfa_user(email="valby@kommune.example")
    client.force_login(secretariat.join(user, valby_group))
    url = reverse("consultations_response:add")

    form_page = client.get(url + f"?hearing={hearing.pk}").content.decode()
    assert "Trafikplan for Valby" in form_page
    assert "Vesterbros lokalplan" not in form_page

    refused = client.post(url, secretariat.manual_response_data(foreign))
    assert refused.status_code == 200  # the form is shown again with an error
    assert not Response.objects.exists()

    client.post(url, secretariat.manual_response_data(hearing))
    response = Response.objects.get()
    assert response.hearing_id == hearing.pk
    assert response.is_late
    assert response.status == Response.Status.RECEIVED
    assert response.confirmed_at is not None
