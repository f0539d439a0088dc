"""Templated emails shared by the apps: rendered in the recipient's language, text + HTML.

An email is three templates with a common prefix, e.g. ``consultations/emails/invitation``:
``<prefix>_subject.txt``, ``<prefix>.txt`` and ``<prefix>.html``. They are rendered with the
recipient's language active and get ``base_url`` and ``municipality_name`` in their context.

Two ways to send:

* :func:`send_templated_email` renders and sends at once – for code that already runs in a
  task (after the transaction committed).
* :func:`queue_email` renders now and sends through the :func:`send_email` task after the
  current transaction commits.

Moved here from ``consultations/emails.py`` and ``consultations/invitations.py`` so elections
can use them too; those modules keep their names as thin wrappers.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def absolute_url(path):
    return settings.BASE_URL.rstrip("/") + path


def render_email(template, context, language=None):
    """Return (subject, text, html) of the template set ``template`` (a path prefix) in a language."""
    language = language or settings.LANGUAGE_CODE
    context = {"base_url": settings.BASE_URL.rstrip("/"), "municipality_name": settings.MUNICIPALITY_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return " ".join(subject.split()), text, html


def build_message(subject, text, html, to, headers=None):
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients, headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send_templated_email(template, to, context, language=None):
    """Render the template set and send it now (call from a task, after the commit)."""
    subject, text, html = render_email(template, context, language)
    build_message(subject, text, html, to).send()


def queue_email(template, to, context, language=None, headers=None):
    """Render now, send after the current transaction commits, through a task."""
    subject, text, html = render_email(template, context, language)
    recipients = [to] if isinstance(to, str) else list(to)
    transaction.on_commit(
        lambda: send_email.enqueue(subject=subject, text=text, html=html, to=recipients, headers=headers or {})
    )


@task()
def send_email(subject, text, html, to, headers=None):
    build_message(subject, text, html, to, headers).send()
