"""Wagtail admin for hearings: moderation of responses, invitations, summary and exports.

Responses are administered through a SnippetViewSet (list with filters, read and moderate,
enter a late response, bulk publish / withhold). Its permission policy follows the page
tree: whoever may edit a hearing page may see and moderate its responses — no model
permissions are needed, and nobody else sees them (listings filtered, typed URLs 404).
"""

import django_filters
from django import forms
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from core.admin_buttons import register_page_button
from core.admin_scope import ScopedViewSetMixin, in_scope
from core.permissions import CheckPermissionPolicy
from core.text import PostcodeField, SingleLineField
from councils.models import HearingParty, PartyKind
from users import mitid

from . import admin_rules, admin_views
from .campaigns import signature
from .forms import AttachmentsField, attachments_help_text, store_attachments
from .models import HearingPage, Response
from .notices import DailyNoticeSettingsPanel
from .permissions import (
    can_manage_hearing,
    can_moderate_response,
    hearings_for_user,
    may_use_responses,
    responses_for_user,
)

# --- Permission policy ------------------------------------------------------------------------


register_permission_policy(
    Response,
    CheckPermissionPolicy(
        Response,
        may_use=may_use_responses,
        may_change=can_moderate_response,
        scope=responses_for_user,
        delete_superusers_only=True,
    ),
    exact_class=True,
)


# --- Filters ------------------------------------------------------------------------------------


def _user_hearings(request):
    if request is None:
        return HearingPage.objects.none()
    return hearings_for_user(request.user).order_by("title")


def _user_parties(request):
    if request is None:
        return HearingParty.objects.none()
    return (
        HearingParty.objects.filter(hearing_list__hearings__in=hearings_for_user(request.user))
        .distinct()
        .order_by("name")
    )


class ResponseFilterSet(WagtailFilterSet):
    hearing = django_filters.ModelChoiceFilter(label=_("Høring"), queryset=_user_hearings)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Response.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Udtaler sig som"), choices=PartyKind.choices)
    is_late = django_filters.ChoiceFilter(
        label=_("Modtaget efter fristen"),
        choices=[("true", _("Ja")), ("false", _("Nej"))],
        method="filter_late",
    )
    party = django_filters.ModelChoiceFilter(label=_("Høringspart"), queryset=_user_parties)

    class Meta:
        model = Response
        fields = []

    def filter_late(self, queryset, name, value):
        return queryset.filter(is_late=value == "true")


# --- Views ----------------------------------------------------------------------------------------


class ResponseIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        same_group = (
            Response.objects.filter(hearing=OuterRef("hearing"), campaign_group=OuterRef("campaign_group"))
            .order_by()
            .values("campaign_group")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            responses_for_user(self.request.user)
            .select_related("hearing", "party")
            .defer("text", "redacted_text", "text_signature")
            .annotate(campaign_size=Subquery(same_group, output_field=IntegerField()))
        )

    @cached_property
    def columns(self):
        columns = list(super().columns)
        title = self._get_title_column_class(TitleColumn)(
            "display_name", label=_("Afsender"), accessor="display_name", get_url=self.get_edit_url
        )
        columns.insert(2, title)  # after the bulk checkbox and the number
        if not mitid.is_configured():  # without a MitID broker nothing of MitID is shown
            columns = [column for column in columns if column.name != "mitid_level"]
        return columns


