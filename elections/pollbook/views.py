"""The poll book's pages: the officers' home, a polling place (look-up and check-in), the paper
count, and the secretariat's officers page. Views stay thin: the steps are in ``checkin``,
``counting`` and ``officers``; who may do what is in ``access``, when in ``rules``."""

import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.templatetags.dkfds import prepare as prepare_form

from ..errors import NoteRequired, PollBookError, WrongPlace
from ..models import ElectionPage, OfficerAssignment, PaperTally, PollingPlace, Voter
from ..permissions import can_manage_election
from .access import (
    is_officer,
    officer_group_for,
    officer_places,
    officer_required,
    place_refusal,
    place_scope,
    refusal_response,
)
from .checkin import check_in, find_voters, voter_status
from .counting import ballot_candidates, confirm_paper_count, enter_paper_count, tally_fingerprint
from .forms import AddOfficerForm, CardLookupForm, ChangePlaceForm, ConfirmCountForm, NameLookupForm, PaperCountForm
from .officers import (
    assign_place,
    assignment_code,
    assignment_label,
    officer_label,
    place_choice,
    placed_message,
    same_place,
)
from .rules import check_in_refusal, count_refusal


def _crumbs(election, place=None, last=None):
    crumbs = [{"title": election.title, "url": election.url} if election.live else {"title": election.title}]
    home = reverse("elections:pollbook", args=[election.pk])
    if place is None:
        crumbs.append({"title": _("Valgbog")})
        return crumbs
    crumbs.append({"title": _("Valgbog"), "url": home})
    if last is None:
        crumbs.append({"title": place.name})
    else:
        crumbs.append({"title": place.name, "url": reverse("elections:pollbook_place", args=[election.pk, place.pk])})
        crumbs.append({"title": last})
    return crumbs


@officer_required
def pollbook_home(request, election):
    everywhere, assignment = place_scope(request.user, election)
    if not everywhere and assignment.polling_place_id:
        # An officer at one polling place has nothing to choose: straight to their place.
        return redirect("elections:pollbook_place", election.pk, assignment.polling_place_id)
    places = officer_places(request.user, election)
    voters = Voter.objects.filter(election=election).order_by()
    # Two grouped counts rather than one join over both relations (rolls have many thousands of rows).
    roll_sizes = dict(voters.values_list("polling_place").annotate(n=Count("pk")))
    checked_in = dict(
        voters.filter(checked_in_place__isnull=False).values_list("checked_in_place").annotate(n=Count("pk"))
    )
    tallies = {t.polling_place_id: t for t in PaperTally.objects.filter(election=election)}
    for place in places:
        place.roll_size = roll_sizes.get(place.pk, 0)
        place.checked_in = checked_in.get(place.pk, 0)
        place.tally = tallies.get(place.pk)
    return render(
        request,
        "elections/pollbook/home.html",
        {
            "election": election,
            "places": places,
            "coordinator": everywhere and not request.user.is_superuser,
            "unassigned": not everywhere,
            "check_in_refusal": check_in_refusal(election),
            "count_refusal": count_refusal(election),
            "can_manage": can_manage_election(request.user, election),
            "breadcrumbs": _crumbs(election),
        },
    )


def _place(election, place_id):
    return get_object_or_404(PollingPlace, pk=place_id, election=election)


def at_own_place(view):
    """For the views of one polling place (``place_id`` in the URL): the place of this election, and
    the wrong-place page (403) when the officer is not assigned to it. The view gets the place."""

    @functools.wraps(view)
    def wrapper(request, election, place_id, *args, **kwargs):
        place = _place(election, place_id)
        refusal = place_refusal(request.user, election, place)
        if refusal:
            return _wrong_place(request, election, place, refusal)
        return view(request, election, place, *args, **kwargs)

    return wrapper


def _wrong_place(request, election, place, message):
    """403 for a polling place the officer is not assigned to, with the reason and a way back."""
    return render(
        request,
        "elections/pollbook/wrong_place.html",
        {
            "election": election,
            "place": place,
            "message": message,
            "own_places": officer_places(request.user, election),
            "breadcrumbs": _crumbs(election, place),
        },
        status=403,
    )


def _place_context(election, place):
    return {
        "election": election,
        "place": place,
        "roll_size": place.voters.count(),
        "checked_in": Voter.objects.filter(election=election, checked_in_place=place).count(),
        "check_in_refusal": check_in_refusal(election),
        "count_refusal": count_refusal(election),
        "tally": PaperTally.objects.filter(election=election, polling_place=place).first(),
        "breadcrumbs": _crumbs(election, place),
    }


