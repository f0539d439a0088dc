"""The secretariat assigns each officer to the polling place they serve at, or to all (a coordinator).

A group member without an assignment – added before places were assigned, or straight into
the group in the admin – counts as a coordinator, so existing officers keep working; the
officers page shows them as not yet assigned.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import PollBookError
from ..models import OfficerAssignment
from .forms import ALL_PLACES


def officer_label(user):
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


def assignment_label(assignment):
    """Where an officer serves, for the officers page, messages and the audit log."""
    if assignment is None:
        return _("Alle valgsteder (ikke tildelt)")
    if assignment.all_places:
        return _("Alle valgsteder (koordinator)")
    if assignment.polling_place_id:
        return assignment.polling_place.name
    return _("Intet valgsted (valgstedet er slettet)")


def assignment_code(assignment):
    """Where an officer serves, for the audit log's data: a place code, »alle«, "" (place deleted) or None."""
    if assignment is None:
        return None
    if assignment.all_places:
        return ALL_PLACES
    return assignment.polling_place.code if assignment.polling_place_id else ""


def assign_place(election, officer, place, by):
    """Set where an officer serves: ``place`` (a PollingPlace of the election) or None for all places.

    Returns (previous assignment or None, new assignment); the caller logs the change.
    """
    if place is not None and place.election_id != election.pk:
        raise PollBookError(_("Valgstedet hører ikke til dette valg."))
    with transaction.atomic():
        previous = (
            OfficerAssignment.objects.select_for_update(of=("self",))
            .select_related("polling_place")
            .filter(election=election, user=officer)
            .first()
        )
        if previous is not None:
            previous_copy = OfficerAssignment(
                pk=previous.pk,
                election=election,
                user=officer,
                polling_place=previous.polling_place,
                all_places=previous.all_places,
            )
            previous.polling_place, previous.all_places, previous.assigned_by = place, place is None, by
            previous.save(update_fields=["polling_place", "all_places", "assigned_by", "assigned_at"])
            return previous_copy, previous
        assignment = OfficerAssignment.objects.create(
            election=election, user=officer, polling_place=place, all_places=place is None, assigned_by=by
        )
        return None, assignment


def place_choice(assignment):
    """The assignment as a value of the place chooser ("" = not chosen yet)."""
    if assignment is None:
        return ""
    if assignment.all_places:
        return ALL_PLACES
    return str(assignment.polling_place_id) if assignment.polling_place_id else ""


def placed_message(officer, assignment, already=False):
    values = {"officer": officer_label(officer), "place": assignment_label(assignment)}
    if assignment.all_places:
        if already:
            return _("%(officer)s er allerede koordinator og kan bruge valgbogen på alle valgsteder.") % values
        return _("%(officer)s er nu koordinator og kan bruge valgbogen på alle valgsteder.") % values
    if already:
        return _("%(officer)s er allerede valgstyrer på %(place)s.") % values
    return _("%(officer)s er nu valgstyrer på %(place)s.") % values


def same_place(assignment, place):
    if assignment is None:
        return False
    if place is None:
        return assignment.all_places
    return not assignment.all_places and assignment.polling_place_id == place.pk
