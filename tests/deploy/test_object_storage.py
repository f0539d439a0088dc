"""Issue 14, files on object storage: with S3 buckets configured, a response attachment is stored in
the private bucket (not on the app server's disk) and served only through the permission-checked
view, streamed by the app. Against moto's S3 server on loopback – real HTTP, not a mock of boto3."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from consultations.models import ResponseAttachment
from core.s3 import PrivateS3Storage
from core.storage import PrivateStorage, private_storage
from tests.consultations.factories import MINIMAL_PDF, HearingFactory, HearingIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buckets(settings, s3_server, s3_buckets, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = s3_server.storages(*s3_buckets)
    return s3_buckets


@pytest.fixture
def hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    return HearingFactory(parent=index, title="Legepladser i Valby", slug="legepladser-valby")


def answer_with_attachment(client, hearing):
    data = {
        "name": "Amira Hassan",
        "email": "amira@example.org",
        "postcode": "2500",
        "district": "valby",
        "respondent": "person",
        "text": "Legepladsen ved skolen trænger til nye gynger.",
        "consent": "on",
        "website": "",
        "submission_key": "0123456789abcdef0123456789abcdef",
        "attachments": SimpleUploadedFile("forslag.pdf", MINIMAL_PDF, content_type="application/pdf"),
    }
    response = client.post(hearing.url, data)
    assert response.status_code == 302, response.content[:2000]
    return ResponseAttachment.objects.get()


def local_files():
    return [
        p for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT) for p in Path(root).rglob("*") if p.is_file()
    ]


def test_an_attachment_lives_in_the_private_bucket_and_downloads_only_after_the_check(
    buckets, s3_server, hearing, user_factory
):
    media_bucket, private_bucket = buckets
    author = user_factory(email="amira@example.org")
    client = Client()
    client.force_login(author)
    attachment = answer_with_attachment(client, hearing)

    # In the private bucket under its random name; nothing on this server's disk or in the media bucket.
    assert s3_server.keys(private_bucket) == [f"private/{attachment.file.name}"]
    assert attachment.file.name.startswith("hearing_attachments/") and "forslag" not in attachment.file.name
    assert s3_server.keys(media_bucket) == []
    assert local_files() == []

    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert download["Content-Disposition"] == 'attachment; filename="forslag.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"

    # Anonymous visitors and other citizens are refused (the response is not published).
    assert Client().get(attachment.get_absolute_url()).status_code == 404
    other = Client()
    other.force_login(user_factory(email="nabo@example.org"))
    assert other.get(attachment.get_absolute_url()).status_code == 404

    # There is no URL that would skip the check.
    with pytest.raises(ValueError, match="not accessible via a URL"):
        attachment.file.url  # noqa: B018 – the property raises


def test_an_attachment_missing_from_the_bucket_is_not_found(buckets, s3_server, hearing, user_factory):
    _media_bucket, private_bucket = buckets
    author = user_factory(email="amira@example.org")
    client = Client()
    client.force_login(author)
    attachment = answer_with_attachment(client, hearing)
    s3_server.client().delete_object(Bucket=private_bucket, Key=f"private/{attachment.file.name}")
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_the_private_storage_follows_the_setting(buckets, settings, tmp_path):
    """One accessor: S3 while STORAGES says so, the local private folder when it does not."""
    assert isinstance(private_storage(), PrivateS3Storage)
    settings.STORAGES = {key: value for key, value in settings.STORAGES.items() if key != "private"}
    assert isinstance(private_storage(), PrivateStorage)
    assert private_storage().location == str(tmp_path / "private")


def test_a_document_on_s3_is_streamed_by_the_checked_view_not_redirected(
    buckets, s3_server, home_page, root_collection, user_factory
):
    """With media on S3, Wagtail would by default redirect to a signed bucket URL that anyone holding it
    could open; WAGTAILDOCS_SERVE_METHOD keeps documents behind the collection's restriction."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.models import CollectionViewRestriction

    media_bucket, _private_bucket = buckets
    collection = root_collection.add_child(name="Kun for medlemmer")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    document = Document.objects.create(
        title="Udkast", collection=collection, file=ContentFile(MINIMAL_PDF, name="udkast.pdf")
    )
    assert s3_server.keys(media_bucket) == [f"media/{document.file.name}"]
    assert Client().get(document.url).status_code == 302  # to the login page
    member = Client()
    member.force_login(user_factory(email="medlem@example.org"))
    served = member.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == MINIMAL_PDF
