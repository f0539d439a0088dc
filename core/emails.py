"""The one way the site sends email (after adhocracy4's ``EmailBase``).

Every message is a subclass of :class:`Email` with three templates that share a prefix, e.g.
``consultations/emails/invitation``:

* ``<prefix>_subject.txt`` – one line; rendered with autoescaping OFF (a subject is plain text:
  »Trafik & parkering« must not arrive as »Trafik &amp; parkering«),
* ``<prefix>.txt`` – the plain-text body, autoescaping OFF as well,
* ``<prefix>.html`` – the HTML body, autoescaped as usual.

They are rendered with the recipient's language active and get ``base_url`` and
``municipality_name`` besides what ``get_context()`` returns. Define a message::

    class InvitationEmail(Email):
        template = "consultations/emails/invitation"

        def get_context(self):                  # self.object is the Invitation
            return {"party": self.object.party, ...}

and send it::

    InvitationEmail.send(invitation)             # after the transaction commits, through a task

``send()`` enqueues :func:`deliver` once the current transaction commits. The task is given
the class's dotted path, the object's model and primary key, and the JSON-serialisable keyword
arguments – never an address or rendered text, so nothing personal waits in the task queue.
The worker loads the object again, asks ``should_send()`` (the place to claim a row so a
message goes out once, or to notice that the object changed meanwhile), renders and sends it,
then calls ``sent()`` (e.g. to write an audit-log entry). A missing object or recipient is
skipped. ``dispatch()`` does the worker's part at once, for code that already runs in a task.

Each sent or skipped message is logged on the ``medborger.emails`` logger with its kind and
object id only – no address, name or other personal data.

Hooks a message may override: ``get_recipients()`` (default: the object's ``email``),
``get_language()`` (default: the object's ``language``, else ``LANGUAGE_CODE``),
``get_context()``, ``get_headers()``, ``should_send()``, ``sent()`` and the classmethod
``get_object()``; a message that only needs related rows loaded with its object (one query) names
them in ``select_related``.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from django.utils.module_loading import import_string
from django_tasks import task

from core import languages

logger = logging.getLogger("medborger.emails")


def absolute_url(path, language=None):
    """``path`` on the site's public address (settings.BASE_URL), for links in emails.

    With a ``language`` other than the default, the link ends in ``?lang=<code>``: the page opens in
    the recipient's language (home.middleware), its published page translation included, even in a
    browser that has never been on the site.
    """
    url = settings.BASE_URL.rstrip("/") + path
    language = supported_language(language) if language else settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return url
    return f"{url}{'&' if '?' in url else '?'}{languages.LINK_PARAMETER}={language}"


def _render(name, context, autoescape):
    """Render one template of the Django backend, optionally with autoescaping off."""
    template = get_template(name).template  # the engine's Template: lets us choose autoescape
    return template.render(Context(context, autoescape=autoescape))


def render_message(template, context, language=None):
    """(subject, text, html) of the template set ``template`` in ``language``.

    Subject and text are plain text (autoescaping off); only the HTML body is escaped.
    """
    language = supported_language(language)
    context = {"base_url": settings.BASE_URL.rstrip("/"), "municipality_name": settings.MUNICIPALITY_NAME, **context}
    with translation.override(language):
        subject = _render(f"{template}_subject.txt", context, autoescape=False)
        text = _render(f"{template}.txt", context, autoescape=False)
        html = _render(f"{template}.html", context, autoescape=True)
    return " ".join(subject.split()), text, html


def supported_language(language):
    """``language`` if the site has it (``settings.LANGUAGES``), else the default language."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def build_message(subject, text, html, to, headers=None):
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients, headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    return message


class Email:
    """One kind of message: subclass it, set ``template`` and fill in the hooks you need."""

    template = ""
    select_related = ()  # relations get_object loads with the object (what the message reads)

    def __init__(self, obj, **kwargs):
        self.object = obj
        self.kwargs = kwargs

    # -- identity ---------------------------------------------------------------------------

    @classmethod
    def path(cls):
        return f"{cls.__module__}.{cls.__qualname__}"

    @property
    def kind(self):
        """What the log calls this message: its template name, e.g. ``consultations/emails/invitation``."""
        return self.template

    # -- hooks ------------------------------------------------------------------------------

    @classmethod
    def get_object(cls, model, pk):
        """Load the object (with ``select_related``) in the worker; None if it is gone (the message is then skipped)."""
        rows = model._default_manager.all()
        if cls.select_related:
            rows = rows.select_related(*cls.select_related)
        return rows.filter(pk=pk).first()

    def get_recipients(self):
        email = getattr(self.object, "email", "")
        return [email] if email else []

    def get_language(self):
        return getattr(self.object, "language", "") or settings.LANGUAGE_CODE

    def get_context(self):
        return {}

    def get_headers(self):
        return {}

    def should_send(self):
        """Last check in the worker, before rendering. Return False to skip the message."""
        return True

    def sent(self):
        """Called after the message was handed to the mail server."""

    # -- rendering and sending --------------------------------------------------------------

    def render(self):
        """(subject, text, html) in the recipient's language."""
        return render_message(self.template, self.get_context(), self.get_language())

    def message(self):
        recipients = self.get_recipients()
        subject, text, html = self.render()
        return build_message(subject, text, html, recipients, self.get_headers())

    def dispatch(self):
        """Render and send now (the worker's part). Returns True if a message went out."""
        if not self.get_recipients() or not self.should_send():
            self._log("skipped")
            return False
        self.message().send()
        self._log("sent")
        self.sent()
        return True

    @classmethod
    def send(cls, obj, **kwargs):
        """Send after the current transaction commits, through the :func:`deliver` task.

        ``kwargs`` must be JSON-serialisable and hold no personal data (they wait in the task
        queue); the message reads what it needs from the object in the worker.
        """
        label, pk = obj._meta.label, obj.pk
        transaction.on_commit(lambda: deliver.enqueue(cls.path(), label, pk, kwargs))

    def _log(self, outcome):
        logger.info("email %s: %s (%s #%s)", outcome, self.kind, self.object._meta.label, self.object.pk)


@task()
def deliver(email_class, model_label, pk, kwargs):
    """The task behind :meth:`Email.send`: load the object again and dispatch the message."""
    email_cls = import_string(email_class)
    obj = email_cls.get_object(apps.get_model(model_label), pk)
    if obj is None:
        logger.info("email skipped: %s (%s #%s is gone)", email_cls.template, model_label, pk)
        return False
    return email_cls(obj, **kwargs).dispatch()


def send_rendered(message, kind):
    """Send a message a library rendered in the request, now, and log it like every other one.

    Only for allauth's account emails (``users.adapters.AccountAdapter``): they carry login codes
    and password-reset links, which must not wait in the task queue's table, and allauth's views
    run outside a transaction (no ATOMIC_REQUESTS), so nothing is left to commit first.
    """
    message.send()
    logger.info("email sent: %s", kind)
