"""Survey panels, participation marks and answers (the tables below the survey pages).

How anonymity is kept is described in ``consultations.surveys.models``. This module imports no
page class, so the views, forms, results and exports that read and store answers sit below
``SurveyPage``, whose routes call the views. ``consultations.surveys.models`` re-exports it all.
"""

import hashlib
import json
import secrets
import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.background_exports import BackgroundExport


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


# --- Panels and participation -------------------------------------------------------------------


class SurveyPanel(models.Model):
    """A user panel (brugerpanel): people invited to surveys with personal links."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    # The council whose secretariat made the panel (from a survey under that council): only that
    # council's surveys may invite it. Empty: the administration's own panel (superusers).
    council = models.ForeignKey(
        "councils.CouncilPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_panels",
        verbose_name=_("råd eller udvalg"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("brugerpanel")
        verbose_name_plural = _("brugerpaneler")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SurveyPanelMember(models.Model):
    panel = models.ForeignKey(SurveyPanel, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("navn"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    # The member's language (code, from the panel file's »sprog« column): their invitation and
    # reminders are written in it; Danish when empty.
    language = models.CharField(_("sprog"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("panelmedlem")
        verbose_name_plural = _("panelmedlemmer")
        constraints = [models.UniqueConstraint(fields=["panel", "email"], name="unique_panel_member_email")]

    def __str__(self):
        return self.name or self.email


class ParticipationKind(models.TextChoices):
    INVITED = "invited", _("Inviteret")
    EMAIL = "email", _("Bekræftet e-mail")
    USER = "user", _("Logget ind")


class SurveyParticipationQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered=True)

    def not_answered(self):
        return self.filter(answered=False)


class SurveyParticipation(models.Model):
    """Who may answer or has answered once: an invitation, a confirmed email or a user.

    Holds the »has answered« mark and nothing about the answer. No time of answering is kept.
    """

    survey = models.ForeignKey("consultations.SurveyPage", on_delete=models.CASCADE, related_name="participations")
    kind = models.CharField(max_length=10, choices=ParticipationKind.choices)
    panel = models.ForeignKey(SurveyPanel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("navn"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_nonce = models.CharField(max_length=32, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    language = models.CharField(max_length=10, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(_("har svaret"), default=False)

    objects = SurveyParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"], condition=models.Q(user__isnull=False), name="unique_survey_user"
            ),
            models.UniqueConstraint(
                fields=["survey", "email"], condition=~models.Q(email=""), name="unique_survey_email"
            ),
        ]

    def __str__(self):
        return self.name or self.email or str(self.user_id or self.pk)

    def save(self, *args, **kwargs):
        if self.kind != ParticipationKind.USER and not self.token_nonce:
            self.token_nonce = secrets.token_hex(16)
            self.token_hash = hash_token(self.token)
        super().save(*args, **kwargs)

    @property
    def token(self):
        """The personal link's token: derived from the row's nonce with the server's secret key, so
        every email (invitation, reminder) carries the same link; the database holds only its hash."""
        if not self.token_nonce:
            return ""
        return salted_hmac("consultations.surveys.participation", self.token_nonce).hexdigest()[:40]

    @classmethod
    def for_token(cls, survey, token):
        if not token or len(token) > 100:
            return None
        return cls.objects.filter(survey=survey, token_hash=hash_token(token)).first()

    @property
    def link_path(self):
        return self.survey.url + self.survey.reverse_subpage("invited_view", args=[self.token])


# --- Answers --------------------------------------------------------------------------------------


class SurveyResponse(models.Model):
    """One person's answers. For an anonymous survey only id, survey, panel and answers are filled."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey("consultations.SurveyPage", on_delete=models.CASCADE, related_name="responses")
    panel = models.ForeignKey(SurveyPanel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answers = models.JSONField(default=dict)
    approved_texts = models.JSONField(
        default=list, blank=True, help_text="Ids of the free-text questions whose answer a moderator approved."
    )
    # Only for surveys that are not anonymous:
    participation = models.OneToOneField(
        SurveyParticipation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("svar på undersøgelse")
        verbose_name_plural = _("svar på undersøgelser")

    def __str__(self):
        return str(self.id)


class PendingSurveyResponse(models.Model):
    """An anonymous answer waiting to be stored with others (see the module's docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey("consultations.SurveyPage", on_delete=models.CASCADE, related_name="+")
    panel = models.ForeignKey(SurveyPanel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("ventende svar")

    def __str__(self):
        return str(self.id)


def batch_size():
    return max(1, settings.SURVEY_ANONYMOUS_BATCH)


def _content_order(item):
    return json.dumps(item.answers, sort_keys=True, ensure_ascii=False), str(item.panel_id or "")


def flush_pending(survey, force=False):
    """Move waiting anonymous answers to SurveyResponse once there are enough (or ``force``).

    One transaction; rows written in the order of their content, each with a fresh random id.
    Returns the number of answers moved.
    """
    with transaction.atomic():
        # Lock the survey row so two flushes never move the same answers twice.
        type(survey).objects.select_for_update().filter(pk=survey.pk).values_list("pk", flat=True).first()
        waiting = list(PendingSurveyResponse.objects.filter(survey=survey))
        if not waiting or (len(waiting) < batch_size() and not force):
            return 0
        waiting.sort(key=_content_order)
        SurveyResponse.objects.bulk_create(
            [SurveyResponse(survey_id=survey.pk, panel_id=item.panel_id, answers=item.answers) for item in waiting]
        )
        PendingSurveyResponse.objects.filter(pk__in=[item.pk for item in waiting]).delete()
    return len(waiting)


class AlreadyAnswered(Exception):
    pass


def store_answers(survey, answers, participation=None, panel=None, user=None):
    """Store a finished set of answers (already validated). Raises AlreadyAnswered if the mark was set.

    ``participation`` is the invitation/email/user row whose »has answered« mark is set (None for
    »anyone« surveys, where the browser carries the mark).
    """
    if participation is not None:
        panel = participation.panel
    if not survey.anonymous:
        with transaction.atomic():
            if participation is not None and not _mark_answered(participation):
                raise AlreadyAnswered
            SurveyResponse.objects.create(
                survey=survey, panel=panel, answers=answers, participation=participation, submitted_at=timezone.now()
            )
        return
    # Anonymous: the mark in one transaction, the answer in another, stored later in a batch.
    if participation is not None:
        with transaction.atomic():
            if not _mark_answered(participation):
                raise AlreadyAnswered
    with transaction.atomic():
        PendingSurveyResponse.objects.create(survey=survey, panel=panel, answers=answers)
    flush_pending(survey)


def _mark_answered(participation):
    """Set the »has answered« mark once (a concurrent second use updates nothing)."""
    updated = SurveyParticipation.objects.filter(pk=participation.pk, answered=False).update(answered=True)
    return updated == 1


# --- Background exports ---------------------------------------------------------------------------


def export_upload_to(instance, filename):
    """The upload path of the first migrations (exports now use core.background_exports')."""
    return f"survey_exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-{filename}"


class SurveyExport(BackgroundExport):
    """A background export of a survey's responses (CSV or XLSX) and its progress (core.background_exports)."""

    survey = models.ForeignKey("consultations.SurveyPage", on_delete=models.CASCADE, related_name="exports")

    class Meta(BackgroundExport.Meta):
        verbose_name = _("eksport af undersøgelse")

    def __str__(self):
        return f"{self.survey_id} {self.fmt} {self.status}"
