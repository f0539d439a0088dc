"""consultations.widget_html writes Django's widget templates and the DKFDS field template in Python:
the same markup, to the character."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from consultations.forms import ResponseForm
from consultations.templatetags.response_form import response_field
from consultations.widget_html import WidgetRenderer, field_html
from core.templatetags.dkfds import dkfds_field
from tests.consultations.factories import HearingPartyFactory

MARKUP = '<b>"Tom & Jerry\'s"</b>'


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"class": "form-input", "data-x": MARKUP, "autofocus": True}))
    empty = forms.CharField(required=False, widget=forms.TextInput(attrs={"hidden": False, "maxlength": 20}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    number = forms.IntegerField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    blank_area = forms.CharField(required=False, widget=forms.Textarea)
    box = forms.BooleanField(required=False)
    pick = forms.ChoiceField(
        choices=[("", "Vælg (valgfrit)"), ("a&b", MARKUP), ("c", gettext_lazy("Bydel")), (3, "tre")],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[("Øst", [("x", "X"), ("y", "Y")]), ("z", "Z")], widget=forms.Select(attrs={"class": "form-select"})
    )
    many = forms.MultipleChoiceField(choices=[("1", "en"), ("2", "to")], required=False)
    upload = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))


def rendered(form_data, renderer):
    form = Everything(form_data, renderer=renderer) if form_data is not None else Everything(renderer=renderer)
    if form_data is None:
        form.initial = {"text": mark_safe("<i>safe</i>"), "hidden": MARKUP, "box": True}
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": MARKUP,
            "empty": "",
            "email": "a@b",
            "number": "12",
            "hidden": "h\"'<",
            "area": MARKUP + "\nline",
            "box": "on",
            "pick": "a&b",
            "grouped": "y",
            "many": ["1", "2"],
        },
    ],
    ids=["unbound with initial", "bound, empty", "bound with markup"],
)
def test_every_widget_kind_renders_as_with_django_templates(data):
    ours = rendered(data, WidgetRenderer())
    django = rendered(data, get_default_renderer())
    assert ours == django
    assert "&lt;b&gt;&quot;Tom &amp; Jerry&#x27;s&quot;&lt;/b&gt;" in ours["pick"] or data is not None


def test_the_renderer_leaves_other_templates_to_django():
    form = Everything({}, renderer=WidgetRenderer())
    radio = forms.RadioSelect(choices=[("a", "A")]).render("r", "a", renderer=WidgetRenderer())
    assert radio == forms.RadioSelect(choices=[("a", "A")]).render("r", "a", renderer=get_default_renderer())
    assert str(form.errors) == str(Everything({}, renderer=get_default_renderer()).errors)
    assert 'class="errorlist"' in str(form.errors)


def response_form_html(hearing, renderer, data=None, language="da"):
    with override(language):
        form = ResponseForm(
            data,
            hearing=hearing,
            renderer=renderer,
            initial={"submission_key": "0123456789abcdef0123456789abcdef"},
            selected_sections=["s-2-1"],
        )
        if data is not None:
            form.is_valid()
        return render_to_string("consultations/includes/response_form.html", {"form": form, "page": hearing})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "ar"])
def test_the_response_form_renders_as_with_django_templates(sectioned, language):
    """The hearing page's form, unbound and bound with errors and typed values (party select, section
    comments, district), is the same with WidgetRenderer as with Django's templates."""
    party = HearingPartyFactory(name="Ældrerådet & <Co>")
    sectioned.hearing_lists.add(party.hearing_list)
    bound = {
        "name": MARKUP,
        "email": "ikke-en-mail",
        "postcode": "12",
        "district": "vesterbro",
        "respondent": "organisation",
        "organisation_name": MARKUP,
        "text": "",
        "submission_key": "0123456789abcdef0123456789abcdef",
    }
    for data in (None, bound):
        ours = response_form_html(sectioned, WidgetRenderer(), data, language)
        django = response_form_html(sectioned, get_default_renderer(), data, language)
        assert ours == django
        assert "Ældrerådet &amp; &lt;Co&gt;" in ours
        assert "<select" in ours and "<textarea" in ours and 'type="file"' in ours
    assert "&lt;b&gt;" in ours and 'aria-invalid="true"' in ours


def test_the_response_form_uses_the_python_widgets():
    assert isinstance(ResponseForm.default_renderer, WidgetRenderer)


class Fields(forms.Form):
    plain = forms.CharField(label=MARKUP, help_text=mark_safe("<em>hjælp</em>"))
    optional = forms.CharField(required=False, widget=forms.Textarea)
    answer = forms.CharField(required=False)
    box = forms.BooleanField(label="Jeg er enig", help_text="Læs betingelserne")
    optional_box = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=[("a", "A")], required=False)
    radios = forms.ChoiceField(choices=[("a", "A"), ("b&", MARKUP)], widget=forms.RadioSelect)
    helped_radios = forms.ChoiceField(
        choices=[("a", "A")], widget=forms.RadioSelect, help_text="Vælg én", required=False
    )
    boxes = forms.MultipleChoiceField(choices=[("1", "en"), ("2", "to")], widget=forms.CheckboxSelectMultiple)
    numbered = forms.ChoiceField(choices=[(1, 1), (2, 2)], widget=forms.RadioSelect, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    upload = forms.FileField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].answer_required = True

    def clean_plain(self):
        raise forms.ValidationError(["Første <fejl>", "anden & sidste"])


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"plain": "x", "box": "on", "optional": MARKUP, "choice": "z", "radios": "b&", "boxes": ["2"], "numbered": "2"},
    ],
)
@pytest.mark.parametrize("language", ["da", "ar"])
def test_response_field_writes_what_dkfds_field_renders(data, language):
    with override(language):
        for renderer in (WidgetRenderer(), get_default_renderer()):
            form = Fields(data, renderer=renderer)
            for name in form.fields:
                expected = dkfds_field({}, form[name])
                assert response_field({}, form[name]) == expected, name
                if name != "numbered":
                    assert field_html(form[name]) == expected, name
    assert field_html(form["numbered"]) is None  # a number as label: the template localises it


@pytest.mark.django_db
def test_every_field_of_the_response_form_is_written_as_dkfds_field_renders_it(sectioned):
    party = HearingPartyFactory(name="Ældrerådet & <Co>")
    sectioned.hearing_lists.add(party.hearing_list)
    bound = {"name": MARKUP, "email": "x", "postcode": "1", "district": "nowhere", "respondent": "organisation"}
    for data in (None, bound, {**bound, "consent": "on", "party": str(party.pk), "afsnit_s-2-1": "x" * 9000}):
        form = ResponseForm(data, hearing=sectioned, initial={"submission_key": "0" * 32})
        if data:
            assert not form.is_valid()
        for name in form.fields:
            assert response_field({}, form[name]) == dkfds_field({}, form[name]), name
