"""The trustees' key ceremony and their partial decryptions, as the server sees them.

The secretariat appoints ``election.trustee_count`` trustees; with the last one the setup
({election, threshold, trustees}) is fixed. Each trustee, logged in with the email they were
appointed under, then runs three steps in their own browser (election-trustee.js): **key** (the
key file is downloaded, only the public key and its proof are sent), **dealing** (once every key is
in), **confirmation** (once every dealing is in). When every trustee has confirmed, the election
public key exists and voting can open. After the close each trustee may send a partial decryption
of the homomorphic totals; any ``threshold`` of them give the count.

Every message is checked here with ``elections.protocol`` before it is stored, and refused with
a Danish message naming what failed. Nothing secret ever reaches the server.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext as _

from . import protocol
from .errors import CeremonyError
from .models import BallotBox, ElectionPage, Trustee
from .protocol import decryption as pdecryption
from .protocol import trustees as ptrustees

MAX_MESSAGE_BYTES = 512 * 1024


class Step:
    SETUP = "setup"  # not every trustee is appointed yet
    KEY = "key"
    DEALING = "dealing"
    CONFIRMATION = "confirmation"
    WAIT = "wait"  # the others have not finished the previous step
    READY = "ready"  # the election key exists; nothing to do until voting closes
    DECRYPTION = "decryption"
    DONE = "done"


def box_of(election):
    return BallotBox.objects.filter(election=election).first()


def appoint(election, name, email, user=None):
    """Appoint the next trustee; with the last one the ceremony's setup is fixed."""
    with transaction.atomic():
        current = ElectionPage.objects.select_for_update().get(pk=election.pk)
        box, _created = BallotBox.objects.get_or_create(election=current)
        if box.setup:
            raise CeremonyError(_("Alle valgtillidsfolk er udpeget, og nøgleceremonien er i gang."))
        if current.voting_opened_at:
            raise CeremonyError(_("Afstemningen er allerede åbnet."))
        if Trustee.objects.filter(election=current, email__iexact=email).exists():
            raise CeremonyError(_("Der er allerede en valgtillidsperson med den e-mailadresse."))
        index = Trustee.objects.filter(election=current).count() + 1
        trustee = Trustee.objects.create(election=current, index=index, name=name, email=email.lower())
        if index == current.trustee_count:
            box.setup = protocol.new_setup(current.pk, current.trustee_threshold, current.trustee_count)
            box.save(update_fields=["setup"])
        current.log(
            "trustee.appoint",
            user,
            _("Valgtillidsperson nr. %(index)s er udpeget.") % {"index": index},
            index=index,
        )
        return trustee


def trustee_for(election, user):
    """The trustee the logged-in ``user`` is, by a *verified* email address of the account, or None.

    Verified matters: anyone may sign up with a trustee's address, but cannot confirm it.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    emails = {email.lower() for email in verified}
    if not emails:
        return None
    return Trustee.objects.filter(election=election, email__in=emails).first()


def _all(election):
    return list(Trustee.objects.filter(election=election).order_by("index"))


def step_of(election, trustee, box=None, trustees=None):
    """What ``trustee`` is asked to do now (a ``Step``)."""
    box = box if box is not None else box_of(election)
    if box is None or not box.setup:
        return Step.SETUP
    trustees = trustees if trustees is not None else _all(election)
    for field, step in (("key_message", Step.KEY), ("dealing", Step.DEALING), ("confirmation", Step.CONFIRMATION)):
        if getattr(trustee, field) is None:
            return step
        if any(getattr(t, field) is None for t in trustees):
            return Step.WAIT
    if box.totals is None:
        return Step.READY
    if trustee.partial_decryption is None and not election.counted_at:
        return Step.DECRYPTION
    return Step.DONE


def inputs_for(election, step, trustee, box=None, trustees=None):
    """The public data the trustee's browser needs for ``step`` (goes into a json_script element)."""
    box = box if box is not None else box_of(election)
    trustees = trustees if trustees is not None else _all(election)
    if step == Step.KEY:
        return {"setup": box.setup, "index": trustee.index}
    if step == Step.DEALING:
        return {"setup": box.setup, "keys": [t.key_message for t in trustees]}
    if step == Step.CONFIRMATION:
        return {
            "setup": box.setup,
            "keys": [t.key_message for t in trustees],
            "dealings": [t.dealing for t in trustees],
        }
    if step == Step.DECRYPTION:
        return {"election": box.params, "totals": box.totals}
    return None


