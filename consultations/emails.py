"""Emails of the consultations app: rendered per language, sent after commit by a task.

Each email is three templates under ``consultations/emails/``: ``<name>_subject.txt``,
``<name>.txt`` and ``<name>.html``. They are rendered with the recipient's language active.
Other modules (invitations, moderation notices) use :func:`queue_email` too.

The generic rendering and the ``send_email`` task live in :mod:`home.emails` (shared with
elections); these wrappers only add the ``consultations/emails/`` prefix.
"""

from home import emails
from home.emails import absolute_url, send_email  # noqa: F401 – part of this module's interface

PREFIX = "consultations/emails/"


def render_email(name, context, language=None):
    """Return (subject, text, html) of an email template set in the given language."""
    return emails.render_email(PREFIX + name, context, language)


def queue_email(name, to, context, language=None, headers=None):
    """Render now, send after the current transaction commits, through a task."""
    emails.queue_email(PREFIX + name, to, context, language, headers)