class ResponseEditView(snippet_views.EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.object
        context.update(
            {
                "response": response,
                "attachments": list(response.attachments.all()),
                "section_comments": list(response.section_comments.all()),
                "publish_url": reverse("consultations_admin_response_publish", args=[response.pk]),
                "withhold_url": reverse("consultations_admin_response_withhold", args=[response.pk]),
                "hearing_admin_url": reverse("consultations_admin_hearing", args=[response.hearing_id]),
                "show_mitid": bool(response.mitid_level) or mitid.is_configured(),
            }
        )
        return context

    def save_instance(self):
        redacted_changed = "redacted_text" in self.form.changed_data
        instance = super().save_instance()
        if redacted_changed:
            instance.redact(instance.redacted_text, self.request.user)
        return instance


class LateResponseForm(WagtailAdminModelForm):
    """A response entered by the secretariat (a letter, or one that came after the deadline).

    Its attachments are checked by the same field as the public form's (count, size, content).
    """

    attachments = AttachmentsField(
        help_text=format_lazy(
            "{} {}", attachments_help_text(), _("Browseren glemmer valgte filer, hvis formularen vises med fejl.")
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Names and the postcode are checked as on the public form (core.text).
        for name in ("name", "organisation_name"):
            field = self.fields[name]
            self.fields[name] = SingleLineField(
                label=field.label, max_length=field.max_length, required=field.required, help_text=field.help_text
            )
        self.fields["postcode"] = PostcodeField(label=self.fields["postcode"].label, required=False)
        user = getattr(self, "for_user", None)
        hearings = hearings_for_user(user) if user else HearingPage.objects.none()
        self.fields["hearing"].queryset = hearings.order_by("-closes_at")
        self.fields["party"].queryset = (
            HearingParty.objects.filter(hearing_list__hearings__in=hearings).distinct().order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        party, hearing = cleaned.get("party"), cleaned.get("hearing")
        if party and hearing and not hearing.hearing_lists.filter(pk=party.hearing_list_id).exists():
            self.add_error("party", _("Parten står ikke på høringens høringslister."))
        if (
            cleaned.get("kind")
            and cleaned["kind"] != PartyKind.PERSON
            and not (party or cleaned.get("organisation_name"))
        ):
            self.add_error("organisation_name", _("Skriv organisationens navn, eller vælg en part fra høringslisten."))
        return cleaned


class LateResponseCreateView(snippet_views.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        hearing_id = self.request.GET.get("hearing", "")
        if hearing_id.isdigit() and hearings_for_user(self.request.user).filter(pk=hearing_id).exists():
            initial["hearing"] = int(hearing_id)
        return initial

    def save_instance(self):
        instance = self.form.save(commit=False)
        hearing = instance.hearing.specific
        if not can_manage_hearing(self.request.user, hearing):
            raise Http404
        instance.status = Response.Status.RECEIVED
        instance.confirmed_at = timezone.now()
        instance.is_late = hearing.is_past_deadline
        instance.moderated_by = self.request.user
        instance.text_signature = signature(instance.text)  # grouped with the others without a cold regroup
        instance.save()  # form_valid runs this in a transaction: the files and the response or nothing
        store_attachments(instance, self.form.cleaned_data.get("attachments"))
        return instance


def _campaign_label(response):
    size = getattr(response, "campaign_size", None)
    if response.campaign_group is None or not size or size < 2:
        return ""
    return ngettext("%(count)d enslydende svar", "%(count)d enslydende svar", size) % {"count": size}


class ResponseViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Response
    icon = "comment"
    menu_label = _("Høringssvar")
    menu_order = 231
    add_to_admin_menu = True
    url_prefix = "hoeringssvar"
    url_namespace = "consultations_response"
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = ResponseFilterSet
    search_fields = ["name", "organisation_name", "text"]
    list_per_page = 50
    ordering = ["-confirmed_at", "-pk"]
    index_view_class = ResponseIndexView
    add_view_class = LateResponseCreateView
    edit_view_class = ResponseEditView
    scoped_views = ("edit", "delete", "history", "usage")
    object_allowed = in_scope(responses_for_user)
    edit_template_name = "consultations/admin/response_edit.html"

    list_display = [
        Column("number", label=_("Nr."), accessor=lambda r: f"{r.pk:04d}"),
        Column("hearing", label=_("Høring"), accessor="hearing"),
        Column("kind", label=_("Udtaler sig som"), accessor="get_kind_display"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        BooleanColumn("is_late", label=_("For sent")),
        Column(
            "mitid_level", label=_("MitID"), accessor=lambda r: r.get_mitid_level_display() if r.mitid_level else ""
        ),
        Column("campaign", label=_("Enslydende"), accessor=lambda r: _campaign_label(r)),
        DateColumn("confirmed_at", label=_("Modtaget")),
    ]

    edit_handler = ObjectList(
        [
            FieldPanel(
                "redacted_text",
                heading=_("Offentliggjort tekst (redigeret)"),
                help_text=_(
                    "Fjern fx adresse, CPR-nummer eller helbredsoplysninger. Den oprindelige tekst gemmes "
                    "til sekretariatet. Tom: den oprindelige tekst offentliggøres."
                ),
            ),
            FieldPanel("summary", heading=_("Resumé af svaret (til høringsnotatet)")),
            FieldPanel("administration_comment", heading=_("Forvaltningens bemærkning (til høringsnotatet)")),
        ]
    )
    add_handler = ObjectList(
        [
            FieldPanel(
                "hearing",
                widget=forms.Select,
                help_text=_("Svar, der tilføjes efter høringsfristen, markeres automatisk som modtaget for sent."),
            ),
            FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
            FieldRowPanel([FieldPanel("postcode"), FieldPanel("district")]),
            MultiFieldPanel(
                [FieldPanel("kind"), FieldPanel("organisation_name"), FieldPanel("party")],
                heading=_("Jeg udtaler mig som"),
            ),
            FieldPanel("text"),
            FieldPanel("attachments"),
            FieldPanel("consent"),
        ],
        base_form_class=LateResponseForm,
    )

    @cached_property
    def _add_handler(self):
        return self.add_handler.bind_to_model(self.model)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(
            panel=self._add_handler, form_class=self._add_handler.get_form_class(), **kwargs
        )

    def register_chooser_viewset(self):
        """No chooser: responses are never picked from other objects (and must not be listed there)."""


register_snippet(ResponseViewSet)

assert admin_rules.ConsulteeRuleViewSet  # registered there: rules and the check when a hearing is published


# --- Bulk actions ---------------------------------------------------------------------------------


class ResponseBulkAction(BulkAction):
    """A bulk action on responses; its confirmation page (bulk_confirm.html) shows the texts in ``confirm``:
    title, intro (above the list), button, and where they differ from a moderation's (``MODERATION``): icon,
    button_class, nothing (when no selected response may be acted on)."""

    models = [Response]
    template_name = "consultations/admin/bulk_confirm.html"
    MODERATION = {"icon": "comment", "button_class": "", "nothing": _("Ingen af de valgte svar kan modereres af dig.")}
    confirm = {}
    #: The message after the action: ``ngettext_lazy(singular, plural, "count")``, formatted with the count.
    success = None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "confirm": {**self.MODERATION, **self.confirm}}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success % {"count": num_parent_objects}

    def get_actionable_objects(self):
        """Only the user's own hearings' responses; others are silently left out (nothing leaks)."""
        ids = self.request.GET.getlist("id")
        queryset = responses_for_user(self.request.user).select_related("hearing", "party")
        if "all" not in ids:
            queryset = queryset.filter(pk__in=[i for i in ids if i.isdigit()])
        objects = [r for r in queryset if self.check_perm(r)]
        return objects, {"items_with_no_access": []}

    def get_all_objects_in_listing_query(self, parent_id):
        return responses_for_user(self.request.user).values_list("pk", flat=True)

    def check_perm(self, obj):
        return can_moderate_response(self.request.user, obj)

    def object_context(self, obj):
        return {"item": obj, "edit_url": reverse("consultations_response:edit", args=[obj.pk])}

    def get_execution_context(self):
        return {"user": self.request.user, "form": self.cleaned_form}

    @staticmethod
    def moderate_each(objects, moderate):
        """Apply ``moderate`` to each response except unconfirmed ones; return (count, 0) for Wagtail."""
        count = 0
        for response in objects:
            if response.status == Response.Status.PENDING:
                continue
            moderate(response)
            count += 1
        return count, 0


class PublishResponsesBulkAction(ResponseBulkAction):
    display_name = _("Offentliggør")
    action_type = "publish"
    aria_label = _("Offentliggør valgte høringssvar")
    confirm = {
        "title": _("Offentliggør høringssvar"),
        "intro": _("Disse svar offentliggøres på høringens side (efter høringens regel for offentliggørelse):"),
        "button": _("Ja, offentliggør"),
    }
    success = ngettext_lazy(
        "%(count)d høringssvar er offentliggjort.", "%(count)d høringssvar er offentliggjort.", "count"
    )
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return cls.moderate_each(objects, lambda response: admin_views.publish_response(response, user))


class WithholdResponsesBulkAction(ResponseBulkAction):
    display_name = _("Offentliggør ikke")
    action_type = "withhold"
    aria_label = _("Offentliggør ikke valgte høringssvar")
    confirm = {
        "title": _("Offentliggør ikke høringssvar"),
        "intro": _("Disse svar vises ikke på hjemmesiden. Afsenderne får begrundelsen på e-mail:"),
        "button": _("Offentliggør ikke"),
    }
    success = ngettext_lazy(
        "%(count)d høringssvar offentliggøres ikke. Afsenderne har fået besked.",
        "%(count)d høringssvar offentliggøres ikke. Afsenderne har fået besked.",
        "count",
    )
    form_class = admin_views.WithholdForm
    action_priority = 20

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        reason = form.cleaned_data["reason"]
        return cls.moderate_each(objects, lambda response: admin_views.withhold_response(response, reason, user))


class DeleteResponsesBulkAction(ResponseBulkAction):
    """Replaces the generic snippet delete for responses: superusers only, nothing listed for others."""

    display_name = _("Slet")
    action_type = "delete"
    aria_label = _("Slet valgte høringssvar")
    confirm = {
        "title": _("Slet høringssvar"),
        "icon": "bin",
        "intro": _("Disse svar og deres bilag slettes permanent:"),
        "button": _("Ja, slet"),
        "button_class": "serious",
        "nothing": _("Kun administratorer kan slette høringssvar."),
    }
    success = ngettext_lazy("%(count)d høringssvar er slettet.", "%(count)d høringssvar er slettet.", "count")
    action_priority = 90
    classes = {"serious"}

    def check_perm(self, obj):
        return bool(self.request.user.is_superuser)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        with transaction.atomic():
            count = Response.objects.filter(pk__in=[o.pk for o in objects]).delete()[1].get(Response._meta.label, 0)
        return count, 0


hooks.register("register_bulk_action", PublishResponsesBulkAction)
hooks.register("register_bulk_action", WithholdResponsesBulkAction)
# After the generic snippet delete (order 0), so this one wins for responses.
hooks.register("register_bulk_action", DeleteResponsesBulkAction, order=100)


# --- Secretariat pages ------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_consultation_admin_urls():
    return [
        path("hoeringer-sekretariat/", admin_views.hearing_overview, name="consultations_admin_hearings"),
        path("hoeringer-sekretariat/<int:pk>/", admin_views.hearing_detail, name="consultations_admin_hearing"),
        path(
            "hoeringer-sekretariat/<int:pk>/invitationer/",
            admin_views.invitations_view,
            name="consultations_admin_invitations",
        ),
        path("hoeringer-sekretariat/<int:pk>/notat/", admin_views.summary_view, name="consultations_admin_summary"),
        path(
            "hoeringer-sekretariat/<int:pk>/beslutning/", admin_views.decision_view, name="consultations_admin_decision"
        ),
        path(
            "hoeringer-sekretariat/<int:pk>/enslydende/",
            admin_views.campaigns_view,
            name="consultations_admin_campaigns",
        ),
        path("hoeringer-sekretariat/<int:pk>/eksport.csv", admin_views.export_csv, name="consultations_admin_csv"),
        path("hoeringer-sekretariat/<int:pk>/eksport.xlsx", admin_views.export_xlsx, name="consultations_admin_xlsx"),
        path("hoeringer-sekretariat/<int:pk>/bilag.zip", admin_views.export_zip, name="consultations_admin_zip"),
        path("hoeringer-sekretariat/<int:pk>/eksport/", admin_views.export_start, name="consultations_admin_export"),
        path(
            "hoeringer-sekretariat/eksport/<int:pk>/hent/",
            admin_views.export_download,
            name="consultations_admin_export_download",
        ),
        path(
            "hoeringssvar-moderation/<int:pk>/offentliggoer/",
            admin_views.response_publish,
            name="consultations_admin_response_publish",
        ),
        path(
            "hoeringssvar-moderation/<int:pk>/offentliggoer-ikke/",
            admin_views.response_withhold,
            name="consultations_admin_response_withhold",
        ),
        path(
            "hoeringssvar-moderation/bilag/<int:pk>/",
            admin_views.attachment_download,
            name="consultations_admin_attachment",
        ),
    ]


class HearingAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return may_use_responses(request.user)


@hooks.register("register_admin_menu_item")
def register_hearing_admin_menu_item():
    return HearingAdminMenuItem(
        _("Høringer (sekretariat)"),
        reverse("consultations_admin_hearings"),
        name="hoeringer-sekretariat",
        icon_name="clipboard-list",
        order=230,
    )


register_page_button(HearingPage, _("Svar, invitationer og notat"), "consultations_admin_hearing", can_manage_hearing)


@hooks.register("register_account_settings_panel")
def register_daily_notice_panel(request, user, profile):
    return DailyNoticeSettingsPanel(request, user, profile)


# User surveys register their own admin hooks.
from consultations.surveys import wagtail_hooks as _survey_hooks  # noqa: E402, F401
