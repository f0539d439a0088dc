from django import forms
from django.template import Context, Template


class ContactForm(forms.Form):
    name = forms.CharField(label="Navn")
    email = forms.EmailField(label="E-mail", help_text="Vi svarer på denne adresse.")
    note = forms.CharField(label="Bemærkning", required=False, widget=forms.Textarea)


def render(source, form):
    return Template("{% load dkfds %}" + source).render(Context({"form": form}))


def test_dkfds_form_shows_summary_field_errors_and_keeps_values():
    form = ContactForm(data={"name": "", "email": "anna@", "note": "Hej"})
    assert not form.is_valid()
    html = render("{% dkfds_form form %}", form)
    assert html.index("error-summary") < html.index('class="form-group')
    assert '<a class="function-link" href="#id_email">E-mail: Indtast en gyldig e-mail-adresse.</a>' in html
    assert 'id="id_email_error"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'value="anna@"' in html
    assert "Hej</textarea>" in html
    assert "(valgfrit)" in html


def test_dkfds_field_renders_one_field():
    form = ContactForm(data={"name": "", "email": "anna@example.org"})
    form.is_valid()
    html = render("{% dkfds_field form.name %}", form)
    assert '<label class="form-label" for="id_name">Navn</label>' in html
    assert 'id="id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert "error-summary" not in html
    assert "id_email" not in html
