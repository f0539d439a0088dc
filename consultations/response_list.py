"""The published responses on a hearing page, as HTML (the list under »Indkomne høringssvar«).

Written in Python rather than as a template included once per response: the 20 responses of a
page were a third of the page's rendering time (about 12 ms of CPU of a 47 ms render at 2,000
responses, issue 14), spent resolving some 400 template variables, the choice label of each
response's kind and a localised date per response. This builds the same markup from strings with
every value through ``conditional_escape`` (what ``format_html`` does to its arguments) in a small
fraction of that. The texts are the catalog's.
"""

from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.utils import timezone
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.templatetags.dates import long_date
from councils.models import PartyKind


def response_list_html(responses, concluded):
    """The responses (a page of ``Response`` rows with ``for_public_list()``'s prefetches) as HTML;
    ``concluded``: the hearing summary is published, so each response's summary and the
    administration's comment are shown."""
    kinds = {value: escape(label) for value, label in PartyKind.choices}
    texts = {
        "late": escape(_("Modtaget efter fristen")),
        "redacted": escape(_("Redigeret af sekretariatet")),
        # blocktranslate's way: the translated sentence as it is, the value escaped
        "comment": _("Kommentar til afsnit %(title)s"),
    }
    if concluded:
        texts.update(summary=escape(_("Resumé")), remark=escape(_("Forvaltningens bemærkning")))
    parts = [_response_html(response, concluded, kinds, texts) for response in responses]
    return mark_safe("".join(parts))  # noqa: S308 - every value below goes through escape()


def _response_html(response, concluded, kinds, texts):
    """One response's ``<article>``: plain string building with every value through ``escape``
    (``conditional_escape``: what ``format_html`` does to each argument, without its ``str.format``
    and ``mark_safe`` per piece, which were most of the list's time)."""
    kind = kinds.get(response.kind)
    meta = [kind if kind is not None else escape(response.kind)]
    if response.district:
        meta.append(" · " + escape(response.district_name))
    elif response.postcode:
        meta.append(" · " + escape(response.postcode))
    confirmed = response.confirmed_at
    iso = timezone.localtime(confirmed).isoformat() if confirmed else ""
    meta.append(f' · <time datetime="{escape(iso)}">{escape(long_date(confirmed))}</time>')
    if response.is_late:
        meta.append(" · " + texts["late"])
    if response.is_redacted:
        meta.append(" · " + texts["redacted"])
    pk = escape(response.pk)
    html = [
        f'<article class="response" id="svar-{pk}" aria-labelledby="svar-{pk}-navn">\n'
        f'    <h3 class="h4 mb-2" id="svar-{pk}-navn"><bdi>{escape(response.display_name)}</bdi></h3>\n'
        f'    <p class="document-meta">{"".join(meta)}</p>\n'
    ]
    # public_list_rows says which rows have comments or attachments: the others skip the relation.
    comments = list(response.section_comments.all()) if getattr(response, "has_section_comments", True) else ()
    if comments:
        items = [
            f'        <li><p class="weight-semibold mb-1"><a href="#{escape(comment.anchor)}">'
            f"{texts['comment'] % {'title': escape(comment.title)}}</a></p>"
            f'<div class="response-text">{escape(comment.text)}</div></li>\n'
            for comment in comments
            if comment.text
        ]
        html.append(f'    <ul class="nobullet-list response-section-comments">\n{"".join(items)}    </ul>\n')
    if response.public_text:
        html.append(f'    <div class="response-text">{escape(response.public_text)}</div>\n')
    attachments = list(response.attachments.all()) if getattr(response, "has_attachments", True) else ()
    if attachments:
        items = [
            f'        <li><a href="{escape(file.get_absolute_url())}">{escape(file.download_name)}</a> '
            f'<span class="document-meta">({escape(file.extension)}, {escape(filesizeformat(file.size))})</span></li>\n'
            for file in attachments
        ]
        html.append(f'    <ul class="mt-3">\n{"".join(items)}    </ul>\n')
    if concluded and (response.summary or response.administration_comment):
        rows = []
        if response.summary:
            rows.append(f"<dt>{texts['summary']}</dt><dd>{linebreaksbr(response.summary, autoescape=True)}</dd>")
        if response.administration_comment:
            rows.append(
                f"<dt>{texts['remark']}</dt><dd>{linebreaksbr(response.administration_comment, autoescape=True)}</dd>"
            )
        html.append(f'    <dl class="mt-3">\n{"".join(rows)}\n    </dl>\n')
    html.append("</article>\n")
    return "".join(html)
