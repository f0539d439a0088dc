"""The elections app's tables, one module per role. Map for readers:

* ``election`` – ``ElectionPage``, a Wagtail page under a ``councils.CouncilPage``: the settings,
  the derived status and the lifecycle steps (each a method that sets a timestamp and writes
  the audit log); ``ElectionGroup``, optional seat groups with their own seats and substitutes.
* ``roll`` – ``Voter``, one roll entry (personal number only as a keyed HMAC, rows inserted in
  shuffled order, ``voted_channel`` set once by ``Voter.mark_voted``, the one »mark as voted«
  operation of both channels); ``PollCardFailure``, failed poll-card logins for lockout.
* ``nominations`` – ``Candidate`` and ``Endorsement``: people identified by voter key only.
* ``ballots`` – ``BallotBox`` (key setup, election parameters, chain head, totals; its row lock
  orders the chain), ``Ballot`` (one online vote, encrypted in the browser: ciphertexts, proofs,
  hash and chain link; no voter reference, no time) and ``BallotCiphertext`` (refuses copies).
* ``trustees`` – ``Trustee``: who holds the election key together (public messages only).
* ``paper`` – ``PollingPlace``, ``OfficerAssignment`` (where a poll-book officer serves) and
  ``PaperTally`` + ``PaperTallyLine`` (the paper count per place, entered by one officer and
  confirmed by another).
* ``results`` – ``TallyResult`` + ``CandidateResult``: the count, the outcome, the tie-break draw.
* ``audit`` – ``AuditLogEntry``, the election's own audit log.

The exceptions (``ElectionError`` and its kinds) live in ``elections.errors`` and are
re-exported here for the callers that import them with the models.
"""

from ..errors import AlreadyVoted, ElectionError, VotingClosed
from .audit import AuditLogEntry
from .ballots import Ballot, BallotBox, BallotCiphertext
from .election import POLLS_CLOSED, ElectionGroup, ElectionPage, ElectionQuerySet, Stage
from .nominations import Candidate, CandidateQuerySet, Endorsement
from .paper import OfficerAssignment, PaperTally, PaperTallyLine, PollingPlace
from .results import CandidateResult, TallyResult
from .roll import PollCardFailure, Voter, VoterQuerySet
from .trustees import Trustee

__all__ = [
    "AlreadyVoted",
    "AuditLogEntry",
    "Ballot",
    "BallotBox",
    "BallotCiphertext",
    "Candidate",
    "CandidateQuerySet",
    "CandidateResult",
    "ElectionError",
    "ElectionGroup",
    "ElectionPage",
    "ElectionQuerySet",
    "Endorsement",
    "OfficerAssignment",
    "POLLS_CLOSED",
    "PaperTally",
    "PaperTallyLine",
    "PollCardFailure",
    "PollingPlace",
    "Stage",
    "TallyResult",
    "Trustee",
    "Voter",
    "VoterQuerySet",
    "VotingClosed",
]
