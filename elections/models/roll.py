"""The voter roll (valgliste): one row per voter, and failed poll-card logins."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import crypto
from ..errors import AlreadyVoted


class VoterQuerySet(models.QuerySet):
    def voted(self):
        return self.exclude(voted_channel="")

    def not_voted(self):
        return self.filter(voted_channel="")

    def locked_for_voting(self, election, pk):
        """The roll entry under a row lock, inside the caller's transaction (see ``Voter.mark_voted``)."""
        return self.select_for_update().get(pk=pk, election=election)


class Voter(models.Model):
    """One entry on the voter roll (valgliste).

    The personal number is stored only as ``voter_key`` (HMAC with ``VOTER_ID_HMAC_KEY``);
    the address is not stored at all (it is only needed for the poll-card letters, which are
    made from the municipality's file, see ``elections.roll``). ``card_number`` is the
    non-secret number printed on the poll card (used by the poll book); ``poll_card_code_hash``
    is the keyed hash of the secret code for online voting (empty until letters are made).
    Rows are inserted in shuffled order, so ids say nothing about the municipality's file.
    ``voted_channel`` is set once, by online casting or by a poll-book check-in.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Papir på valgsted")

    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="voters")
    voter_key = models.CharField(_("nøgle (HMAC af personnummer)"), max_length=64)
    card_number = models.PositiveIntegerField(_("valgkortnummer"))
    name = models.CharField(_("navn"), max_length=200)
    birth_date = models.DateField(_("fødselsdato"))
    polling_place = models.ForeignKey(
        "elections.PollingPlace", on_delete=models.PROTECT, related_name="voters", verbose_name=_("valgsted")
    )
    group = models.ForeignKey(
        "elections.ElectionGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voters",
        verbose_name=_("gruppe"),
    )
    poll_card_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    poll_card_issued_at = models.DateTimeField(_("valgkort udstedt"), null=True, blank=True)
    voted_channel = models.CharField(_("har stemt"), max_length=10, choices=Channel.choices, blank=True)
    checked_in_at = models.DateTimeField(_("tjekket ind"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_place = models.ForeignKey(
        "elections.PollingPlace", null=True, blank=True, on_delete=models.PROTECT, related_name="checked_in_voters"
    )
    locked_at = models.DateTimeField(_("spærret for onlinestemme"), null=True, blank=True)

    objects = VoterQuerySet.as_manager()

    class Meta:
        verbose_name = _("vælger")
        verbose_name_plural = _("vælgere")
        constraints = [
            models.UniqueConstraint(fields=["election", "voter_key"], name="unique_voter_key_per_election"),
            models.UniqueConstraint(fields=["election", "card_number"], name="unique_card_number_per_election"),
        ]

    def __str__(self):
        return f"{self.name} ({self.card_number})"

    @property
    def has_voted(self):
        return bool(self.voted_channel)

    def mark_voted(self, channel, **fields):
        """The one way a roll entry becomes »has voted«: the online cast and the poll-book check-in both call it.

        Call it on a row from ``Voter.objects.locked_for_voting`` inside the same transaction as
        what the vote stores (the ballot, or the check-in). The flip is a conditional update from
        not-voted, so of two channels racing for one person exactly one succeeds; the other gets
        ``AlreadyVoted`` and its transaction stores nothing. (On SQLite every transaction takes the
        write lock at BEGIN, see the settings.)
        """
        flipped = Voter.objects.filter(pk=self.pk, voted_channel="").update(voted_channel=channel, **fields)
        if flipped != 1:
            raise AlreadyVoted(_("Du har allerede stemt ved dette valg. Du kan kun stemme én gang."))
        self.voted_channel = channel
        for name, value in fields.items():
            setattr(self, name, value)

    def may_vote_for(self, candidate, election=None):
        election = election or self.election
        if election.group_voting_restricted and self.group_id and candidate.group_id:
            return self.group_id == candidate.group_id
        return True

    def issue_poll_card(self):
        """Give this voter a new random poll-card code; store its hash and return the plaintext once."""
        code = crypto.new_poll_card_code()
        self.poll_card_code_hash = crypto.poll_card_hash(self.election_id, code)
        self.poll_card_issued_at = timezone.now()
        self.locked_at = None
        Voter.objects.filter(pk=self.pk).update(
            poll_card_code_hash=self.poll_card_code_hash, poll_card_issued_at=self.poll_card_issued_at, locked_at=None
        )
        return code


class PollCardFailure(models.Model):
    """A failed poll-card login (wrong code or birth date) – counted for lockout, then forgotten.

    ``client_key`` is a keyed hash of the client address. Successful logins are not recorded.
    """

    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="+")
    client_key = models.CharField(max_length=32, db_index=True)
    voter = models.ForeignKey("elections.Voter", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mislykket valgkortlogin")
        verbose_name_plural = _("mislykkede valgkortlogin")

    def __str__(self):
        return f"{self.election_id}: {self.created_at:%Y-%m-%d %H:%M}"
