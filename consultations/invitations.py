"""Invitations to the parties on a hearing's lists, and reminders before the deadline.

Every active party on the hearing's lists gets ONE invitation when the hearing is published
and open (or when it opens later: the ``send_hearing_invitations`` command, run by cron,
catches up). One ``Invitation`` row per hearing and party is the log; a unique constraint
makes a second invitation impossible. ``HEARING_REMINDER_DAYS`` days before the deadline,
parties that were invited and have not replied get one reminder.

The emails (``InvitationEmail``, ``ReminderEmail``) leave through a task after the transaction
commits; each claims its row in the worker, so a party gets each message once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.signals import page_published

from councils.models import HearingParty

from .emails import InvitationEmail, ReminderEmail
from .models import HearingPage, Invitation, Response

logger = logging.getLogger(__name__)


# --- Invitations ---------------------------------------------------------------------------


def may_invite(hearing, now=None):
    """Invitations go out only for a live (published) hearing that is open."""
    return bool(hearing.live) and hearing.opens_at <= (now or timezone.now()) < hearing.closes_at


def invite_parties(hearing, user=None, now=None):
    """Create one invitation per active party not yet invited and send them after commit.

    Parties on several lists, or two parties with the same name or email, are invited once.
    Returns the number of new invitations. Idempotent.
    """
    now = now or timezone.now()
    if not may_invite(hearing, now):
        return 0
    created_ids = []
    with transaction.atomic():
        existing = Invitation.objects.filter(hearing=hearing).select_related("party")
        seen_names = {i.party.name.casefold() for i in existing}
        seen_emails = {i.email.casefold() for i in existing if i.email}
        for party in hearing.hearing_parties():
            name, email = party.name.casefold(), party.email.casefold()
            if name in seen_names or email in seen_emails:
                continue
            seen_names.add(name)
            seen_emails.add(email)
            try:
                with transaction.atomic():
                    invitation = Invitation.objects.create(hearing=hearing, party=party, email=party.email)
            except IntegrityError:
                continue  # invited meanwhile by another process
            created_ids.append(invitation.pk)
            InvitationEmail.send(invitation)
        _record_sent(hearing, len(created_ids), "invitations_sent_at", "consultations.invitations_sent", user, now)
    return len(created_ids)


def _record_sent(hearing, count, state_field, action, user, now):
    """After ``count`` invitations or reminders went out: the hearing's ``state_field`` is set the
    first time, and every sending is logged (``action``) with its count."""
    if not count:
        return
    if getattr(hearing, state_field) is None:
        hearing.set_state(**{state_field: now})
    log(instance=hearing, action=action, user=user, data={"count": count})


def reminder_due(hearing, now=None):
    now = now or timezone.now()
    days = settings.HEARING_REMINDER_DAYS
    return may_invite(hearing, now) and now >= hearing.closes_at - timedelta(days=days)


def remind_parties(hearing, user=None, now=None):
    """Remind invited parties without a confirmed response, once each, when the reminder is due.

    Returns the number of reminders queued. Idempotent.
    """
    now = now or timezone.now()
    if not reminder_due(hearing, now):
        return 0
    with transaction.atomic():
        replied = _replied_names(hearing)
        due = [
            invitation
            for invitation in Invitation.objects.filter(
                hearing=hearing, sent_at__isnull=False, reminder_sent_at__isnull=True
            ).select_related("party")
            if invitation.party.name.casefold() not in replied
        ]
        for invitation in due:
            ReminderEmail.send(invitation)
        _record_sent(hearing, len(due), "reminders_sent_at", "consultations.reminders_sent", user, now)
    return len(due)


def run_periodic(now=None):
    """What cron runs: invitations for open hearings, then due reminders. Returns (invited, reminded)."""
    now = now or timezone.now()
    invited = reminded = 0
    for hearing in HearingPage.objects.live().open(now).order_by("pk"):
        invited += invite_parties(hearing, now=now)
        reminded += remind_parties(hearing, now=now)
    return invited, reminded


@receiver(page_published)
def hearing_published(sender, instance, **kwargs):
    """A hearing published while open invites its parties at once (later ones via cron)."""
    if not isinstance(instance, HearingPage):
        return
    try:
        invite_parties(instance, user=getattr(kwargs.get("revision"), "user", None))
    except Exception:  # never let an email problem stop publishing; cron retries
        logger.exception("Could not invite the parties of hearing %s", instance.pk)


# --- Overview for the secretariat -----------------------------------------------------------


class PartyRow:
    """One row of the invitation overview."""

    def __init__(self, party, invitation, response):
        self.party = party
        self.invitation = invitation
        self.response = response

    @property
    def invited_at(self):
        return self.invitation.sent_at if self.invitation else None

    @property
    def reminded_at(self):
        return self.invitation.reminder_sent_at if self.invitation else None

    @property
    def replied(self):
        return self.response is not None

    @property
    def lists(self):
        return ", ".join(dict.fromkeys(getattr(self, "list_names", [self.party.hearing_list.name])))


def _replied_names(hearing):
    """Names (casefolded) of parties with a confirmed response: a party on two lists is one party."""
    return {
        name.casefold()
        for name in Response.objects.confirmed()
        .filter(hearing=hearing, party__isnull=False)
        .values_list("party__name", flat=True)
    }


def invitation_overview(hearing):
    """Every party on the hearing's lists or invited: when invited and reminded, and its response.

    A party has replied when a confirmed response to this hearing is linked to it (or to the
    same party on another of the hearing's lists). Parties are listed once by name.
    """
    invitations = {i.party_id: i for i in Invitation.objects.filter(hearing=hearing)}
    parties = (
        (
            HearingParty.objects.filter(pk__in=list(invitations))
            | HearingParty.objects.filter(hearing_list__in=hearing.hearing_lists.all(), active=True)
        )
        .select_related("hearing_list")
        .distinct()
        .order_by("name", "pk")
    )
    responses = {}
    for response in (
        Response.objects.confirmed()
        .filter(hearing=hearing, party__isnull=False)
        .select_related("party")
        .order_by("-confirmed_at")
    ):
        responses.setdefault(response.party.name.casefold(), response)
    rows = {}
    for party in parties:
        key = party.name.casefold()
        row = rows.get(key)
        if row is None:
            rows[key] = row = PartyRow(party, invitations.get(party.pk), responses.get(key))
            row.list_names = [party.hearing_list.name]
        else:
            row.list_names.append(party.hearing_list.name)
            if row.invitation is None and party.pk in invitations:
                row.party, row.invitation = party, invitations[party.pk]
    return sorted(rows.values(), key=lambda r: (r.party.name.casefold(), r.party.pk))
