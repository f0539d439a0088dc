"""User surveys (brugerundersøgelser): pages the secretariat builds, and the answers people give.

Anonymity by construction (DESIGN.md principle 4, same standard as ballots). For an anonymous
survey:

* an answer row (:class:`SurveyResponse`) has a random UUID, the survey, the panel (a group of
  at least the minimum group size before anything is shown) and the answers – no user,
  invitation, email, address, session or time;
* the »has answered« mark (:class:`SurveyParticipation`) is written in its own transaction;
  the answers go to :class:`PendingSurveyResponse` in a second transaction, and only when
  ``SURVEY_ANONYMOUS_BATCH`` (default 5) answers are waiting – or the survey closes – are they
  moved together, in one transaction, in an order given by their content alone, to
  ``SurveyResponse``. The final rows so share one transaction id (xmin) and their physical order
  says nothing about who answered first. While answers wait in the pending table (at most
  batch − 1 of them) their order and transaction ids are near those of the marks: that is the
  window we accept and the survey page describes;
* no draft is kept on the server while answering: the answers of earlier sections travel in a
  signed field of the form, never in the session. Only when the respondent asks to save and
  continue later is a draft kept, sealed with a key only the resume link holds, with no time or
  person on it, and deleted once the answer is sent (``consultations.surveys.drafts``).
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.log_actions import log
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.blocks import BodyBlock
from core.models import StateFieldsMixin
from core.translated_pages import TranslatablePageMixin

from ..areas import WHOLE_MUNICIPALITY, area_choices
from . import questions as q
from . import views
from .blocks import SurveyQuestionsBlock
from .choices import Access, ResultsRule, SurveyStatus
from .drafts import SurveyDraft  # noqa: F401 (a model of this app)
from .drafts import delete_for_survey as delete_drafts_of
from .responses import (  # noqa: F401 (models of this app, and names importers use)
    AlreadyAnswered,
    ParticipationKind,
    PendingSurveyResponse,
    SurveyExport,
    SurveyPanel,
    SurveyPanelMember,
    SurveyParticipation,
    SurveyResponse,
    export_upload_to,
    flush_pending,
    hash_token,
    store_answers,
)
from .translation import with_danish_conditions

__all__ = [
    "Access",
    "PendingSurveyResponse",
    "ResultsRule",
    "SurveyIndexPage",
    "SurveyPage",
    "SurveyPageTag",
    "SurveyDraft",
    "SurveyExport",
    "SurveyPanel",
    "SurveyPanelMember",
    "SurveyParticipation",
    "SurveyResponse",
    "SurveyStatus",
]


# The name migration 0006_surveys refers to.
survey_area_choices = area_choices


# --- Index ------------------------------------------------------------------------------------


class SurveyIndexPage(Page):
    """The list of surveys (open, upcoming, closed with results)."""

    intro = models.TextField(_("introduktion"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["consultations.SurveyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("oversigt over undersøgelser")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Every live survey of the site: those of the index itself and those a council's
        # secretariat made under its council page.
        surveys = SurveyPage.objects.descendant_of(self.get_parent()).live().public().specific()
        surveys = surveys.order_by("-opens_at")
        now = timezone.now()
        context["open_surveys"] = [s for s in surveys if s.status_at(now) == SurveyStatus.OPEN]
        context["other_surveys"] = [s for s in surveys if s.status_at(now) != SurveyStatus.OPEN]
        return context


# --- Survey -----------------------------------------------------------------------------------


class SurveyPageTag(TaggedItemBase):
    content_object = ParentalKey("consultations.SurveyPage", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("emne på undersøgelse")
        verbose_name_plural = _("emner på undersøgelser")


class SurveyPageQuerySet(PageQuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True)


SurveyPageManager = PageManager.from_queryset(SurveyPageQuerySet)


class SurveyPage(TranslatablePageMixin, StateFieldsMixin, RoutablePageMixin, Page):
    """A survey: questions in sections, who may answer, whether answers are anonymous, results."""

    # Translated per page and language through »Oversættelser« (core.translated_pages); the
    # questions' texts and option labels too, as answers store option ids (surveys/translation.py).
    translatable_fields = (
        "title",
        "seo_title",
        "search_description",
        "intro",
        "body",
        "questions",
        "privacy_text",
        "thanks_text",
    )
    untranslated_block_names = ("show_if_question", "show_if_answer")
    overlay_uncached = ("questionnaire",)

    intro = models.TextField(_("introduktion"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("baggrund"))
    questions = StreamField(SurveyQuestionsBlock(), blank=True, verbose_name=_("spørgsmål"))
    opens_at = models.DateTimeField(_("åbner"))
    closes_at = models.DateTimeField(_("lukker"))
    council = models.ForeignKey(
        "councils.CouncilPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_surveys",
        verbose_name=_("afsender (råd eller udvalg)"),
    )
    committee_name = models.CharField(_("afsender (navngivet udvalg)"), max_length=200, blank=True)
    topics = ClusterTaggableManager(through=SurveyPageTag, blank=True, verbose_name=_("emner"))
    area = models.CharField(_("område"), max_length=40, choices=area_choices, default=WHOLE_MUNICIPALITY)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontakt-e-mail"), blank=True)
    access = models.CharField(_("hvem må svare"), max_length=20, choices=Access.choices, default=Access.ANYONE)
    anonymous = models.BooleanField(
        _("anonyme svar"),
        default=True,
        help_text=_("Svarene gemmes uden forbindelse til person, invitation, tidspunkt eller rækkefølge."),
    )
    privacy_text = models.TextField(
        _("om dine oplysninger"), blank=True, help_text=_("Vises på undersøgelsen sammen med, hvad der gemmes.")
    )
    deletion_date = models.DateField(_("sletning af persondata"), null=True, blank=True)
    results_rule = models.CharField(
        _("offentliggørelse af resultater"), max_length=20, choices=ResultsRule.choices, default=ResultsRule.AFTER_CLOSE
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("mindste gruppestørrelse"),
        default=5,
        help_text=_("Resultater for færre svar end dette vises ikke (»for få svar«), heller ikke ved filtrering."),
    )
    previous_run = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_runs",
        verbose_name=_("forrige runde"),
        help_text=_("Samme undersøgelse tidligere år: resultaterne kan sammenlignes."),
    )
    thanks_text = models.TextField(
        _("tak-tekst"), blank=True, help_text=_("Hvad der sker nu. Vises efter svaret er sendt.")
    )
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(_("resultater offentliggjort"), null=True, blank=True, editable=False)

    objects = SurveyPageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at"), FieldPanel("deletion_date")]),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("council"), FieldPanel("committee_name")], heading=_("Afsender")),
        FieldPanel("topics"),
        FieldPanel("area"),
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_email")], heading=_("Kontakt")),
    ]
    question_panels = [FieldPanel("questions")]
    settings_tab = [
        FieldPanel("access"),
        FieldPanel("anonymous"),
        FieldPanel("privacy_text"),
        FieldPanel("results_rule"),
        FieldPanel("min_group_size"),
        FieldPanel("previous_run"),
        FieldPanel("thanks_text"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Indhold")),
            ObjectList(question_panels, heading=_("Spørgsmål")),
            ObjectList(settings_tab, heading=_("Svar og resultater")),
            ObjectList(Page.promote_panels, heading=_("Promovering")),
            ObjectList(Page.settings_panels, heading=_("Indstillinger")),
        ]
    )
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.FilterField("opens_at")]
    # Under the index (the administration's surveys) or under a council page: there the council's
    # secretariat group has page permissions, so it creates and runs its own surveys.
    parent_page_types = ["consultations.SurveyIndexPage", "councils.CouncilPage"]
    subpage_types = []

    state_fields = ("closed_at", "results_published_at")

    class Meta:
        verbose_name = _("undersøgelse")
        verbose_name_plural = _("undersøgelser")

    def save(self, *args, **kwargs):
        # Convert every question before saving: options given as plain lists (demo, imports) get
        # their ids now, once, instead of new random ones each time the page is loaded.
        for _child in self.questions:
            pass
        # A survey under a council page is issued by that council, whatever the form said.
        parent = self.get_parent() if self.path and self.depth and self.depth > 1 else None
        if parent is not None and parent.specific_class._meta.label == "councils.CouncilPage":
            self.council_id = parent.pk
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            errors["closes_at"] = _("Undersøgelsen skal lukke efter, den åbner.")
        if self.min_group_size is not None and self.min_group_size < 1:
            errors["min_group_size"] = _("Mindste gruppestørrelse skal være mindst 1.")
        if self.previous_run_id and self.previous_run_id == self.pk:
            errors["previous_run"] = _("En undersøgelse kan ikke være sin egen forrige runde.")
        if errors:
            raise ValidationError(errors)

    # -- routes (the views are consultations.surveys.views) --

    @path("")
    def answer_view(self, request):
        return views.answer(request, self)

    @path("svar/<str:token>/")
    def invited_view(self, request, token):
        return views.answer(request, self, token=token)

    @path("fortsaet/<str:draft>/")
    def resume_view(self, request, draft):
        return views.resume(request, self, draft)

    @path("gemt/send/")
    def email_draft_view(self, request):
        return views.email_draft(request, self)

    @path("tak/")
    def thanks_view(self, request):
        return views.thanks(request, self)

    @path("resultater/")
    def results_view(self, request):
        return views.public_results(request, self)

    # -- questionnaire --

    @cached_property
    def questionnaire(self):
        if self.content_source is not None:  # shown in a translation: the Danish page's conditions
            return with_danish_conditions(q.parse(self.questions), self.content_source.questionnaire)
        return q.parse(self.questions)

    # -- status (derived in one place) --

    def status_at(self, now=None):
        now = now or timezone.now()
        if self.closed_at or now >= self.closes_at:
            return SurveyStatus.CLOSED
        if now < self.opens_at:
            return SurveyStatus.UPCOMING
        return SurveyStatus.OPEN

    @property
    def status(self):
        return self.status_at()

    @property
    def status_label(self):
        return SurveyStatus(self.status).label

    @property
    def is_open(self):
        return self.status == SurveyStatus.OPEN

    @property
    def issuing_body_name(self):
        if self.committee_name:
            return self.committee_name
        return self.council.title if self.council_id else ""

    @property
    def results_are_public(self):
        return self.results_rule == ResultsRule.AFTER_CLOSE and self.results_published_at is not None

    # -- irreversible steps --

    def close(self, user=None):
        """Close before the deadline (or confirm the deadline passed): waiting anonymous answers are stored. Logged."""
        if self.closed_at:
            return False
        self.closed_at = timezone.now()
        with transaction.atomic():
            SurveyPage.objects.filter(pk=self.pk).update(closed_at=self.closed_at)
            log(instance=self, action="consultations.survey.close", user=user)
        flush_pending(self, force=True)
        delete_drafts_of(self)
        return True

    def publish_results(self, user=None):
        if self.results_published_at:
            return False
        if self.status != SurveyStatus.CLOSED:
            raise ValidationError(_("Resultaterne kan først offentliggøres, når undersøgelsen er lukket."))
        if self.results_rule == ResultsRule.NOT_PUBLISHED:
            raise ValidationError(_("Undersøgelsen er sat til, at resultaterne ikke offentliggøres."))
        flush_pending(self, force=True)
        self.results_published_at = timezone.now()
        with transaction.atomic():
            SurveyPage.objects.filter(pk=self.pk).update(results_published_at=self.results_published_at)
            log(instance=self, action="consultations.survey.publish_results", user=user)
        return True

    def copy_for_new_run(self, title, slug, opens_at, closes_at, user=None):
        """A new run of the same survey (same questions and option ids), linked to this one."""
        new = self.copy(
            update_attrs={
                "title": title,
                "slug": slug,
                "opens_at": opens_at,
                "closes_at": closes_at,
                "previous_run": self,
                "live": False,
            },
            keep_live=False,
            user=user,
            log_action="wagtail.copy",
        )
        return new
