"""Choice fields over database rows that check a submitted id before it reaches the database.

Django's ``ModelChoiceField``/``ModelMultipleChoiceField`` pass whatever was posted to a query: an id
such as ``99999999999999999999999`` overflows the database's integer (SQLite raises OverflowError,
PostgreSQL a DataError) and the visitor gets a 500 (issue 10, found by
tests/core/test_fuzz_public_inputs.py). These refuse anything but a decimal integer that fits a
64-bit column with the field's own »not one of the choices« message.
"""

from django import forms
from django.core.exceptions import ValidationError

BIGINT_MAX = 2**63 - 1


def plausible_id(value):
    """``value`` (as posted) can be an integer primary key: ASCII digits within a 64-bit column."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= BIGINT_MAX


class RowChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and self.to_field_name is None and not plausible_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RowMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if not plausible_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)
