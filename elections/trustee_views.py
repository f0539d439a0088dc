"""The trustee's page: the key ceremony steps and, after the close, the partial decryption.

A trustee logs in with the email the secretariat appointed them under. The page hands the public
inputs of the current step to election-trustee.js, which makes the message in the browser (the
key file is downloaded there and read there; it is never uploaded); the server checks the message
with ``elections.protocol`` (``elections.ceremony.submit``) before storing it.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import ceremony
from .errors import CeremonyError
from .views import _crumbs, _election, _refuse, with_ballot_csp


def trustee(request, pk):
    election = _election(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    me = ceremony.trustee_for(election, request.user)
    if me is None:
        return _refuse(
            request,
            election,
            _("Ikke valgtillidsperson"),
            _(
                "Du er ikke udpeget som valgtillidsperson ved dette valg. "
                "Log ind med den e-mailadresse, du blev udpeget med."
            ),
            status=403,
        )
    box = ceremony.box_of(election)
    step = ceremony.step_of(election, me, box)
    error = ""
    if request.method == "POST":
        posted = request.POST.get("step", "")
        try:
            if posted != step:
                raise CeremonyError(_("Det trin er ikke muligt nu. Indlæs siden igen."))
            ceremony.submit(election, me, step, request.POST.get("message", ""), user=request.user)
        except CeremonyError as refused:
            error = str(refused)
        else:
            messages.success(request, _("Tak. Din besked er kontrolleret og gemt."))
            return redirect(reverse("elections:trustee", args=[election.pk]))
    trustees = list(election.trustees.order_by("index"))
    response = render(
        request,
        "elections/trustee.html",
        {
            "election": election,
            "trustee": me,
            "trustees": trustees,
            "step": step,
            "inputs": ceremony.inputs_for(election, step, me, box, trustees),
            "box": box,
            "error": error,
            "breadcrumbs": _crumbs(election, _("Valgtillidsperson")),
        },
        status=400 if error else 200,
    )
    return with_ballot_csp(response)
