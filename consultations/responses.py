"""Responses to hearings (høringssvar) and their attachments.

A table module below ``consultations.models`` (the pages): it imports no page class, so the
forms, emails and grouping code that store and read responses sit below the hearing page, which
serves itself with them. ``consultations.models`` re-exports every name here.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from core.background_exports import BackgroundExport
from core.models import TimeStampedModel
from core.storage import private_storage
from councils.models import PartyKind
from users.models import MitIDLevel

from .areas import district_choices, district_name
from .sections import SectionComment
from .uploads import download_name, extension_for


def attachment_upload_to(instance, filename):
    """Random names under the extension of the detected type: the original name is kept in the row,
    never in the path, and a file named »rapport.html« that is a PDF is stored as ….pdf."""
    ext = extension_for(instance.content_type)
    return f"hearing_attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


def new_submission_key():
    return uuid.uuid4().hex


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


# --- Responses -----------------------------------------------------------------------------


class ResponseQuerySet(models.QuerySet):
    def confirmed(self):
        """Responses the respondent confirmed (or the secretariat entered): all but pending."""
        return self.exclude(status=Response.Status.PENDING)

    def published(self):
        return self.filter(status=Response.Status.PUBLISHED)

    def awaiting_moderation(self):
        return self.filter(status=Response.Status.RECEIVED)

    def for_public_list(self):
        """What the public list needs: the rows with their party's name, and whether each has
        attachments and section comments (``public_list_rows`` reads those only for the rows that have
        any). Only the columns ``consultations.response_list`` shows are read (``PUBLIC_LIST_FIELDS``),
        not the e-mail, the signature or the moderation columns."""
        return (
            self.select_related("party")
            .only(*PUBLIC_LIST_FIELDS)
            .annotate(
                has_attachments=Exists(ResponseAttachment.objects.filter(response=OuterRef("pk"))),
                has_section_comments=Exists(SectionComment.objects.filter(response=OuterRef("pk"))),
            )
        )


# The columns of a response on the public list (consultations.response_list), and ``status`` and
# ``hearing`` that consultations.page_cache's post_init receiver and the row's URL read: a field left out
# here would be read with one query per row.
PUBLIC_LIST_FIELDS = (
    "hearing",
    "status",
    "name",
    "kind",
    "organisation_name",
    "party",
    "party__name",
    "district",
    "postcode",
    "confirmed_at",
    "is_late",
    "text",
    "redacted_text",
    "summary",
    "administration_comment",
)

PUBLIC_LIST_RELATIONS = (("attachments", "has_attachments"), ("section_comments", "has_section_comments"))


def public_list_rows(queryset):
    """The rows of ``queryset`` (``for_public_list()``) as a list, each with ``attachments`` and
    ``section_comments`` loaded: one query for the rows, and one per relation only when a row on the
    page has any (most pages have neither: 1 query instead of 3). A row without any gets an empty
    result in Django's prefetch cache, so ``response.attachments.all()`` asks nothing."""
    rows = list(queryset)
    for relation, flag in PUBLIC_LIST_RELATIONS:
        prefetch_related_objects([row for row in rows if getattr(row, flag)], relation)
        empty = getattr(Response, relation).rel.related_model.objects.none()
        for row in rows:
            if not getattr(row, flag):
                if not hasattr(row, "_prefetched_objects_cache"):
                    row._prefetched_objects_cache = {}
                row._prefetched_objects_cache[relation] = empty
    return rows


def public_name(kind, name, organisation_name, party_name=None):
    """The name a response is shown under (Response.display_name), from its columns: for an
    organisation its party's name (``party_name``, None without a party) or the organisation's name."""
    if kind != PartyKind.PERSON:
        return party_name if party_name is not None else organisation_name or name
    return name


