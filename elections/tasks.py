"""Emails to the people who nominate themselves: a receipt, then the secretariat's decision.

* ``received`` – right after the nomination is submitted: what was submitted (never a personal
  number) and that the secretariat will review it.
* ``approved`` – the candidate is on the ballot; when voting opens and closes.
* ``rejected`` – the secretariat's reason, verbatim, and whom to contact.

Each email is written in the language the candidate used when submitting (``Candidate.language``),
leaves through a task enqueued after the transaction commits, and is recorded in the election's
audit log as ``nomination.email``. A candidate without an email address gets nothing.
Templates: ``elections/templates/elections/emails/nomination_<kind>{_subject.txt,.txt,.html}``.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.emails import absolute_url, send_templated_email

from .models import Candidate

KINDS = ("received", "approved", "rejected")


def queue_nomination_email(candidate, kind, reason=""):
    """Send the ``kind`` email to the candidate after the current transaction commits (if they gave an email)."""
    if kind not in KINDS:
        raise ValueError(kind)
    if not candidate.email:
        return False
    candidate_id = candidate.pk
    transaction.on_commit(lambda: send_nomination_email.enqueue(candidate_id, kind, reason))
    return True


def secretariat_contact(election):
    """{"name", "email", "phone"} of the council's secretariat, or None when none is filled in."""
    council = election.council
    contact = {
        "name": getattr(council, "secretariat_name", "") or "",
        "email": getattr(council, "secretariat_email", "") or "",
        "phone": getattr(council, "secretariat_phone", "") or "",
    }
    return contact if any(contact.values()) else None


def email_context(candidate, reason=""):
    election = candidate.election
    return {
        "candidate": candidate,
        "election": election,
        "election_url": absolute_url(election.url or "/"),
        "council": election.council,
        "contact": secretariat_contact(election),
        "endorser_count": candidate.endorsements.count(),
        "reason": reason,
    }


@task()
def send_nomination_email(candidate_id, kind, reason=""):
    """Render and send one nomination email now, and log it. Returns False when there is no one to send to."""
    candidate = Candidate.objects.select_related("election", "group").filter(pk=candidate_id).first()
    if candidate is None or not candidate.email:
        return False
    election = candidate.election
    send_templated_email(
        f"elections/emails/nomination_{kind}", candidate.email, email_context(candidate, reason), candidate.language
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = {
            "received": _("Kvittering for kandidatanmeldelse sendt til %(name)s"),
            "approved": _("E-mail om godkendelse sendt til %(name)s"),
            "rejected": _("E-mail om afvisning sendt til %(name)s"),
        }[kind] % {"name": candidate.name}
    election.log("nomination.email", None, message, kind=kind, candidate=candidate.pk, language=candidate.language)
    return True
