"""The online ballot box: the election parameters, the chain head and the encrypted ballots.

Nothing here can be read as a vote. A ``Ballot`` holds only what the voter's browser sent – one
exponential-ElGamal ciphertext per candidate with its proofs (elections/protocol, specified in
docs/election-protocol.md) – its hash and its link in the chain. No voter reference, no time,
random id. The ballots are only ever decrypted as homomorphic totals, by the trustees together.
"""

import json
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import protocol
from ..protocol import board as boards


class BallotBoxManager(models.Manager):
    def append(self, election, ballot, ballot_hash):
        """Store one verified ballot at the end of the chain (under the box's row lock) and return it.

        Call inside the transaction that marked the voter as voted (``Voter.mark_voted``). A
        ciphertext already in the box raises IntegrityError (a copied ballot) and the caller's
        transaction stores nothing.
        """
        box = self.select_for_update().get(election=election)
        link = boards.chain_link(box.head, ballot_hash)
        stored = Ballot(
            election=election,
            content=protocol.canonical_json(ballot).decode(),
            hash=ballot_hash,
            tracker=protocol.tracker_from_hash(ballot_hash),
            prev=box.head,
            chain=link,
        )
        stored.save(force_insert=True)
        BallotCiphertext.objects.bulk_create(
            BallotCiphertext(election=election, alpha=alpha) for alpha in protocol.ballot_alphas(ballot)
        )
        self.filter(pk=box.pk).update(head=link, count=models.F("count") + 1)
        return stored


class BallotBox(models.Model):
    """One election's key ceremony setup, its fixed parameters, the chain head and the count.

    ``setup`` ({election, threshold, trustees}) is fixed when the last trustee is appointed;
    ``record`` and ``public_key`` when every trustee has confirmed; ``params`` (the election
    parameters every ballot is bound to) and the genesis ``head`` when voting opens; ``totals``
    (the homomorphic sums the trustees decrypt) when voting closes. Its row is the lock that
    orders the chain.
    """

    election = models.OneToOneField("elections.ElectionPage", on_delete=models.CASCADE, related_name="ballot_box")
    setup = models.JSONField(null=True, blank=True)
    record = models.JSONField(null=True, blank=True)
    public_key = models.CharField(max_length=64, blank=True)
    params = models.JSONField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    head = models.CharField(max_length=64, blank=True)
    count = models.PositiveIntegerField(default=0)
    totals = models.JSONField(null=True, blank=True)

    objects = BallotBoxManager()

    class Meta:
        verbose_name = _("stemmeurne")
        verbose_name_plural = _("stemmeurner")

    def __str__(self):
        return f"{self.election}: {self.count}"

    def head_snapshot(self):
        """What observers poll during voting: {format, fingerprint, count, head}."""
        return {
            "format": boards.HEAD_FORMAT,
            "fingerprint": self.fingerprint,
            "count": self.count,
            "head": self.head,
        }

    def entries(self):
        """The board entries in chain order: [{"ballot", "hash", "chain"}].

        ``content`` is read with the C JSON parser: it is the canonical JSON ``append`` wrote after
        the ballot's checks (the strict parser is for what a browser sends).
        """
        by_prev = {
            prev: (content, digest, chain)
            for prev, content, digest, chain in Ballot.objects.filter(election_id=self.election_id).values_list(
                "prev", "content", "hash", "chain"
            )
        }
        out, link = [], protocol.genesis(self.fingerprint)
        while link in by_prev:
            content, digest, chain = by_prev.pop(link)
            out.append({"ballot": json.loads(content), "hash": digest, "chain": chain})
            link = chain
        return out

    def stored_totals(self):
        """The homomorphic totals (Σα, Σβ) per candidate of every stored ballot, streamed in one pass.

        What the close computes: no chain ordering and no board is built, the rows are read in
        batches from a server-side cursor (PostgreSQL) and summed as they come.
        """
        contents = (
            Ballot.objects.filter(election_id=self.election_id)
            .values_list("content", flat=True)
            .iterator(chunk_size=2000)
        )
        return protocol.totals_of_stored(self.params, contents)


class Ballot(models.Model):
    """One online vote, encrypted in the voter's browser. Random id, no voter reference, no time.

    ``content`` is the ballot's canonical JSON (ciphertexts and proofs), ``hash`` its SHA-256,
    ``tracker`` the code derived from the hash (shown on the receipt), ``prev`` the chain link
    before it and ``chain`` its own link (docs/election-protocol.md, section 7).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey("elections.ElectionPage", on_delete=models.PROTECT, related_name="ballots")
    content = models.TextField()
    hash = models.CharField(max_length=64)
    tracker = models.CharField(max_length=11, db_index=True)
    prev = models.CharField(max_length=64)
    chain = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("stemmeseddel")
        verbose_name_plural = _("stemmesedler")
        constraints = [
            models.UniqueConstraint(fields=["election", "hash"], name="unique_ballot_hash_per_election"),
            models.UniqueConstraint(fields=["election", "prev"], name="ballot_chain_is_linear"),
        ]

    def __str__(self):
        return self.tracker


class BallotCiphertext(models.Model):
    """Every α of every stored ballot, once per election: a copied ciphertext is refused at the cast."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="+")
    alpha = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "alpha"], name="unique_alpha_per_election")]

    def __str__(self):
        return self.alpha
