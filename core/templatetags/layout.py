"""Tags for the page shell (site/templates/base.html and its includes).

{% load layout %}
{% capture main_menu %}{% include "includes/main_menu.html" %}{% endcapture %}
<nav …>{{ main_menu }}</nav> … <nav …>{{ main_menu }}</nav>

``capture`` renders its block once, with the surrounding context, into a variable of the current
context (the markup, marked safe: it is template output, escaped as it was rendered), so markup
shown twice on every page (the header's main menu and language picker, again in the mobile drawer)
is rendered once.

{% breadcrumb_ancestors page as ancestors %}

``breadcrumb_ancestors`` gives the pages above ``page``, top first, as the reader sees them
(``core.translated_pages.in_language``): what ``page.get_ancestors`` gives the breadcrumbs (the root
included), read with one plain SQL statement of the seven columns a crumb uses (its link, title and
language) instead of a queryset of every page column that Django compiles on every request.
"""

from django import template
from django.utils.safestring import mark_safe
from wagtail.models import Page

from core.translated_pages import in_language

register = template.Library()

#: What a crumb reads of an ancestor: ``pageurl`` (url_path, with the site's root paths), the title,
#: ``content_lang`` (locale_id), ``in_language`` (id; the type through content_type_id). Any other
#: field would be read from the database on first use.
CRUMB_FIELDS = ("id", "path", "depth", "title", "url_path", "locale_id", "content_type_id")


@register.simple_tag
def breadcrumb_ancestors(page):
    step = page.steplen
    # The ancestors' paths are the prefixes of the page's own path (treebeard's materialised path).
    paths = [page.path[:end] for end in range(step, len(page.path), step)]
    if not paths:
        return []
    table = Page._meta.db_table
    columns = ", ".join(f'"{name}"' for name in CRUMB_FIELDS)
    placeholders = ", ".join(["%s"] * len(paths))
    sql = f'SELECT {columns} FROM "{table}" WHERE "path" IN ({placeholders}) ORDER BY "path"'  # noqa: S608 - names are constants
    return in_language(Page.objects.raw(sql, paths))


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered template output
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% capture name %}…{% endcapture %} takes one variable name")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])
