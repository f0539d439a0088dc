"""What the MitID tests share: signing a new citizen up through the test broker, a view's request
for a test client's session, and every stored value read back with SQL."""

import re

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.db import connection
from django.test import RequestFactory

from tests.oidc_provider.fixtures import CITIZEN, log_in_with_mitid
from users.models import User

EMAIL = "karen@example.org"


def confirmation_path(message):
    match = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up_with_mitid(client, provider, username=CITIZEN, email=EMAIL):
    """A new citizen: MitID → the email form → confirm the emailed link → MitID again → logged in."""
    response, _ = log_in_with_mitid(client, provider, username)
    assert response["Location"] == "/konto/3rdparty/signup/"
    response = client.post("/konto/3rdparty/signup/", {"email": email})
    assert response["Location"] == "/konto/confirm-email/"
    client.post(confirmation_path(mail.outbox[-1]))
    response, _ = log_in_with_mitid(client, provider, username)
    assert response.status_code == 302
    return User.objects.get(email=email)


def request_for(client):
    """A request carrying the client's session and user, as a view would get it."""
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key=client.session.session_key)
    user_id = request.session.get("_auth_user_id")
    request.user = User.objects.get(pk=user_id) if user_id else AnonymousUser()
    return request


def every_stored_text():
    """Every row of every table as text, and every session decoded."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from the schema)
            texts.extend(repr(row) for row in cursor.fetchall())
            if table == "django_session":
                cursor.execute("SELECT session_data FROM django_session")
                texts.extend(repr(SessionStore().decode(data)) for (data,) in cursor.fetchall())
    return texts


def _as_text(value):
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else repr(value)


def columns_holding(*needles):
    """Every (table, column) with a value containing one of ``needles``, asked of each column with
    SQL (a value read as text; bytes decoded); sessions are decoded and reported as ("django_session", "decoded")."""
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cursor.execute(f"SELECT {name} FROM {quoted} WHERE {name} IS NOT NULL")  # noqa: S608 (names from the schema)
                if any(needle in _as_text(value) for (value,) in cursor.fetchall() for needle in needles):
                    found.add((table, column.name))
        cursor.execute("SELECT session_data FROM django_session")
        for (data,) in cursor.fetchall():
            if any(needle in repr(SessionStore().decode(data)) for needle in needles):
                found.add(("django_session", "decoded"))
    return found
