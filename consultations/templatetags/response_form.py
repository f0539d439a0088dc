"""``{% response_field field %}``: ``{% dkfds_field field %}`` for the response form, written in Python."""

from django import template

from consultations.widget_html import field_html
from core.templatetags.dkfds import dkfds_field, prepare

register = template.Library()


@register.simple_tag(takes_context=True)
def response_field(context, field):
    """The same markup as ``dkfds_field`` (tests/consultations/test_widget_html.py compares them) without
    a template render per field; radios and checkbox lists go through ``dkfds_field``."""
    prepare(field.form)
    html = field_html(field)
    return html if html is not None else dkfds_field(context, field)
