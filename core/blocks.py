from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Overskrift"))
    level = blocks.ChoiceBlock(choices=[("h2", _("Niveau 2")), ("h3", _("Niveau 3"))], default="h2", label=_("Niveau"))

    class Meta:
        icon = "title"
        template = "core/blocks/heading.html"
        label = _("Overskrift")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Billede"))
    alt_text = blocks.CharBlock(label=_("Alternativ tekst"), help_text=_("Beskriv billedet for skærmlæsere."))
    caption = blocks.CharBlock(required=False, label=_("Billedtekst"))

    class Meta:
        icon = "image"
        template = "core/blocks/image.html"
        label = _("Billede")


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(required=False, label=_("Linktekst"))

    class Meta:
        icon = "doc-full"
        template = "core/blocks/document_link.html"
        label = _("Dokumentlink")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Advarsel")), ("success", _("Bekræftelse"))],
        default="info",
        label=_("Type"),
    )
    heading = blocks.CharBlock(required=False, label=_("Overskrift"))
    text = blocks.RichTextBlock(features=["bold", "italic", "link"], label=_("Tekst"))

    class Meta:
        icon = "warning"
        template = "core/blocks/callout.html"
        label = _("Faktaboks")


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        label=_("Afsnit"),
        template="core/blocks/paragraph.html",
    )
    image = ImageBlock()
    document = DocumentLinkBlock()
    callout = CalloutBlock()
