"""The election page: settings, seat groups, the derived status and every lifecycle step.

Each irreversible step is a method (``freeze_roll``, ``close_nominations``, ``open_voting``,
``close``, ``count``, ``publish_results``, ``appoint``) that takes the election's row lock,
sets a timestamp and writes the audit log (``election.log()``).
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet

from core.models import StateFieldsMixin
from core.translated_pages import TranslatablePageMixin
from councils.models import Membership, SeatGroup

from .. import crypto, protocol
from ..errors import AlreadyVoted, BallotRefused, ElectionError, VotingClosed
from ..permissions import can_manage_election
from ..protocol import group as g
from .audit import AuditLogEntry
from .ballots import BallotBox
from .nominations import Candidate
from .paper import PaperTally
from .results import CandidateResult, TallyResult
from .roll import Voter
from .tally import compute_tally
from .trustees import Trustee

MAX_TRUSTEES = 9


def _encrypts_zero(params, ballot, indices, outside):
    """True if the revealed randomness ``outside`` ({index: r}) shows every choice at ``indices`` encrypts 0.

    A voter restricted to their own group reveals the randomness of the other groups' choices
    (which must be 0, so nothing secret is revealed); it is checked here and never stored.
    """
    try:
        revealed = protocol.loads(outside) if isinstance(outside, str | bytes) else outside
        if not isinstance(revealed, dict) or set(revealed) != {str(i) for i in indices}:
            return False
        key = g.decode_point(params["public_key"])
        for index in indices:
            r = g.decode_scalar(revealed[str(index)])
            choice = ballot["choices"][index]
            if g.base_mul(r) != g.decode_point(choice["alpha"]) or g.mul(key, r) != g.decode_point(choice["beta"]):
                return False
    except (ValueError, KeyError, TypeError, IndexError, g.InvalidEncoding):
        return False
    return True


def refusal_message(code):
    """The Danish message for a ballot the protocol refuses (``BallotRejected.code``); nothing was stored."""
    messages = {
        "election": _(
            "Stemmesedlen er lavet til et andet valg eller med en anden valgnøgle. Din stemme er ikke afgivet."
        ),
        "choice_proof": _(
            "Stemmesedlen blev afvist: den viser ikke, at hver kandidat har fået 0 eller 1 stemme. "
            "Din stemme er ikke afgivet."
        ),
        "overall_proof": _(
            "Stemmesedlen blev afvist: den viser ikke, at du har stemt på det tilladte antal kandidater. "
            "Din stemme er ikke afgivet."
        ),
        "choice_count": _("Stemmesedlen har ikke én krypteret markering pr. kandidat. Din stemme er ikke afgivet."),
        "copy": _("Stemmesedlen er en kopi af en anden stemmeseddel. Din stemme er ikke afgivet."),
        "group": _("Du kan kun stemme på kandidater i din egen gruppe. Din stemme er ikke afgivet."),
    }
    return messages.get(
        code, _("Stemmesedlen kunne ikke læses. Din stemme er ikke afgivet. Indlæs siden og prøv igen.")
    )


class Stage(models.TextChoices):
    """Where an election is in its lifecycle, derived by ``ElectionPage.stage_at`` – the one place every
    view, guard and label asks. In lifecycle order; the label is what the public pages show."""

    NOT_OPEN = "not_open", _("Afstemningen er ikke åbnet")
    NOMINATING = "nominating", _("Kandidatanmeldelsen er åben")
    VOTING = "voting", _("Afstemningen er åben")
    CLOSED = "closed", _("Afstemningen er lukket")
    COUNTED = "counted", _("Stemmerne er optalt")
    PUBLISHED = "published", _("Resultatet er offentliggjort")
    UNCONTESTED = "uncontested", _("Fredsvalg – alle kandidater er valgt")


#: The stages after the polls have closed (the paper count may be entered from CLOSED on).
POLLS_CLOSED = frozenset({Stage.CLOSED, Stage.COUNTED, Stage.PUBLISHED})


class ElectionQuerySet(PageQuerySet):
    def current(self):
        """Elections whose voting has not yet closed, or closed within the last 60 days."""
        return self.filter(voting_closes_at__gte=timezone.now() - timezone.timedelta(days=60))

    def voting_open(self):
        """The elections whose ``stage`` is VOTING, as a query (tested to agree with ``stage_at``)."""
        now = timezone.now()
        return self.filter(
            uncontested=False,
            counted_at__isnull=True,
            published_at__isnull=True,
            voting_opened_at__isnull=False,
            closed_at__isnull=True,
            voting_opens_at__lte=now,
            voting_closes_at__gt=now,
        )


class ElectionPage(TranslatablePageMixin, StateFieldsMixin, Page):
    """An election to a council. Settings are edited as a page; the lifecycle is run by methods.

    The lifecycle fields are ``state_fields``: no revision carries them, so publishing an
    earlier draft (in the middle of voting, say) changes none of them.
    """

    # Editors translate these through »Oversættelser« (core.translated_pages).
    translatable_fields = ("title", "seo_title", "search_description", "intro", "eligibility_text")

    intro = RichTextField(_("introduktion"), blank=True, features=["bold", "italic", "link", "ul"])
    eligibility_text = RichTextField(
        _("hvem kan stemme og stille op"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Fx bopæl i kommunen, 18 år på valgdagen og oprindelse fra et af de nævnte lande."),
    )
    seats = models.PositiveSmallIntegerField(
        _("pladser"), default=1, help_text=_("Antal medlemmer der vælges (bruges når der ikke er pladsgrupper).")
    )
    substitutes = models.PositiveSmallIntegerField(_("suppleanter"), default=0)
    group_voting_restricted = models.BooleanField(
        _("vælgere kan kun stemme i egen gruppe"),
        default=False,
        help_text=_("Kræver at valglisten har en kolonne med gruppe."),
    )
    nominations_open_at = models.DateTimeField(_("kandidatanmeldelse åbner"), null=True, blank=True)
    nominations_close_at = models.DateTimeField(_("kandidatanmeldelse lukker"), null=True, blank=True)
    voting_opens_at = models.DateTimeField(_("afstemningen åbner"))
    voting_closes_at = models.DateTimeField(_("afstemningen lukker"))
    election_day = models.DateField(_("valgdag"), null=True, blank=True)
    endorsers_required = models.PositiveSmallIntegerField(_("antal stillere"), default=0)
    endorse_once = models.BooleanField(_("en vælger kan kun være stiller for én kandidat"), default=True)
    minimum_age = models.PositiveSmallIntegerField(_("mindstealder på valgdagen"), default=18)
    term_start = models.DateField(_("valgperiode start"), null=True, blank=True)
    term_end = models.DateField(_("valgperiode slut"), null=True, blank=True)
    trustee_count = models.PositiveSmallIntegerField(
        _("antal valgtillidsfolk"),
        default=3,
        help_text=_("Valgtillidsfolkene danner valgnøglen sammen; ingen af dem kan alene læse en stemme."),
    )
    trustee_threshold = models.PositiveSmallIntegerField(
        _("valgtillidsfolk der skal til for at tælle op"),
        default=2,
        help_text=_("Så mange af valgtillidsfolkene skal være med til optællingen; de andre kan være fraværende."),
    )
    officers_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("valgstyrere (brugergruppe)"),
        help_text=_("Brugere i denne gruppe kan bruge valgbogen på valgstederne."),
    )

    # Lifecycle: each set once by a method that writes the audit log.
    roll_frozen_at = models.DateTimeField(_("valglisten låst"), null=True, blank=True, editable=False)
    roll_fingerprint = models.CharField(_("valglistens fingeraftryk"), max_length=64, blank=True, editable=False)
    nominations_closed_at = models.DateTimeField(_("kandidatlisten lukket"), null=True, blank=True, editable=False)
    uncontested = models.BooleanField(_("fredsvalg"), default=False, editable=False)
    voting_opened_at = models.DateTimeField(_("afstemningen åbnet"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("afstemningen afsluttet"), null=True, blank=True, editable=False)
    counted_at = models.DateTimeField(_("stemmerne optalt"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("resultatet offentliggjort"), null=True, blank=True, editable=False)
    appointed_at = models.DateTimeField(_("udpegning registreret"), null=True, blank=True, editable=False)

    objects = PageManager.from_queryset(ElectionQuerySet)()

    state_fields = (
        "roll_frozen_at",
        "roll_fingerprint",
        "nominations_closed_at",
        "uncontested",
        "voting_opened_at",
        "closed_at",
        "counted_at",
        "published_at",
        "appointed_at",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("eligibility_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("seats"), FieldPanel("substitutes")]),
                FieldPanel("group_voting_restricted"),
            ],
            heading=_("Pladser"),
        ),
        InlinePanel("groups", label=_("Pladsgrupper")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("nominations_open_at"), FieldPanel("nominations_close_at")]),
                FieldRowPanel([FieldPanel("endorsers_required"), FieldPanel("endorse_once")]),
                FieldPanel("minimum_age"),
            ],
            heading=_("Kandidatanmeldelse"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")]),
                FieldPanel("election_day"),
                FieldPanel("officers_group"),
            ],
            heading=_("Afstemning"),
        ),
        FieldRowPanel(
            [FieldPanel("trustee_count"), FieldPanel("trustee_threshold")], heading=_("Valgnøgle og valgtillidsfolk")
        ),
        InlinePanel("polling_places", label=_("Valgsteder")),
        FieldRowPanel([FieldPanel("term_start"), FieldPanel("term_end")], heading=_("Valgperiode")),
    ]
    parent_page_types = ["councils.CouncilPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("valg")
        verbose_name_plural = _("valg")

    def clean(self):
        super().clean()
        errors = {}
        if self.voting_opens_at and self.voting_closes_at and self.voting_closes_at <= self.voting_opens_at:
            errors["voting_closes_at"] = _("Afstemningen skal lukke efter den åbner.")
        nominations_set = self.nominations_open_at and self.nominations_close_at
        if nominations_set and self.nominations_close_at <= self.nominations_open_at:
            errors["nominations_close_at"] = _("Kandidatanmeldelsen skal lukke efter den åbner.")
        if self.nominations_close_at and self.voting_opens_at and self.nominations_close_at > self.voting_opens_at:
            errors["nominations_close_at"] = _("Kandidatanmeldelsen skal lukke før afstemningen åbner.")
        if not 1 <= (self.trustee_count or 0) <= MAX_TRUSTEES:
            errors["trustee_count"] = _("Vælg mellem 1 og %(max)s valgtillidsfolk.") % {"max": MAX_TRUSTEES}
        elif not 1 <= (self.trustee_threshold or 0) <= self.trustee_count:
            errors["trustee_threshold"] = _("Tallet skal være mellem 1 og antallet af valgtillidsfolk.")
        if self.pk and not errors.get("trustee_count") and not errors.get("trustee_threshold"):
            box = BallotBox.objects.filter(election_id=self.pk).exclude(setup=None).first()
            if box and (box.setup["trustees"], box.setup["threshold"]) != (self.trustee_count, self.trustee_threshold):
                errors["trustee_count"] = _("Valgtillidsfolkene er udpeget; antallet kan ikke ændres nu.")
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("Valgperioden skal slutte efter den starter.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["candidate_groups"] = self.candidates_by_group()
        context["can_manage"] = can_manage_election(request.user, self)
        context["result_rows"] = self.public_result_rows() if self.published_at else []
        return context

    @property
    def vote_path(self):
        return reverse("elections:vote", args=[self.pk])

    def candidates_by_group(self, candidates=None):
        """[(group or None, [candidates])] of the approved candidates, in ballot order."""
        if candidates is None:
            candidates = self.approved_candidates().select_related("group").order_by("name")
        candidates = list(candidates)
        if self.has_groups:
            return [(g, [c for c in candidates if c.group_id == g.pk]) for g in self.group_list]
        return [(None, candidates)]

    def public_result_rows(self):
        """The published result rows (candidate, votes, outcome), grouped like the ballot."""
        tally = TallyResult.objects.filter(election=self).first()
        if tally is None:
            return []
        rows = list(tally.rows.select_related("candidate", "group").order_by("group__sort_order", "rank"))
        if self.has_groups:
            return [(g, [r for r in rows if r.group_id == g.pk]) for g in self.group_list]
        return [(None, rows)]

    # --- derived status ---------------------------------------------------------------

    @property
    def council(self):
        return self.get_parent().specific

    @property
    def age_reference_date(self):
        """The day voters must have reached the minimum age: election day, else the last voting day."""
        if self.election_day:
            return self.election_day
        return timezone.localtime(self.voting_closes_at).date()

    @property
    def is_roll_frozen(self):
        return self.roll_frozen_at is not None

    def stage_at(self, now):
        """The election's ``Stage`` at ``now``: from the lifecycle timestamps and the configured dates."""
        if self.uncontested:
            return Stage.UNCONTESTED
        if self.published_at:
            return Stage.PUBLISHED
        if self.counted_at:
            return Stage.COUNTED
        if self.closed_at or now >= self.voting_closes_at:
            return Stage.CLOSED
        if self.voting_opened_at and now >= self.voting_opens_at:
            return Stage.VOTING
        if (
            not self.nominations_closed_at
            and self.nominations_open_at
            and self.nominations_close_at
            and self.nominations_open_at <= now < self.nominations_close_at
        ):
            return Stage.NOMINATING
        return Stage.NOT_OPEN

    @property
    def stage(self):
        return self.stage_at(timezone.now())

    @property
    def nominations_are_open(self):
        return self.stage == Stage.NOMINATING

    @property
    def is_voting_open(self):
        return self.stage == Stage.VOTING

    @property
    def polls_closed(self):
        """Voting has ended (closed by the secretariat or its period is over): no more votes of either kind."""
        return self.stage in POLLS_CLOSED

    @property
    def status_label(self):
        return self.stage.label

    @cached_property
    def group_list(self):
        return list(self.groups.all())

    @property
    def has_groups(self):
        return bool(self.group_list)

    @property
    def total_seats(self):
        if self.has_groups:
            return sum(g.seats for g in self.group_list)
        return self.seats

    def seat_rules(self):
        """[(group or None, seats, substitutes)] – the units the tally fills."""
        if self.has_groups:
            return [(g, g.seats, g.substitutes) for g in self.group_list]
        return [(None, self.seats, self.substitutes)]

    def approved_candidates(self):
        return self.candidates.filter(status=Candidate.Status.APPROVED)

    def chain_head(self):
        """The board's chain head (the genesis before the first ballot), or "" before voting opens."""
        box = BallotBox.objects.filter(election=self).first()
        return box.head if box else ""

    def ballot_candidates(self):
        """The approved candidates in ballot order (by group, then name): the order of the encrypted choices."""
        return [c for _group, candidates in self.candidates_by_group() for c in candidates]

    def election_params(self, box):
        """The election parameters every ballot is bound to (docs/election-protocol.md, section 4)."""
        return protocol.new_election(
            self.pk,
            self.title,
            [{"id": c.pk, "name": c.name, "group": c.group_id} for c in self.ballot_candidates()],
            [
                {"id": g.pk if g else None, "name": g.name if g else None, "seats": seats, "substitutes": subs}
                for g, seats, subs in self.seat_rules()
            ],
            [{"id": p.pk, "name": p.name} for p in self.polling_places.order_by("pk")],
            self.roll_fingerprint,
            box.record,
            box.public_key,
        )

    # --- audit log --------------------------------------------------------------------

    def log(self, action, user=None, message="", **data):
        """Write an audit log entry. ``data`` must hold no personal number and no voter-candidate link."""
        return AuditLogEntry.objects.create(
            election=self,
            action=action,
            user=user if (user is not None and user.is_authenticated) else None,
            message=str(message),
            data=data,
        )

    # --- lifecycle --------------------------------------------------------------------

    def _locked(self):
        """Re-read this election's row under lock so two clicks cannot both pass the checks."""
        return ElectionPage.objects.select_for_update().get(pk=self.pk)

    def _set(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)
        ElectionPage.objects.filter(pk=self.pk).update(**fields)

    def freeze_roll(self, user=None):
        """Lock the voter roll and publish its fingerprint (hash over the sorted voter keys)."""
        with transaction.atomic():
            current = self._locked()
            if current.roll_frozen_at:
                raise ElectionError(_("Valglisten er allerede låst."))
            keys = list(self.voters.values_list("voter_key", flat=True))
            if not keys:
                raise ElectionError(_("Valglisten er tom. Importér den, før den låses."))
            fingerprint = crypto.roll_fingerprint(keys)
            self._set(roll_frozen_at=timezone.now(), roll_fingerprint=fingerprint)
            self.log("roll.freeze", user, _("Valglisten er låst."), voters=len(keys), fingerprint=fingerprint)

    def close_nominations(self, user=None):
        """Close the candidate list. With no more approved candidates than seats it is a fredsvalg."""
        with transaction.atomic():
            current = self._locked()
            if current.nominations_closed_at:
                raise ElectionError(_("Kandidatlisten er allerede lukket."))
            if self.candidates.filter(status=Candidate.Status.PENDING).exists():
                raise ElectionError(_("Der er kandidater, som endnu ikke er godkendt eller afvist."))
            approved = self.approved_candidates().count()
            if self.has_groups:
                uncontested = all(
                    self.approved_candidates().filter(group=g).count() <= g.seats for g in self.group_list
                )
            else:
                uncontested = approved <= self.seats
            self._set(nominations_closed_at=timezone.now(), uncontested=uncontested)
            self.log(
                "nominations.close",
                user,
                _("Kandidatlisten er lukket (fredsvalg).") if uncontested else _("Kandidatlisten er lukket."),
                approved=approved,
                uncontested=uncontested,
            )
            if uncontested:
                compute_tally(self, user=user)
                now = timezone.now()
                self._set(counted_at=now, published_at=now)
                self.log("results.publish", user, _("Fredsvalg: alle godkendte kandidater er valgt."))

    def open_voting(self, user=None):
        with transaction.atomic():
            current = self._locked()
            if current.voting_opened_at:
                raise ElectionError(_("Afstemningen er allerede åbnet."))
            if not current.roll_frozen_at:
                raise ElectionError(_("Valglisten skal låses, før afstemningen kan åbne."))
            if not current.nominations_closed_at:
                raise ElectionError(_("Kandidatlisten skal lukkes, før afstemningen kan åbne."))
            if current.uncontested:
                raise ElectionError(_("Der er fredsvalg, så der skal ikke stemmes."))
            if timezone.now() >= current.voting_closes_at:
                raise ElectionError(_("Afstemningsperioden er allerede slut."))
            box = BallotBox.objects.select_for_update().filter(election=self).first()
            if box is None or not box.public_key:
                raise ElectionError(
                    _(
                        "Valgnøglen mangler: alle valgtillidsfolk skal have dannet deres nøgledel, "
                        "før afstemningen kan åbne."
                    )
                )
            box.params = self.election_params(box)
            box.fingerprint = protocol.fingerprint(box.params)
            box.head = protocol.genesis(box.fingerprint)
            box.count = 0
            box.save(update_fields=["params", "fingerprint", "head", "count"])
            self._set(voting_opened_at=timezone.now())
            self.log("voting.open", user, _("Afstemningen er åbnet."), fingerprint=box.fingerprint, head=box.head)

    def close(self, user=None):
        """End voting (online and paper). The chain head is then final and published."""
        with transaction.atomic():
            current = self._locked()
            if not current.voting_opened_at:
                raise ElectionError(_("Afstemningen er ikke åbnet."))
            if current.closed_at:
                raise ElectionError(_("Afstemningen er allerede afsluttet."))
            self._set(closed_at=timezone.now())
            box = BallotBox.objects.select_for_update().get(election=self)
            box.totals = protocol.encode_totals(box.stored_totals())
            box.save(update_fields=["totals"])
            self.log("voting.close", user, _("Afstemningen er afsluttet."), chain_head=box.head, ballots=box.count)

    def count(self, user=None):
        """Compute the tally from the stored ballots and the confirmed paper counts."""

        with transaction.atomic():
            current = self._locked()
            if not current.closed_at:
                raise ElectionError(_("Afstemningen skal afsluttes, før der kan tælles op."))
            if current.published_at:
                raise ElectionError(_("Resultatet er allerede offentliggjort."))
            missing = [p.name for p in self.polling_places.all() if not p.has_confirmed_tally]
            if missing and self.voters.filter(voted_channel=Voter.Channel.PAPER).exists():
                raise ElectionError(
                    _("Optællingen af papirstemmer mangler at blive bekræftet for: %(places)s.")
                    % {"places": ", ".join(missing)}
                )
            decrypted = Trustee.objects.filter(election=self, partial_decryption__isnull=False).count()
            if decrypted < self.trustee_threshold:
                raise ElectionError(
                    _("%(needed)s valgtillidsfolk skal have dekrypteret optællingen; %(done)s har gjort det.")
                    % {"needed": self.trustee_threshold, "done": decrypted}
                )
            result = compute_tally(self, user=user)
            self._set(counted_at=timezone.now())
            self.log("tally.count", user, _("Stemmerne er optalt."), seed=result.seed, chain_head=result.chain_head)
            return result

    def publish_results(self, user=None):
        with transaction.atomic():
            current = self._locked()
            if not current.counted_at:
                raise ElectionError(_("Stemmerne skal tælles op, før resultatet kan offentliggøres."))
            if current.published_at:
                raise ElectionError(_("Resultatet er allerede offentliggjort."))
            self._set(published_at=timezone.now())
            self.log("results.publish", user, _("Resultatet er offentliggjort."))

    def appoint(self, user=None, start_date=None, end_date=None):
        """Record the municipal council's appointment: create the council's memberships from the result."""
        with transaction.atomic():
            current = self._locked()
            if not current.published_at:
                raise ElectionError(_("Resultatet skal offentliggøres, før udpegningen registreres."))
            if current.appointed_at:
                raise ElectionError(_("Udpegningen er allerede registreret."))
            council = self.council
            start = start_date or self.term_start or timezone.localdate()
            end = end_date or self.term_end
            if end and end < start:
                raise ElectionError(_("Valgperioden skal slutte efter den starter."))
            group_name = str(_("Direkte valgte medlemmer"))
            seat_group = SeatGroup.objects.filter(council=council, name=group_name).first()
            if seat_group is None:
                seat_group = SeatGroup.objects.create(council=council, name=group_name, minimum=0, maximum=0)
            # The new appointment replaces the sitting directly elected members: their term ends the day
            # before the new one starts (instead of the seat group growing beyond its seats).
            day_before = start - timezone.timedelta(days=1)
            ended = (
                Membership.objects.filter(council=council, seat_group=seat_group, origin=Membership.Origin.ELECTED)
                .current(start)
                .filter(start_date__lt=start)
                .update(end_date=day_before)
            )
            created = []
            results = (
                CandidateResult.objects.filter(tally__election=self)
                .exclude(outcome=CandidateResult.Outcome.NOT_ELECTED)
                .select_related("candidate")
                .order_by("outcome", "rank")
            )
            for row in results:
                role = (
                    Membership.Role.MEMBER
                    if row.outcome == CandidateResult.Outcome.ELECTED
                    else (Membership.Role.SUBSTITUTE)
                )
                created.append(
                    Membership.objects.create(
                        council=council,
                        person_name=row.candidate.name,
                        role=role,
                        seat_group=seat_group,
                        origin=Membership.Origin.ELECTED,
                        nominating_organisation=row.candidate.group.name if row.candidate.group_id else "",
                        start_date=start,
                        end_date=end,
                    )
                )
            elected = sum(1 for m in created if m.role == Membership.Role.MEMBER)
            if seat_group.maximum < elected:
                seat_group.maximum = elected
                seat_group.save(update_fields=["maximum"])
            self._set(appointed_at=timezone.now())
            self.log(
                "appoint",
                user,
                _("Kommunalbestyrelsens udpegning er registreret."),
                members=elected,
                substitutes=len(created) - elected,
                ended=ended,
                start=start.isoformat(),
                end=end.isoformat() if end else None,
            )
            return created

    # --- voting -----------------------------------------------------------------------

    def outside_indices(self, params, voter):
        """The ballot positions a group-restricted voter may not vote for (other groups' candidates)."""
        if not (self.group_voting_restricted and voter.group_id):
            return []
        return [
            i for i, c in enumerate(params["candidates"]) if c["group"] is not None and c["group"] != voter.group_id
        ]

    def cast_ballot(self, voter_id, ballot, outside=None):
        """Check an encrypted ballot, then mark the voter as having voted online and store it, in one transaction.

        ``ballot`` is the JSON text (or object) the voter's browser made. Every proof is checked
        with ``elections.protocol`` before anything is written; a ballot that fails raises
        ``BallotRefused`` with a Danish message, and nothing is stored. The roll entry is locked and
        flipped by ``Voter.mark_voted`` – the same operation a poll-book check-in uses – so two
        simultaneous casts, or a cast and a check-in, can never both succeed. Returns the stored
        ``Ballot`` (its ``tracker`` and ``chain`` – the board head after it – are the receipt).
        """
        box = BallotBox.objects.filter(election=self).first()
        if box is None or not box.params:
            raise VotingClosed(_("Afstemningen er ikke åben. Din stemme er ikke afgivet."))
        try:
            if isinstance(ballot, str | bytes):
                ballot = protocol.parse_ballot(ballot.encode() if isinstance(ballot, str) else ballot)
            verdict = protocol.verify_ballot(box.params, ballot)
        except protocol.BallotRejected as rejected:
            raise BallotRefused(refusal_message(rejected.code), rejected.code) from rejected
        if not verdict.ok:
            raise BallotRefused(refusal_message(verdict.code), verdict.code)
        alphas = protocol.ballot_alphas(ballot)
        if len(set(alphas)) != len(alphas):
            raise BallotRefused(refusal_message("copy"), "copy")
        voter = Voter.objects.filter(pk=voter_id, election=self).first()
        restricted = self.outside_indices(box.params, voter) if voter else []
        if restricted and not _encrypts_zero(box.params, ballot, restricted, outside):
            raise BallotRefused(refusal_message("group"), "group")
        try:
            with transaction.atomic():
                voter = Voter.objects.locked_for_voting(self, voter_id)
                election = ElectionPage.objects.get(pk=self.pk)
                if not election.is_voting_open:
                    raise VotingClosed(_("Afstemningen er lukket. Din stemme er ikke afgivet."))
                if voter.voted_channel:
                    raise AlreadyVoted(_("Du har allerede stemt ved dette valg. Du kan kun stemme én gang."))
                voter.mark_voted(Voter.Channel.ONLINE)
                return BallotBox.objects.append(self, ballot, verdict.ballot_hash)
        except IntegrityError as error:
            raise BallotRefused(refusal_message("copy"), "copy") from error

    def paper_counts(self, params):
        """The confirmed paper counts as the board has them: [{"place", "votes": [per candidate], "invalid"}]."""
        order = [c["id"] for c in params["candidates"]]
        out = []
        for tally in PaperTally.objects.filter(election=self, confirmed_at__isnull=False).prefetch_related("lines"):
            votes = {line.candidate_id: line.votes for line in tally.lines.all()}
            out.append(
                {
                    "place": tally.polling_place_id,
                    "votes": [votes.get(pk, 0) for pk in order],
                    "invalid": tally.invalid_votes,
                }
            )
        return sorted(out, key=lambda count: count["place"])

    def find_voter_by_poll_card(self, code, birth_date):
        """The roll entry for a poll-card code + birth date, or None. Compares keyed hashes only."""
        if not crypto.normalise_code(code):
            return None
        voter = self.voters.filter(poll_card_code_hash=crypto.poll_card_hash(self.pk, code)).first()
        if voter is None or voter.birth_date != birth_date:
            return None
        return voter


class ElectionGroup(Orderable):
    """A seat group (e.g. one minority group): its own seats and substitutes; a candidate stands in one."""

    election = ParentalKey(ElectionPage, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("navn"), max_length=200)
    code = models.CharField(
        _("kode i valglisten"), max_length=40, blank=True, help_text=_("Bruges i valglistens kolonne »gruppe«.")
    )
    seats = models.PositiveSmallIntegerField(_("pladser"), default=1)
    substitutes = models.PositiveSmallIntegerField(_("suppleanter"), default=0)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldRowPanel([FieldPanel("seats"), FieldPanel("substitutes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("pladsgruppe")
        verbose_name_plural = _("pladsgrupper")

    def __str__(self):
        return self.name
