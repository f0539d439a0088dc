"""Hearings (høringer): pages editors write, and what citizens and parties submit to them.

Status is derived from time (``opens_at``/``closes_at``) and from whether the hearing summary
is published. Irreversible steps are timestamps set by methods that write an audit log entry
(see ``consultations.audit`` for the registered actions).
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count, Exists, F, Func, Min, OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
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

from core.blocks import BodyBlock, PollBodyBlock
from core.cache import site_cached, unique_per_visitor
from core.models import StateFieldsMixin, TimeStampedModel
from core.storage import private_storage
from core.text import email_limit_key, name_key
from core.translated_pages import TranslatablePageMixin
from councils.models import CouncilPage, HearingParty
from users import mitid

from .areas import WHOLE_MUNICIPALITY, area_choices, district_choices, district_name  # noqa: F401  (used here and by importers)
from .campaigns import CampaignGrouping  # noqa: F401 (models of this app)
from .choices import HearingStatus, PublicationRule  # noqa: F401 (used here and by importers)
from .decisions import DecisionNotice, DecisionOutcome, HearingDecision, timeline  # noqa: F401 (models of this app)
from .digests import Digest, Frequency  # noqa: F401 (models of this app)
from .emails import ResponseConfirmationEmail, ResponseReceiptEmail
from .forms import ResponseForm
from .listing import hearing_listing
from .response_list import response_list_html
from .responses import (  # noqa: F401 (models of this app, and names importers use)
    HearingExport,
    Response,
    ResponseAttachment,
    ResponseQuerySet,
    attachment_upload_to,
    hash_token,
    new_submission_key,
    public_list_rows,
)
from .rules import (  # noqa: F401 (models of this app)
    ConsulteeOmission,
    ConsulteeRule,
    MatterKind,
    RequiredConsulteesMissing,
    check_publishable,
    record_omissions,
)
from .sections import DraftBlock, SectionComment, SectionNote, draft_chapters  # noqa: F401 (models of this app)
from .subscriptions import Subscription, SubscriptionNotification, SubscriptionQuerySet  # noqa: F401 (models of this app)

RESPONSES_PER_PAGE = 20


class ResponsePaginator(Paginator):
    """Numbered pages of a hearing's published responses (``public_responses()``, ordered) that cost
    about the same on the first page and the last.

    A page is read in one query as »the rows whose ids are the 20 at this offset«: PostgreSQL finds
    those ids (and the count) in the index ``response_public_page`` alone, then reads only the 20 rows
    shown. A plain OFFSET would read and throw away every full row before the page (77 ms for page
    951 of a hearing with 20,000 responses, against 6 ms this way).

    ``get_page`` reads the count in the same query, as a scalar subquery beside each row (evaluated
    once by the database, from the same snapshot as the rows): one query for a page that exists, and
    for an empty first page (no responses). A number past the last page, or below 1, falls back to
    Django's way (the count, then the page it settles on); so does a number above ``FAST_PAGES``,
    whose offset the database could not take (»?svar-side=99999999999999999999« is the last page).
    """

    FAST_PAGES = 1_000_000

    def get_page(self, number):
        if "count" not in self.__dict__ and not self.orphans:
            try:
                wanted = int(number)  # as Paginator.validate_number reads it
            except (TypeError, ValueError):
                wanted = 1  # Django's get_page: not a number -> the first page
            if 1 <= wanted <= self.FAST_PAGES:
                rows = self._rows(wanted, with_count=True)
                if rows or wanted == 1:
                    # An empty first page: there are no responses at all.
                    self.count = rows[0].public_count if rows else 0
                    return self._get_page(public_list_rows(rows), wanted, self)
        return super().get_page(number)

    def page(self, number):
        number = self.validate_number(number)
        return self._get_page(public_list_rows(self._rows(number)), number, self)

    def _rows(self, number, with_count=False):
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not with_count and top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        rows = Response.objects.filter(pk__in=ids).for_public_list().order_by(*self.object_list.query.order_by)
        if with_count:
            total = self.object_list.order_by().annotate(
                public_count=Func(F("pk"), function="COUNT", output_field=models.IntegerField())
            )
            rows = rows.annotate(public_count=Subquery(total.values("public_count")))
        return rows


SENT_SESSION_KEY = "consultations_response_sent"


def hearing_index_url():
    """The hearing index page's URL (cached for the site), or the front page."""
    return site_cached("hearing_index_url", _first_index_url)


def _first_index_url():
    index = HearingIndexPage.objects.live().first()
    return index.url if index else "/"


def _response_rate_limited(request, email):
    by_ip = is_ratelimited(
        request, group="consultations.response.ip", key="ip", rate=settings.HEARING_RESPONSE_RATE_IP, increment=True
    )
    by_email = is_ratelimited(
        request,
        group="consultations.response.email",
        key=lambda group, req: email_limit_key(email),
        rate=settings.HEARING_RESPONSE_RATE_EMAIL,
        increment=True,
    )
    return by_ip or by_email


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
        context = super().get_context(request, *args, **kwargs)
        context.update(hearing_listing(request, HearingPage.objects.live().public()))
        return context


# --- Hearing -------------------------------------------------------------------------------


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


