"""Hearings (høringer): pages editors write, and what citizens and parties submit to them.

Status is derived from time (``opens_at``/``closes_at``) and from whether the hearing summary
is published. Irreversible steps are timestamps set by methods that write an audit log entry
(see ``consultations.audit`` for the registered actions).
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.log_actions import log
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.blocks import BodyBlock
from core.models import StateFieldsMixin, TimeStampedModel
from core.storage import private_storage
from councils.models import CouncilPage, HearingParty, PartyKind
from users.models import MitIDLevel

from .areas import WHOLE_MUNICIPALITY, area_choices, district_choices, district_name  # noqa: F401  (used here and by importers)
from .decisions import DecisionNotice, DecisionOutcome, HearingDecision  # noqa: F401 (models of this app)
from .digests import Digest, Frequency  # noqa: F401 (models of this app)
from .rules import ConsulteeOmission, ConsulteeRule, MatterKind  # noqa: F401 (models of this app)
from .sections import DraftBlock, SectionComment, SectionNote  # noqa: F401 (models of this app)
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


# --- Hearing index -------------------------------------------------------------------------


class HearingIndexPage(Page):
    """The list of hearings, with filters on status, topic, area and issuing body."""

    intro = models.TextField(_("introduktion"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["consultations.HearingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("oversigt over høringer")

    def get_context(self, request, *args, **kwargs):
        from consultations.listing import hearing_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(hearing_listing(request))
        return context


# --- Hearing -------------------------------------------------------------------------------


class HearingStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Kommende")
    OPEN = "open", _("Åben")
    CLOSED = "closed", _("Afsluttet")
    CONCLUDED = "concluded", _("Konkluderet")


class PublicationRule(models.TextChoices):
    WHILE_OPEN = "while_open", _("Offentliggøres løbende efter moderation")
    AFTER_DEADLINE = "after_deadline", _("Offentliggøres efter høringsfristen")
    NOT_PUBLISHED = "not_published", _("Offentliggøres ikke")


class HearingPageTag(TaggedItemBase):
    """Topics (emner) of a hearing."""

    content_object = ParentalKey("consultations.HearingPage", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("emne på høring")
        verbose_name_plural = _("emner på høringer")


class HearingPageQuerySet(PageQuerySet):
    """Hearings by derived status. ``now`` defaults to the current time."""

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def past_deadline(self, now=None):
        """Closed or concluded."""
        return self.filter(closes_at__lte=now or timezone.now())

    def closed(self, now=None):
        """Past the deadline, summary not yet published (status »afsluttet«)."""
        return self.past_deadline(now).filter(summary_published_at__isnull=True)

    def concluded(self):
        return self.filter(summary_published_at__isnull=False)

    def with_status(self, status, now=None):
        return {
            HearingStatus.UPCOMING: self.upcoming,
            HearingStatus.OPEN: self.open,
            HearingStatus.CLOSED: self.closed,
        }.get(status, lambda now=None: self.concluded())(now)

    def due_for_deletion(self, today=None):
        """Hearings whose deletion date has come (on or before ``today``) and still hold personal data."""
        today = today or timezone.localdate()
        unerased = Response.objects.filter(hearing=OuterRef("pk"), personal_data_erased_at__isnull=True)
        return self.filter(deletion_date__lte=today).filter(Q(responses_deleted_at__isnull=True) | Exists(unerased))

    def with_response_count(self):
        """Annotate ``response_count``: confirmed responses (received, published or withheld)."""
        return self.annotate(
            response_count=Count("responses", filter=~Q(responses__status=Response.Status.PENDING), distinct=True)
        )


HearingPageManager = PageManager.from_queryset(HearingPageQuerySet)


class HearingPage(StateFieldsMixin, Page):
    """A public hearing: a draft with documents, a period for responses, and later a summary."""

    summary = models.TextField(_("resumé"), blank=True, help_text=_("Kort tekst til oversigter og nyhedsfeeds."))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("indhold"))
    draft = StreamField(
        DraftBlock(),
        blank=True,
        verbose_name=_("høringsudkast som tekst"),
        help_text=_(
            "Udkastet i kapitler og afsnit. Afsnittene nummereres automatisk (fx 3.2), og borgerne kan "
            "kommentere hvert afsnit. Kommentarer beholder deres afsnit, når teksten ændres."
        ),
    )
    opens_at = models.DateTimeField(_("høringen starter"))
    closes_at = models.DateTimeField(_("høringsfrist"))
    deletion_date = models.DateField(
        _("sletning af persondata"),
        null=True,
        blank=True,
        help_text=_("Dato hvor høringssvarenes persondata slettes fra platformen. Tom: ét år efter høringsfristen."),
    )
    deletion_reason = models.TextField(
        _("begrundelse for sletning"),
        blank=True,
        help_text=_("Vises på høringen, når svarene er slettet. Tom: standardteksten om databeskyttelse."),
    )
    omitted_consultees_reason = models.TextField(
        _("begrundelse for at udelade obligatoriske høringsparter"),
        blank=True,
        help_text=_(
            "Kun hvis en regel kræver en høringspart, som ikke står på høringens lister: skriv, hvorfor den ikke "
            "høres. Begrundelsen logges og står i høringsnotatet."
        ),
    )
    council = models.ForeignKey(
        "councils.CouncilPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_hearings",
        verbose_name=_("afsender (råd eller udvalg)"),
    )
    committee_name = models.CharField(
        _("afsender (navngivet udvalg)"),
        max_length=200,
        blank=True,
        help_text=_("Fx »Beskæftigelses- og Integrationsudvalget«, hvis afsenderen ikke har en side."),
    )
    topics = ClusterTaggableManager(through=HearingPageTag, blank=True, verbose_name=_("emner"))
    area = models.CharField(_("område"), max_length=40, choices=area_choices, default=WHOLE_MUNICIPALITY)
    matter_kind = models.CharField(_("sagsområde"), max_length=20, choices=MatterKind.choices, blank=True)
    hearing_lists = ParentalManyToManyField(
        "councils.HearingList", blank=True, related_name="hearings", verbose_name=_("høringslister")
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontakt-e-mail"), blank=True)
    contact_phone = models.CharField(_("kontakttelefon"), max_length=40, blank=True)
    publication_rule = models.CharField(
        _("offentliggørelse af svar"),
        max_length=30,
        choices=PublicationRule.choices,
        default=PublicationRule.WHILE_OPEN,
    )
    summary_body = StreamField(BodyBlock(), blank=True, verbose_name=_("høringsnotat"))
    summary_published_at = models.DateTimeField(_("høringsnotat offentliggjort"), null=True, blank=True, editable=False)
    invitations_sent_at = models.DateTimeField(_("invitationer sendt"), null=True, blank=True, editable=False)
    reminders_sent_at = models.DateTimeField(_("påmindelser sendt"), null=True, blank=True, editable=False)
    subscribers_notified_at = models.DateTimeField(_("abonnenter underrettet"), null=True, blank=True, editable=False)
    responses_deleted_at = models.DateTimeField(_("svarenes persondata slettet"), null=True, blank=True, editable=False)

    objects = HearingPageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at"), FieldPanel("deletion_date")]),
        FieldPanel("body"),
        FieldPanel("draft"),
        InlinePanel("documents", label=_("Dokumenter")),
        MultiFieldPanel([FieldPanel("council"), FieldPanel("committee_name")], heading=_("Afsender")),
        FieldPanel("topics"),
        FieldPanel("area"),
        FieldPanel("matter_kind"),
        FieldPanel("hearing_lists", widget=forms.CheckboxSelectMultiple),
        FieldPanel("omitted_consultees_reason"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Kontakt"),
        ),
        FieldPanel("publication_rule"),
        FieldPanel("deletion_reason"),
    ]
    summary_panels = [FieldPanel("summary_body")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Indhold")),
            ObjectList(summary_panels, heading=_("Høringsnotat")),
            ObjectList(Page.promote_panels, heading=_("Promovering")),
            ObjectList(Page.settings_panels, heading=_("Indstillinger")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("draft"),
        index.SearchField("committee_name"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
        index.FilterField("area"),
    ]
    parent_page_types = ["consultations.HearingIndexPage", "councils.CouncilPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("høring")
        verbose_name_plural = _("høringer")

    def save(self, *args, **kwargs):
        self._default_deletion_date()
        return super().save(*args, **kwargs)

    # Timestamps of irreversible steps: set by methods, never by publishing an older revision.
    state_fields = (
        "summary_published_at",
        "invitations_sent_at",
        "reminders_sent_at",
        "subscribers_notified_at",
        "responses_deleted_at",
    )

    def get_context(self, request, *args, form=None, **kwargs):
        from consultations.views import hearing_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(hearing_page_context(self, request, form=form, **kwargs))
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from consultations.views import submit_response

            return submit_response(request, self)
        return super().serve(request, *args, **kwargs)

    # -- validation --

    def _default_deletion_date(self):
        if not self.deletion_date and self.closes_at:
            self.deletion_date = (timezone.localtime(self.closes_at) + timedelta(days=365)).date()

    def clean(self):
        super().clean()
        self._default_deletion_date()
        errors = {}
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            errors["closes_at"] = _("Høringsfristen skal ligge efter starttidspunktet.")
        elif self.closes_at and self.deletion_date and self.deletion_date < timezone.localtime(self.closes_at).date():
            errors["deletion_date"] = _("Sletningsdatoen kan ikke ligge før høringsfristen.")
        if errors:
            raise ValidationError(errors)

    # -- status --

    def status_at(self, now=None):
        now = now or timezone.now()
        if self.summary_published_at:
            return HearingStatus.CONCLUDED
        if now < self.opens_at:
            return HearingStatus.UPCOMING
        if now < self.closes_at:
            return HearingStatus.OPEN
        return HearingStatus.CLOSED

    @property
    def status(self):
        return self.status_at()

    @property
    def status_label(self):
        return HearingStatus(self.status).label

    @property
    def is_open(self):
        return self.status == HearingStatus.OPEN

    @property
    def is_past_deadline(self):
        return timezone.now() >= self.closes_at

    @property
    def is_concluded(self):
        return self.summary_published_at is not None

    # -- issuing body --

    @cached_property
    def issuing_council(self):
        """The council that issues the hearing: the chosen one, else the council page it sits under."""
        if self.council_id:
            return self.council
        parent = self.get_parent()
        if parent and parent.specific_class is CouncilPage:
            return parent.specific
        return None

    @property
    def issuing_body_name(self):
        if self.committee_name:
            return self.committee_name
        council = self.issuing_council
        return council.title if council else ""

    @property
    def area_name(self):
        return district_name(self.area)

    @property
    def deletion_reason_text(self):
        return self.deletion_reason or _(
            "personoplysninger i høringssvar ikke må opbevares længere end nødvendigt (databeskyttelsesforordningen)"
        )

    # -- responses --

    @property
    def responses_are_public(self):
        """Whether confirmed and published responses may be shown on the page now."""
        if self.publication_rule == PublicationRule.NOT_PUBLISHED or self.responses_deleted_at:
            return False
        if self.publication_rule == PublicationRule.AFTER_DEADLINE:
            return self.is_past_deadline
        return True

    def public_responses(self):
        if not self.responses_are_public:
            return Response.objects.none()
        return self.responses.published().order_by("confirmed_at", "pk")

    def hearing_parties(self):
        """Every active party on the hearing's lists, once per name, ordered by name."""
        on_lists = HearingParty.objects.filter(hearing_list__in=self.hearing_lists.all(), active=True)
        first_per_name = on_lists.values("name").annotate(first=Min("pk")).values("first")
        return HearingParty.objects.filter(pk__in=first_per_name).order_by("name")

    def consulted_parties(self):
        """Parties consulted (on the lists or invited), each with ``replied`` set, ordered by name."""
        replied = Response.objects.confirmed().filter(hearing=self, party=OuterRef("pk"))
        parties = (
            HearingParty.objects.filter(
                Q(hearing_list__in=self.hearing_lists.all(), active=True) | Q(invitations__hearing=self)
            )
            .annotate(replied=Exists(replied))
            .distinct()
            .order_by("name", "pk")
        )
        # A party on several lists is one party: it has replied if it replied through any of them.
        merged = {}
        for party in parties:
            key = party.name.casefold()
            if key in merged:
                merged[key].replied = merged[key].replied or party.replied
            else:
                merged[key] = party
        return list(merged.values())

    # -- irreversible steps --

    def conclude(self, user=None):
        """Publish the hearing summary: the hearing becomes »konkluderet«. Logged."""
        if self.summary_published_at:
            return False
        if not self.is_past_deadline:
            raise ValidationError(_("Høringsnotatet kan først offentliggøres efter høringsfristen."))
        with transaction.atomic():
            self.set_state(summary_published_at=timezone.now())
            log(instance=self, action="consultations.conclude", user=user)
        return True

    def erase_personal_data(self, user=None, now=None):
        """Erase the personal data of every response and delete the attachment files. Logged.

        Idempotent: a second call finds nothing to erase and changes nothing.
        """
        now = now or timezone.now()
        files = []
        with transaction.atomic():
            responses = list(
                self.responses.filter(personal_data_erased_at__isnull=True).prefetch_related("attachments")
            )
            for response in responses:
                files.extend(response.erase_personal_data(now=now, delete_files=False))
            first_time = self.responses_deleted_at is None
            if first_time:
                self.set_state(responses_deleted_at=now)
            if responses or first_time:
                log(
                    instance=self,
                    action="consultations.erase_personal_data",
                    user=user,
                    data={"responses": len(responses)},
                )
            transaction.on_commit(lambda: [private_storage().delete(name) for name in files])
        return len(responses)