@officer_required
@at_own_place
def pollbook_place(request, election, place):
    card_form, name_form = CardLookupForm(prefix="kort"), NameLookupForm(prefix="navn")
    results = None
    if request.method == "POST":
        if request.POST.get("lookup") == "name":
            form = name_form = NameLookupForm(request.POST, prefix="navn")
        else:
            form = card_form = CardLookupForm(request.POST, prefix="kort")
        if form.is_valid():
            results = [(voter, *voter_status(voter, place)) for voter in find_voters(election, form)]
    context = _place_context(election, place)
    context.update(
        {"card_form": card_form, "name_form": name_form, "results": results, "searched": results is not None}
    )
    return render(request, "elections/pollbook/place.html", context)


@require_POST
@officer_required
@at_own_place
def pollbook_check_in(request, election, place, voter_id):
    voter = get_object_or_404(Voter, pk=voter_id, election=election)
    try:
        check_in(election, voter.pk, place, request.user)
    except WrongPlace as error:  # reassigned since the check above
        return _wrong_place(request, election, place, str(error))
    except PollBookError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s er tjekket ind. Giv vælgeren en stemmeseddel.") % {"name": voter.name},
        )
    return redirect("elections:pollbook_place", election.pk, place.pk)


@officer_required
@at_own_place
def pollbook_count(request, election, place):
    candidates = ballot_candidates(election)
    form = confirm_form = None
    if request.method == "POST" and request.POST.get("action") == "confirm":
        confirm_form = ConfirmCountForm(request.POST)
        if confirm_form.is_valid():
            data = confirm_form.cleaned_data
            try:
                confirm_paper_count(election, place, request.user, data["fingerprint"], data["note"])
            except WrongPlace as error:
                return _wrong_place(request, election, place, str(error))
            except NoteRequired as error:
                confirm_form.add_error("note", str(error))
            except PollBookError as error:
                confirm_form.add_error(None, str(error))
            else:
                messages.success(request, _("Optællingen for %(place)s er bekræftet.") % {"place": place.name})
                return redirect("elections:pollbook_count", election.pk, place.pk)
    elif request.method == "POST":
        form = PaperCountForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                data = form.cleaned_data
                enter_paper_count(election, place, request.user, form.votes(), data["invalid_votes"], data["note"])
            except WrongPlace as error:
                return _wrong_place(request, election, place, str(error))
            except PollBookError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Optællingen er gemt. En anden valgstyrer skal nu bekræfte den."))
                return redirect("elections:pollbook_count", election.pk, place.pk)

    election.refresh_from_db()
    tally = (
        PaperTally.objects.filter(election=election, polling_place=place)
        .select_related("entered_by", "confirmed_by")
        .first()
    )
    refusal = count_refusal(election)
    may_edit = refusal is None and not (tally and tally.is_confirmed)
    may_confirm = (
        refusal is None
        and tally is not None
        and not tally.is_confirmed
        and tally.entered_by_id is not None
        and tally.entered_by_id != request.user.pk
    )
    for bound, allowed in ((form, may_edit), (confirm_form, may_confirm)):
        if bound is not None and not allowed:
            # Refused outright (confirmed meanwhile, own count, polls not closed): say why, show the page.
            for error in bound.non_field_errors() or [refusal or _("Optællingen er bekræftet og kan ikke ændres.")]:
                messages.error(request, error)
            return redirect("elections:pollbook_count", election.pk, place.pk)

    lines = {line.candidate_id: line.votes for line in tally.lines.all()} if tally else {}
    tally_rows = [(c, lines.get(c.pk, 0)) for c in candidates] if tally else []
    if may_edit and form is None:
        initial = {}
        if tally is not None:
            initial = {PaperCountForm.field_name(c): n for c, n in tally_rows}
            initial.update(invalid_votes=tally.invalid_votes, note=tally.note)
        form = PaperCountForm(initial=initial, candidates=candidates)
    if may_confirm:
        fingerprint = tally_fingerprint(tally)
        if confirm_form is None:
            confirm_form = ConfirmCountForm(initial={"fingerprint": fingerprint, "note": tally.note})
        else:
            # The numbers shown now are what a second click confirms.
            confirm_form.data = confirm_form.data.copy()
            confirm_form.data["fingerprint"] = fingerprint
        # A difference must be explained, so the note is then not optional (confirm_paper_count enforces it).
        confirm_form.fields["note"].required = bool(tally.mismatch)
    if form is not None:
        prepare_form(form)  # design-system classes and aria links; the template lays the fields out
    context = _place_context(election, place)
    context.update(
        {
            "form": form,
            "confirm_form": confirm_form,
            "tally": tally,
            "tally_rows": tally_rows,
            "own_count": tally is not None and tally.entered_by_id == request.user.pk,
            "breadcrumbs": _crumbs(election, place, _("Optælling")),
        }
    )
    return render(request, "elections/pollbook/count.html", context)


