"""A hearing's draft as structured text: chapters with numbered sections, and comments on them.

The draft (``HearingPage.draft``) is a StreamField of chapters; each chapter holds a list of
sections. Numbers follow the order on the page (chapter 3, its second section: »3.2«); each
section's identity is the id Wagtail stores on its list item, which survives edits of its text
between hearing rounds. A respondent's :class:`SectionComment` keeps that id together with the
number and heading the section had when the comment was written, so earlier comments keep
their numbers when the draft changes. The administration's comment per section for the
høringsnotat is a :class:`SectionNote`.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

SECTION_COMMENT_MAX_LENGTH = 5_000


class DraftSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Overskrift"), required=False, max_length=200)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], label=_("Tekst"))

    class Meta:
        icon = "pilcrow"
        label = _("Afsnit")


class DraftChapterBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Kapiteloverskrift"), max_length=200)
    sections = blocks.ListBlock(DraftSectionBlock(), label=_("Afsnit"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Kapitel")


class DraftBlock(blocks.StreamBlock):
    chapter = DraftChapterBlock()


@dataclass
class Section:
    id: str
    number: str
    heading: str
    text: object
    chapter_number: int
    comments: list = field(default_factory=list)

    @property
    def anchor(self):
        return "afsnit-" + self.number.replace(".", "-")

    @property
    def title(self):
        """»3.2 Mål for unge« (the number alone when the section has no heading)."""
        return f"{self.number} {self.heading}".strip()


@dataclass
class Chapter:
    number: int
    heading: str
    sections: list

    @property
    def anchor(self):
        return f"kapitel-{self.number}"


def draft_chapters(draft):
    """The draft's chapters, numbered from 1, each with its sections numbered »chapter.section«."""
    chapters = []
    for chapter_index, block in enumerate((b for b in draft or [] if b.block_type == "chapter"), start=1):
        sections = []
        for section_index, item in enumerate(block.value["sections"].bound_blocks, start=1):
            sections.append(
                Section(
                    id=item.id,
                    number=f"{chapter_index}.{section_index}",
                    heading=item.value["heading"] or "",
                    text=item.value["text"],
                    chapter_number=chapter_index,
                )
            )
        chapters.append(Chapter(number=chapter_index, heading=block.value["heading"], sections=sections))
    return chapters


def draft_sections(draft):
    """Every section of the draft in order."""
    return [section for chapter in draft_chapters(draft) for section in chapter.sections]


def number_key(number):
    """Sort »10.2« after »9.1«: numbers compared part by part."""
    parts = []
    for part in str(number).split("."):
        parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return tuple(parts)


class SectionComment(models.Model):
    """A respondent's comment on one section of the draft, part of their response.

    ``section_id`` is the section's stable id; ``number`` and ``heading`` are the section's as
    they were when the comment was written (a later edit of the draft does not change them).
    """

    response = models.ForeignKey(
        "consultations.Response", on_delete=models.CASCADE, related_name="section_comments", verbose_name=_("svar")
    )
    section_id = models.CharField(_("afsnittets id"), max_length=64)
    number = models.CharField(_("afsnit nr."), max_length=20)
    heading = models.CharField(_("afsnittets overskrift"), max_length=255, blank=True)
    text = models.TextField(_("kommentar"))

    class Meta:
        verbose_name = _("kommentar til afsnit")
        verbose_name_plural = _("kommentarer til afsnit")
        ordering = ["response", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "section_id"], name="unique_section_comment_per_response")
        ]
        indexes = [models.Index(fields=["section_id"], name="section_comment_section")]

    def __str__(self):
        return f"{self.number} – {self.response_id}"

    @property
    def title(self):
        return f"{self.number} {self.heading}".strip()

    @property
    def anchor(self):
        return "afsnit-" + self.number.replace(".", "-")


class SectionNote(models.Model):
    """The administration's comment on one section, printed in the høringsnotat under that section."""

    hearing = models.ForeignKey(
        "consultations.HearingPage", on_delete=models.CASCADE, related_name="section_notes", verbose_name=_("høring")
    )
    section_id = models.CharField(_("afsnittets id"), max_length=64)
    number = models.CharField(_("afsnit nr."), max_length=20)
    heading = models.CharField(_("afsnittets overskrift"), max_length=255, blank=True)
    administration_comment = models.TextField(_("forvaltningens bemærkning"), blank=True)

    class Meta:
        verbose_name = _("forvaltningens bemærkning til afsnit")
        verbose_name_plural = _("forvaltningens bemærkninger til afsnit")
        ordering = ["hearing", "pk"]
        constraints = [models.UniqueConstraint(fields=["hearing", "section_id"], name="unique_section_note")]

    def __str__(self):
        return f"{self.number} – {self.hearing_id}"


def sections_with_comments(hearing, comments):
    """Group ``comments`` (SectionComment rows) under the draft's current sections, in order.

    A comment on a section that has since been removed from the draft is kept, under the
    number and heading it was written for, after the current sections.
    """
    current = draft_sections(hearing.draft)
    by_id = {s.id: s for s in current}
    removed = {}
    for comment in comments:
        section = by_id.get(comment.section_id)
        if section is None:
            section = removed.setdefault(
                comment.section_id,
                Section(
                    id=comment.section_id, number=comment.number, heading=comment.heading, text="", chapter_number=0
                ),
            )
        section.comments.append(comment)
    return current + sorted(removed.values(), key=lambda s: number_key(s.number))
