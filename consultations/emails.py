"""Emails of the consultations app: rendered per language, sent by a task.

Each email is three templates under ``consultations/emails/``: ``<name>_subject.txt``,
``<name>.txt`` and ``<name>.html``. They are rendered with the recipient's language active.
Other modules (invitations, moderation notices) use these functions too.

The generic rendering and the ``send_email`` task live in :mod:`core.emails` (shared with
elections); these wrappers only add the ``consultations/emails/`` prefix.
"""

from core import emails
from core.emails import absolute_url  # noqa: F401 – part of this module's interface

PREFIX = "consultations/emails/"

# Invitations, reminders and withheld notices are sent in Danish unless the caller says otherwise.
EMAIL_LANGUAGE = "da"


def queue_email(name, to, context, language=None, headers=None):
    """Render now, send after the current transaction commits, through a task."""
    emails.queue_email(PREFIX + name, to, context, language, headers)


def send_templated_email(name, to, context, language=None):
    """Render and send now. Called from tasks (which run after the transaction commits)."""
    emails.send_templated_email(PREFIX + name, to, context, language or EMAIL_LANGUAGE)