class Response(TimeStampedModel):
    """A hearing response (høringssvar) from a private person or on behalf of an organisation.

    Held as »afventer bekræftelse« until the respondent follows the emailed link (a logged-in
    user with a verified email skips that). The original text is always kept; ``redacted_text``
    is what the public sees when the secretariat has redacted it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer bekræftelse")
        RECEIVED = "received", _("Modtaget")
        PUBLISHED = "published", _("Offentliggjort")
        WITHHELD = "withheld", _("Ikke offentliggjort")

    hearing = models.ForeignKey(
        "consultations.HearingPage", on_delete=models.CASCADE, related_name="responses", verbose_name=_("høring")
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"))
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    district = models.CharField(_("bydel"), max_length=40, choices=district_choices, blank=True)
    kind = models.CharField(
        _("jeg udtaler mig som"), max_length=20, choices=PartyKind.choices, default=PartyKind.PERSON
    )
    organisation_name = models.CharField(_("organisationens navn"), max_length=200, blank=True)
    party = models.ForeignKey(
        "councils.HearingParty",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name=_("høringspart"),
    )
    text = models.TextField(_("høringssvar"))
    consent = models.BooleanField(_("samtykke til offentliggørelse"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    withheld_reason = models.TextField(_("begrundelse for ikke at offentliggøre"), blank=True)
    redacted_text = models.TextField(
        _("offentliggjort tekst (redigeret)"), blank=True, help_text=_("Tom: den oprindelige tekst offentliggøres.")
    )
    is_late = models.BooleanField(_("modtaget efter fristen"), default=False)
    confirmation_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("modereret"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("modereret af"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hearing_responses",
        verbose_name=_("bruger"),
    )
    submission_key = models.CharField(max_length=64, unique=True, editable=False, default=new_submission_key)
    language = models.CharField(_("sprog"), max_length=10, default=settings.LANGUAGE_CODE, editable=False)
    summary = models.TextField(_("resumé af svaret"), blank=True)
    administration_comment = models.TextField(_("forvaltningens bemærkning"), blank=True)
    personal_data_erased_at = models.DateTimeField(_("persondata slettet"), null=True, blank=True, editable=False)
    # Set when the respondent was logged in with MitID when submitting: the level the broker
    # reported. Shown to the secretariat only, never on the public page.
    mitid_level = models.CharField(
        _("verificeret med MitID"), max_length=20, choices=MitIDLevel.choices, blank=True, editable=False
    )

    # Near-duplicate grouping (consultations.campaigns): the text's MinHash signature, and the
    # first response of the group of identical or nearly identical responses this one is in.
    text_signature = models.BinaryField(null=True, editable=False)
    campaign_group = models.PositiveIntegerField(_("enslydende gruppe"), null=True, blank=True, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("høringssvar")
        verbose_name_plural = _("høringssvar")
        ordering = ["hearing", "created_at"]
        indexes = [
            # The public list's order with the primary key as tie-break: PostgreSQL counts a hearing's
            # published responses and skips to a later page of them from the index alone.
            models.Index(fields=["hearing", "status", "confirmed_at", "id"], name="response_public_page"),
            models.Index(fields=["hearing", "campaign_group"], name="response_campaign_group"),
        ]

    def __str__(self):
        return f"{self.display_name} – {self.hearing.title}"

    def get_absolute_url(self):
        return f"{self.hearing.url}#svar-{self.pk}"

    # -- presentation --

    @property
    def on_behalf_of_organisation(self):
        return self.kind != PartyKind.PERSON

    @property
    def display_name(self):
        """Name shown publicly: the organisation for organisations, else the person's name."""
        return public_name(self.kind, self.name, self.organisation_name, self.party.name if self.party_id else None)

    @property
    def district_name(self):
        return district_name(self.district)

    @property
    def public_text(self):
        return self.redacted_text or self.text

    @property
    def is_redacted(self):
        return bool(self.redacted_text)

    @property
    def mitid_label(self):
        """For the secretariat: "Verificeret med MitID (betydelig)", or "" when not verified."""
        if not self.mitid_level:
            return ""
        return _("Verificeret med MitID (%(level)s)") % {"level": self.get_mitid_level_display()}

    # -- confirmation --

    def issue_confirmation_token(self):
        """Make a new confirmation token; store only its hash. Returns the token for the email link."""
        token = secrets.token_urlsafe(32)
        self.confirmation_token_hash = hash_token(token)
        return token

    @classmethod
    def for_token(cls, token):
        if not token:
            return None
        return cls.objects.select_related("hearing").filter(confirmation_token_hash=hash_token(token)).first()

    def confirm(self, now=None):
        """Mark a pending response as received. Returns True the first time only."""
        if self.status != self.Status.PENDING:
            return False
        self.status = self.Status.RECEIVED
        self.confirmed_at = now or timezone.now()
        self.save(update_fields=["status", "confirmed_at", "updated_at"])
        return True

    # -- moderation (logged) --

    def publish(self, user=None):
        if self.status == self.Status.PENDING:
            raise ValidationError(_("Svaret er ikke bekræftet af afsenderen endnu."))
        self.status = self.Status.PUBLISHED
        self.withheld_reason = ""
        self._moderated(user, "consultations.response.publish")

    def withhold(self, reason, user=None):
        if not reason or not reason.strip():
            raise ValidationError({"withheld_reason": _("Skriv en begrundelse.")})
        if self.status == self.Status.PENDING:
            raise ValidationError(_("Svaret er ikke bekræftet af afsenderen endnu."))
        self.status = self.Status.WITHHELD
        self.withheld_reason = reason.strip()
        self._moderated(user, "consultations.response.withhold", {"reason": self.withheld_reason})

    def redact(self, text, user=None):
        """Set the text the public sees; the original is kept."""
        self.redacted_text = (text or "").strip()
        self._moderated(user, "consultations.response.redact")

    def _moderated(self, user, action, data=None):
        self.moderated_at = timezone.now()
        self.moderated_by = user if user and user.is_authenticated else None
        with transaction.atomic():
            self.save()
            log(instance=self, action=action, user=user, data=data or {})

    # -- personal data --

    def erase_personal_data(self, now=None, delete_files=True):
        """Remove what identifies the respondent; return the attachment file names removed.

        Erased: name, email, postcode, district, user link, confirmation token, attachments
        (rows and files) and — for private persons — the text, its redacted copy and the
        per-response summary (it may quote the person). Kept: the kind of respondent, status,
        dates, the administration's comment, and for organisations, companies, councils and
        authorities the organisation's name, party and text: they speak as legal persons, and
        what they said is part of the public record of the hearing summary.
        """
        names = [a.file.name for a in self.attachments.all() if a.file]
        self.attachments.all().delete()
        self.name = ""
        self.email = ""
        self.postcode = ""
        self.district = ""
        self.user = None
        self.confirmation_token_hash = ""
        if not self.on_behalf_of_organisation:
            self.section_comments.update(text="")
            self.text_signature = None
            self.text = ""
            self.redacted_text = ""
            self.summary = ""
            self.organisation_name = ""
        self.personal_data_erased_at = now or timezone.now()
        self.save()
        if delete_files:
            storage = private_storage()
            transaction.on_commit(lambda: [storage.delete(n) for n in names])
        return names


