"""Finding a voter in the poll book and checking them in at a polling place."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import crypto
from ..errors import AlreadyVoted, PollBookError
from ..models import ElectionPage, Voter
from .access import check_place
from .forms import CardLookupForm
from .rules import check_in_refusal

LOOKUP_LIMIT = 20


def find_voters(election, form):
    """Roll entries matching a valid card or name lookup form (at most LOOKUP_LIMIT)."""
    voters = Voter.objects.filter(election=election).select_related("polling_place", "checked_in_place")
    if isinstance(form, CardLookupForm):
        number = form.card_number
        if number is not None:
            return list(voters.filter(card_number=number))
        return list(voters.filter(poll_card_code_hash=crypto.poll_card_hash(election.pk, form.cleaned_data["card"])))
    return list(
        voters.filter(name__icontains=form.cleaned_data["name"], birth_date=form.cleaned_data["birth_date"]).order_by(
            "name", "card_number"
        )[:LOOKUP_LIMIT]
    )


def voter_status(voter, place):
    """(can check in here, Danish status text) for the poll book's list."""
    if voter.checked_in_at:
        return False, _("Er allerede tjekket ind på %(place)s kl. %(time)s.") % {
            "place": voter.checked_in_place.name if voter.checked_in_place_id else _("et valgsted"),
            "time": date_format(timezone.localtime(voter.checked_in_at), "TIME_FORMAT"),
        }
    if voter.voted_channel == Voter.Channel.ONLINE:
        return False, _("Har allerede stemt online og må ikke stemme igen.")
    if voter.voted_channel:
        return False, _("Har allerede stemt.")
    if voter.polling_place_id != place.pk:
        return False, _("Hører til valgstedet %(place)s.") % {"place": voter.polling_place.name}
    return True, _("Har ikke stemt.")


def check_in(election, voter_id, place, user):
    """Check a voter in at a polling place: they vote on paper here and can no longer vote online.

    The roll entry is locked and marked by ``Voter.mark_voted``, the same operation the online
    cast uses, so a check-in and an online vote for the same person can never both succeed.
    """
    with transaction.atomic():
        check_place(election, place, user)
        voter = Voter.objects.locked_for_voting(election, voter_id)
        current = ElectionPage.objects.get(pk=election.pk)
        refusal = check_in_refusal(current)
        if refusal:
            raise PollBookError(refusal)
        if voter.checked_in_at:
            raise PollBookError(
                _("%(name)s er allerede tjekket ind på %(place)s og må ikke stemme igen.")
                % {"name": voter.name, "place": voter.checked_in_place.name if voter.checked_in_place_id else "?"}
            )
        if voter.voted_channel == Voter.Channel.ONLINE:
            raise PollBookError(_("%(name)s har allerede stemt online og må ikke stemme igen.") % {"name": voter.name})
        if voter.voted_channel:
            raise PollBookError(_("%(name)s har allerede stemt.") % {"name": voter.name})
        if voter.polling_place_id != place.pk:
            raise PollBookError(
                _("%(name)s hører til valgstedet %(place)s og skal stemme der.")
                % {"name": voter.name, "place": voter.polling_place.name}
            )
        try:
            voter.mark_voted(
                Voter.Channel.PAPER, checked_in_at=timezone.now(), checked_in_by=user, checked_in_place=place
            )
        except AlreadyVoted as error:
            raise PollBookError(_("%(name)s har allerede stemt.") % {"name": voter.name}) from error
        election.log(
            "pollbook.checkin",
            user,
            _("Vælger med valgkort %(number)s tjekket ind på %(place)s.")
            % {"number": voter.card_number, "place": place.name},
            place=place.code,
            card_number=voter.card_number,
        )
        return voter
