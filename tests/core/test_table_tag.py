import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

ROWS = (
    '{% table people _("Navn") heading caption=_("Personer") action=_("Fjern") %}'
    "{% for person in people %}<tr><td>{{ person }}</td></tr>{% endfor %}"
    "{% empty %}<p>Ingen.</p>{% endtable %}"
)


def render(source, **context):
    return Template("{% load tables %}" + source).render(Context(context))


def test_rows_render_a_table_with_caption_headings_and_the_enclosed_body():
    html = render(ROWS, people=["Anna", "<Bo>"], heading="<b>By</b>")
    assert html == (
        '<table class="table"><caption class="sr-only">Personer</caption><thead><tr>'
        '<th scope="col">Navn</th><th scope="col">&lt;b&gt;By&lt;/b&gt;</th>'
        '<th scope="col"><span class="sr-only">Fjern</span></th></tr></thead>'
        "<tbody><tr><td>Anna</td></tr><tr><td>&lt;Bo&gt;</td></tr></tbody></table>"
    )


def test_no_rows_render_only_the_empty_part():
    assert render(ROWS, people=[], heading="By") == "<p>Ingen.</p>"
    assert render('{% table people _("Navn") %}<tr></tr>{% endtable %}', people=[]) == ""


def test_admin_tables_use_wagtails_classes_and_keep_their_id():
    html = render(
        '{% table rows "A" caption="Oversigt" id="overview" action="Handling" admin=True %}<tr></tr>{% endtable %}',
        rows=[1],
    )
    assert html.startswith('<table class="listing" id="overview"><caption class="w-sr-only">Oversigt</caption>')
    assert '<th scope="col"><span class="w-sr-only">Handling</span></th>' in html


def test_headings_are_translated_in_the_readers_language():
    with translation.override("en"):
        html = render('{% table rows _("Navn") _("Status") %}<tr></tr>{% endtable %}', rows=[1])
    assert '<th scope="col">Name</th><th scope="col">Status</th>' in html


def test_an_unknown_option_is_an_error_not_a_column():
    with pytest.raises(TemplateSyntaxError, match="no option 'klass'"):
        render('{% table rows "A" klass="x" %}{% endtable %}', rows=[1])