class ResponseAttachment(models.Model):
    """A file attached to a response, stored outside MEDIA_ROOT, served only by a checked view."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attachments")
    # The public address uses this, never the sequential id.
    token = models.UUIDField(_("nøgle"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("fil"), storage=private_storage, upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("filnavn"), max_length=255)
    content_type = models.CharField(_("filtype"), max_length=100)
    size = models.PositiveIntegerField(_("størrelse (bytes)"))
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("bilag til høringssvar")
        verbose_name_plural = _("bilag til høringssvar")
        ordering = ["response", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("consultations:attachment", args=[self.token])

    @property
    def download_name(self):
        """The name it is offered under: the original stem, the detected type's extension."""
        return download_name(self.original_name, self.content_type)

    @property
    def extension(self):
        return extension_for(self.content_type).upper()


# --- Background exports ---------------------------------------------------------------------------


class HearingExport(BackgroundExport):
    """A background export of a hearing's responses (CSV, XLSX) or attachments (ZIP): core.background_exports."""

    hearing = models.ForeignKey("consultations.HearingPage", on_delete=models.CASCADE, related_name="exports")

    class Meta(BackgroundExport.Meta):
        verbose_name = _("eksport af høring")

    def __str__(self):
        return f"{self.hearing_id} {self.fmt} {self.status}"
