"""Every email of the consultations app, one :class:`core.emails.Email` per message.

Templates live under ``consultations/templates/consultations/emails/``. Send with
``ResponseReceiptEmail.send(response)`` – after the transaction commits, through a task – and
read ``core/emails.py`` for the mechanism. Invitations and reminders are in the language set for
the party on its hearing list (Danish unless the secretariat chose another); respondents and
subscribers get the language they used on the site.

Every email about a hearing is a :class:`HearingEmail`: it shows the hearing's title (and summary)
in the recipient's language where the page has a published translation that fits its live Danish
text (``core.translated_pages.in_language``, as the hearing index and the feeds do), and its links
open the site in that language (``?lang=<code>``), so the recipient lands on the translated page.

This module imports no model of the app: each email reads what it shows from the object it is
given (and its relations), so the tables and the pages can send emails without an import cycle.
"""

from django.urls import reverse
from django.utils import timezone

from core.emails import Email, absolute_url, supported_language
from core.translated_pages import in_language


class HearingEmail(Email):
    """An email about one or more hearings, in the recipient's language."""

    @property
    def language(self):
        return supported_language(self.get_language())

    def translated(self, hearings):
        """``hearings`` (pages) as the recipient reads them: translated where a translation is published."""
        return in_language([hearing.specific for hearing in hearings], self.language)

    def link(self, path):
        """An absolute link for the email that opens in the recipient's language."""
        return absolute_url(path, self.language)

    def hearing_context(self, hearing):
        [hearing] = self.translated([hearing])
        return {
            "hearing": hearing,
            "hearing_url": self.link(hearing.url or "/"),
            "closes_at": timezone.localtime(hearing.closes_at),
            "issuing_body": hearing.issuing_body_name,
        }


# --- Respondents ---------------------------------------------------------------------------


class ResponseConfirmationEmail(HearingEmail):
    """The link that confirms a response submitted without a verified account."""

    template = "consultations/emails/response_confirm"

    def should_send(self):
        return self.object.status == self.object.Status.PENDING and not self.object.personal_data_erased_at

    def get_context(self):
        # The token exists only in this email: a fresh one is made here, in the worker, and
        # only its hash is stored (it replaces any earlier link's hash).
        response = self.object
        token = response.issue_confirmation_token()
        type(response).objects.filter(pk=response.pk).update(confirmation_token_hash=response.confirmation_token_hash)
        return {
            **self.hearing_context(response.hearing),
            "response": response,
            "confirm_url": self.link(f"/hoeringer/svar/bekraeft/{token}/"),
        }


class ResponseReceiptEmail(HearingEmail):
    """What was received, with a copy of the text and the attachments' names."""

    template = "consultations/emails/response_receipt"

    def get_context(self):
        response = self.object
        return {
            **self.hearing_context(response.hearing),
            "response": response,
            "attachments": list(response.attachments.all()),
            "section_comments": list(response.section_comments.all()),
        }


class ResponseWithheldEmail(HearingEmail):
    """The secretariat will not publish the response: its reason, and whom to ask."""

    template = "consultations/emails/response_withheld"

    def should_send(self):
        return self.object.status == self.object.Status.WITHHELD

    def get_context(self):
        hearing = self.object.hearing.specific
        return {
            **self.hearing_context(hearing),
            "response": self.object,
            "contact_email": hearing.contact_email,
        }


# --- Parties on hearing lists --------------------------------------------------------------


class InvitationEmail(HearingEmail):
    """One party's invitation; sent once: the row is claimed (``sent_at``) before sending."""

    template = "consultations/emails/invitation"

    select_related = ("party", "hearing")

    def should_send(self):
        invitation = self.object
        claimed = type(invitation).objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
        return bool(claimed)

    def get_language(self):
        return self.object.party.language

    def get_context(self):
        return {**self.hearing_context(self.object.hearing), "party": self.object.party}


class ReminderEmail(InvitationEmail):
    """One reminder to an invited party that has not replied; claimed (``reminder_sent_at``) first."""

    template = "consultations/emails/reminder"

    def should_send(self):
        invitation = self.object
        claimed = (
            type(invitation)
            .objects.filter(pk=invitation.pk, sent_at__isnull=False, reminder_sent_at__isnull=True)
            .update(reminder_sent_at=timezone.now())
        )
        # A party that replied between the selection and now gets no reminder but stays marked.
        return bool(claimed) and not invitation.has_replied


# --- Subscribers ---------------------------------------------------------------------------


class SubscriptionConfirmEmail(Email):
    template = "consultations/emails/subscription_confirm"

    def should_send(self):
        return self.object.confirmed_at is None

    def get_context(self):
        return {"subscription": self.object, "confirm_url": self.object.get_confirm_url()}


class SubscriberEmail(HearingEmail):
    """An email to a subscriber (the object has a ``subscription``): their address and language,
    and a one-click unsubscribe header."""

    def get_recipients(self):
        return [self.object.subscription.email]

    def get_language(self):
        return self.object.subscription.language

    def get_headers(self):
        return {
            "List-Unsubscribe": f"<{self.object.subscription.get_unsubscribe_url()}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }


class NewHearingEmail(SubscriberEmail):
    """A subscriber is told about a new hearing (the object is the SubscriptionNotification row)."""

    template = "consultations/emails/new_hearing"

    select_related = ("subscription", "hearing")

    def get_context(self):
        return {
            **self.hearing_context(self.object.hearing),
            "unsubscribe_url": self.object.subscription.get_unsubscribe_url(),
        }


# --- After the decision ----------------------------------------------------------------------


class DecisionEmail(HearingEmail):
    """The høringsnotat and the political decision, to one respondent or consulted party (a DecisionNotice).

    Sent once per address: the notice row is claimed (``sent_at``) in the worker before sending."""

    template = "consultations/emails/decision"

    select_related = ("hearing__decision__council", "hearing__decision__document", "response", "party")

    def should_send(self):
        notice = self.object
        if notice.response_id and notice.response.personal_data_erased_at:
            return False
        return notice.claim()

    def get_context(self):
        notice = self.object
        hearing = notice.hearing  # a HearingPage, with its decision, council and document (get_object)
        decision = hearing.decision
        return {
            **self.hearing_context(hearing),
            "decision": decision,
            "decision_body": decision.body_name,
            "document_url": absolute_url(decision.document.url) if decision.document_id else "",
            "summary_url": self.link(reverse("consultations:summary_print", args=[hearing.pk])),
            "name": notice.response.name if notice.response_id else (notice.party.name if notice.party_id else ""),
        }


class DigestEmail(SubscriberEmail):
    """A weekly subscriber's digest (the object is the Digest row): new hearings and decisions, one unsubscribe link."""

    template = "consultations/emails/digest"

    select_related = ("subscription",)

    def get_context(self):
        digest = self.object
        hearings = [{"hearing": h, "url": self.link(h.url or "/")} for h in self.translated(digest.hearings())]
        decisions = list(digest.decisions())
        titled = self.translated([d.hearing for d in decisions])
        decisions = [
            {"decision": d, "hearing": h, "url": self.link(h.url or "/")}
            for d, h in zip(decisions, titled, strict=True)
        ]
        return {
            "hearings": hearings,
            "decisions": decisions,
            "unsubscribe_url": digest.subscription.get_unsubscribe_url(),
        }
