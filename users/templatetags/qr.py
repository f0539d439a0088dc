"""The two-factor QR code as inline SVG markup rather than an <img> with a data: address.

allauth hands the activation page its QR code only as ``data:image/svg+xml;base64,…``; the site's
Content-Security-Policy allows images from the site itself only (img-src 'self', no data:), so
the code is put into the page as the SVG it is. It is allauth's own drawing of the otpauth address
(paths only); anything that is not such an SVG is refused rather than written into the page.
"""

import base64
import binascii
import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

PREFIX = "data:image/svg+xml;base64,"
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_ALLOWED = re.compile(r"^<svg [^<>]*>(<path [^<>]*/>)*</svg>$")


@register.filter
def qr_svg(data_uri):
    if not isinstance(data_uri, str) or not data_uri.startswith(PREFIX):
        return ""
    try:
        svg = base64.b64decode(data_uri[len(PREFIX) :], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    svg = _DECLARATION.sub("", svg).strip().replace("\n", "")
    if not _ALLOWED.match(svg) or "script" in svg.lower() or " on" in svg.lower():
        return ""
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))  # noqa: S308
