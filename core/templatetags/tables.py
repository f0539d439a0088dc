"""``{% table %}``: a table of rows under a header row, or what ``{% empty %}`` holds when there are none.

::

    {% load tables %}
    {% table officers _("Valgstyrer") _("Valgsted") caption=_("Valgstyrere og deres valgsteder") action=_("Fjern") %}
        {% for officer in officers %}<tr>…</tr>{% endfor %}
    {% empty %}
        <p>{% translate "Der er ingen valgstyrere endnu." %}</p>
    {% endtable %}

The first argument decides: a true value renders the table, a false one the ``{% empty %}`` part.
The other positional arguments are the column headings (``<th scope="col">``); what the tag encloses
is the body (``<tbody>``), so each template keeps its own rows and cells. Options: ``caption`` (read
by screen readers only), ``action`` (a last column whose heading only screen readers read, for a
column of buttons), ``id``, and ``admin=True`` for Wagtail's admin (class ``listing`` and
``w-sr-only`` instead of Det Fælles Designsystem's ``table`` and ``sr-only``).
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

OPTIONS = {"caption", "action", "id", "admin"}


class TableNode(template.Node):
    def __init__(self, rows, columns, options, body, empty):
        self.rows, self.columns, self.options = rows, columns, options
        self.body, self.empty = body, empty

    def render(self, context):
        if not self.rows.resolve(context):
            return self.empty.render(context)
        options = {name: value.resolve(context) for name, value in self.options.items()}
        table_class, hidden_class = ("listing", "w-sr-only") if options.get("admin") else ("table", "sr-only")
        headings = format_html_join("", '<th scope="col">{}</th>', ((c.resolve(context),) for c in self.columns))
        if options.get("action"):
            headings += format_html('<th scope="col"><span class="{}">{}</span></th>', hidden_class, options["action"])
        return format_html(
            '<table class="{}"{}>{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
            table_class,
            format_html(' id="{}"', options["id"]) if options.get("id") else "",
            format_html('<caption class="{}">{}</caption>', hidden_class, options["caption"])
            if options.get("caption")
            else "",
            headings,
            self.body.render(context),
        )


@register.tag
def table(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% table %} needs the rows as its first argument")
    rows, columns, options = parser.compile_filter(bits[1]), [], {}
    for bit in bits[2:]:
        name, equals, value = bit.partition("=")
        if equals and name in OPTIONS:
            options[name] = parser.compile_filter(value)
        elif equals and name.isidentifier():
            raise template.TemplateSyntaxError(f"{{% table %}} has no option {name!r}")
        else:
            columns.append(parser.compile_filter(bit))
    body = parser.parse(("empty", "endtable"))
    if parser.next_token().contents == "empty":
        empty = parser.parse(("endtable",))
        parser.delete_first_token()
    else:
        empty = template.NodeList()
    return TableNode(rows, columns, options, body, empty)
