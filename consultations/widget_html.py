"""Django's form widgets written in Python, for the response form on the hearing page.

Django renders every widget through a template (``django/forms/widgets/*.html``, plus one template
include per ``<option>`` of a select and one for each widget's attributes). On the hearing page
that was about two thirds of the response form's cost (about 4 ms of CPU per render, issue 14).
``WidgetRenderer`` builds the same markup, character for character, for the widgets the form uses
(text, e-mail, hidden, checkbox, textarea, select, file) from the context Django's own widgets
make, so attributes, values and choices stay Django's; any other template (and a file input that
shows an initial file) goes to Django's default renderer. ``tests/consultations/test_widget_html.py``
compares both renderers on every widget kind.
"""

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.template.defaultfilters import stringformat
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "email", "hidden", "checkbox", "number", "password", "url", "file", "tel")
}


def _s(value):
    """``value|stringformat:'s'``: the filter keeps a safe value safe (``is_safe=True``)."""
    text = stringformat(value, "s")
    return mark_safe(text) if isinstance(value, SafeData) else text  # noqa: S308 - it was safe


def attrs_html(attrs):
    """``django/forms/widgets/attrs.html``: `` name="value"`` per attribute, `` name`` for True, none for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(" " + conditional_escape(name))
        else:
            parts.append(format_html(' {}="{}"', name, _s(value)))
    return "".join(parts)


def _input(widget):
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        format_html(' value="{}"', _s(value)) if value is not None else "",
        mark_safe(attrs_html(widget["attrs"])),  # noqa: S308 - escaped in attrs_html
    )


def _textarea(widget):
    value = widget["value"]
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        mark_safe(attrs_html(widget["attrs"])),  # noqa: S308 - escaped in attrs_html
        value if value else "",
    )


def _option(option):
    if option.get("template_name") != "django/forms/widgets/select_option.html":
        return None
    if not isinstance(option["label"], (str, Promise)):
        return None  # a number would be localised by the template: Django's template
    return format_html(
        '<option value="{}"{}>{}</option>',
        _s(option["value"]),
        mark_safe(attrs_html(option["attrs"])),  # noqa: S308 - escaped in attrs_html
        option["label"],
    )


def _select(widget):
    parts = [format_html('<select name="{}"{}>', widget["name"], mark_safe(attrs_html(widget["attrs"])))]  # noqa: S308
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in group_choices:
            html = _option(option)
            if html is None:
                return None
            parts.append("\n  " + html + "\n")  # the included option template ends in a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _clearable_file_input(widget):
    if widget.get("is_initial"):
        return None  # an initial file with its »clear« box: Django's template
    return format_html(
        '<input type="{}" name="{}"{}>',
        widget["type"],
        widget["name"],
        mark_safe(attrs_html(widget["attrs"])),  # noqa: S308 - escaped in attrs_html
    )


BUILDERS = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/clearable_file_input.html": _clearable_file_input,
}


class WidgetRenderer(BaseRenderer):
    """A form renderer that writes the common widgets in Python and leaves everything else (form,
    field and error-list templates, other widgets) to the project's default renderer."""

    @property
    def form_template_name(self):
        return get_default_renderer().form_template_name

    @property
    def formset_template_name(self):
        return get_default_renderer().formset_template_name

    @property
    def field_template_name(self):
        return get_default_renderer().field_template_name

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        build = BUILDERS.get(template_name)
        if build is not None:
            html = build(context["widget"])
            if html is not None:
                return mark_safe(html.strip())  # noqa: S308 - built with format_html
        return get_default_renderer().render(template_name, context, request=request)


# -- a whole field in DKFDS markup ------------------------------------------------------------------

CHECKBOX_FIELD = (
    '<div class="form-group{}">\n'
    "    {}\n"
    '    <div class="form-group-checkbox">\n'
    "        {}\n"
    '        <label class="form-label" for="{}">{}</label>\n'
    "        {}\n"
    "    </div>\n"
    "</div>\n"
)
OTHER_FIELD = (
    '<div class="form-group{}">\n    <label class="form-label" for="{}">{}{}</label>\n    {}\n    {}\n    {}\n</div>\n'
)


