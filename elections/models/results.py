"""The stored count: the tally of an election and each candidate's votes and outcome."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TallyResult(models.Model):
    """The count of an election. ``seed`` = sha256("tiebreak:" + chain_head); ``ties`` records each draw.

    ``ties`` is a list of {"group", "votes", "candidates": [ids in drawn order], "lots": {id: lot}}.
    ``turnout`` holds voters, online, paper, invalid, and per polling place counts.
    """

    election = models.OneToOneField("elections.ElectionPage", on_delete=models.CASCADE, related_name="tally")
    chain_head = models.CharField(max_length=64)
    ballot_count = models.PositiveIntegerField(default=0)
    seed = models.CharField(max_length=64)
    ties = models.JSONField(default=list)
    turnout = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)
    #: The final board's count part (``elections.models.tally.COUNT_KEYS``, the protocol's board).
    board = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("optælling")
        verbose_name_plural = _("optællinger")

    def __str__(self):
        return str(self.election)


class CandidateResult(models.Model):
    """Votes and outcome of one candidate. ``rank`` is 1-based within the candidate's group."""

    class Outcome(models.TextChoices):
        ELECTED = "elected", _("Valgt")
        SUBSTITUTE = "substitute", _("Suppleant")
        NOT_ELECTED = "not_elected", _("Ikke valgt")

    tally = models.ForeignKey("elections.TallyResult", on_delete=models.CASCADE, related_name="rows")
    candidate = models.ForeignKey("elections.Candidate", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        "elections.ElectionGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    online_votes = models.PositiveIntegerField(default=0)
    paper_votes = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    rank = models.PositiveIntegerField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    decided_by_lot = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("kandidatresultat")
        verbose_name_plural = _("kandidatresultater")
        ordering = ["group__sort_order", "rank"]

    def __str__(self):
        return f"{self.candidate}: {self.votes}"
