"""Issue 10: attachments are kept and offered under the extension of their detected type, at an
unguessable address that honours the hearing page's view restrictions."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from consultations.models import ResponseAttachment
from tests.consultations.factories import MINIMAL_PDF, ResponseAttachmentFactory, ResponseFactory
from tests.consultations.test_response_form import assert_nothing_stored, form_data, pdf
from tests.consultations.test_upload_archives import office_file

pytestmark = pytest.mark.django_db


def test_pdf_named_html_is_stored_and_served_as_pdf(client, staff_client, hearing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(hearing.url, form_data(attachments=[pdf(name="rapport.html")]))
    assert answer.status_code == 302
    attachment = ResponseAttachment.objects.get()
    assert attachment.original_name == "rapport.html"
    assert attachment.file.name.endswith(".pdf")

    download = staff_client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="rapport.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"

    admin = staff_client.get(reverse("consultations_admin_attachment", args=[attachment.pk]))
    assert admin["Content-Disposition"] == 'attachment; filename="rapport.pdf"'
    assert admin["X-Content-Type-Options"] == "nosniff"


def test_zip_export_names_files_by_their_detected_type(staff_client, hearing):
    response = ResponseFactory(hearing=hearing, name="Anna Jensen")
    ResponseAttachmentFactory(response=response, original_name="rapport.html", content_type="application/pdf")
    ResponseAttachmentFactory(response=response, original_name="makro.docm", content_type="application/pdf")
    answer = staff_client.get(reverse("consultations_admin_zip", args=[hearing.pk]))
    assert answer["Content-Disposition"].startswith("attachment;")
    assert answer["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    folder = f"svar-{response.pk:04d}-anna-jensen"
    assert sorted(archive.namelist()) == [f"{folder}/makro.pdf", f"{folder}/rapport.pdf"]


def test_macro_enabled_upload_is_refused_with_a_message(client, hearing):
    docm = office_file("application/vnd.ms-word.document.macroEnabled.main+xml", ["word/vbaProject.bin"])
    upload = pdf(name="doc.docm", data=docm)
    answer = client.post(hearing.url, form_data(attachments=[upload]))
    assert answer.status_code == 200
    assert "Filen »doc.docm« er ikke en PDF-, DOCX-, ODT-, PNG- eller JPEG-fil." in answer.content.decode()
    assert_nothing_stored()


def test_the_address_is_a_random_token_not_the_id(hearing):
    attachment = ResponseAttachmentFactory(response=ResponseFactory(hearing=hearing, published=True))
    assert attachment.get_absolute_url() == f"/hoeringer/svar/bilag/{attachment.token}/"
    assert str(attachment.pk) not in attachment.get_absolute_url().split("/")
    anonymous = Client()
    assert anonymous.get(attachment.get_absolute_url()).status_code == 200
    assert anonymous.get(f"/hoeringer/svar/bilag/{attachment.pk}/").status_code == 404


def test_a_password_restricted_hearing_keeps_its_attachments_behind_the_password(hearing):
    attachment = ResponseAttachmentFactory(response=ResponseFactory(hearing=hearing, published=True))
    restriction = PageViewRestriction.objects.create(page=hearing, restriction_type="password", password="lukket")
    visitor = Client()
    assert visitor.get(attachment.get_absolute_url()).status_code == 404

    visitor.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, hearing.pk]),
        {"password": "forkert", "return_url": hearing.url},
    )
    assert visitor.get(attachment.get_absolute_url()).status_code == 404
    visitor.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, hearing.pk]),
        {"password": "lukket", "return_url": hearing.url},
    )
    download = visitor.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF


def test_a_login_restriction_on_an_ancestor_applies_to_the_attachments(hearing, hearing_index, user_factory):
    attachment = ResponseAttachmentFactory(response=ResponseFactory(hearing=hearing, published=True))
    PageViewRestriction.objects.create(page=hearing_index, restriction_type="login")
    visitor = Client()
    assert visitor.get(attachment.get_absolute_url()).status_code == 404
    visitor.force_login(user_factory(email="borger@example.org"))
    assert visitor.get(attachment.get_absolute_url()).status_code == 200
