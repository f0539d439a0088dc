"""Paper voting: polling places, the officers assigned to them, and the paper count per place."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .roll import Voter


class PollingPlace(Orderable):
    """A polling place for paper votes on election day. ``code`` is what the roll CSV refers to."""

    election = ParentalKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="polling_places")
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

    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="officer_assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("valgstyrer")
    )
    polling_place = models.ForeignKey(
        "elections.PollingPlace",
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


class PaperTally(models.Model):
    """The paper count at one polling place: entered by one officer, confirmed by another.

    ``invalid_votes`` are blank/invalid paper ballots. When the total differs from the number
    of check-ins at the place, ``note`` must explain why before it can be confirmed.
    Only confirmed tallies count in the result.
    """

    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="paper_tallies")
    polling_place = models.ForeignKey(
        "elections.PollingPlace", on_delete=models.PROTECT, related_name="paper_tallies", verbose_name=_("valgsted")
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

    tally = models.ForeignKey("elections.PaperTally", on_delete=models.CASCADE, related_name="lines")
    candidate = models.ForeignKey("elections.Candidate", on_delete=models.PROTECT, related_name="paper_lines")
    votes = models.PositiveIntegerField(_("stemmer"), default=0)

    class Meta:
        verbose_name = _("papirstemmer for kandidat")
        verbose_name_plural = _("papirstemmer for kandidater")
        constraints = [models.UniqueConstraint(fields=["tally", "candidate"], name="one_line_per_candidate")]

    def __str__(self):
        return f"{self.candidate}: {self.votes}"
