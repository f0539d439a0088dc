"""Every page type of home/ renders; StandardPage renders each of its blocks."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from core.demo import get_or_create_child
from home.demo import load_site
from home.models import HomePage, StandardPage


def make_image(title="Rådhuspladsen"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (0, 89, 179)).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="raadhus.png"))


def make_document(title="Beskæftigelsesplan 2027"):
    document = Document(title=title)
    document.file.save("beskaeftigelsesplan-2027.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    document.save()
    return document


class HomePageTypesTest(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = load_site()
        cls.about = StandardPage.objects.get(slug="om")

    def test_home_page_is_routable_and_renderable(self):
        self.assertPageIsRoutable(self.home)
        self.assertPageIsRenderable(self.home)

    def test_standard_page_is_routable_and_renderable(self):
        self.assertPageIsRoutable(self.about)
        self.assertPageIsRenderable(self.about)
        self.assertPageIsRenderable(StandardPage.objects.get(slug="tilgaengelighedserklaering"))

    def test_page_tree_rules(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(HomePage, HomePage)  # max_count = 1

    def test_home_page_shows_title_and_intro(self):
        response = self.client.get(self.home.url)
        self.assertContains(response, f"<h1>{self.home.title}</h1>", html=True)
        self.assertContains(response, "svar på høringer")


@pytest.fixture
def page_with_every_block(home_page):
    image = make_image()
    document = make_document()
    page, _created = get_or_create_child(
        home_page,
        StandardPage,
        "alle-blokke",
        title="Side med alle blokke",
        introduction="En side til test af indholdsblokke.",
        body=[
            {"type": "heading", "value": {"text": "Sådan svarer du", "level": "h2"}},
            {"type": "heading", "value": {"text": "Frister", "level": "h3"}},
            {"type": "paragraph", "value": "<p>Læs <b>udkastet</b> før du svarer.</p>"},
            {"type": "image", "value": {"image": image.pk, "alt_text": "Rådhuspladsen om sommeren", "caption": "Foto"}},
            {"type": "document", "value": {"document": document.pk, "title": "Læs planen"}},
            {
                "type": "callout",
                "value": {"kind": "warning", "heading": "Husk fristen", "text": "<p>Svar senest fredag.</p>"},
            },
        ],
    )
    return page, image, document


def test_standard_page_renders_every_block(client, page_with_every_block):
    page, _image, document = page_with_every_block
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Sådan svarer du</h2>" in html
    assert "<h3>Frister</h3>" in html
    assert "<b>udkastet</b>" in html
    assert 'alt="Rådhuspladsen om sommeren"' in html
    assert "<figcaption>Foto</figcaption>" in html
    assert f'href="{document.url}"' in html
    assert "Læs planen" in html
    assert "(PDF" in html
    assert 'class="alert alert-warning' in html
    assert "Husk fristen" in html
    assert "Svar senest fredag." in html


def test_document_link_falls_back_to_the_document_title(client, home_page):
    document = make_document("Integrationspolitik")
    page, _created = get_or_create_child(
        home_page,
        StandardPage,
        "dokument",
        title="Dokument",
        body=[{"type": "document", "value": {"document": document.pk, "title": ""}}],
    )
    response = client.get(page.url)
    assert ">Integrationspolitik <span" in response.content.decode()