CHOICE = (
    '\n            <li class="{}">\n'
    '                <input type="{}" class="{}" name="{}" value="{}" id="{}"{}>\n'
    '                <label class="form-label" for="{}">{}</label>\n'
    "            </li>\n        "
)
CHOICES_FIELD = (
    '<div class="form-group{}">\n'
    "    <fieldset{}>\n"
    '        <legend class="form-label">{}</legend>\n'
    "        {}\n"
    "        {}\n"
    '        <ul class="nobullet-list" id="{}">\n'
    "        {}\n"
    "        </ul>\n"
    "    </fieldset>\n"
    "</div>\n"
)


def _choices_html(field, widget_type):
    """The radios or checkboxes of ``field`` as the template's loop writes them; None for a label the
    template would localise (a number)."""
    radio = widget_type == "radioselect"
    li_class, input_type, input_class = (
        ("form-group-radio", "radio", "form-radio") if radio else ("form-group-checkbox", "checkbox", "form-checkbox")
    )
    parts = []
    for choice in field:
        data = choice.data
        if not isinstance(data["label"], (str, Promise)):
            return None
        parts.append(
            format_html(
                CHOICE,
                li_class,
                input_type,
                input_class,
                data["name"],
                _s(data["value"]),
                choice.id_for_label,
                mark_safe(" checked") if data["selected"] else "",
                choice.id_for_label,
                choice.choice_label,
            )
        )
    return "".join(parts)


def field_html(field):
    """``{% dkfds_field field %}`` (site/templates/includes/forms/field.html) for a bound field of a
    form ``prepare``d by core.templatetags.dkfds, in Python: the same markup, blank lines included.
    None where the template would localise a number (a choice label)."""
    if field.is_hidden:
        return mark_safe(f"\n{mark_safe(str(field))}\n")  # noqa: S308 - BoundField.__str__: the rendered widget
    widget_type = field.widget_type
    auto_id = field.auto_id
    errors = field.errors
    error_class = " form-error" if errors else ""
    error = (
        format_html(
            '<span class="form-error-message" id="{}_error"><span class="sr-only">{}</span> {}</span>',
            auto_id,
            gettext("Fejl:"),
            mark_safe(" ".join(conditional_escape(e) for e in errors)),  # noqa: S308 - escaped: join's way
        )
        if errors
        else ""
    )
    help_text = (
        format_html('<span class="form-hint" id="{}_helptext">{}</span>', auto_id, mark_safe(field.help_text))  # noqa: S308 - |safe
        if field.help_text
        else ""
    )
    if widget_type in ("radioselect", "checkboxselectmultiple"):
        choices = _choices_html(field, widget_type)
        if choices is None:
            return None
        described = ""
        if field.help_text or errors:
            described = format_html(
                ' aria-describedby="{}{}"',
                format_html("{}_helptext", auto_id) if field.help_text else "",
                format_html(" {}_error", auto_id) if errors else "",
            )
        body = format_html(
            CHOICES_FIELD,
            error_class,
            described,
            field.label,
            help_text,
            error,
            auto_id,
            mark_safe(choices),  # noqa: S308
        )
    elif widget_type == "checkbox":
        widget = mark_safe(str(field))  # noqa: S308 - BoundField.__str__: the rendered widget
        body = format_html(CHECKBOX_FIELD, error_class, error, widget, auto_id, field.label, help_text)
    else:
        widget = mark_safe(str(field))  # noqa: S308 - BoundField.__str__: the rendered widget
        optional = ""
        if not field.field.required and not getattr(field.field, "answer_required", False):
            optional = format_html(' <span class="weight-normal">({})</span>', gettext("valgfrit"))
        body = format_html(OTHER_FIELD, error_class, auto_id, field.label, optional, help_text, error, widget)
    return mark_safe("\n\n\n\n" + body + "\n\n\n")  # noqa: S308 - format_html
