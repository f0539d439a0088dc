"""Emails to the people who nominate themselves: a receipt, then the secretariat's decision.

* :class:`NominationReceivedEmail` – right after the nomination is submitted: what was
  submitted (never a personal number) and that the secretariat will review it.
* :class:`NominationApprovedEmail` – the candidate is on the ballot; when voting opens and closes.
* :class:`NominationRejectedEmail` – the secretariat's reason, verbatim, and whom to contact.

Each is a :class:`core.emails.Email`: written in the language the candidate used when
submitting (``Candidate.language``), sent through a task after the transaction commits, and
recorded in the election's audit log as ``nomination.email``. A candidate without an email
address gets nothing. Templates: ``elections/emails/nomination_<kind>{_subject.txt,.txt,.html}``.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.emails import Email, absolute_url
from users import mitid


def secretariat_contact(election):
    """{"name", "email", "phone"} of the council's secretariat, or None when none is filled in."""
    council = election.council
    contact = {
        "name": getattr(council, "secretariat_name", "") or "",
        "email": getattr(council, "secretariat_email", "") or "",
        "phone": getattr(council, "secretariat_phone", "") or "",
    }
    return contact if any(contact.values()) else None


class NominationEmail(Email):
    """The object is the Candidate. ``kind`` names the message in the election's audit log."""

    nomination_kind = ""

    select_related = ("election", "group")

    def get_context(self):
        candidate = self.object
        election = candidate.election
        return {
            "candidate": candidate,
            "election": election,
            "election_url": absolute_url(election.url or "/"),
            "council": election.council,
            "contact": secretariat_contact(election),
            "endorser_count": candidate.endorsements.count(),
            "endorse_url": absolute_url(candidate.get_endorse_url()) if election.endorsers_required else "",
            "endorse_with_mitid": bool(election.endorsers_required) and mitid.is_configured(),
            "reason": self.kwargs.get("reason", ""),
        }

    def log_message(self):
        raise NotImplementedError

    def sent(self):
        candidate = self.object
        with translation.override(settings.LANGUAGE_CODE):
            message = self.log_message() % {"name": candidate.name}
        candidate.election.log(
            "nomination.email",
            None,
            message,
            kind=self.nomination_kind,
            candidate=candidate.pk,
            language=candidate.language,
        )


class NominationReceivedEmail(NominationEmail):
    template = "elections/emails/nomination_received"
    nomination_kind = "received"

    def log_message(self):
        return _("Kvittering for kandidatanmeldelse sendt til %(name)s")


class NominationApprovedEmail(NominationEmail):
    template = "elections/emails/nomination_approved"
    nomination_kind = "approved"

    def log_message(self):
        return _("E-mail om godkendelse sendt til %(name)s")


class NominationRejectedEmail(NominationEmail):
    """``reason`` (the secretariat's words at the time of the decision) is passed to ``send``."""

    template = "elections/emails/nomination_rejected"
    nomination_kind = "rejected"

    def log_message(self):
        return _("E-mail om afvisning sendt til %(name)s")
