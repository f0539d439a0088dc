"""Nominations (kandidatanmeldelser) and their endorsers (stillere), identified by voter key only.

Endorsers confirm themselves (issue 10): the candidate gets a link with the nomination's random
``endorse_token`` and passes it on; each endorser opens it and proves who they are with their own
poll card. Nobody types another person's personal number, so the public form never answers whether
a number is on the roll (a roll for this election implies ethnic origin).
"""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage

from ..emails import NominationApprovedEmail, NominationRejectedEmail
from ..errors import ElectionError


class CandidateQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Candidate.Status.APPROVED)

    def pending(self):
        return self.filter(status=Candidate.Status.PENDING)


class Candidate(models.Model):
    """A nomination (kandidatanmeldelse). ``voter_key`` is the candidate's own roll key; no clear number is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer behandling")
        APPROVED = "approved", _("Godkendt")
        REJECTED = "rejected", _("Afvist")

    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="candidates")
    group = models.ForeignKey(
        "elections.ElectionGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("gruppe"),
    )
    name = models.CharField(_("navn"), max_length=200)
    photo = models.ImageField(_("foto"), storage=private_storage, upload_to="elections/candidates/", blank=True)
    statement = models.TextField(_("om mig"), max_length=1500)
    languages = models.CharField(_("sprog jeg taler"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Kun til sekretariatet; vises ikke."))
    language = models.CharField(
        _("sprog for e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="da",
        help_text=_("Det sprog kandidaten brugte ved anmeldelsen; e-mails til kandidaten skrives på det."),
    )
    voter_key = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("begrundelse for afvisning"), blank=True)
    decided_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("anmeldt"), auto_now_add=True)
    # In the link the candidate gives to their endorsers; random, so nominations cannot be enumerated.
    endorse_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("kandidat")
        verbose_name_plural = _("kandidater")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "voter_key"], name="unique_candidate_per_election"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.election.url + f"#kandidat-{self.pk}"

    def get_endorse_url(self):
        return reverse("elections:endorse", args=[self.election_id, self.endorse_token])

    @property
    def photo_url(self):
        if not self.photo:
            return ""
        return reverse("elections:candidate_photo", args=[self.pk])

    def _decide(self, status, rejection_reason, user, action, message, **data):
        """Set the decision under a row lock. Returns False (and changes nothing) if the status is already
        ``status`` – a double click – so the decision is logged and emailed once."""
        with transaction.atomic():
            locked = Candidate.objects.select_for_update().get(pk=self.pk)
            if locked.election.nominations_closed_at:
                raise ElectionError(_("Kandidatlisten er lukket."))
            if locked.status == status:
                self.status, self.rejection_reason = locked.status, locked.rejection_reason
                self.decided_at, self.decided_by_id = locked.decided_at, locked.decided_by_id
                return False
            self.status, self.rejection_reason = status, rejection_reason
            self.decided_at, self.decided_by = timezone.now(), user
            self.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
            self.election.log(action, user, message, **data)
            if status == self.Status.APPROVED:
                NominationApprovedEmail.send(self)
            else:
                NominationRejectedEmail.send(self, reason=rejection_reason)
        return True

    def approve(self, user=None):
        """Approve the nomination and email the candidate. False if it was already approved."""
        return self._decide(
            self.Status.APPROVED, "", user, "nomination.approve", _("Kandidat godkendt: %(name)s") % {"name": self.name}
        )

    def reject(self, reason, user=None):
        """Reject with a reason (sent verbatim to the candidate). False if it was already rejected."""
        if not (reason or "").strip():
            raise ElectionError(_("Skriv en begrundelse for afvisningen."))
        reason = reason.strip()
        return self._decide(
            self.Status.REJECTED,
            reason,
            user,
            "nomination.reject",
            _("Kandidat afvist: %(name)s") % {"name": self.name},
            reason=reason,
        )

    def endorse(self, voter):
        """Record ``voter`` – identified by their own poll card – as an endorser of this nomination.

        Raises ElectionError with a message for the endorser. Under a row lock on the candidate, so
        two endorsers confirming at once cannot take it past the number the election needs."""
        election = self.election
        with transaction.atomic():
            locked = Candidate.objects.select_for_update().get(pk=self.pk)
            if locked.status != Candidate.Status.PENDING or election.nominations_closed_at:
                raise ElectionError(_("Anmeldelsen kan ikke længere få stillere."))
            if locked.voter_key == voter.voter_key:
                raise ElectionError(_("Du kan ikke være stiller for dig selv."))
            endorsing = Endorsement.objects.filter(election=election, voter_key=voter.voter_key).exclude(
                candidate__status=Candidate.Status.REJECTED
            )
            if not election.endorse_once:
                endorsing = endorsing.filter(candidate=locked)
            if endorsing.exists():
                raise ElectionError(_("Du er allerede stiller for en kandidat ved dette valg."))
            if locked.endorsements.count() >= election.endorsers_required:
                raise ElectionError(_("Kandidaten har allerede de stillere, der skal til."))
            Endorsement.objects.create(election=election, candidate=locked, voter_key=voter.voter_key)
            election.log("nomination.endorse", None, _("Stiller bekræftet for %(name)s") % {"name": locked.name})


class Endorsement(models.Model):
    """An endorser (stiller) of a candidate, identified only by voter key."""

    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="endorsements")
    candidate = models.ForeignKey("elections.Candidate", on_delete=models.CASCADE, related_name="endorsements")
    voter_key = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("stiller")
        verbose_name_plural = _("stillere")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "voter_key"], name="unique_endorser_per_candidate"),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.voter_key[:8]}…"
