"""Issue 10, "private files served publicly": a document in a login-restricted collection is served
only by Wagtail's permission-checked view – not from MEDIA_ROOT by the app (config/urls.py, whose
DEBUG=False branch the test settings share with production) and not by nginx. Public images still
are. On main before the fix /media/documents/<name>.pdf answered 200 to anyone."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import CollectionViewRestriction

from tests.consultations.factories import MINIMAL_PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def restricted_document(home_page, root_collection):
    collection = root_collection.add_child(name="Lukket møde")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    document = Document.objects.create(
        title="Referat af lukket møde", collection=collection, file=ContentFile(MINIMAL_PDF, name="lukket-referat.pdf")
    )
    yield document
    document.file.delete(save=False)


@pytest.fixture
def public_image(home_page, root_collection):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    image = Image.objects.create(
        title="Rådhuset", collection=root_collection, file=ImageFile(buffer, name="raadhuset.png")
    )
    rendition = image.get_rendition("fill-20x20")
    yield rendition
    image.file.delete(save=False)
    rendition.file.delete(save=False)


def test_a_restricted_document_is_not_served_from_media(restricted_document, user_factory):
    assert restricted_document.file.url.startswith("/media/documents/")
    assert Client().get(restricted_document.file.url).status_code == 404
    # Not for a logged-in user either: documents have one door, the checked one.
    member = Client()
    member.force_login(user_factory(email="medlem@example.org"))
    assert member.get(restricted_document.file.url).status_code == 404


def test_the_checked_view_asks_for_a_login_and_then_serves_it(restricted_document, user_factory):
    assert restricted_document.url == f"/dokumenter/{restricted_document.pk}/lukket-referat.pdf"
    anonymous = Client().get(restricted_document.url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/konto/login/")
    member = Client()
    member.force_login(user_factory(email="medlem@example.org"))
    served = member.get(restricted_document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == MINIMAL_PDF


def test_public_images_are_still_served_from_media(public_image):
    response = Client().get(public_image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_nginx_serves_images_but_never_documents_from_disk(proxy, restricted_document, public_image):
    client = proxy.client()
    assert client.get(proxy.url + restricted_document.file.url).status_code == 404
    checked = client.get(proxy.url + restricted_document.url, allow_redirects=False)
    assert checked.status_code == 302 and checked.headers["Location"].startswith("/konto/login/")
    image = client.get(proxy.url + public_image.url)
    assert image.status_code == 200
    assert image.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.headers["Cache-Control"] == "max-age=604800"  # from disk by nginx, not the app
