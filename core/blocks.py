from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from . import polls


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


class PollOptionBlock(blocks.CharBlock):
    """One option of a quick poll. Wagtail's editor shows no label for a ListBlock's items, so the
    input carries the item's label itself (else axe: »Form elements must have labels«)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field.widget.attrs["aria-label"] = self.label


class QuickPollBlock(blocks.StructBlock):
    """A one-question poll answered on the page; results shown after voting (core.polls)."""

    question = blocks.CharBlock(max_length=300, label=_("Spørgsmål"))
    help_text = blocks.CharBlock(required=False, max_length=300, label=_("Hjælpetekst"))
    options = blocks.ListBlock(
        PollOptionBlock(max_length=150, label=_("Svarmulighed")), min_num=2, max_num=10, label=_("Svarmuligheder")
    )
    closed = blocks.BooleanBlock(
        required=False, label=_("Lukket"), help_text=_("Der kan ikke stemmes længere; resultatet vises for alle.")
    )

    class Meta:
        icon = "list-ul"
        template = "core/blocks/quick_poll.html"
        label = _("Hurtig afstemning")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent = parent_context or {}
        page = parent.get("page")
        poll_id = polls.poll_id_of(page, value)
        context.update(polls.poll_context(parent.get("request"), page, value, poll_id))
        return context


class PollBodyBlock(BodyBlock):
    """The body of a page where a quick poll may be placed (a council page, a hearing)."""

    poll = QuickPollBlock()


class PollsBlock(blocks.StreamBlock):
    """Quick polls only (the home page's »Afstemninger«)."""

    poll = QuickPollBlock()
