"""Abstract bases shared by the plain models of every app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Shared base for plain models: when a row was made and last changed."""

    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        abstract = True


class StateFieldsMixin:
    """For Wagtail pages whose irreversible steps are fields set by methods, never by editors.

    List them in ``state_fields`` (timestamps such as »voting opened«, flags, fingerprints).
    A revision then carries only the editors' content: whenever Wagtail turns a revision back
    into a page – to edit, preview, compare, revert or publish it, by hand or on schedule – the
    state fields are taken from the page's current database row, so publishing a draft saved
    before a step cannot undo the step. A copy of the page starts with them at their defaults.
    Put the mixin before ``Page`` in the bases.
    """

    state_fields = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        excluded = list(getattr(cls, "exclude_fields_in_copy", []))
        cls.exclude_fields_in_copy = excluded + [name for name in cls.state_fields if name not in excluded]

    def set_state(self, **values):
        """Set state fields on this page and in its database row only (no revision, no other field)."""
        unknown = set(values) - set(self.state_fields)
        if unknown:
            raise ValueError(f"not state fields: {sorted(unknown)}")
        for name, value in values.items():
            setattr(self, name, value)
        type(self).objects.filter(pk=self.pk).update(**values)

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in self.state_fields:
            setattr(obj, name, getattr(self, name))
        return obj


class PageTranslation(models.Model):
    """One page's content in one language: a translation overlay on the Danish page tree.

    ``entries`` is the draft the editor uploaded, ``published_entries`` what readers see; both map a
    stable field/block path (``body/<block id>/text``) to ``{"source": Danish text, "text": translation}``,
    so a change of the Danish text is noticed (core.translated_pages). Whether a native speaker has
    reviewed the draft is recorded with the reviewer's name; a new upload resets it.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="content_translations", verbose_name=_("side")
    )
    language = models.CharField(_("sprog"), max_length=8)
    entries = models.JSONField(_("oversatte tekster (kladde)"), default=dict, blank=True)
    uploaded_at = models.DateTimeField(_("uploadet"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed = models.BooleanField(_("gennemgået af en med sproget som modersmål"), default=False)
    reviewer_name = models.CharField(_("gennemgået af"), max_length=200, blank=True)
    reviewed_at = models.DateTimeField(_("gennemgået"), null=True, blank=True)
    published_entries = models.JSONField(_("oversatte tekster (offentliggjort)"), default=dict, blank=True)
    published_reviewed = models.BooleanField(default=False)
    published_reviewer_name = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("oversættelse af side")
        constraints = [models.UniqueConstraint(fields=["page", "language"], name="one_translation_per_page_language")]

    def __str__(self):
        return f"{self.page_id}:{self.language}"

    @property
    def is_published(self):
        return self.published_at is not None


# The quick polls' counts (core.polls), imported here so Django finds the model.
from .polls import QuickPollCount  # noqa: E402, F401
