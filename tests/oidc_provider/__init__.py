"""A real OpenID Connect provider for the MitID tests: django-oauth-toolkit in OIDC mode.

It runs as a subprocess on loopback (``run.py``), a separate Django project with its own
settings, database and freshly generated RSA key, and stands in for a MitID broker. Tests steer
it over ``/test/configure/``: the identities it knows (with whatever claims a broker would send),
the redirect URIs of its one client, and a ``mode`` to misbehave in — ``wrong_issuer``,
``expired`` (an ID token whose exp has passed) or ``bad_signature`` (signed with a key it does not
publish). ``fixtures.py`` has the pytest fixtures that start it.
"""
