"""Abstract bases shared by the plain models of every app."""

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
