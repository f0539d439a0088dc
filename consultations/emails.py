"""Emails of the consultations app: rendered per language, sent after commit by a task.

Each email is three templates under ``consultations/emails/``: ``<name>_subject.txt``,
``<name>.txt`` and ``<name>.html``. They are rendered with the recipient's language active.
Other modules (invitations, moderation notices) use :func:`queue_email` too.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def absolute_url(path):
    return settings.BASE_URL.rstrip("/") + path


def render_email(name, context, language=None):
    """Return (subject, text, html) of an email template set in the given language."""
    language = language or settings.LANGUAGE_CODE
    context = {"base_url": settings.BASE_URL.rstrip("/"), "municipality_name": settings.MUNICIPALITY_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"consultations/emails/{name}_subject.txt", context)
        text = render_to_string(f"consultations/emails/{name}.txt", context)
        html = render_to_string(f"consultations/emails/{name}.html", context)
    return " ".join(subject.split()), text, html


def queue_email(name, to, context, language=None, headers=None):
    """Render now, send after the current transaction commits, through a task."""
    subject, text, html = render_email(name, context, language)
    recipients = [to] if isinstance(to, str) else list(to)
    transaction.on_commit(
        lambda: send_email.enqueue(subject=subject, text=text, html=html, to=recipients, headers=headers or {})
    )


@task()
def send_email(subject, text, html, to, headers=None):
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