def _parse(text):
    if not isinstance(text, str) or not text or len(text) > MAX_MESSAGE_BYTES:
        raise CeremonyError(_("Beskeden fra din browser mangler eller er for stor. Prøv igen."))
    try:
        return protocol.loads(text.encode())
    except (ValueError, protocol.encoding.NotCanonical) as error:
        raise CeremonyError(_("Beskeden fra din browser kunne ikke læses. Prøv igen.")) from error


def submit(election, trustee, step, text, user=None):
    """Check trustee's message for ``step`` and store it; the last confirmation makes the election key."""
    message = _parse(text)
    with transaction.atomic():
        box = BallotBox.objects.select_for_update().get(election=election)
        current = ElectionPage.objects.get(pk=election.pk)
        trustees = _all(current)
        me = next(t for t in trustees if t.pk == trustee.pk)
        if step_of(current, me, box, trustees) != step:
            raise CeremonyError(_("Det trin er ikke muligt nu. Indlæs siden igen."))
        setup = box.setup
        try:
            if step == Step.KEY:
                ptrustees.check_key(setup, message, me.index)
                me.key_message = message
            elif step == Step.DEALING:
                keys = ptrustees.check_keys(setup, [t.key_message for t in trustees])
                ptrustees.check_dealing(setup, keys, message, me.index)
                me.dealing = message
            elif step == Step.CONFIRMATION:
                keys = ptrustees.check_keys(setup, [t.key_message for t in trustees])
                dealings = [t.dealing for t in trustees]
                commitments = ptrustees.check_dealings(setup, keys, dealings)
                ptrustees.check_confirmation(setup, dealings, commitments, message, me.index)
                me.confirmation = message
            elif step == Step.DECRYPTION:
                _public, keys = ptrustees.check_record(box.record)
                totals = pdecryption.decode_totals(box.totals, len(box.params["candidates"]))
                pdecryption.check_partial_decryption(box.params, keys, totals, message)
                me.partial_decryption = message
            else:
                raise CeremonyError(_("Det trin er ikke muligt nu. Indlæs siden igen."))
        except (ptrustees.SetupError, pdecryption.DecryptionError) as error:
            raise CeremonyError(
                _("Beskeden blev afvist, fordi beviset ikke holder (%(reason)s). Er det den rigtige nøglefil?")
                % {"reason": error.reason}
            ) from error
        me.user = user if getattr(user, "is_authenticated", False) else me.user
        me.save()
        field = {
            Step.KEY: "key_message",
            Step.DEALING: "dealing",
            Step.CONFIRMATION: "confirmation",
            Step.DECRYPTION: "partial_decryption",
        }[step]
        current.log(
            f"trustee.{step}",
            user,
            _("Valgtillidsperson nr. %(index)s: %(step)s.") % {"index": me.index, "step": step},
            index=me.index,
        )
        trustees = [me if t.pk == me.pk else t for t in trustees]
        if step == Step.CONFIRMATION and all(t.confirmation is not None for t in trustees):
            record, public_key = protocol.assemble(
                setup,
                [t.key_message for t in trustees],
                [t.dealing for t in trustees],
                [t.confirmation for t in trustees],
            )
            box.record, box.public_key = record, public_key
            box.save(update_fields=["record", "public_key"])
            current.log("trustees.key", user, _("Valgnøglen er dannet af valgtillidsfolkene."), public_key=public_key)
        return getattr(me, field)


def partial_decryptions(election):
    """The stored partial decryptions (each checked when it was sent), in trustee order."""
    return [t.partial_decryption for t in _all(election) if t.partial_decryption is not None]
