"""The poll book (valgbog) for polling-place officers (valgstyrere).

On election day an officer chooses their polling place, looks a voter up by the number on
the poll card (or the code on it), or by name and birth date, and checks them in. A check-in
marks the roll entry as having voted on paper in one transaction under a row lock, through
the same conditional update as online casting, so a person who voted online cannot be
checked in and a checked-in person cannot vote online. After the polls close, one officer
enters the paper count for the place and a second, different officer confirms it; the count
is reconciled against the check-ins at the place and a difference must be explained in a
note. A confirmed count cannot be changed. Every step writes the election's audit log.

Who: members of the election's officer group (``ElectionPage.officers_group``, created as
»Valgstyrer: <election>« by ``officer_group_for``) and superusers. The pages show names and
birth dates from the roll, so when ``MEDBORGER_ADMIN_REQUIRES_MFA`` is on, officers must
have set up two-factor authentication, as staff must for the admin.

Where: the secretariat assigns each officer to the polling place they serve at, or to all
places (a coordinator), on the officers page (``OfficerAssignment``). An officer sees only
their own place, and ``check_in``, ``enter_paper_count`` and ``confirm_paper_count`` refuse
any other place (``place_refusal``). A group member without an assignment – added before
places were assigned, or straight into the group in the admin – counts as a coordinator, so
existing officers keep working; the officers page shows them as not yet assigned. Superusers
may use every place.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.templatetags.dkfds import prepare as prepare_form

from . import crypto
from .models import (
    ElectionError,
    ElectionPage,
    OfficerAssignment,
    PaperTally,
    PaperTallyLine,
    PollingPlace,
    Voter,
)
from .permissions import can_manage_election
from .pollbook_forms import (
    ALL_PLACES,
    AddOfficerForm,
    CardLookupForm,
    ChangePlaceForm,
    ConfirmCountForm,
    NameLookupForm,
    PaperCountForm,
)

OFFICER_GROUP_PREFIX = "Valgstyrer: "
GROUP_NAME_MAX_LENGTH = 150
LOOKUP_LIMIT = 20


class PollBookError(ElectionError):
    """A poll-book step that is not allowed; the message is Danish and shown to the officer."""


class NoteRequired(PollBookError):
    """The paper count differs from the check-ins and nobody has explained why."""


class WrongPlace(PollBookError):
    """The officer is assigned to another polling place than the one they tried to use."""


# --- Who may use the poll book -------------------------------------------------------------


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


def _check_place(election, place, user):
    refusal = place_refusal(user, election, place)
    if refusal:
        raise WrongPlace(refusal)


def needs_mfa(user):
    return settings.MEDBORGER_ADMIN_REQUIRES_MFA and not user.has_mfa


def _refusal(request, election, allowed, title, mfa_warning=None):
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
        refusal = _refusal(
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


# --- When ----------------------------------------------------------------------------------


def polls_closed(election, now=None):
    now = now or timezone.now()
    return bool(election.closed_at) or now >= election.voting_closes_at


def check_in_refusal(election):
    """Why voters cannot be checked in now, or None."""
    now = timezone.now()
    if polls_closed(election, now):
        return _("Afstemningen er lukket. Der kan ikke tjekkes flere vælgere ind.")
    if not election.voting_opened_at or now < election.voting_opens_at:
        return _("Afstemningen er ikke åbnet endnu. Der kan ikke tjekkes vælgere ind.")
    if election.election_day and timezone.localdate(now) != election.election_day:
        return _("Vælgere kan kun tjekkes ind på valgstedet på valgdagen, %(day)s.") % {
            "day": date_format(election.election_day, "DATE_FORMAT")
        }
    return None


def count_refusal(election):
    """Why the paper count cannot be entered or confirmed now, or None."""
    if not election.voting_opened_at:
        return _("Afstemningen er ikke åbnet, så der er ingen stemmer at tælle op.")
    if not polls_closed(election):
        return _("Optællingen kan først indtastes, når afstemningen er lukket.")
    if election.counted_at:
        return _("Valget er optalt. Optællingerne af papirstemmer kan ikke ændres.")
    return None


# --- Check-in ------------------------------------------------------------------------------


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

    The roll entry is locked and flips from not-voted to paper through a conditional update
    (as ``ElectionPage.cast_ballot`` flips it to online), so a check-in and an online vote
    for the same person can never both succeed.
    """
    with transaction.atomic():
        _check_place(election, place, user)
        voter = Voter.objects.select_for_update().get(pk=voter_id, election=election)
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
        now = timezone.now()
        flipped = Voter.objects.filter(pk=voter.pk, voted_channel="").update(
            voted_channel=Voter.Channel.PAPER, checked_in_at=now, checked_in_by=user, checked_in_place=place
        )
        if flipped != 1:
            raise PollBookError(_("%(name)s har allerede stemt.") % {"name": voter.name})
        election.log(
            "pollbook.checkin",
            user,
            _("Vælger med valgkort %(number)s tjekket ind på %(place)s.")
            % {"number": voter.card_number, "place": place.name},
            place=place.code,
            card_number=voter.card_number,
        )
        voter.voted_channel, voter.checked_in_at, voter.checked_in_place = Voter.Channel.PAPER, now, place
        return voter


# --- Paper count ---------------------------------------------------------------------------


def ballot_candidates(election):
    return list(election.approved_candidates().select_related("group").order_by("group__sort_order", "name", "pk"))


