from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core import languages
from core.blocks import BodyBlock, PollBodyBlock
from core.models import TimeStampedModel
from core.text import check_single_line, normalise
from core.translated_pages import TranslatablePageMixin


class CouncilKind(models.TextChoices):
    INTEGRATION = "integration", _("Integrationsråd")
    DISABILITY = "disability", _("Handicapråd")
    LOCAL = "local", _("Lokaludvalg")
    EMPLOYMENT = "employment", _("Beskæftigelsesråd")
    USER = "user", _("Brugerråd")
    OTHER = "other", _("Andet råd eller udvalg")


class CouncilIndexPage(Page):
    intro = RichTextField(_("introduktion"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["councils.CouncilPage"]
    max_count = 1

    class Meta:
        verbose_name = _("oversigt over råd og udvalg")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        councils = CouncilPage.objects.child_of(self).live().public().order_by("title")
        groups = []
        for kind, label in CouncilKind.choices:
            members = [c for c in councils if c.kind == kind]
            if members:
                groups.append({"label": label, "councils": members})
        context["council_groups"] = groups
        return context


class CouncilPage(TranslatablePageMixin, Page):
    # Editors translate these through »Oversættelser« (core.translated_pages).
    translatable_fields = ("title", "seo_title", "search_description", "mandate", "body")

    kind = models.CharField(_("type"), max_length=32, choices=CouncilKind.choices)
    mandate = RichTextField(_("formål og opgaver"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    legal_basis = models.CharField(_("lovgrundlag"), max_length=255, blank=True)
    area = models.CharField(_("område"), max_length=120, blank=True, help_text=_("Bydel for lokaludvalg, fx »Valby«."))
    secretariat_name = models.CharField(_("sekretariat"), max_length=200, blank=True)
    secretariat_email = models.EmailField(_("sekretariatets e-mail"), blank=True)
    secretariat_phone = models.CharField(_("sekretariatets telefon"), max_length=40, blank=True)
    term_start = models.DateField(_("valgperiode start"), null=True, blank=True)
    term_end = models.DateField(_("valgperiode slut"), null=True, blank=True)
    body = StreamField(PollBodyBlock(), blank=True, verbose_name=_("mere om rådet"))
    approval_before_publishing = models.BooleanField(
        _("godkendelse før udgivelse"),
        default=True,
        help_text=_(
            "Redaktørerne sender rådets sider (høringer, møder, udtalelser) til godkendelse i sekretariatet; "
            "sekretariatet godkender eller sender dem tilbage med en kommentar. Slået fra: redaktørerne "
            "udgiver selv. Ændringen gælder, når rådets side er udgivet."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("mandate"),
        FieldPanel("legal_basis"),
        FieldPanel("area"),
        MultiFieldPanel(
            [FieldPanel("secretariat_name"), FieldPanel("secretariat_email"), FieldPanel("secretariat_phone")],
            heading=_("Sekretariat"),
        ),
        FieldRowPanel([FieldPanel("term_start"), FieldPanel("term_end")], heading=_("Valgperiode")),
        InlinePanel("seat_groups", label=_("Pladsgrupper")),
        FieldPanel("body"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("approval_before_publishing")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("mandate"),
        index.SearchField("area"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["councils.CouncilIndexPage"]
    subpage_types = [
        "councils.MeetingPage",
        "councils.StatementPage",
        "consultations.HearingPage",
        "consultations.SurveyPage",
        "elections.ElectionPage",
    ]

    class Meta:
        verbose_name = _("råd eller udvalg")
        verbose_name_plural = _("råd og udvalg")

    def clean(self):
        super().clean()
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("Valgperioden skal slutte efter den starter.")})

    @property
    def secretariat_group_name(self):
        return f"Sekretariat: {self.title}"

    @property
    def editors_group_name(self):
        return f"Redaktører: {self.title}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.public_overview())
        return context

    def public_overview(self, on=None):
        """What the public council page shows: seats, members, meetings and statements."""
        on = on or timezone.localdate()
        memberships = list(self.memberships.select_related("seat_group").order_by("person_name"))
        current = [m for m in memberships if m.is_current_on(on)]
        groups = []
        for group in self.seat_groups.all():
            in_group = [m for m in current if m.seat_group_id == group.pk]
            groups.append(SeatGroupOverview(group, in_group))
        ungrouped = [m for m in current if m.seat_group_id is None]
        if ungrouped:
            groups.append(SeatGroupOverview(None, ungrouped))
        meetings = MeetingPage.objects.child_of(self).live().public()
        now = timezone.now()
        chair = next((m for m in current if m.role == Membership.Role.CHAIR), None)
        return {
            "seat_group_overviews": groups,
            "chair": chair,
            "former_members": sorted(
                (m for m in memberships if m.end_date and m.end_date < on), key=lambda m: m.end_date, reverse=True
            ),
            "upcoming_meetings": list(meetings.filter(starts_at__gte=now).order_by("starts_at")),
            "past_meetings": list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:10]),
            "statements": list(StatementPage.objects.child_of(self).live().public().order_by("-date")),
            "hearing_lists": list(self.hearing_lists.all()),
        }

    def composition_warnings(self, on=None):
        """Danish warnings for each seat group holding more or fewer members than its rule allows."""
        return SeatGroup.objects.filter(council=self).composition_warnings(on)


class SeatGroupOverview:
    """Current members of one seat group, the chair first and substitutes apart."""

    ROLE_ORDER = {"chair": 0, "vice_chair": 1, "member": 2}

    def __init__(self, seat_group, memberships):
        self.seat_group = seat_group
        self.name = seat_group.name if seat_group else _("Øvrige medlemmer")
        seated = [m for m in memberships if m.role != Membership.Role.SUBSTITUTE]
        self.members = sorted(seated, key=lambda m: (self.ROLE_ORDER.get(m.role, 9), m.person_name))
        self.substitutes = [m for m in memberships if m.role == Membership.Role.SUBSTITUTE]
        self.maximum = seat_group.maximum if seat_group else None
        self.minimum = seat_group.minimum if seat_group else None
        self.vacant = max(0, seat_group.maximum - len(self.members)) if seat_group else 0


class SeatGroupQuerySet(models.QuerySet):
    def with_seated_count(self, on=None):
        """Annotate ``seated``: current members holding a seat, counted in the same query."""
        on = on or timezone.localdate()
        current = (
            models.Q(memberships__start_date__lte=on)
            & (models.Q(memberships__end_date__isnull=True) | models.Q(memberships__end_date__gte=on))
            & models.Q(memberships__role__in=[r for r in Membership.Role.values if r != Membership.Role.SUBSTITUTE])
        )
        return self.annotate(seated=models.Count("memberships", filter=current))

    def composition_warnings(self, on=None):
        """The Danish warnings of every seat group here holding more or fewer members than its rule allows."""
        groups = self.with_seated_count(on).select_related("council").order_by("council__title", "sort_order")
        return [w for w in (g.composition_warning() for g in groups) if w]


class SeatGroup(Orderable):
    """A group of seats on a council, e.g. »Dansk Arbejdsgiverforening: op til 3«."""

    council = ParentalKey(CouncilPage, on_delete=models.CASCADE, related_name="seat_groups")
    name = models.CharField(_("navn"), max_length=200)
    minimum = models.PositiveSmallIntegerField(_("mindst"), default=0)
    maximum = models.PositiveSmallIntegerField(_("højst"))

    objects = SeatGroupQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("minimum"), FieldPanel("maximum")])]

    class Meta(Orderable.Meta):
        verbose_name = _("pladsgruppe")
        verbose_name_plural = _("pladsgrupper")

    def __str__(self):
        return f"{self.council.title}: {self.name}"

    def clean(self):
        super().clean()
        if self.maximum is not None and self.minimum is not None and self.minimum > self.maximum:
            raise ValidationError({"minimum": _("Mindstetallet kan ikke være større end højstetallet.")})

    def seated_count(self, on=None):
        """Current members holding a seat in this group (substitutes hold none)."""
        if on is None and hasattr(self, "seated"):
            return self.seated
        return self.memberships.current(on).seated().count()

    def composition_warning(self, on=None):
        """A Danish warning when the group holds more than its maximum or fewer than its minimum, else None.

        Editors are warned, never blocked: a council may be over- or under-full for a while.
        """
        count = self.seated_count(on)
        if count > self.maximum:
            return _("%(council)s: pladsgruppen »%(group)s« har %(count)s medlemmer, men højst %(maximum)s.") % {
                "council": self.council.title,
                "group": self.name,
                "count": count,
                "maximum": self.maximum,
            }
        if count < self.minimum:
            return _("%(council)s: pladsgruppen »%(group)s« har %(count)s medlemmer, men mindst %(minimum)s.") % {
                "council": self.council.title,
                "group": self.name,
                "count": count,
                "minimum": self.minimum,
            }
        return None


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(models.Q(start_date__lte=on), models.Q(end_date__isnull=True) | models.Q(end_date__gte=on))

    def former(self, on=None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)

    def upcoming(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__gt=on)

    def seated(self):
        """Members holding a seat: everyone but substitutes."""
        return self.exclude(role=Membership.Role.SUBSTITUTE)


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Formand")
        VICE_CHAIR = "vice_chair", _("Næstformand")
        MEMBER = "member", _("Medlem")
        SUBSTITUTE = "substitute", _("Suppleant")

    class Origin(models.TextChoices):
        APPOINTED = "appointed", _("Udpeget")
        NOMINATED = "nominated", _("Indstillet af organisation")
        ELECTED = "elected", _("Direkte valgt")
        POLITICAL = "political", _("Politisk valgt")

    council = models.ForeignKey(
        CouncilPage, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("råd")
    )
    person_name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    seat_group = models.ForeignKey(
        SeatGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("pladsgruppe"),
    )
    nominating_organisation = models.CharField(_("indstillet af"), max_length=200, blank=True)
    origin = models.CharField(_("hvordan"), max_length=20, choices=Origin.choices, default=Origin.APPOINTED)
    start_date = models.DateField(_("startdato"))
    end_date = models.DateField(_("slutdato"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        ordering = ["council", "person_name"]

    def __str__(self):
        return f"{self.person_name} ({self.get_role_display()}, {self.council.title})"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Slutdatoen skal ligge efter startdatoen.")})
        if self.seat_group_id and self.council_id and self.seat_group.council_id != self.council_id:
            raise ValidationError({"seat_group": _("Pladsgruppen hører til et andet råd.")})

    @property
    def is_current(self):
        return self.is_current_on(timezone.localdate())

    def is_current_on(self, day):
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class MeetingPage(Page):
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    location = models.CharField(_("sted"), max_length=255)
    is_open = models.BooleanField(_("åbent møde"), default=True)
    minutes_document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("referat (dokument)"),
    )
    minutes_text = RichTextField(_("referat"), blank=True, features=["h3", "bold", "italic", "link", "ul", "ol"])

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("location"),
        FieldPanel("is_open"),
        InlinePanel("agenda_items", label=_("Dagsordenspunkter")),
        MultiFieldPanel([FieldPanel("minutes_document"), FieldPanel("minutes_text")], heading=_("Referat")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("location"), index.SearchField("minutes_text")]
    parent_page_types = ["councils.CouncilPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Mødet skal slutte efter det starter.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["agenda"] = self.agenda_items.select_related("document", "document_2")
        context["council"] = self.get_parent()
        return context

    @property
    def council(self):
        return self.get_parent().specific

    @property
    def is_past(self):
        return (self.ends_at or self.starts_at) < timezone.now()


class AgendaItem(Orderable, ClusterableModel):
    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(_("overskrift"), max_length=255)
    description = models.TextField(_("beskrivelse"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bilag"),
    )
    document_2 = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bilag 2"),
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("document"), FieldPanel("document_2")]

    class Meta(Orderable.Meta):
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsordenspunkter")

    def __str__(self):
        return self.title

    @property
    def documents(self):
        return [d for d in (self.document, self.document_2) if d]


class StatementPage(TranslatablePageMixin, Page):
    # Editors translate these through »Oversættelser« (core.translated_pages).
    translatable_fields = ("title", "seo_title", "search_description", "subject", "body")

    date = models.DateField(_("dato"))
    subject = models.CharField(_("emne"), max_length=255)
    body = StreamField(BodyBlock(), verbose_name=_("udtalelse"))

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("subject"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("subject"), index.SearchField("body")]
    parent_page_types = ["councils.CouncilPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("udtalelse")
        verbose_name_plural = _("udtalelser")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["council"] = self.get_parent()
        return context


class HearingList(ClusterableModel, TimeStampedModel):
    """A fixed list of parties always consulted on a kind of matter (høringsliste)."""

    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    council = models.ForeignKey(
        CouncilPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hearing_lists",
        verbose_name=_("ejet af råd"),
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("council"), InlinePanel("parties")]

    class Meta:
        verbose_name = _("høringsliste")
        verbose_name_plural = _("høringslister")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartyKind(models.TextChoices):
    PERSON = "person", _("Privatperson")
    COMPANY = "company", _("Virksomhed")
    ORGANISATION = "organisation", _("Forening/organisation")
    COUNCIL = "council", _("Råd og nævn")
    AUTHORITY = "authority", _("Myndighed")


class HearingParty(Orderable):
    """A party on a hearing list (høringspart)."""

    hearing_list = ParentalKey(
        HearingList, on_delete=models.CASCADE, related_name="parties", verbose_name=_("høringsliste")
    )
    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=PartyKind.choices, default=PartyKind.ORGANISATION)
    email = models.EmailField(_("kontakt-e-mail"))
    council = models.ForeignKey(
        CouncilPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rådets side"),
    )
    active = models.BooleanField(_("aktiv"), default=True)
    # The language of the party's invitations and reminders (an association of Somali families is
    # invited in Somali), each language by its own name as in the site's language picker.
    language = models.CharField(
        _("sprog"),
        max_length=10,
        choices=languages.settings_languages(),
        default="da",
        help_text=_("Invitationer og påmindelser sendes på dette sprog."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("email"),
        FieldPanel("language"),
        FieldPanel("council"),
        FieldPanel("active"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("høringspart")
        verbose_name_plural = _("høringsparter")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing_list", "name"],
                name="unique_party_name_per_list",
                violation_error_message=_("Der står allerede en part med det navn på høringslisten."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The name as every form takes it (core.text): NFC, one line, no bidi controls."""
        super().clean()
        self.name = normalise(self.name)
        try:
            check_single_line(self.name)
        except ValidationError as error:
            raise ValidationError({"name": error.error_list}) from error


class CouncilSecretariat(models.Model):
    """The user groups, document collection and approval workflow that a council's secretariat works in.

    ``group`` (»Sekretariat: <council>«) may publish the council's pages and approves what the
    editors submit; ``editors`` (»Redaktører: <council>«) write and submit to ``workflow``
    (»Godkendelse i sekretariatet: <council>«, one group approval task for ``group``), or publish
    themselves when the council has switched approval off. Created automatically with the council
    page (see councils.permissions.ensure_secretariat); kept outside the page so that publishing an
    old revision cannot unlink it.
    """

    council = models.OneToOneField(
        CouncilPage, on_delete=models.CASCADE, related_name="secretariat", verbose_name=_("råd")
    )
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="council_secretariat", verbose_name=_("gruppe")
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("samling"),
    )
    editors = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_editors",
        verbose_name=_("redaktører"),
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("godkendelse"),
    )

    class Meta:
        verbose_name = _("sekretariat")
        verbose_name_plural = _("sekretariater")

    def __str__(self):
        return self.group.name
