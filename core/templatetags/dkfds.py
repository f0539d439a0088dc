"""Render any Django form (ours or allauth's) with Det Fælles Designsystem markup."""

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

WIDGET_CLASSES = (
    (forms.CheckboxInput, "form-checkbox"),
    (forms.RadioSelect, "form-radio"),
    (forms.CheckboxSelectMultiple, "form-checkbox"),
    (forms.Select, "form-select"),
    (forms.ClearableFileInput, "form-file-input"),
    (forms.FileInput, "form-file-input"),
    (forms.Textarea, "form-input"),
    (forms.widgets.Input, "form-input"),
)


def css_class_for(widget):
    for widget_class, css in WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            return css
    return "form-input"


def prepare(form):
    """Add design-system classes and link each field to its hint and error text (once per form)."""
    if getattr(form, "_dkfds_prepared", False):
        return form
    form._dkfds_prepared = True
    errors = form.errors if form.is_bound else {}
    from_allauth = type(form).__module__.startswith("allauth.")
    for name, field in form.fields.items():
        widget = field.widget
        if widget.is_hidden:
            continue
        if from_allauth:
            # allauth's placeholders repeat the label; DKFDS forms go without.
            widget.attrs.pop("placeholder", None)
        classes = set(widget.attrs.get("class", "").split())
        classes.add(css_class_for(widget))
        widget.attrs["class"] = " ".join(sorted(c for c in classes if c))
        bound = form[name]
        described = []
        if field.help_text:
            described.append(f"{bound.auto_id}_helptext")
        if name in errors:
            described.append(f"{bound.auto_id}_error")
            widget.attrs["aria-invalid"] = "true"
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)
    return form


PENDING = "_dkfds_pending_summaries"


@register.simple_tag(takes_context=True)
def dkfds_form(context, form, error_summary=True):
    """A whole form: error summary (unless error_summary=False), fields, hidden fields.

    error_summary="deferred" leaves the summary to a later `dkfds_pending_error_summaries` at the
    top of the enclosing <form> (allauth renders a form's body before the form element itself).
    """
    prepare(form)
    request = context.get("request")
    if error_summary == "deferred":
        if request is not None:
            pending = getattr(request, PENDING, [])
            pending.append(form)
            setattr(request, PENDING, pending)
        error_summary = request is None
    return render_to_string(
        "includes/forms/form.html",
        {"form": form, "error_summary": bool(error_summary)},
        request=request,
    )


@register.simple_tag(takes_context=True)
def dkfds_pending_error_summaries(context):
    """Error summaries of the forms whose fields were rendered with error_summary="deferred"."""
    request = context.get("request")
    forms = getattr(request, PENDING, [])
    setattr(request, PENDING, [])
    return mark_safe(  # noqa: S308 - rendered templates, escaped there
        "".join(
            render_to_string("includes/error_summary.html", {"form": form}, request=request)
            for form in forms
            if form.errors
        )
    )


@register.simple_tag(takes_context=True)
def dkfds_field(context, field):
    """One field in DKFDS markup (label, hint, error, widget), for forms laid out by hand.

    Rendered without the request on purpose: the field template needs none, and rendering with
    it would run every context processor once per field.
    """
    prepare(field.form)
    return render_to_string("includes/forms/field.html", {"field": field})
