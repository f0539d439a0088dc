"""Who may use the poll book, and where.

Members of the election's officer group (``ElectionPage.officers_group``, created as
»Valgstyrer: <election>« by ``officer_group_for``) and superusers. The pages show names and
birth dates from the roll, so when ``MEDBORGER_ADMIN_REQUIRES_MFA`` is on, officers must have
set up two-factor authentication, as staff must for the admin.

An officer assigned to one polling place (``OfficerAssignment``) may use only that place
(``place_refusal``); a coordinator, a group member without an assignment, and a superuser may
use every place.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..errors import WrongPlace
from ..models import ElectionPage, OfficerAssignment

OFFICER_GROUP_PREFIX = "Valgstyrer: "
GROUP_NAME_MAX_LENGTH = 150


def officer_group_for(election):
    """The election's officer group, created as »Valgstyrer: <title>« and linked on first use."""
    if election.officers_group_id:
        return election.officers_group
    name = f"{OFFICER_GROUP_PREFIX}{election.title}"[:GROUP_NAME_MAX_LENGTH]
    taken = ElectionPage.objects.filter(officers_group__name=name).exclude(pk=election.pk).exists()
    if taken:
        # Another election with the same title has this group: its officers must not get this one.
        suffix = f" ({election.pk})"
        name = f"{OFFICER_GROUP_PREFIX}{election.title}"[: GROUP_NAME_MAX_LENGTH - len(suffix)] + suffix
    group, _created = Group.objects.get_or_create(name=name)
    ElectionPage.objects.filter(pk=election.pk, officers_group__isnull=True).update(officers_group=group)
    election.officers_group = group
    return group


def is_officer(user, election):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(election.officers_group_id) and user.groups.filter(pk=election.officers_group_id).exists()


def officer_assignment(user, election):
    """The user's place assignment at this election, or None (no row: a coordinator, see the module doc)."""
    if user is None or not user.is_authenticated:
        return None
    return OfficerAssignment.objects.filter(election=election, user=user).select_related("polling_place").first()


def place_scope(user, election):
    """(may use every polling place, the assignment or None).

    Superusers, coordinators and officers without an assignment may use every polling place.
    """
    if user is not None and user.is_superuser:
        return True, None
    assignment = officer_assignment(user, election)
    return assignment is None or assignment.all_places, assignment


def officer_places(user, election):
    """The polling places the user may use in this election's poll book, in display order."""
    places = election.polling_places.order_by("sort_order", "name")
    everywhere, assignment = place_scope(user, election)
    if everywhere:
        return list(places)
    return list(places.filter(pk=assignment.polling_place_id)) if assignment.polling_place_id else []


def place_refusal(user, election, place):
    """Why the user may not use the poll book at this polling place, or None.

    Only the place is checked here; that the user is an officer at all is the views' job.
    """
    everywhere, assignment = place_scope(user, election)
    if everywhere or assignment.polling_place_id == place.pk:
        return None
    if assignment.polling_place_id is None:
        return _(
            "Du er ikke tildelt et valgsted ved dette valg, så du kan ikke bruge valgbogen for %(place)s. "
            "Bed valgsekretariatet om at tildele dig et valgsted."
        ) % {"place": place.name}
    return _(
        "Du er valgstyrer på %(own)s og kan ikke bruge valgbogen for %(place)s. "
        "Bed valgsekretariatet om at flytte dig, hvis du skal arbejde på et andet valgsted."
    ) % {"own": assignment.polling_place.name, "place": place.name}


def check_place(election, place, user):
    refusal = place_refusal(user, election, place)
    if refusal:
        raise WrongPlace(refusal)


def needs_mfa(user):
    return settings.MEDBORGER_ADMIN_REQUIRES_MFA and not user.has_mfa


def refusal_response(request, election, allowed, title, mfa_warning=None):
    """None if a signed-in user who is ``allowed`` has two-factor set up, else the response to send:
    the poll book's 403 page (its breadcrumb ``title``) or the way to two-factor setup."""
    if not allowed:
        return render(
            request,
            "elections/pollbook/forbidden.html",
            {"election": election, "breadcrumbs": [{"title": title}]},
            status=403,
        )
    if needs_mfa(request.user):
        if mfa_warning:
            messages.warning(request, mfa_warning)
        return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
    return None


def officer_required(view):
    """Load the election and check the user is one of its officers (or a superuser)."""

    @wraps(view)
    def wrapper(request, election_id, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        election = get_object_or_404(ElectionPage, pk=election_id)
        refusal = refusal_response(
            request,
            election,
            is_officer(request.user, election),
            _("Valgbog"),
            mfa_warning=_(
                "Valgbogen viser oplysninger fra valglisten, så du skal opsætte tofaktorgodkendelse først. "
                "Åbn en godkendelsesapp, scan QR-koden og indtast koden fra appen."
            ),
        )
        return refusal or view(request, election, *args, **kwargs)

    return wrapper