def tally_fingerprint(tally):
    """A short hash over the numbers, so a confirmation applies to exactly the numbers shown."""
    lines = sorted((line.candidate_id, line.votes) for line in tally.lines.all())
    text = f"{tally.pk}|{tally.invalid_votes}|" + ";".join(f"{c}:{v}" for c, v in lines)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _lock_place(election, place):
    return PollingPlace.objects.select_for_update().get(pk=place.pk, election=election)


def enter_paper_count(election, place, user, votes, invalid_votes, note=""):
    """Store (or correct, until confirmed) the paper count of a polling place. ``votes``: {candidate id: n}."""
    with transaction.atomic():
        _check_place(election, place, user)
        _lock_place(election, place)
        current = ElectionPage.objects.get(pk=election.pk)
        refusal = count_refusal(current)
        if refusal:
            raise PollBookError(refusal)
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
        _check_place(election, place, user)
        _lock_place(election, place)
        current = ElectionPage.objects.get(pk=election.pk)
        refusal = count_refusal(current)
        if refusal:
            raise PollBookError(refusal)
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


# --- Views ---------------------------------------------------------------------------------


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
def pollbook_place(request, election, place_id):
    place = _place(election, place_id)
    refusal = place_refusal(request.user, election, place)
    if refusal:
        return _wrong_place(request, election, place, refusal)
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
def pollbook_check_in(request, election, place_id, voter_id):
    place = _place(election, place_id)
    refusal = place_refusal(request.user, election, place)
    if refusal:
        return _wrong_place(request, election, place, refusal)
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
def pollbook_count(request, election, place_id):
    place = _place(election, place_id)
    refusal = place_refusal(request.user, election, place)
    if refusal:
        return _wrong_place(request, election, place, refusal)
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


# --- Officers, managed by the secretariat --------------------------------------------------


def _officer_label(user):
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


def _manage_refusal(request, election):
    """None if the user may manage the election's officers, else the response to send."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _refusal(request, election, can_manage_election(request.user, election), _("Valgstyrere"))


def _assignment_label(assignment):
    """Where an officer serves, for the officers page, messages and the audit log."""
    if assignment is None:
        return _("Alle valgsteder (ikke tildelt)")
    if assignment.all_places:
        return _("Alle valgsteder (koordinator)")
    if assignment.polling_place_id:
        return assignment.polling_place.name
    return _("Intet valgsted (valgstedet er slettet)")


def _assignment_code(assignment):
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


def _choice(assignment):
    """The assignment as a value of the place chooser ("" = not chosen yet)."""
    if assignment is None:
        return ""
    if assignment.all_places:
        return ALL_PLACES
    return str(assignment.polling_place_id) if assignment.polling_place_id else ""


def _placed_message(officer, assignment, already=False):
    values = {"officer": _officer_label(officer), "place": _assignment_label(assignment)}
    if assignment.all_places:
        if already:
            return _("%(officer)s er allerede koordinator og kan bruge valgbogen på alle valgsteder.") % values
        return _("%(officer)s er nu koordinator og kan bruge valgbogen på alle valgsteder.") % values
    if already:
        return _("%(officer)s er allerede valgstyrer på %(place)s.") % values
    return _("%(officer)s er nu valgstyrer på %(place)s.") % values


def _same_place(assignment, place):
    if assignment is None:
        return False
    if place is None:
        return assignment.all_places
    return not assignment.all_places and assignment.polling_place_id == place.pk


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
                    place=_assignment_code(current),
                )
            messages.success(
                request, _("%(officer)s er ikke længere valgstyrer.") % {"officer": _officer_label(officer)}
            )
            return redirect("elections:pollbook_officers", election.pk)
        change = ChangePlaceForm(request.POST, places=places, prefix=f"o{officer.pk}")
        if change.is_valid():
            place = change.polling_place
            if _same_place(current, place):
                messages.info(request, _placed_message(officer, current, already=True))
                return redirect("elections:pollbook_officers", election.pk)
            with transaction.atomic():
                previous, assignment = assign_place(election, officer, place, request.user)
                election.log(
                    "pollbook.officer.place",
                    request.user,
                    _("Valgsted ændret for valgstyrer %(officer)s: fra %(previous)s til %(place)s")
                    % {
                        "officer": officer.email,
                        "previous": _assignment_label(previous),
                        "place": _assignment_label(assignment),
                    },
                    officer=officer.email,
                    place=_assignment_code(assignment),
                    previous=_assignment_code(previous),
                )
            messages.success(request, _placed_message(officer, assignment))
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
                        % {"officer": officer.email, "place": _assignment_label(assignment)},
                        officer=officer.email,
                        place=_assignment_code(assignment),
                    )
                messages.success(request, _placed_message(officer, assignment))
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
            change = ChangePlaceForm(places=places, prefix=f"o{user.pk}", initial={"place": _choice(assignment)})
        officers.append(
            {
                "user": user,
                "label": _officer_label(user),
                "place": _assignment_label(assignment),
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


urlpatterns = [
    path("", pollbook_home, name="pollbook"),
    path("<int:place_id>/", pollbook_place, name="pollbook_place"),
    path("<int:place_id>/tjek-ind/<int:voter_id>/", pollbook_check_in, name="pollbook_check_in"),
    path("<int:place_id>/optaelling/", pollbook_count, name="pollbook_count"),
    path("valgstyrere/", pollbook_officers, name="pollbook_officers"),
]
