"""After the høringsnotat: the political decision, and telling everyone who took part.

The secretariat records which body decided (a council page or a named committee), when, the
outcome, what changed because of the hearing, and links to the minutes or decision document
(:class:`HearingDecision`, one per hearing). Recording it (``HearingDecision.record``) is logged
and queues one email per recipient: every respondent with a confirmed email whose personal
data is not erased, in the language they answered in, and every consulted party, in Danish.
Each address gets the email once (:class:`DecisionNotice`, unique per hearing and address;
the row is claimed in the worker before sending), however often the decision is saved.
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from .emails import DecisionEmail
from .responses import Response


class DecisionOutcome(models.TextChoices):
    ADOPTED = "adopted", _("Vedtaget")
    ADOPTED_WITH_CHANGES = "adopted_with_changes", _("Vedtaget med ændringer")
    REJECTED = "rejected", _("Forkastet")
    POSTPONED = "postponed", _("Udsat")


class HearingDecision(models.Model):
    hearing = models.OneToOneField(
        "consultations.HearingPage", on_delete=models.CASCADE, related_name="decision", verbose_name=_("høring")
    )
    council = models.ForeignKey(
        "councils.CouncilPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("besluttet af (råd eller udvalg)"),
    )
    committee_name = models.CharField(
        _("besluttet af (navngivet udvalg)"),
        max_length=200,
        blank=True,
        help_text=_("Fx »Borgerrepræsentationen« eller »Teknik- og Miljøudvalget«, hvis organet ikke har en side."),
    )
    decided_on = models.DateField(_("beslutningsdato"))
    outcome = models.CharField(_("resultat"), max_length=30, choices=DecisionOutcome.choices)
    changes_summary = models.TextField(
        _("det ændrede høringen"), blank=True, help_text=_("Kort: hvad blev ændret på grund af høringssvarene?")
    )
    minutes_url = models.URLField(_("link til referat eller beslutning"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("beslutningsdokument"),
    )
    recorded_at = models.DateTimeField(_("registreret"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")

    def __str__(self):
        return f"{self.hearing} – {self.get_outcome_display()}"

    @property
    def body_name(self):
        return self.committee_name or (self.council.title if self.council_id else "")

    def record(self, user=None):
        """Save, log, and notify everyone not yet notified. Returns the number of emails queued."""
        with transaction.atomic():
            self.recorded_by = user if user is not None and user.is_authenticated else None
            self.save()
            log(
                instance=self.hearing,
                action="consultations.decision",
                user=user,
                data={"outcome": self.outcome, "decided_on": self.decided_on.isoformat()},
            )
            queued = 0
            for recipient in decision_recipients(self.hearing):
                try:
                    with transaction.atomic():
                        notice = DecisionNotice.objects.create(hearing=self.hearing, **recipient)
                except IntegrityError:
                    continue  # this address was told already
                DecisionEmail.send(notice)
                queued += 1
            if queued:
                log(
                    instance=self.hearing,
                    action="consultations.decision_notified",
                    user=user,
                    data={"recipients": queued},
                )
        return queued


def decision_recipients(hearing):
    """One entry per address: respondents (confirmed, not erased) first, then consulted parties."""
    seen = set()
    recipients = []
    respondents = (
        Response.objects.confirmed()
        .filter(hearing=hearing, personal_data_erased_at__isnull=True)
        .exclude(email="")
        .order_by("confirmed_at", "pk")
    )
    for response in respondents:
        key = response.email.strip().casefold()
        if key not in seen:
            seen.add(key)
            recipients.append({"email": key, "language": response.language, "response": response, "party": None})
    for party in hearing.consulted_parties():
        key = party.email.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            recipients.append({"email": key, "language": settings.LANGUAGE_CODE, "response": None, "party": party})
    return recipients


class DecisionNotice(models.Model):
    """One address told (or to be told) about a hearing's decision; never two rows for one address."""

    hearing = models.ForeignKey("consultations.HearingPage", on_delete=models.CASCADE, related_name="decision_notices")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("sprog"), max_length=10, default=settings.LANGUAGE_CODE)
    response = models.ForeignKey(
        "consultations.Response", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.ForeignKey(
        "councils.HearingParty", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("besked om beslutning")
        verbose_name_plural = _("beskeder om beslutninger")
        constraints = [models.UniqueConstraint(fields=["hearing", "email"], name="unique_decision_notice_per_email")]

    def __str__(self):
        return f"{self.hearing_id} – {self.pk}"

    def claim(self):
        """Mark as sent; True only for the first caller (the worker sends once)."""
        return bool(type(self).objects.filter(pk=self.pk, sent_at__isnull=True).update(sent_at=timezone.now()))


def timeline(hearing, now=None):
    """The hearing's course for its page: open → deadline → høringsnotat → decision, each with its date
    (or None while to come) and whether it has happened."""
    now = now or timezone.now()
    try:
        decision = hearing.decision
    except HearingDecision.DoesNotExist:
        decision = None
    steps = [
        {"key": "open", "label": _("Høringen åbner"), "date": hearing.opens_at, "done": now >= hearing.opens_at},
        {"key": "deadline", "label": _("Høringsfrist"), "date": hearing.closes_at, "done": now >= hearing.closes_at},
        {
            "key": "summary",
            "label": _("Høringsnotat"),
            "date": hearing.summary_published_at,
            "done": hearing.summary_published_at is not None,
        },
        {
            "key": "decision",
            "label": _("Politisk beslutning"),
            "date": decision.decided_on if decision else None,
            "done": decision is not None,
            "decision": decision,
        },
    ]
    current = next((s for s in steps if not s["done"]), None)
    for step in steps:
        step["current"] = step is current
    return steps
