"""Admin for councils: memberships, hearing lists with CSV import/export, composition warnings.

Secretariats see and change only their own councils' memberships and hearing lists: listings
are filtered through councils.permissions, and single-object views (edit, delete, history,
usage, inspect, copy) answer 404 for other councils' objects even on a typed URL.
"""

import django_filters
from django.contrib import messages
from django.db.models import Count
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from core.admin_scope import ScopedViewSetMixin, in_scope

from . import admin_views
from .models import CouncilPage, HearingList, Membership, SeatGroup
from .permissions import (
    CouncilScopedPermissionPolicy,
    editable_councils,
    hearing_lists_for_user,
    memberships_for_user,
)

register_permission_policy(Membership, CouncilScopedPermissionPolicy(Membership, memberships_for_user))
register_permission_policy(HearingList, CouncilScopedPermissionPolicy(HearingList, hearing_lists_for_user))

# --- Forms that offer only the user's own councils ------------------------------------------


class CouncilScopedForm(WagtailAdminModelForm):
    council_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if "council" in self.fields and user is not None:
            self.fields["council"].queryset = editable_councils(user).order_by("title")
            if not user.is_superuser and self.council_required:
                self.fields["council"].required = True


class MembershipForm(CouncilScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "seat_group" in self.fields:
            councils = self.fields["council"].queryset
            self.fields["seat_group"].queryset = SeatGroup.objects.filter(council__in=councils).select_related(
                "council"
            )


class HearingListForm(CouncilScopedForm):
    pass


class CompositionWarningsMixin:
    """Warn (never block) when a council's seat groups hold too many or too few members."""

    def composition_warnings(self, councils):
        for warning in SeatGroup.objects.filter(council__in=councils).composition_warnings():
            messages.warning(self.request, warning)


# --- Memberships -------------------------------------------------------------------------------


def _councils_of_request(request):
    return editable_councils(request.user if request else None).order_by("title")


class MembershipFilterSet(WagtailFilterSet):
    council = django_filters.ModelChoiceFilter(label=_("Råd"), queryset=_councils_of_request)

    class Meta:
        model = Membership
        fields = ["council", "role"]


class MembershipIndexView(CompositionWarningsMixin, ModelViewSet.index_view_class):
    def get_base_queryset(self):
        return memberships_for_user(self.request.user).select_related("council", "seat_group")

    def get(self, request, *args, **kwargs):
        if not getattr(self, "results_only", False):
            councils = editable_councils(request.user)
            council_filter = request.GET.get("council")
            if council_filter and council_filter.isdigit():
                councils = councils.filter(pk=council_filter)
            self.composition_warnings(councils)
        return super().get(request, *args, **kwargs)


class MembershipSaveWarningMixin(CompositionWarningsMixin):
    def save_instance(self):
        instance = super().save_instance()
        self.composition_warnings([instance.council])
        return instance


class MembershipCreateView(MembershipSaveWarningMixin, ModelViewSet.add_view_class):
    pass


class MembershipEditView(MembershipSaveWarningMixin, ModelViewSet.edit_view_class):
    pass


class MembershipViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("Medlemmer")
    menu_order = 210
    add_to_admin_menu = True
    name = "medlemskaber"
    list_display = ["person_name", "council", "seat_group", "role", "start_date", "end_date"]
    filterset_class = MembershipFilterSet
    search_fields = ["person_name", "nominating_organisation"]
    ordering = ["council__title", "person_name"]
    index_view_class = MembershipIndexView
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    object_allowed = in_scope(memberships_for_user)
    edit_handler = ObjectList(
        [
            FieldPanel("council"),
            FieldPanel("person_name"),
            FieldRowPanel([FieldPanel("role"), FieldPanel("origin")]),
            FieldPanel("seat_group"),
            FieldPanel("nominating_organisation"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        ],
        base_form_class=MembershipForm,
    )


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return MembershipViewSet()


# --- Hearing lists (snippets) ------------------------------------------------------------------


class HearingListIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return (
            hearing_lists_for_user(self.request.user).select_related("council").annotate(party_count=Count("parties"))
        )


class HearingListEditView(snippet_views.EditView):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Importér parter (CSV)"),
                url=reverse("councils_hearing_list_import", args=[self.object.pk]),
                icon_name="upload",
                priority=30,
            ),
            Button(
                _("Eksportér parter (CSV)"),
                url=reverse("councils_hearing_list_export", args=[self.object.pk]),
                icon_name="download",
                priority=40,
            ),
        ]


class HearingListViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = HearingList
    icon = "list-ul"
    menu_label = _("Høringslister")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "council", Column("party_count", label=_("Parter"), accessor="party_count")]
    search_fields = ["name", "description"]
    index_view_class = HearingListIndexView
    edit_view_class = HearingListEditView
    object_allowed = in_scope(hearing_lists_for_user)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("council"),
            InlinePanel("parties", label=_("Parter")),
        ],
        base_form_class=HearingListForm,
    )


register_snippet(HearingListViewSet)


@hooks.register("register_admin_urls")
def register_hearing_list_csv_urls():
    return [
        path(
            "hoeringslister/<int:pk>/importer/",
            admin_views.HearingListImportView.as_view(),
            name="councils_hearing_list_import",
        ),
        path(
            "hoeringslister/<int:pk>/eksporter/",
            admin_views.hearing_list_export,
            name="councils_hearing_list_export",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def hearing_list_csv_buttons(snippet, user, next_url=None):
    if isinstance(snippet, HearingList):
        yield ListingButton(
            _("Importér parter (CSV)"),
            reverse("councils_hearing_list_import", args=[snippet.pk]),
            icon_name="upload",
            priority=30,
        )
        yield ListingButton(
            _("Eksportér parter (CSV)"),
            reverse("councils_hearing_list_export", args=[snippet.pk]),
            icon_name="download",
            priority=40,
        )


# --- Council pages: composition warnings in the page editor -----------------------------------


@hooks.register("before_edit_page")
def warn_about_composition_before_edit(request, page):
    if request.method == "GET" and isinstance(page.specific, CouncilPage):
        for warning in page.specific.composition_warnings():
            messages.warning(request, warning)


@hooks.register("after_edit_page")
def warn_about_composition_after_edit(request, page):
    if isinstance(page.specific, CouncilPage):
        for warning in page.specific.composition_warnings():
            messages.warning(request, warning)
