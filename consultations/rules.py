"""Required consultees: rules that say which bodies must be heard on what.

A rule names a consultee (a council page, or a party by name) and when it applies: by topic,
by area (a district), by issuing body and by kind of matter (every criterion that is set must
match). A rule kept by a council's secretariat (``owner``) applies to that council's hearings;
a rule without an owner is a cross-council rule, kept by administrators, and applies to every
hearing. ``mode`` says what happens when a hearing is published without the consultee on its
lists or invited: »warn« names it, »require« blocks publishing until it is added or a reason
for leaving it out is written on the hearing (``omitted_consultees_reason``); the reason is
recorded (:class:`ConsulteeOmission`, audit log) and printed in the høringsnotat.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from core.models import TimeStampedModel
from councils.models import HearingParty

from .areas import area_choices, district_name


class RuleMode(models.TextChoices):
    WARN = "warn", _("Advar")
    REQUIRE = "require", _("Kræv")


class MatterKind(models.TextChoices):
    """Kinds of matter (sagsområder); the lokaludvalg list is from the Copenhagen rules."""

    PLANNING = "planning", _("Planlægning")
    ENVIRONMENT = "environment", _("Miljø")
    HEALTH = "health", _("Sundhed")
    TRAFFIC = "traffic", _("Trafik")
    SPORT = "sport", _("Idræt")
    SCHOOL = "school", _("Skole")
    CHILDREN = "children", _("Børn")
    YOUTH = "youth", _("Unge")
    ELDERLY = "elderly", _("Ældre")
    CULTURE = "culture", _("Kultur")
    INTEGRATION = "integration", _("Integration")
    DISABILITY = "disability", _("Handicap")
    EMPLOYMENT = "employment", _("Beskæftigelse")
    OTHER = "other", _("Andet")


class ConsulteeRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class ConsulteeRule(TimeStampedModel):
    """»On matters like these, this body must be heard.«"""

    owner = models.ForeignKey(
        "councils.CouncilPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consultee_rules",
        verbose_name=_("regel for rådet"),
        help_text=_("Tom: en tværgående regel for alle høringer (kun administratorer)."),
    )
    consultee_council = models.ForeignKey(
        "councils.CouncilPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("skal høres: råd eller udvalg"),
    )
    consultee_name = models.CharField(
        _("skal høres: part"),
        max_length=200,
        blank=True,
        help_text=_("Navnet på parten, som det står på høringslisten, hvis den ikke er et råd med en side."),
    )
    topic = models.CharField(
        _("emne"), max_length=100, blank=True, help_text=_("Reglen gælder høringer med dette emne. Tom: alle emner.")
    )
    area = models.CharField(
        _("område"), max_length=40, blank=True, help_text=_("Reglen gælder høringer om denne bydel. Tom: alle områder.")
    )
    issuing_council = models.ForeignKey(
        "councils.CouncilPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("afsender"),
        help_text=_("Reglen gælder høringer fra dette råd eller udvalg. Tom: alle afsendere."),
    )
    matter_kind = models.CharField(
        _("sagsområde"),
        max_length=20,
        choices=MatterKind.choices,
        blank=True,
        help_text=_("Reglen gælder høringer om dette sagsområde. Tom: alle sagsområder."),
    )
    mode = models.CharField(_("håndhævelse"), max_length=10, choices=RuleMode.choices, default=RuleMode.REQUIRE)
    basis = models.CharField(
        _("grundlag"), max_length=255, blank=True, help_text=_("Fx »Retssikkerhedsloven § 37 a« eller en beslutning.")
    )
    active = models.BooleanField(_("aktiv"), default=True)

    objects = ConsulteeRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("regel om obligatorisk høringspart")
        verbose_name_plural = _("regler om obligatoriske høringsparter")
        ordering = ["consultee_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(consultee_council__isnull=True, consultee_name=""), name="consultee_rule_names_one"
            )
        ]

    def __str__(self):
        return f"{self.consultee} ({self.describe()})"

    def clean(self):
        super().clean()
        if not self.consultee_council_id and not self.consultee_name.strip():
            raise ValidationError({"consultee_name": _("Vælg rådet, eller skriv navnet på den part, der skal høres.")})
        if self.area and self.area not in dict(area_choices()):
            raise ValidationError({"area": _("Vælg et område fra listen.")})

    @property
    def consultee(self):
        if self.consultee_council_id:
            return self.consultee_council.title
        return self.consultee_name

    @property
    def is_cross_council(self):
        return self.owner_id is None

    def describe(self):
        """»Område: Valby · Sagsområde: Trafik« (what the rule applies to)."""
        parts = []
        if self.topic:
            parts.append(_("Emne: %(topic)s") % {"topic": self.topic})
        if self.area:
            parts.append(_("Område: %(area)s") % {"area": district_name(self.area)})
        if self.issuing_council_id:
            parts.append(_("Afsender: %(council)s") % {"council": self.issuing_council.title})
        if self.matter_kind:
            parts.append(_("Sagsområde: %(kind)s") % {"kind": self.get_matter_kind_display()})
        return " · ".join(str(p) for p in parts) or str(_("Alle høringer"))

    def describe_with_basis(self):
        """What the rule applies to and, when written, why (»Område: Valby. Grundlag: …«)."""
        if not self.basis.strip():
            return self.describe()
        basis = _("Grundlag: %(basis)s") % {"basis": self.basis.strip()}
        return f"{self.describe()}. {basis}"

    def applies_to(self, hearing, topics, issuing_council):
        if issuing_council is not None and self.consultee_council_id == issuing_council.pk:
            return False  # a council is not asked to consult itself
        if self.owner_id and (issuing_council is None or issuing_council.pk != self.owner_id):
            return False
        if self.topic and self.topic.casefold() not in topics:
            return False
        if self.area and self.area != hearing.area:
            return False
        if self.issuing_council_id and (issuing_council is None or issuing_council.pk != self.issuing_council_id):
            return False
        return not (self.matter_kind and self.matter_kind != hearing.matter_kind)

    def is_met_by(self, parties):
        """Whether one of ``parties`` (HearingParty rows) is the consultee."""
        name = self.consultee.casefold()
        return any(
            (self.consultee_council_id and party.council_id == self.consultee_council_id)
            or party.name.casefold() == name
            for party in parties
        )


@dataclass
class MissingConsultee:
    rule: ConsulteeRule

    @property
    def name(self):
        return self.rule.consultee

    @property
    def required(self):
        return self.rule.mode == RuleMode.REQUIRE


def _hearing_topics(hearing):
    """Topic names of the hearing (from the page in memory: an unsaved edit counts)."""
    try:
        return {tag.name.casefold() for tag in hearing.topics.all()}
    except ValueError:  # a page not saved yet has no tags
        return set()


def _hearing_parties(hearing):
    """Parties the hearing consults: active parties on its lists (as edited) and invited parties."""
    list_ids = [hearing_list.pk for hearing_list in hearing.hearing_lists.all()]
    parties = list(HearingParty.objects.filter(hearing_list_id__in=list_ids, active=True))
    if hearing.pk:
        parties += list(HearingParty.objects.filter(invitations__hearing_id=hearing.pk))
    return parties


def missing_consultees(hearing):
    """The active rules that apply to ``hearing`` and whose consultee it does not consult, in order."""
    topics = _hearing_topics(hearing)
    issuing_council = hearing.issuing_council
    rules = ConsulteeRule.objects.active().select_related("consultee_council", "issuing_council")
    applicable = [rule for rule in rules if rule.applies_to(hearing, topics, issuing_council)]
    if not applicable:
        return []
    parties = _hearing_parties(hearing)
    missing = [MissingConsultee(rule) for rule in applicable if not rule.is_met_by(parties)]
    return sorted(missing, key=lambda m: (not m.required, m.name.casefold()))


class ConsulteeOmission(models.Model):
    """A rule's consultee left out when the hearing was published, and why (shown in the høringsnotat)."""

    hearing = models.ForeignKey(
        "consultations.HearingPage", on_delete=models.CASCADE, related_name="consultee_omissions"
    )
    rule = models.ForeignKey(ConsulteeRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    consultee = models.CharField(_("part"), max_length=200)
    mode = models.CharField(_("håndhævelse"), max_length=10, choices=RuleMode.choices)
    reason = models.TextField(_("begrundelse"), blank=True)
    recorded_at = models.DateTimeField(_("registreret"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("udeladt obligatorisk høringspart")
        verbose_name_plural = _("udeladte obligatoriske høringsparter")
        ordering = ["hearing", "consultee"]
        constraints = [models.UniqueConstraint(fields=["hearing", "consultee"], name="unique_omission_per_consultee")]

    def __str__(self):
        return self.consultee


class RequiredConsulteesMissing(ValidationError):
    """Publishing refused: a »require« rule's consultee is not consulted and no reason is written."""

    def __init__(self, missing, hearing=None):
        self.missing = missing
        self.hearing = hearing
        super().__init__(
            _(
                "Høringen er ikke udgivet: %(names)s skal høres efter reglen om obligatoriske høringsparter "
                "(%(rules)s). Tilføj en høringsliste med parten, eller skriv en begrundelse i feltet »Begrundelse "
                "for at udelade obligatoriske høringsparter«."
            )
            % {
                "names": ", ".join(m.name for m in missing),
                "rules": "; ".join(m.rule.describe_with_basis() for m in missing),
            }
        )


def check_publishable(hearing):
    """The rules' missing consultees of ``hearing`` (the version about to go live); raises
    :class:`RequiredConsulteesMissing` when a »require« rule's consultee is missing without a reason."""
    missing = missing_consultees(hearing)
    required = [m for m in missing if m.required]
    if required and not (hearing.omitted_consultees_reason or "").strip():
        raise RequiredConsulteesMissing(required, hearing)
    return missing


def record_omissions(hearing, missing, user=None):
    """On publishing: store each left-out consultee with the hearing's reason, drop ones now consulted.

    Called by ``HearingPage.publish`` only; logged when what is recorded changes (publishing again
    with the same omissions and reason logs nothing new)."""
    reason = (hearing.omitted_consultees_reason or "").strip()
    names = [m.name for m in missing]
    with transaction.atomic():
        before = set(ConsulteeOmission.objects.filter(hearing_id=hearing.pk).values_list("consultee", "reason"))
        ConsulteeOmission.objects.filter(hearing_id=hearing.pk).exclude(consultee__in=names).delete()
        for item in missing:
            ConsulteeOmission.objects.update_or_create(
                hearing_id=hearing.pk,
                consultee=item.name,
                defaults={
                    "rule": item.rule,
                    "mode": item.rule.mode,
                    "reason": reason,
                    "recorded_by": user if user is not None and user.is_authenticated else None,
                },
            )
        if missing and before != {(name, reason) for name in names}:
            log(
                instance=hearing,
                action="consultations.consultees_omitted",
                user=user,
                data={"consultees": names, "reason": reason},
            )
