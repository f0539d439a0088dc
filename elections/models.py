"""Direct elections to a council: settings, voter roll, nominations, ballots, tally, audit log.

Map for readers (and the poll-book engineer):

* ``ElectionPage`` – a Wagtail page under a ``councils.CouncilPage``. Holds the settings and
  the lifecycle timestamps. Every irreversible step is a method (``freeze_roll``,
  ``close_nominations``, ``open_voting``, ``close``, ``count``, ``publish_results``,
  ``appoint``) that sets a timestamp and writes an ``AuditLogEntry`` via ``election.log()``.
* ``ElectionGroup`` – optional seat groups, each with its own seats and substitutes.
* ``PollingPlace`` – where paper votes are cast on election day.
* ``OfficerAssignment`` – the polling place a poll-book officer serves at (or all: coordinator).
* ``Voter`` – one roll entry. Personal number only as ``voter_key`` (keyed HMAC). Rows are
  inserted in shuffled order. ``voted_channel`` says whether and how the person voted
  (deliberately no time of an online vote: it could be matched to the ballot chain order).
* ``Candidate`` / ``Endorsement`` – nominations; people identified by voter key only.
* ``BallotBox`` – one row per election holding the chain head; locked while casting.
* ``Ballot`` – one online vote: random UUID, candidate, tracker, hash-chain link. No voter
  reference, no time. Never editable in any admin view.
* ``PaperTally`` + ``PaperTallyLine`` – paper count per polling place per candidate, entered
  by one officer and confirmed by another (poll book). Only confirmed tallies are counted.
* ``TallyResult`` + ``CandidateResult`` – the count: votes per candidate, outcome, and the
  tie-break seed with the ties drawn, so anyone can repeat the draw.
* ``AuditLogEntry`` – the election's own audit log, shown to the secretariat.
* ``PollCardFailure`` – failed poll-card logins, for lockout.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet

from core.storage import private_storage

from . import crypto
from .emails import NominationApprovedEmail, NominationRejectedEmail


class ElectionError(Exception):
    """A lifecycle step or a vote that is not allowed now; the message is Danish and user-facing."""


class AlreadyVoted(ElectionError):
    pass


class VotingClosed(ElectionError):
    pass


# --- Election -------------------------------------------------------------------------


class ElectionQuerySet(PageQuerySet):
    def current(self):
        """Elections whose voting has not yet closed, or closed within the last 60 days."""
        return self.filter(voting_closes_at__gte=timezone.now() - timezone.timedelta(days=60))

    def voting_open(self):
        now = timezone.now()
        return self.filter(
            voting_opened_at__isnull=False,
            closed_at__isnull=True,
            voting_opens_at__lte=now,
            voting_closes_at__gt=now,
        )


class ElectionPage(Page):
    """An election to a council. Settings are edited as a page; the lifecycle is run by methods."""

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
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("Valgperioden skal slutte efter den starter.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from .permissions import can_manage_election

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

    @property
    def nominations_are_open(self):
        if self.nominations_closed_at or not self.nominations_open_at or not self.nominations_close_at:
            return False
        return self.nominations_open_at <= timezone.now() < self.nominations_close_at

    @property
    def is_voting_open(self):
        now = timezone.now()
        return (
            self.voting_opened_at is not None
            and self.closed_at is None
            and self.voting_opens_at <= now < self.voting_closes_at
        )

    @property
    def results_published(self):
        return self.published_at is not None

    @property
    def status_label(self):
        now = timezone.now()
        if self.uncontested:
            return _("Fredsvalg – alle kandidater er valgt")
        if self.published_at:
            return _("Resultatet er offentliggjort")
        if self.closed_at:
            return _("Afstemningen er lukket")
        if now < self.voting_opens_at:
            if self.nominations_are_open:
                return _("Kandidatanmeldelsen er åben")
            return _("Afstemningen er ikke åbnet")
        if now < self.voting_closes_at:
            if self.voting_opened_at:
                return _("Afstemningen er åben")
            return _("Afstemningen er ikke åbnet")
        return _("Afstemningen er lukket")

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
        box = BallotBox.objects.filter(election=self).first()
        return box.head if box else crypto.genesis_hash(self.pk)

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
                from .tally import compute_tally

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
            BallotBox.objects.get_or_create(election=self, defaults={"head": crypto.genesis_hash(self.pk)})
            self._set(voting_opened_at=timezone.now())
            self.log("voting.open", user, _("Afstemningen er åbnet."))

    def close(self, user=None):
        """End voting (online and paper). The chain head is then final and published."""
        with transaction.atomic():
            current = self._locked()
            if not current.voting_opened_at:
                raise ElectionError(_("Afstemningen er ikke åbnet."))
            if current.closed_at:
                raise ElectionError(_("Afstemningen er allerede afsluttet."))
            self._set(closed_at=timezone.now())
            box = BallotBox.objects.get(election=self)
            self.log("voting.close", user, _("Afstemningen er afsluttet."), chain_head=box.head, ballots=box.count)

    def count(self, user=None):
        """Compute the tally from the stored ballots and the confirmed paper counts."""
        from .tally import compute_tally

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
        from councils.models import Membership, SeatGroup

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
                start=start.isoformat(),
                end=end.isoformat() if end else None,
            )
            return created

    # --- voting -----------------------------------------------------------------------

    def cast_ballot(self, voter_id, candidate):
        """Mark the voter as having voted online and store one ballot, in one transaction.

        The voter row is locked (``select_for_update`` on PostgreSQL; on SQLite every transaction
        takes the write lock at BEGIN, see the settings) and only flips from not-voted to voted via
        a conditional update, so two simultaneous casts can never both succeed. Returns the ballot
        (its ``tracker`` is the receipt).
        """
        with transaction.atomic():
            voter = Voter.objects.select_for_update().get(pk=voter_id, election=self)
            election = ElectionPage.objects.get(pk=self.pk)
            if not election.is_voting_open:
                raise VotingClosed(_("Afstemningen er lukket. Din stemme er ikke afgivet."))
            if voter.voted_channel:
                raise AlreadyVoted(_("Du har allerede stemt ved dette valg. Du kan kun stemme én gang."))
            candidate = Candidate.objects.filter(
                pk=candidate.pk, election=self, status=Candidate.Status.APPROVED
            ).first()
            if candidate is None:
                raise ElectionError(_("Kandidaten findes ikke på stemmesedlen."))
            if not voter.may_vote_for(candidate, election):
                raise ElectionError(_("Du kan kun stemme på kandidater i din egen gruppe."))
            flipped = Voter.objects.filter(pk=voter.pk, voted_channel="").update(voted_channel=Voter.Channel.ONLINE)
            if flipped != 1:
                raise AlreadyVoted(_("Du har allerede stemt ved dette valg. Du kan kun stemme én gang."))
            box = BallotBox.objects.select_for_update().get(election=self)
            ballot = Ballot(election=self, candidate=candidate, tracker=crypto.new_tracker(), prev_hash=box.head)
            ballot.hash = crypto.ballot_hash(ballot.prev_hash, ballot.pk, candidate.pk, ballot.tracker)
            ballot.save(force_insert=True)
            BallotBox.objects.filter(pk=box.pk).update(head=ballot.hash, count=models.F("count") + 1)
            return ballot

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


class PollingPlace(Orderable):
    """A polling place for paper votes on election day. ``code`` is what the roll CSV refers to."""

    election = ParentalKey(ElectionPage, on_delete=models.CASCADE, related_name="polling_places")
    code = models.CharField(_("kode"), max_length=40, help_text=_("Kort kode, som valglisten bruger, fx »1«."))
    name = models.CharField(_("navn"), max_length=200)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    opening_hours = models.CharField(_("åbningstid"), max_length=120, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("valgsted")
        verbose_name_plural = _("valgsteder")
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="unique_polling_place_code")]

    def __str__(self):
        return self.name

    @property
    def has_confirmed_tally(self):
        return self.paper_tallies.filter(confirmed_at__isnull=False).exists()


class OfficerAssignment(models.Model):
    """Where a poll-book officer (valgstyrer) serves: one polling place, or all of them (coordinator).

    Access to the poll book comes from membership of the election's officer group; this row
    narrows it to a place. A group member without a row (added before places were assigned,
    or through the group in the admin) counts as a coordinator. ``polling_place`` empty and
    ``all_places`` off means the place was deleted: the officer then has no place until the
    secretariat assigns a new one.
    """

    election = models.ForeignKey(ElectionPage, on_delete=models.CASCADE, related_name="officer_assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("valgstyrer")
    )
    polling_place = models.ForeignKey(
        PollingPlace,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer_assignments",
        verbose_name=_("valgsted"),
    )
    all_places = models.BooleanField(_("alle valgsteder (koordinator)"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tildelt af"),
    )
    assigned_at = models.DateTimeField(_("tildelt"), auto_now=True)

    class Meta:
        verbose_name = _("valgstyrers valgsted")
        verbose_name_plural = _("valgstyreres valgsteder")
        constraints = [
            models.UniqueConstraint(fields=["election", "user"], name="one_place_assignment_per_officer"),
            models.CheckConstraint(
                condition=models.Q(all_places=False) | models.Q(polling_place__isnull=True),
                name="officer_all_places_or_one_place",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.place_label}"

    @property
    def place_label(self):
        if self.all_places:
            return _("Alle valgsteder (koordinator)")
        if self.polling_place_id:
            return self.polling_place.name
        return _("Intet valgsted")


# --- Voter roll -----------------------------------------------------------------------


class VoterQuerySet(models.QuerySet):
    def voted(self):
        return self.exclude(voted_channel="")

    def not_voted(self):
        return self.filter(voted_channel="")


class Voter(models.Model):
    """One entry on the voter roll (valgliste).

    The personal number is stored only as ``voter_key`` (HMAC with ``VOTER_ID_HMAC_KEY``);
    the address is not stored at all (it is only needed for the poll-card letters, which are
    made from the municipality's file, see ``elections.roll``). ``card_number`` is the
    non-secret number printed on the poll card (used by the poll book); ``poll_card_code_hash``
    is the keyed hash of the secret code for online voting (empty until letters are made).
    Rows are inserted in shuffled order, so ids say nothing about the municipality's file.
    ``voted_channel`` is set once, by online casting or by a poll-book check-in.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Papir på valgsted")

    election = models.ForeignKey(ElectionPage, on_delete=models.CASCADE, related_name="voters")
    voter_key = models.CharField(_("nøgle (HMAC af personnummer)"), max_length=64)
    card_number = models.PositiveIntegerField(_("valgkortnummer"))
    name = models.CharField(_("navn"), max_length=200)
    birth_date = models.DateField(_("fødselsdato"))
    polling_place = models.ForeignKey(
        PollingPlace, on_delete=models.PROTECT, related_name="voters", verbose_name=_("valgsted")
    )
    group = models.ForeignKey(
        ElectionGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="voters", verbose_name=_("gruppe")
    )
    poll_card_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    poll_card_issued_at = models.DateTimeField(_("valgkort udstedt"), null=True, blank=True)
    voted_channel = models.CharField(_("har stemt"), max_length=10, choices=Channel.choices, blank=True)
    checked_in_at = models.DateTimeField(_("tjekket ind"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_place = models.ForeignKey(
        PollingPlace, null=True, blank=True, on_delete=models.PROTECT, related_name="checked_in_voters"
    )
    locked_at = models.DateTimeField(_("spærret for onlinestemme"), null=True, blank=True)

    objects = VoterQuerySet.as_manager()

    class Meta:
        verbose_name = _("vælger")
        verbose_name_plural = _("vælgere")
        constraints = [
            models.UniqueConstraint(fields=["election", "voter_key"], name="unique_voter_key_per_election"),
            models.UniqueConstraint(fields=["election", "card_number"], name="unique_card_number_per_election"),
        ]

    def __str__(self):
        return f"{self.name} ({self.card_number})"

    @property
    def has_voted(self):
        return bool(self.voted_channel)

    def may_vote_for(self, candidate, election=None):
        election = election or self.election
        if election.group_voting_restricted and self.group_id and candidate.group_id:
            return self.group_id == candidate.group_id
        return True

    def issue_poll_card(self):
        """Give this voter a new random poll-card code; store its hash and return the plaintext once."""
        code = crypto.new_poll_card_code()
        self.poll_card_code_hash = crypto.poll_card_hash(self.election_id, code)
        self.poll_card_issued_at = timezone.now()
        self.locked_at = None
        Voter.objects.filter(pk=self.pk).update(
            poll_card_code_hash=self.poll_card_code_hash, poll_card_issued_at=self.poll_card_issued_at, locked_at=None
        )
        return code


class PollCardFailure(models.Model):
    """A failed poll-card login (wrong code or birth date) – counted for lockout, then forgotten.

    ``client_key`` is a keyed hash of the client address. Successful logins are not recorded.
    """

    election = models.ForeignKey(ElectionPage, on_delete=models.CASCADE, related_name="+")
    client_key = models.CharField(max_length=32, db_index=True)
    voter = models.ForeignKey(Voter, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mislykket valgkortlogin")
        verbose_name_plural = _("mislykkede valgkortlogin")

    def __str__(self):
        return f"{self.election_id}: {self.created_at:%Y-%m-%d %H:%M}"


# --- Nominations ----------------------------------------------------------------------


class CandidateQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Candidate.Status.APPROVED)

    def pending(self):
        return self.filter(status=Candidate.Status.PENDING)


class Candidate(models.Model):
    """A nomination (kandidatanmeldelse). ``voter_key`` is the candidate's own roll key; no clear number is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer behandling")
        APPROVED = "approved", _("Godkendt")
        REJECTED = "rejected", _("Afvist")

    election = models.ForeignKey(ElectionPage, on_delete=models.CASCADE, related_name="candidates")
    group = models.ForeignKey(
        ElectionGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("gruppe"),
    )
    name = models.CharField(_("navn"), max_length=200)
    photo = models.ImageField(_("foto"), storage=private_storage, upload_to="elections/candidates/", blank=True)
    statement = models.TextField(_("om mig"), max_length=1500)
    languages = models.CharField(_("sprog jeg taler"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Kun til sekretariatet; vises ikke."))
    language = models.CharField(
        _("sprog for e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="da",
        help_text=_("Det sprog kandidaten brugte ved anmeldelsen; e-mails til kandidaten skrives på det."),
    )
    voter_key = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("begrundelse for afvisning"), blank=True)
    decided_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("anmeldt"), auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("kandidat")
        verbose_name_plural = _("kandidater")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "voter_key"], name="unique_candidate_per_election"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.election.url + f"#kandidat-{self.pk}"

    @property
    def photo_url(self):
        if not self.photo:
            return ""
        return reverse("elections:candidate_photo", args=[self.pk])

    def _decide(self, status, rejection_reason, user, action, message, **data):
        """Set the decision under a row lock. Returns False (and changes nothing) if the status is already
        ``status`` – a double click – so the decision is logged and emailed once."""
        with transaction.atomic():
            locked = Candidate.objects.select_for_update().get(pk=self.pk)
            if locked.election.nominations_closed_at:
                raise ElectionError(_("Kandidatlisten er lukket."))
            if locked.status == status:
                self.status, self.rejection_reason = locked.status, locked.rejection_reason
                self.decided_at, self.decided_by_id = locked.decided_at, locked.decided_by_id
                return False
            self.status, self.rejection_reason = status, rejection_reason
            self.decided_at, self.decided_by = timezone.now(), user
            self.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
            self.election.log(action, user, message, **data)
            if status == self.Status.APPROVED:
                NominationApprovedEmail.send(self)
            else:
                NominationRejectedEmail.send(self, reason=rejection_reason)
        return True

    def approve(self, user=None):
        """Approve the nomination and email the candidate. False if it was already approved."""
        return self._decide(
            self.Status.APPROVED, "", user, "nomination.approve", _("Kandidat godkendt: %(name)s") % {"name": self.name}
        )

    def reject(self, reason, user=None):
        """Reject with a reason (sent verbatim to the candidate). False if it was already rejected."""
        if not (reason or "").strip():
            raise ElectionError(_("Skriv en begrundelse for afvisningen."))
        reason = reason.strip()
        return self._decide(
            self.Status.REJECTED,
            reason,
            user,
            "nomination.reject",
            _("Kandidat afvist: %(name)s") % {"name": self.name},
            reason=reason,
        )


class Endorsement(models.Model):
    """An endorser (stiller) of a candidate, identified only by voter key."""

    election = models.ForeignKey(ElectionPage, on_delete=models.CASCADE, related_name="endorsements")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="endorsements")
    voter_key = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("stiller")
        verbose_name_plural = _("stillere")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "voter_key"], name="unique_endorser_per_candidate"),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.voter_key[:8]}…"


# --- Ballots --------------------------------------------------------------------------


class BallotBox(models.Model):
    """The chain head and ballot count of one election; its row is the lock that orders the chain."""

    election = models.OneToOneField(ElectionPage, on_delete=models.CASCADE, related_name="ballot_box")
    head = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("stemmeurne")
        verbose_name_plural = _("stemmeurner")

    def __str__(self):
        return f"{self.election}: {self.count}"


class Ballot(models.Model):
    """One online vote. Secret by construction: random id, no voter reference, no timestamp.

    ``hash`` = sha256(prev_hash | id | candidate id | tracker); ``prev_hash`` is the previous
    ballot's hash (the first ballot links to ``crypto.genesis_hash(election.pk)``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(ElectionPage, on_delete=models.PROTECT, related_name="ballots")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="ballots")
    tracker = models.CharField(max_length=16)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("stemmeseddel")
        verbose_name_plural = _("stemmesedler")
        constraints = [
            models.UniqueConstraint(fields=["election", "tracker"], name="unique_tracker_per_election"),
            models.UniqueConstraint(fields=["election", "prev_hash"], name="ballot_chain_is_linear"),
        ]

    def __str__(self):
        return self.tracker

    def expected_hash(self):
        return crypto.ballot_hash(self.prev_hash, self.pk, self.candidate_id, self.tracker)


# --- Paper votes ----------------------------------------------------------------------


class PaperTally(models.Model):
    """The paper count at one polling place: entered by one officer, confirmed by another.

    ``invalid_votes`` are blank/invalid paper ballots. When the total differs from the number
    of check-ins at the place, ``note`` must explain why before it can be confirmed.
    Only confirmed tallies count in the result.
    """

    election = models.ForeignKey(ElectionPage, on_delete=models.CASCADE, related_name="paper_tallies")
    polling_place = models.ForeignKey(
        PollingPlace, on_delete=models.PROTECT, related_name="paper_tallies", verbose_name=_("valgsted")
    )
    invalid_votes = models.PositiveIntegerField(_("blanke og ugyldige"), default=0)
    note = models.TextField(_("forklaring på uoverensstemmelse"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("indtastet af")
    )
    entered_at = models.DateTimeField(_("indtastet"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bekræftet af"),
    )
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)

    class Meta:
        verbose_name = _("optælling af papirstemmer")
        verbose_name_plural = _("optællinger af papirstemmer")
        constraints = [
            models.UniqueConstraint(fields=["election", "polling_place"], name="one_paper_tally_per_place"),
        ]

    def __str__(self):
        return f"{self.election}: {self.polling_place}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def valid_votes(self):
        return sum(line.votes for line in self.lines.all())

    @property
    def total(self):
        return self.valid_votes + self.invalid_votes

    @property
    def checked_in_count(self):
        return Voter.objects.filter(election_id=self.election_id, checked_in_place_id=self.polling_place_id).count()

    @property
    def mismatch(self):
        return self.total - self.checked_in_count


class PaperTallyLine(models.Model):
    """Paper votes for one candidate at one polling place."""

    tally = models.ForeignKey(PaperTally, on_delete=models.CASCADE, related_name="lines")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="paper_lines")
    votes = models.PositiveIntegerField(_("stemmer"), default=0)

    class Meta:
        verbose_name = _("papirstemmer for kandidat")
        verbose_name_plural = _("papirstemmer for kandidater")
        constraints = [models.UniqueConstraint(fields=["tally", "candidate"], name="one_line_per_candidate")]

    def __str__(self):
        return f"{self.candidate}: {self.votes}"


# --- Tally ----------------------------------------------------------------------------


class TallyResult(models.Model):
    """The count of an election. ``seed`` = sha256("tiebreak:" + chain_head); ``ties`` records each draw.

    ``ties`` is a list of {"group", "votes", "candidates": [ids in drawn order], "lots": {id: lot}}.
    ``turnout`` holds voters, online, paper, invalid, and per polling place counts.
    """

    election = models.OneToOneField(ElectionPage, on_delete=models.CASCADE, related_name="tally")
    chain_head = models.CharField(max_length=64)
    ballot_count = models.PositiveIntegerField(default=0)
    seed = models.CharField(max_length=64)
    ties = models.JSONField(default=list)
    turnout = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("optælling")
        verbose_name_plural = _("optællinger")

    def __str__(self):
        return str(self.election)


class CandidateResult(models.Model):
    """Votes and outcome of one candidate. ``rank`` is 1-based within the candidate's group."""

    class Outcome(models.TextChoices):
        ELECTED = "elected", _("Valgt")
        SUBSTITUTE = "substitute", _("Suppleant")
        NOT_ELECTED = "not_elected", _("Ikke valgt")

    tally = models.ForeignKey(TallyResult, on_delete=models.CASCADE, related_name="rows")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(ElectionGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    online_votes = models.PositiveIntegerField(default=0)
    paper_votes = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    rank = models.PositiveIntegerField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    decided_by_lot = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("kandidatresultat")
        verbose_name_plural = _("kandidatresultater")
        ordering = ["group__sort_order", "rank"]

    def __str__(self):
        return f"{self.candidate}: {self.votes}"


# --- Audit log ------------------------------------------------------------------------


class AuditLogEntry(models.Model):
    """One step in an election's audit log. Never edited; shown read-only to the secretariat.

    Actions: roll.import, roll.freeze, pollcards.export, nomination.submit/approve/reject,
    nomination.email (an email sent to a candidate), nominations.close, voting.open,
    voting.close, tally.count, results.publish, appoint, pollbook.checkin, paper.enter,
    paper.confirm, pollbook.officer.add/remove/place (officers and the polling place each
    serves at). Online votes are not logged per voter.
    """

    election = models.ForeignKey(ElectionPage, on_delete=models.CASCADE, related_name="audit_log")
    action = models.CharField(_("handling"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bruger"),
    )
    message = models.CharField(_("beskrivelse"), max_length=500, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("logpost")
        verbose_name_plural = _("valglog")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
