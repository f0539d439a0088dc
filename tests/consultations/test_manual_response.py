"""A response entered by hand in the admin (a letter, or one after the deadline) can carry attachments:
checked like the public form's (count, size, content), stored in the private storage, shown in the
moderation view. A bad file stores nothing, not even the response. Another council's secretariat
cannot enter a response to this hearing."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.models import HearingPage, Response, ResponseAttachment
from tests.consultations import secretariat
from tests.consultations.factories import MINIMAL_PDF
from tests.helpers import assert_refused_by_the_admin

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200
TEXT = "Modtaget som brev tre dage efter fristen."
ADD_URL = "consultations_response:add"


@pytest.fixture
def valby(home_page, mfa_user):
    council, group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    hearing = secretariat.hearing_under(council, title="Trafikplan for Valby")
    HearingPage.objects.filter(pk=hearing.pk).update(closes_at=timezone.now() - timedelta(days=1))
    user, _secret = mfa_user(email="valby@kommune.example")
    secretariat.join(user, group)
    return hearing, user


def pdf(name="brev.pdf", data=MINIMAL_PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def private_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_stored():
    assert Response.objects.count() == 0
    assert ResponseAttachment.objects.count() == 0
    assert private_files() == []


def test_the_form_offers_attachments_with_the_public_forms_limits(client, valby):
    hearing, user = valby
    client.force_login(user)
    page = client.get(reverse(ADD_URL) + f"?hearing={hearing.pk}").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="attachments"' in page
    assert "Op til 5 filer i formaterne PDF, DOCX, ODT, PNG eller JPEG, højst 10,0\xa0MB pr. fil." in page


def test_a_pdf_is_stored_privately_and_shown_in_the_moderation_view(client, valby):
    hearing, user = valby
    client.force_login(user)
    answer = client.post(reverse(ADD_URL), secretariat.manual_response_data(hearing, attachments=[pdf("brev.pdf")]))
    assert answer.status_code == 302

    response = Response.objects.get()
    assert response.is_late
    assert response.status == Response.Status.RECEIVED
    attachment = response.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "brev.pdf",
        "application/pdf",
        len(MINIMAL_PDF),
    )
    stored = private_files()
    assert len(stored) == 1
    assert stored[0].read_bytes() == MINIMAL_PDF
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))

    moderation = client.get(reverse("consultations_response:edit", args=[response.pk])).content.decode()
    download_url = reverse("consultations_admin_attachment", args=[attachment.pk])
    assert f'<a href="{download_url}">brev.pdf</a>' in moderation
    download = client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF


def test_a_response_before_the_deadline_with_attachments_is_not_late(client, valby):
    hearing, user = valby
    HearingPage.objects.filter(pk=hearing.pk).update(closes_at=timezone.now() + timedelta(days=3))
    client.force_login(user)
    client.post(reverse(ADD_URL), secretariat.manual_response_data(hearing, attachments=[pdf("a.pdf"), pdf("b.pdf")]))
    response = Response.objects.get()
    assert not response.is_late
    assert sorted(response.attachments.values_list("original_name", flat=True)) == ["a.pdf", "b.pdf"]


def test_a_renamed_executable_is_refused_and_nothing_is_stored(client, valby):
    hearing, user = valby
    client.force_login(user)
    answer = client.post(
        reverse(ADD_URL), secretariat.manual_response_data(hearing, attachments=[pdf("brev.pdf", EXE)])
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Filen »brev.pdf« er ikke en PDF-, DOCX-, ODT-, PNG- eller JPEG-fil." in page
    assert TEXT in page  # the typed text is kept
    assert_nothing_stored()


def test_one_bad_file_among_good_ones_stores_nothing(client, valby):
    hearing, user = valby
    client.force_login(user)
    answer = client.post(
        reverse(ADD_URL),
        secretariat.manual_response_data(hearing, attachments=[pdf("brev.pdf"), pdf("program.pdf", EXE)]),
    )
    assert "Filen »program.pdf« er ikke en PDF-, DOCX-, ODT-, PNG- eller JPEG-fil." in answer.content.decode()
    assert_nothing_stored()


def test_an_oversized_file_is_refused(client, valby, settings):
    settings.HEARING_ATTACHMENT_MAX_BYTES = 1000
    hearing, user = valby
    client.force_login(user)
    answer = client.post(
        reverse(ADD_URL), secretariat.manual_response_data(hearing, attachments=[pdf(data=MINIMAL_PDF + b"%" * 2000)])
    )
    assert "Filen »brev.pdf« er for stor" in answer.content.decode()
    assert_nothing_stored()


def test_six_files_are_refused(client, valby):
    hearing, user = valby
    client.force_login(user)
    files = [pdf(f"side-{number}.pdf") for number in range(1, 7)]
    answer = client.post(reverse(ADD_URL), secretariat.manual_response_data(hearing, attachments=files))
    assert answer.status_code == 200
    assert "Du kan højst vedhæfte 5 filer. Du valgte 6." in answer.content.decode()
    assert_nothing_stored()


def test_another_councils_secretariat_cannot_enter_a_response_to_the_hearing(client, home_page, valby, mfa_user):
    hearing, _valby_user = valby
    _council, group = secretariat.council_with_secretariat(home_page, "Vesterbro Lokaludvalg", "vesterbro")
    secretariat.hearing_under(_council, title="Vesterbros lokalplan")
    other, _secret = mfa_user(email="vesterbro@kommune.example")
    client.force_login(secretariat.join(other, group))

    page = client.get(reverse(ADD_URL) + f"?hearing={hearing.pk}").content.decode()
    assert "Vesterbros lokalplan" in page
    assert "Trafikplan for Valby" not in page  # neither offered nor preselected

    answer = client.post(reverse(ADD_URL), secretariat.manual_response_data(hearing, attachments=[pdf()]))
    assert answer.status_code == 200  # shown again with an error, as for any hearing not theirs
    assert "Trafikplan for Valby" not in answer.content.decode()
    assert_nothing_stored()


@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_without_a_hearing_of_ones_own_the_form_is_refused(client, valby, user_factory, role):
    hearing, _user = valby
    if role == "citizen":
        client.force_login(user_factory(email="borger@example.org"))
    url = reverse(ADD_URL)
    assert_refused_by_the_admin(client.get(url), role, url)
    answer = client.post(url, secretariat.manual_response_data(hearing, attachments=[pdf()]))
    assert_refused_by_the_admin(answer, role, url)
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "٢٥٠٠", "Skriv postnummeret med cifrene 0-9, fx 2500."),
        ("postcode", "25 00", "Skriv et postnummer med 4 cifre, fx 2500."),
        ("name", "Grethe\r\nBrev", "Skriv det på én linje uden linjeskift."),
        ("name", "Grethe \u202evärB", "usynlige tegn, der vender skriftretningen"),
    ],
)
def test_names_and_postcodes_are_checked_as_on_the_public_form(client, valby, field, value, message):
    """Issue 10: the admin's form took any four characters as a postcode and any name."""
    hearing, user = valby
    client.force_login(user)
    answer = client.post(reverse(ADD_URL), secretariat.manual_response_data(hearing, **{field: value}))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert_nothing_stored()
