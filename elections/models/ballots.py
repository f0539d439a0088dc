"""The online ballot box: its chain head and the ballots. No voter reference, no time."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import crypto


class BallotBoxManager(models.Manager):
    def append(self, election, candidate):
        """Store one ballot at the end of the chain (under the box's row lock) and return it.

        Call inside the transaction that marked the voter as voted (``Voter.mark_voted``).
        """
        box = self.select_for_update().get(election=election)
        ballot = Ballot(election=election, candidate=candidate, tracker=crypto.new_tracker(), prev_hash=box.head)
        ballot.hash = crypto.ballot_hash(ballot.prev_hash, ballot.pk, candidate.pk, ballot.tracker)
        ballot.save(force_insert=True)
        self.filter(pk=box.pk).update(head=ballot.hash, count=models.F("count") + 1)
        return ballot


class BallotBox(models.Model):
    """The chain head and ballot count of one election; its row is the lock that orders the chain."""

    election = models.OneToOneField("elections.ElectionPage", on_delete=models.CASCADE, related_name="ballot_box")
    head = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    objects = BallotBoxManager()

    class Meta:
        verbose_name = _("stemmeurne")
        verbose_name_plural = _("stemmeurner")

    def __str__(self):
        return f"{self.election}: {self.count}"


class Ballot(models.Model):
    """One online vote. Secret by construction: random id, no voter reference, no timestamp.

    ``hash`` = sha256(prev_hash | id | candidate id | tracker); ``prev_hash`` is the previous
    ballot's hash (the first ballot links to ``crypto.genesis_hash(election.pk)``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey("elections.ElectionPage", on_delete=models.PROTECT, related_name="ballots")
    candidate = models.ForeignKey("elections.Candidate", on_delete=models.PROTECT, related_name="ballots")
    tracker = models.CharField(max_length=16)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("stemmeseddel")
        verbose_name_plural = _("stemmesedler")
        constraints = [
            models.UniqueConstraint(fields=["election", "tracker"], name="unique_tracker_per_election"),
            models.UniqueConstraint(fields=["election", "prev_hash"], name="ballot_chain_is_linear"),
        ]

    def __str__(self):
        return self.tracker

    def expected_hash(self):
        return crypto.ballot_hash(self.prev_hash, self.pk, self.candidate_id, self.tracker)