def _manage_refusal(request, election):
    """None if the user may manage the election's officers, else the response to send."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return refusal_response(request, election, can_manage_election(request.user, election), _("Valgstyrere"))


def pollbook_officers(request, election_id):
    """The secretariat adds and removes the election's officers and chooses the polling place of each."""
    election = get_object_or_404(ElectionPage, pk=election_id)
    refusal = _manage_refusal(request, election)
    if refusal is not None:
        return refusal
    group = officer_group_for(election)
    places = list(election.polling_places.order_by("sort_order", "name"))
    form = AddOfficerForm(places=places)
    bound_change = None  # (officer pk, invalid ChangePlaceForm) to show again with its error
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("remove", "place"):
        user_id = request.POST.get("user", "")
        officer = group.user_set.filter(pk=int(user_id)).first() if user_id.isdigit() else None
        if officer is None:
            return redirect("elections:pollbook_officers", election.pk)
        current = OfficerAssignment.objects.filter(election=election, user=officer).select_related("polling_place")
        current = current.first()
        if action == "remove":
            with transaction.atomic():
                group.user_set.remove(officer)
                OfficerAssignment.objects.filter(election=election, user=officer).delete()
                election.log(
                    "pollbook.officer.remove",
                    request.user,
                    _("Valgstyrer fjernet: %(officer)s") % {"officer": officer.email},
                    officer=officer.email,
                    place=assignment_code(current),
                )
            messages.success(
                request, _("%(officer)s er ikke længere valgstyrer.") % {"officer": officer_label(officer)}
            )
            return redirect("elections:pollbook_officers", election.pk)
        change = ChangePlaceForm(request.POST, places=places, prefix=f"o{officer.pk}")
        if change.is_valid():
            place = change.polling_place
            if same_place(current, place):
                messages.info(request, placed_message(officer, current, already=True))
                return redirect("elections:pollbook_officers", election.pk)
            with transaction.atomic():
                previous, assignment = assign_place(election, officer, place, request.user)
                election.log(
                    "pollbook.officer.place",
                    request.user,
                    _("Valgsted ændret for valgstyrer %(officer)s: fra %(previous)s til %(place)s")
                    % {
                        "officer": officer.email,
                        "previous": assignment_label(previous),
                        "place": assignment_label(assignment),
                    },
                    officer=officer.email,
                    place=assignment_code(assignment),
                    previous=assignment_code(previous),
                )
            messages.success(request, placed_message(officer, assignment))
            return redirect("elections:pollbook_officers", election.pk)
        bound_change = (officer.pk, change)
    elif request.method == "POST":
        form = AddOfficerForm(request.POST, places=places)
        if form.is_valid():
            user_model = get_user_model()
            officer = user_model.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
            if officer is None:
                form.add_error(
                    "email",
                    _("Der er ingen konto med den e-mail. Bed valgstyreren om at oprette en konto først."),
                )
            elif group.user_set.filter(pk=officer.pk).exists():
                form.add_error(
                    "email",
                    _("%(officer)s er allerede valgstyrer. Skift valgstedet i listen ovenfor.")
                    % {"officer": officer.email},
                )
            else:
                with transaction.atomic():
                    group.user_set.add(officer)
                    _previous, assignment = assign_place(election, officer, form.polling_place, request.user)
                    election.log(
                        "pollbook.officer.add",
                        request.user,
                        _("Valgstyrer tilføjet: %(officer)s, %(place)s")
                        % {"officer": officer.email, "place": assignment_label(assignment)},
                        officer=officer.email,
                        place=assignment_code(assignment),
                    )
                messages.success(request, placed_message(officer, assignment))
                return redirect("elections:pollbook_officers", election.pk)

    assignments = {
        a.user_id: a for a in OfficerAssignment.objects.filter(election=election).select_related("polling_place")
    }
    officers = []
    for user in group.user_set.order_by("email"):
        assignment = assignments.get(user.pk)
        if bound_change and bound_change[0] == user.pk:
            change = bound_change[1]
        else:
            change = ChangePlaceForm(places=places, prefix=f"o{user.pk}", initial={"place": place_choice(assignment)})
        officers.append(
            {
                "user": user,
                "label": officer_label(user),
                "place": assignment_label(assignment),
                "unassigned": assignment is None or not (assignment.all_places or assignment.polling_place_id),
                "form": change,
            }
        )
    crumbs = _crumbs(election)[:-1] + [{"title": _("Valgstyrere")}]
    return render(
        request,
        "elections/pollbook/officers.html",
        {
            "election": election,
            "group": group,
            "officers": officers,
            "change_errors": bound_change[1] if bound_change else None,
            "form": form,
            "is_officer": is_officer(request.user, election),
            "breadcrumbs": crumbs,
        },
    )
