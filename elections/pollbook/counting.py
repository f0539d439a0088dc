"""The paper count of a polling place: entered by one officer, confirmed by a second.

The count is reconciled against the check-ins at the place and a difference must be explained
in a note. A confirmed count cannot be changed. Every step writes the election's audit log.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import NoteRequired, PollBookError
from ..models import ElectionPage, PaperTally, PaperTallyLine, PollingPlace
from .access import check_place
from .rules import count_refusal


def ballot_candidates(election):
    return list(election.approved_candidates().select_related("group").order_by("group__sort_order", "name", "pk"))


def tally_fingerprint(tally):
    """A short hash over the numbers, so a confirmation applies to exactly the numbers shown."""
    lines = sorted((line.candidate_id, line.votes) for line in tally.lines.all())
    text = f"{tally.pk}|{tally.invalid_votes}|" + ";".join(f"{c}:{v}" for c, v in lines)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _start_count_step(election, place, user):
    """Inside the step's transaction: the officer may count at this place, the place is locked
    against a second officer's step at the same time, and the election (read again) still takes
    counts. Returns the election as stored now; raises PollBookError with the reason."""
    check_place(election, place, user)
    PollingPlace.objects.select_for_update().get(pk=place.pk, election=election)
    current = ElectionPage.objects.get(pk=election.pk)
    refusal = count_refusal(current)
    if refusal:
        raise PollBookError(refusal)
    return current


def enter_paper_count(election, place, user, votes, invalid_votes, note=""):
    """Store (or correct, until confirmed) the paper count of a polling place. ``votes``: {candidate id: n}."""
    with transaction.atomic():
        current = _start_count_step(election, place, user)
        candidates = {c.pk for c in ballot_candidates(current)}
        if set(votes) != candidates:
            raise PollBookError(_("Kandidatlisten er ændret. Indtast optællingen igen."))
        if any(n is None or n < 0 for n in votes.values()) or invalid_votes is None or invalid_votes < 0:
            raise PollBookError(_("Antallet kan ikke være negativt."))
        tally = PaperTally.objects.select_for_update().filter(election=election, polling_place=place).first()
        if tally and tally.is_confirmed:
            raise PollBookError(_("Optællingen er bekræftet og kan ikke ændres."))
        note = (note or "").strip()
        if tally is None:
            try:
                with transaction.atomic():
                    tally = PaperTally.objects.create(
                        election=election, polling_place=place, invalid_votes=invalid_votes, note=note, entered_by=user
                    )
            except IntegrityError as error:
                raise PollBookError(_("Optællingen blev indtastet samtidig af en anden. Prøv igen.")) from error
            corrected = False
        else:
            tally.invalid_votes, tally.note, tally.entered_by = invalid_votes, note, user
            tally.entered_at = timezone.now()
            tally.save(update_fields=["invalid_votes", "note", "entered_by", "entered_at"])
            tally.lines.all().delete()
            corrected = True
        PaperTallyLine.objects.bulk_create(
            [PaperTallyLine(tally=tally, candidate_id=pk, votes=n) for pk, n in sorted(votes.items())]
        )
        checked_in = tally.checked_in_count
        total = sum(votes.values()) + invalid_votes
        election.log(
            "paper.enter",
            user,
            (_("Optælling rettet for %(place)s.") if corrected else _("Optælling indtastet for %(place)s."))
            % {"place": place.name},
            place=place.code,
            votes={str(pk): n for pk, n in sorted(votes.items())},
            invalid=invalid_votes,
            total=total,
            checked_in=checked_in,
            difference=total - checked_in,
            note=note,
        )
        return tally


def confirm_paper_count(election, place, user, fingerprint, note=""):
    """The second officer confirms the count. Returns the tally; raises PollBookError with the reason."""
    with transaction.atomic():
        _start_count_step(election, place, user)
        tally = PaperTally.objects.select_for_update().filter(election=election, polling_place=place).first()
        if tally is None:
            raise PollBookError(_("Der er ingen optælling at bekræfte endnu."))
        if tally.is_confirmed:
            raise PollBookError(_("Optællingen er allerede bekræftet og kan ikke ændres."))
        if tally.entered_by_id is None or tally.entered_by_id == user.pk:
            raise PollBookError(
                _("Du kan ikke bekræfte en optælling, du selv har indtastet. En anden valgstyrer skal bekræfte den.")
            )
        if fingerprint != tally_fingerprint(tally):
            raise PollBookError(_("Optællingen er blevet rettet, mens du så på den. Kontrollér tallene igen."))
        note = (note or "").strip() or tally.note
        difference = tally.mismatch
        if difference and not note:
            raise NoteRequired(
                _("Antallet af stemmesedler svarer ikke til antallet af tjekket ind. Skriv en forklaring.")
            )
        tally.note, tally.confirmed_by, tally.confirmed_at = note, user, timezone.now()
        tally.save(update_fields=["note", "confirmed_by", "confirmed_at"])
        election.log(
            "paper.confirm",
            user,
            _("Optælling bekræftet for %(place)s.") % {"place": place.name},
            place=place.code,
            total=tally.total,
            checked_in=tally.checked_in_count,
            difference=difference,
            note=note,
            entered_by=tally.entered_by_id,
        )
        return tally
