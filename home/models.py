from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock, PollsBlock
from core.translated_pages import TranslatablePageMixin

from .overview import home_overview


class HomePage(Page):
    intro = RichTextField(_("introduktion"), blank=True, features=["bold", "italic", "link"])
    polls = StreamField(
        PollsBlock(),
        blank=True,
        verbose_name=_("hurtige afstemninger"),
        help_text=_("Et spørgsmål med svarmuligheder, som besøgende kan stemme om på forsiden."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("polls")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("forside")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(home_overview())
        return context


class StandardPage(TranslatablePageMixin, Page):
    translatable_fields = ("title", "seo_title", "search_description", "introduction", "body")

    introduction = models.TextField(_("introduktion"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("indhold"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("standardside")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    contact_email = models.EmailField(_("kontakt-e-mail"), blank=True)
    contact_phone = models.CharField(_("kontakttelefon"), max_length=40, blank=True)
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tilgængelighedserklæring"),
    )
    about_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("om-side"),
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        PageChooserPanel("accessibility_page"),
        PageChooserPanel("about_page"),
    ]
    # Read with the settings in one query (Wagtail's for_site uses base_queryset): the footer links
    # to both pages on every page (home.context_processors).
    select_related = ("accessibility_page", "about_page")

    class Meta:
        verbose_name = _("indstillinger for sitet")
