"""Why an election step or a vote is refused. Every message is Danish, user-facing and translated."""


class ElectionError(Exception):
    """A lifecycle step or a vote that is not allowed now."""


class AlreadyVoted(ElectionError):
    """The person has already voted, online or on paper."""


class VotingClosed(ElectionError):
    """Voting is not open (not yet, or no longer)."""


class PollBookError(ElectionError):
    """A poll-book step that is not allowed; the message is Danish and shown to the officer."""


class NoteRequired(PollBookError):
    """The paper count differs from the check-ins and nobody has explained why."""


class WrongPlace(PollBookError):
    """The officer is assigned to another polling place than the one they tried to use."""


class BallotRefused(ElectionError):
    """An encrypted ballot whose form or proofs do not check; nothing is stored. ``code`` is the protocol's."""

    def __init__(self, message, code=""):
        super().__init__(message)
        self.code = code


class CeremonyError(ElectionError):
    """A trustee step that is not possible now, or a trustee message that does not check."""
