"""Public election views: nomination, online voting, results, verification. Views stay thin."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit import ALL
from django_ratelimit.core import get_usage, is_ratelimited

from core import throttle
from core.csp import add_to_policy
from core.tabular import csv_response
from core.views import ratelimited
from users import mitid

from . import protocol, voting
from .errors import BallotRefused
from .forms import NominationForm, PollCardForm
from .models import AlreadyVoted, Ballot, Candidate, ElectionError, ElectionPage, Stage, TallyResult
from .models.tally import COUNT_KEYS, published_board
from .permissions import can_manage_election
from .results import result_data, results_csv_rows

# Refused casts (no valid poll-card step, a ballot whose proofs fail …) per client address.
CAST_REFUSAL_RATE = "30/m"

# The nomination just submitted in this session, for the thank-you page's endorsement link.
NOMINATED_SESSION_KEY = "elections.nominated"


def election_index(request):
    elections = ElectionPage.objects.live().public().order_by("-voting_closes_at")
    return render(
        request, "elections/election_index.html", {"elections": elections, "breadcrumbs": [{"title": _("Valg")}]}
    )


def _election(pk):
    return get_object_or_404(ElectionPage.objects.live().public(), pk=pk)


def _crumbs(election, title):
    return [
        {"title": _("Valg"), "url": reverse("elections:index")},
        {"title": election.title, "url": election.url},
        {"title": title},
    ]


def _limited(request, group, rate):
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)


def _refusals_exceeded(request, group, rate, increment=False):
    """Refused attempts from this client address (``rate``, e.g. 20/m); only refusals count.

    Voters behind one address (a library's or a language school's network, a mobile operator's
    NAT) each log in and cast once: counting their successes would refuse the 21st of them in a
    minute. A guesser's attempts are refusals, so they are still held to ``rate``.
    """
    usage = get_usage(request, group=group, key="ip", rate=rate, method=ALL, increment=increment)
    return usage is not None and usage["count"] >= usage["limit"]


# --- Nomination -------------------------------------------------------------------------


def nominate(request, pk):
    election = _election(pk)
    context = {"election": election, "breadcrumbs": _crumbs(election, _("Stil op som kandidat"))}
    if not election.nominations_are_open:
        return render(request, "elections/nomination_closed.html", context)
    if request.method == "POST":
        if _limited(request, "elections.nominate", settings.ELECTION_NOMINATION_RATE):
            return ratelimited(request)
        form = NominationForm(request.POST, request.FILES, election=election)
        if form.is_valid():
            candidate = form.save(language=getattr(request, "LANGUAGE_CODE", None))
            if candidate is not None:
                request.session[NOMINATED_SESSION_KEY] = str(candidate.endorse_token)
                return redirect("elections:nominate_done", pk=election.pk)
    else:
        form = NominationForm(election=election)
    context["form"] = form
    return render(request, "elections/nominate.html", context)


def nominate_done(request, pk):
    election = _election(pk)
    token = request.session.get(NOMINATED_SESSION_KEY)
    candidate = Candidate.objects.filter(election=election, endorse_token=token).first() if token else None
    return render(
        request,
        "elections/nominate_done.html",
        {
            "election": election,
            "endorse_url": request.build_absolute_uri(candidate.get_endorse_url()) if candidate else "",
            "endorse_with_mitid": mitid.is_configured(),
            "breadcrumbs": _crumbs(election, _("Kandidatanmeldelse modtaget")),
        },
    )


def _endorse_failures_exceeded(request, election, candidate, increment=False):
    """Wrong poll cards on one nomination's page, counted per client address and per nomination
    (which an attacker cannot rotate); only failures count, so a crowd of real endorsers is never
    refused."""
    per_client = is_ratelimited(
        request, group="elections.endorse.client", key="ip", rate="20/h", method=ALL, increment=increment
    )
    per_nomination = is_ratelimited(
        request,
        group="elections.endorse.nomination",
        key=lambda _group, _request: f"{election.pk}:{candidate.pk}",
        rate="30/h",
        method=ALL,
        increment=increment,
    )
    return per_client or per_nomination


def endorse(request, pk, token):
    """An endorser confirms a nomination with their own poll card or, when a broker is configured,
    by logging in with MitID; every failure gets one answer."""
    election = _election(pk)
    candidate = get_object_or_404(Candidate, election=election, endorse_token=token, status=Candidate.Status.PENDING)
    if not election.endorsers_required:
        raise Http404
    title = _("Bekræft, at du er stiller")
    context = {"election": election, "candidate": candidate, "breadcrumbs": _crumbs(election, title)}
    if not election.nominations_are_open:
        return render(request, "elections/nomination_closed.html", context)
    with_mitid = request.method == "POST" and request.POST.get("way") == "mitid"
    form = PollCardForm(request.POST if request.method == "POST" and not with_mitid else None)
    if request.method == "POST":
        if _endorse_failures_exceeded(request, election, candidate):
            return ratelimited(request)
        if with_mitid:
            _endorse_with_mitid(request, election, candidate, context)
        elif form.is_valid():
            voter = election.find_voter_by_poll_card(form.cleaned_data["code"], form.cleaned_data["birth_date"])
            if voter is None:
                _endorse_failures_exceeded(request, election, candidate, increment=True)
                form.add_error(
                    None, _("Vi kunne ikke bekræfte dig som stiller. Tjek koden og fødselsdatoen fra dit valgkort.")
                )
            else:
                context["endorsed"] = _record_endorsement(candidate, voter, form.add_error)
    context["form"] = form
    _mitid_context(request, candidate, context)
    return render(request, "elections/endorse.html", context)


def _record_endorsement(candidate, voter, refuse):
    """``candidate.endorse(voter)``; a refusal (already endorser, enough endorsers …) goes to ``refuse``."""
    try:
        candidate.endorse(voter)
    except ElectionError as error:
        refuse(None, str(error))
        return False
    return True


def _endorse_with_mitid(request, election, candidate, context):
    """The MitID way: the roll entry whose keyed hash is this session's MitID login's (users.mitid).

    The endorsement is stored exactly as the poll card's (``Candidate.endorse``: the voter key, no
    account, no MitID pseudonym); the keyed hash is forgotten once it has been used."""
    errors = context["mitid_errors"] = []
    key = mitid.mitid_voter_key(request)
    if key is None:
        _endorse_failures_exceeded(request, election, candidate, increment=True)
        errors.append(_("Vi kunne ikke se et gyldigt login med MitID. Log ind med MitID igen for at bekræfte."))
        return
    voter = election.voters.filter(voter_key=key).first()
    if voter is None:
        _endorse_failures_exceeded(request, election, candidate, increment=True)
        errors.append(
            _(
                "Du står ikke på valglisten til dette valg, så du kan ikke være stiller. "
                "Kontakt sekretariatet, hvis det er en fejl."
            )
        )
        return
    context["endorsed"] = _record_endorsement(candidate, voter, lambda _field, message: errors.append(message))
    if context["endorsed"]:
        mitid.forget_mitid_voter_key(request)


def _mitid_context(request, candidate, context):
    """What the endorse page shows of MitID: nothing without a broker; the confirm button after a login."""
    context["mitid_login_url"] = mitid.login_url(candidate.get_endorse_url())
    if context["mitid_login_url"]:
        context["mitid_ready"] = mitid.mitid_voter_key(request) is not None
        context["mitid_stale"] = not context["mitid_ready"] and bool(mitid.session_level(request))


def candidate_photo(request, pk):
    candidate = get_object_or_404(Candidate.objects.select_related("election"), pk=pk)
    public = candidate.status == Candidate.Status.APPROVED and candidate.election.live
    if not candidate.photo or not (public or can_manage_election(request.user, candidate.election)):
        raise Http404
    return FileResponse(candidate.photo.open("rb"))


# --- Voting -----------------------------------------------------------------------------


def _refuse(request, election, title, message, status=200):
    return render(
        request,
        "elections/vote_refused.html",
        {"election": election, "title": title, "message": message, "breadcrumbs": _crumbs(election, title)},
        status=status,
    )


def _closed(request, election):
    if election.stage == Stage.UNCONTESTED:
        message = _("Der er fredsvalg: alle godkendte kandidater er valgt, så der skal ikke stemmes.")
    elif election.polls_closed:
        message = _("Afstemningen er lukket. Der kan ikke længere afgives stemmer.")
    else:
        message = _("Afstemningen er ikke åben endnu.")
    return _refuse(request, election, _("Afstemningen er ikke åben"), message, status=403)


def _already_voted(request, election):
    return _refuse(
        request,
        election,
        _("Du har allerede stemt"),
        _("Du har allerede stemt ved dette valg. Man kan kun stemme én gang, og din stemme er ikke ændret."),
        status=403,
    )


def with_ballot_csp(response):
    """Pages that run the protocol's scripts: libsodium is WebAssembly, so the site's policy gets
    'wasm-unsafe-eval' (WebAssembly compilation only: no eval, nothing inline)."""
    return add_to_policy(response, {"script-src": ["'wasm-unsafe-eval'"]})


def vote(request, pk):
    """Step 1: poll-card code and birth date."""
    election = _election(pk)
    if not election.is_voting_open:
        return _closed(request, election)
    form = PollCardForm(request.POST or None)
    if request.method == "POST":
        if _refusals_exceeded(request, "elections.vote", settings.ELECTION_POLL_CARD_RATE):
            return ratelimited(request)
        voter = None
        address = voting.client_address(request)
        wait = voting.seconds_to_wait(election, address) if form.is_valid() else 0
        if wait:
            form.add_error(None, throttle.wait_message(wait))  # not checked, not counted
        elif form.is_valid():
            voter = voting.authenticate(election, form.cleaned_data["code"], form.cleaned_data["birth_date"], address)
            if voter is None:
                form.add_error(None, voting.LOGIN_FAILED)
        if voter is not None:
            if voter.has_voted:
                return _already_voted(request, election)
            return voting.start_session(request, redirect("elections:ballot", pk=election.pk), election, voter)
        if not wait:
            _refusals_exceeded(request, "elections.vote", settings.ELECTION_POLL_CARD_RATE, increment=True)
    return render(
        request,
        "elections/vote_login.html",
        {"election": election, "form": form, "breadcrumbs": _crumbs(election, _("Stem"))},
    )


def _voter_or_refusal(request, election):
    box = getattr(election, "ballot_box", None)
    if not election.is_voting_open or box is None or not box.params:
        return None, _closed(request, election)
    voter = voting.session_voter(request, election)
    if voter is None:
        messages.info(request, _("Start med koden fra dit valgkort."))
        return None, redirect("elections:vote", pk=election.pk)
    if voter.has_voted:
        return None, _already_voted(request, election)
    return voter, None


def _ballot_page(request, election, voter, error="", status=200):
    """The ballot: the browser encrypts the choice (election-ballot.js); only the ciphertext is posted."""
    params = election.ballot_box.params
    index = {c["id"]: i for i, c in enumerate(params["candidates"])}
    groups = []
    for group, candidates in election.candidates_by_group():
        if election.group_voting_restricted and voter.group_id and group and group.pk != voter.group_id:
            continue
        groups.append((group, [(index[c.pk], c) for c in candidates if c.pk in index]))
    response = render(
        request,
        "elections/ballot.html",
        {
            "election": election,
            "params": params,
            "candidate_groups": groups,
            "outside": election.outside_indices(params, voter),
            "error": error,
            "breadcrumbs": _crumbs(election, _("Stemmeseddel")),
        },
        status=status,
    )
    return with_ballot_csp(response)


def ballot(request, pk):
    """Step 2: the ballot page (encryption and the optional audit happen in the browser)."""
    election = _election(pk)
    voter, refusal = _voter_or_refusal(request, election)
    if refusal:
        return refusal
    return _ballot_page(request, election, voter)


@require_POST
def cast(request, pk):
    """Step 3: cast the encrypted ballot. The proofs are checked before anything is stored."""
    election = _election(pk)
    if _refusals_exceeded(request, "elections.cast", CAST_REFUSAL_RATE):
        return ratelimited(request)
    voter, refusal = _voter_or_refusal(request, election)
    if refusal:
        _refusals_exceeded(request, "elections.cast", CAST_REFUSAL_RATE, increment=True)
        return refusal
    try:
        stored = election.cast_ballot(voter.pk, request.POST.get("ballot", ""), request.POST.get("outside", "")[:8192])
    except AlreadyVoted:
        _refusals_exceeded(request, "elections.cast", CAST_REFUSAL_RATE, increment=True)
        return _already_voted(request, election)
    except BallotRefused as error:
        _refusals_exceeded(request, "elections.cast", CAST_REFUSAL_RATE, increment=True)
        return _ballot_page(request, election, voter, error=str(error), status=400)
    except ElectionError as error:
        _refusals_exceeded(request, "elections.cast", CAST_REFUSAL_RATE, increment=True)
        return _refuse(request, election, _("Stemmen blev ikke afgivet"), str(error), status=403)
    return voting.finish_session(redirect("elections:receipt", pk=election.pk), election, stored)


def receipt(request, pk):
    """The receipt, shown once: the tracker and the board head after this ballot (from a signed cookie)."""
    election = _election(pk)
    data = voting.receipt_data(request, election)
    if data is None:
        return redirect(election.url)
    response = render(
        request,
        "elections/receipt.html",
        {
            "election": election,
            "tracker": data["tracker"],
            "head": data["head"],
            "breadcrumbs": _crumbs(election, _("Kvittering")),
        },
    )
    response["Cache-Control"] = "no-store"
    return voting.forget_receipt(response, election)


# --- Results and verification ------------------------------------------------------------


def _published(pk):
    election = _election(pk)
    tally = TallyResult.objects.filter(election=election).first()
    if not election.published_at or tally is None:
        raise Http404
    return election, tally


def results(request, pk):
    election, tally = _published(pk)
    data = result_data(election, tally)
    return render(
        request,
        "elections/results.html",
        {"election": election, "tally": tally, "data": data, "breadcrumbs": _crumbs(election, _("Resultat"))},
    )


def results_csv(request, pk):
    election, tally = _published(pk)
    return csv_response(results_csv_rows(election, tally), f"resultat-{election.slug}.csv")


def results_json(request, pk):
    election, tally = _published(pk)
    data = result_data(election, tally, for_json=True)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="resultat-{election.slug}.json"'
    return response


def board_data(election):
    """The board anyone may download now: the final board once the result is published, the voting board
    (every ballot, no totals) from the close until then, else None."""
    if not election.polls_closed:
        return None
    board = published_board(election)
    if board is not None and not election.published_at and board["stage"] == "final":
        board = published_board_without_count(board)
    return board


def published_board_without_count(board):
    return {key: value for key, value in board.items() if key not in COUNT_KEYS} | {"stage": "voting"}


def board_json(request, pk):
    """The public board (docs/election-protocol.md, section 7) as canonical JSON, for the verifier."""
    election = _election(pk)
    board = board_data(election)
    if board is None:
        raise Http404
    response = HttpResponse(protocol.dump_board(board), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="opslagstavle-{election.slug}.json"'
    return response


def head_json(request, pk):
    """The board head and ballot count, published continuously while voting runs (observers keep copies)."""
    election = _election(pk)
    box = getattr(election, "ballot_box", None)
    if box is None or not box.params:
        raise Http404
    box.refresh_from_db(fields=["head", "count"])
    response = JsonResponse(box.head_snapshot())
    response["Cache-Control"] = "no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def verification(request, pk):
    election = _election(pk)
    box = getattr(election, "ballot_box", None) if election.voting_opened_at else None
    trackers = Ballot.objects.none()
    found = None
    query = request.GET.get("kode", "").strip().upper()[:20]
    show_trackers = bool(election.polls_closed and box)
    if show_trackers:
        trackers = Ballot.objects.filter(election=election).order_by("tracker").values_list("tracker", flat=True)
        if query:
            found = Ballot.objects.filter(election=election, tracker=query).exists()
    page = Paginator(trackers, 500).get_page(request.GET.get("side"))
    return render(
        request,
        "elections/verification.html",
        {
            "election": election,
            "box": box,
            "chain_head": box.head if box else "",
            "trackers": page,
            "show_trackers": show_trackers,
            "board_available": show_trackers,
            "query": query,
            "found": found,
            "tally": TallyResult.objects.filter(election=election).first() if election.published_at else None,
            "breadcrumbs": _crumbs(election, _("Kontrol af valget")),
        },
    )
