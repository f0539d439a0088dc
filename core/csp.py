"""The Content-Security-Policy of every response (django-csp), with the two variants set in code.

``CONTENT_SECURITY_POLICY`` in the settings is the public policy. On top of it:

* the Wagtail admin (``CONTENT_SECURITY_POLICY_ADMIN_PREFIXES``) gets the directives of
  ``CONTENT_SECURITY_POLICY_ADMIN_REPLACE`` in place of the public ones (the settings say why);
* a page rendered for Wagtail's preview keeps its public policy but may be framed by the admin;
* with MitID configured, ``form-action`` also names the broker's origin: "Log ind med MitID" is a
  form answered by a redirect to the broker, and browsers apply form-action to that redirect.
  It is read per request, so a broker set in the environment (or by a test) is allowed at once.

A view adds to the policy for its own response with ``add_to_policy`` (django-csp's ``csp_update``
for responses built in code), e.g. the ballot's 'wasm-unsafe-eval'.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings


def add_to_policy(response, directives):
    """Add sources to directives of this response's policy (merged with what is there already)."""
    update = dict(getattr(response, "_csp_update", None) or {})
    for name, sources in directives.items():
        update[name] = [*update.get(name, []), *sources]
    response._csp_update = update
    return response


def broker_origin():
    issuer = settings.MITID_OIDC_ISSUER
    if not (issuer and settings.MITID_OIDC_CLIENT_ID and settings.MITID_OIDC_CLIENT_SECRET):
        return None
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def is_admin_path(path):
    return path.startswith(tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.replace is None and is_admin_path(request.path_info):
            parts.replace = dict(settings.CONTENT_SECURITY_POLICY_ADMIN_REPLACE)
        elif getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the middleware with the page's own path
            # (Page.make_preview_request): the page's public policy, framed by the page editor.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        origin = broker_origin()
        if origin:
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", []), origin]
            parts.update = update
        return parts