class HearingPage(TranslatablePageMixin, StateFieldsMixin, Page):
    """A public hearing: a draft with documents, a period for responses, and later a summary."""

    # Editors translate these through »Oversættelser« (core.translated_pages).
    translatable_fields = ("title", "seo_title", "search_description", "summary", "body", "draft", "summary_body")

    summary = models.TextField(_("resumé"), blank=True, help_text=_("Kort tekst til oversigter og nyhedsfeeds."))
    body = StreamField(PollBodyBlock(), blank=True, verbose_name=_("indhold"))
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

    def publish(self, revision, user=None, changed=True, log_action=True, previous_revision=None, **kwargs):
        """Publications through ``revision.publish()`` pass here — the create view, scheduled publishing
        (``publish_scheduled``), bulk actions, workflows, code — so the required-consultee rules are
        enforced here, on the revision going live (Wagtail's edit view publishes with its own
        ``PublishPageRevisionAction`` instead: there the admin's before- and after-publish hooks check and
        record, see consultations.admin_rules): a »require« rule's consultee missing without a reason
        raises :class:`RequiredConsulteesMissing`, except when the scheduler publishes a revision whose
        time has come: then the schedule is withdrawn, the refusal logged and the page left unpublished,
        so the other scheduled pages still go live. The admin's before-publish hook runs the same check
        first to answer with a message on the edit page."""
        page = revision.as_object()
        try:
            missing = check_publishable(page)
        except RequiredConsulteesMissing as refused:
            due = revision.approved_go_live_at
            if due is None or due > timezone.now():
                raise
            type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            log(
                instance=self,
                action="consultations.publish_refused",
                user=user,
                data={"consultees": [m.name for m in refused.missing], "revision": revision.pk},
            )
            return None
        result = super().publish(
            revision, user=user, changed=changed, log_action=log_action, previous_revision=previous_revision, **kwargs
        )
        if not (page.go_live_at and page.go_live_at > timezone.now()):  # live now, not only scheduled
            record_omissions(page, missing, user)
        return result

    # Timestamps of irreversible steps: set by methods, never by publishing an older revision.
    state_fields = (
        "summary_published_at",
        "invitations_sent_at",
        "reminders_sent_at",
        "subscribers_notified_at",
        "responses_deleted_at",
    )

    # -- serving: the page shows itself and takes the response form's POST --

    def get_context(self, request, *args, form=None, **kwargs):
        """Everything the hearing page shows; a constant number of queries whatever the responses."""
        context = super().get_context(request, *args, **kwargs)
        context.update(
            {
                "documents": list(self.documents.select_related("document")),
                "topics": list(self.topics.all()),
                "issuing_body": self.issuing_body_name,
                "status": self.status,
                "HearingStatus": HearingStatus,
                "index_url": hearing_index_url(),
                "timeline": timeline(self),
            }
        )
        if self.is_open:
            if form is None:
                initial = {}
                if request.user.is_authenticated:
                    initial = {"email": request.user.email, "name": request.user.get_full_name()}
                form = ResponseForm(hearing=self, initial=initial, selected_sections=request.GET.getlist("afsnit"))
                # One submission key per visitor, also when the page comes from the page cache.
                unique_per_visitor(request, form.initial["submission_key"])
            context["form"] = form
        elif form is not None:
            context["late_form"] = form
        context["draft_chapters"] = self._draft_with_public_comments()
        if self.responses_are_public:
            paginator = ResponsePaginator(self.public_responses(), RESPONSES_PER_PAGE)
            context["responses"] = paginator.get_page(request.GET.get("svar-side"))
            context["response_list"] = response_list_html(context["responses"], self.is_concluded)
        if self.is_concluded:
            context["consulted_parties"] = self.consulted_parties()
        context.update(kwargs)
        return context

    def _draft_with_public_comments(self):
        """The numbered draft; under each section the published comments on it (when responses are public)."""
        chapters = draft_chapters(self.draft)
        if not chapters or not self.responses_are_public:
            return chapters
        by_id = {section.id: section for chapter in chapters for section in chapter.sections}
        comments = (
            SectionComment.objects.filter(response__in=self.public_responses(), section_id__in=list(by_id), text__gt="")
            .select_related("response", "response__party")
            .order_by("response__confirmed_at", "pk")
        )
        for comment in comments:
            by_id[comment.section_id].comments.append(comment)
        return chapters

    def render_with_form(self, request, form, status=200, **extra):
        context = self.get_context(request, form=form, **extra)
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            return self.submit_response(request)
        return super().serve(request, *args, **kwargs)

    def submit_response(self, request):
        """POST to the hearing page: validate, store once, email the confirmation link."""
        form = ResponseForm(request.POST, request.FILES, hearing=self)
        if form.is_spam:
            request.session[SENT_SESSION_KEY] = {"hearing": self.title, "url": self.url, "confirmed": False}
            return redirect("consultations:response_sent")
        if not self.is_open:
            form.is_valid()
            return self.render_with_form(request, form, status=400, submitted_after_deadline=True)
        if not form.is_valid():
            return self.render_with_form(request, form, files_dropped=form.has_uploaded_files)
        existing = Response.objects.filter(submission_key=form.cleaned_data["submission_key"]).first()
        if existing is None and _response_rate_limited(request, form.cleaned_data["email"]):
            form.add_error(
                None,
                _("Der er sendt for mange høringssvar på kort tid fra din forbindelse eller e-mail. Prøv igen senere."),
            )
            return self.render_with_form(request, form, status=429, files_dropped=form.has_uploaded_files)
        response, created = form.save(user=request.user, mitid_level=mitid.session_level(request))
        if created:
            if response.status == Response.Status.PENDING:
                ResponseConfirmationEmail.send(response)
            else:
                ResponseReceiptEmail.send(response)
        request.session[SENT_SESSION_KEY] = {
            "hearing": self.title,
            "url": self.url,
            "confirmed": response.status != Response.Status.PENDING,
        }
        return redirect("consultations:response_sent")

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
        # A party on several lists is one party: it has replied if it replied through any of them
        # (names compared as core.text.name_key: the same name in NFC and NFD is one party).
        merged = {}
        for party in parties:
            key = name_key(party.name)
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


# User surveys (consultations/surveys): imported here so Django finds their models.
from consultations.surveys.models import *  # noqa: E402, F403