class HearingDocument(Orderable):
    """A document of the hearing: the draft or an appendix."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Høringsudkast")
        APPENDIX = "appendix", _("Bilag")

    hearing = ParentalKey(HearingPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("dokument")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.APPENDIX)
    title = models.CharField(_("linktekst"), max_length=255, blank=True, help_text=_("Tom: dokumentets titel."))

    panels = [FieldPanel("document"), FieldPanel("kind"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("høringsdokument")
        verbose_name_plural = _("høringsdokumenter")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title


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
        """What the public list needs in one query (+ one for attachments)."""
        return self.select_related("party").prefetch_related("attachments", "section_comments")


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
        HearingPage, on_delete=models.CASCADE, related_name="responses", verbose_name=_("høring")
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
            models.Index(fields=["hearing", "status", "confirmed_at"], name="response_public_list"),
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
        if self.on_behalf_of_organisation:
            return self.party.name if self.party_id else self.organisation_name or self.name
        return self.name

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


# --- Invitations ---------------------------------------------------------------------------


class InvitationQuerySet(models.QuerySet):
    def with_replied(self):
        """Annotate ``replied``: the party has a confirmed response to the hearing."""
        replied = Response.objects.confirmed().filter(hearing=OuterRef("hearing"), party=OuterRef("party"))
        return self.annotate(replied=Exists(replied))


class Invitation(TimeStampedModel):
    """A party on one of the hearing's lists invited to respond (one per hearing and party)."""

    hearing = models.ForeignKey(
        HearingPage, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("høring")
    )
    party = models.ForeignKey(
        "councils.HearingParty", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("høringspart")
    )
    email = models.EmailField(_("sendt til"), blank=True)
    sent_at = models.DateTimeField(_("invitation sendt"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("påmindelse sendt"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        ordering = ["hearing", "party__name"]
        constraints = [models.UniqueConstraint(fields=["hearing", "party"], name="unique_invitation_per_party")]

    def __str__(self):
        return f"{self.party} – {self.hearing}"

    @property
    def has_replied(self):
        if hasattr(self, "replied"):
            return self.replied
        return Response.objects.confirmed().filter(hearing_id=self.hearing_id, party_id=self.party_id).exists()


# --- Subscriptions -------------------------------------------------------------------------


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def matching(self, hearing):
        """Confirmed subscriptions whose filters all match the hearing (an empty filter matches all)."""
        topic_ids = list(hearing.topics.values_list("pk", flat=True))
        council = hearing.issuing_council
        qs = self.confirmed()
        qs = qs.filter(Q(area="") | Q(area=hearing.area))
        topic_match = Exists(Subscription.topics.through.objects.filter(subscription=OuterRef("pk"), tag__in=topic_ids))
        has_topics = Exists(Subscription.topics.through.objects.filter(subscription=OuterRef("pk")))
        qs = qs.filter(~has_topics | topic_match)
        council_through = Subscription.councils.through
        has_councils = Exists(council_through.objects.filter(subscription=OuterRef("pk")))
        if council:
            council_match = Exists(council_through.objects.filter(subscription=OuterRef("pk"), councilpage=council))
            qs = qs.filter(~has_councils | council_match)
        else:
            qs = qs.filter(~has_councils)
        return qs


class Subscription(TimeStampedModel):
    """Email notice of new hearings, filtered by topics, area and councils (double opt-in).

    ``token`` is in every email's unsubscribe link; it is random and unique.
    """

    email = models.EmailField(_("e-mail"))
    topics = models.ManyToManyField("taggit.Tag", blank=True, related_name="+", verbose_name=_("emner"))
    area = models.CharField(_("område"), max_length=40, choices=area_choices, blank=True)
    councils = models.ManyToManyField(
        "councils.CouncilPage", blank=True, related_name="hearing_subscriptions", verbose_name=_("råd og udvalg")
    )
    token = models.CharField(max_length=64, unique=True, editable=False, default=secrets.token_urlsafe)
    language = models.CharField(_("sprog"), max_length=10, default=settings.LANGUAGE_CODE, editable=False)
    frequency = models.CharField(_("hvor ofte"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hearing_subscriptions",
        verbose_name=_("bruger"),
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement på høringer")
        verbose_name_plural = _("abonnementer på høringer")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        return reverse("consultations:subscription_manage", args=[self.token])

    def get_confirm_url(self):
        return settings.BASE_URL.rstrip("/") + reverse("consultations:subscription_confirm", args=[self.token])

    def get_unsubscribe_url(self):
        return settings.BASE_URL.rstrip("/") + reverse("consultations:unsubscribe", args=[self.token])

    def confirm(self, now=None):
        if self.confirmed_at:
            return False
        self.confirmed_at = now or timezone.now()
        self.save(update_fields=["confirmed_at", "updated_at"])
        return True

    def describe_filters(self):
        """Danish summary of the filters, e.g. »Emner: Beskæftigelse · Område: Valby«."""
        parts = []
        topics = [t.name for t in self.topics.all()]
        if topics:
            parts.append(_("Emner: %s") % ", ".join(topics))
        if self.area:
            parts.append(_("Område: %s") % district_name(self.area))
        councils = [c.title for c in self.councils.all()]
        if councils:
            parts.append(_("Råd og udvalg: %s") % ", ".join(councils))
        return " · ".join(str(p) for p in parts) or _("Alle nye høringer")


class SubscriptionNotification(models.Model):
    """Log: this subscription was told about this hearing (never twice)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notifications")
    hearing = models.ForeignKey(HearingPage, on_delete=models.CASCADE, related_name="subscription_notifications")
    sent_at = models.DateTimeField(_("sendt"), auto_now_add=True)

    class Meta:
        verbose_name = _("underretning om høring")
        verbose_name_plural = _("underretninger om høringer")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "subscription"], name="unique_notification_per_subscription")
        ]

    def __str__(self):
        return f"{self.subscription} – {self.hearing}"


# User surveys (consultations/surveys): imported here so Django finds their models.
from consultations.surveys.models import *  # noqa: E402, F403
