"""Admin for required consultees: the rules (snippets) and the check when a hearing is published.

A council's secretariat keeps the rules for its own council's hearings; administrators keep the
cross-council rules (no owner). The permission policy below asks ``consultations.permissions``
for every instance, so another secretariat neither lists nor opens a rule (404 on typed URLs).

Publishing a hearing (Wagtail's ``before_publish_page``, after the draft is saved) names every
rule's consultee that is neither on the hearing's lists nor invited; a »require« rule stops the
publication until the consultee is added or a reason is written on the hearing. After the editor's
publication (``after_publish_page``) the omissions and the reason are recorded.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from core.admin_scope import ScopedViewSetMixin
from core.permissions import CheckPermissionPolicy
from councils.models import CouncilPage
from councils.permissions import editable_councils

from .models import HearingPage, area_choices
from .permissions import can_change_consultee_rule, can_manage_consultee_rules, consultee_rules_for_user
from .rules import ConsulteeRule, RequiredConsulteesMissing, check_publishable, missing_consultees, record_omissions

# --- Permissions ------------------------------------------------------------------------------


register_permission_policy(
    ConsulteeRule,
    CheckPermissionPolicy(
        ConsulteeRule,
        may_use=can_manage_consultee_rules,
        may_change=can_change_consultee_rule,
        scope=consultee_rules_for_user,
    ),
    exact_class=True,
)


# --- Form and views ---------------------------------------------------------------------------


class ConsulteeRuleForm(WagtailAdminModelForm):
    """Owner: only councils the user may edit; a secretariat must pick one (cross-council is for administrators)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        councils = CouncilPage.objects.order_by("title")
        self.fields["consultee_council"].queryset = councils
        self.fields["issuing_council"].queryset = councils
        self.fields["owner"].queryset = editable_councils(user).order_by("title") if user else councils.none()
        self.is_administrator = bool(user and user.is_superuser)
        if not self.is_administrator:
            self.fields["owner"].required = True
            self.fields["owner"].empty_label = None
        self.fields["area"] = forms.ChoiceField(
            label=gettext_lazy("Område"),
            choices=[("", gettext_lazy("Alle områder")), *area_choices()],
            required=False,
            help_text=self.fields["area"].help_text,
        )

    def clean_owner(self):
        owner = self.cleaned_data.get("owner")
        if owner is None and not self.is_administrator:
            raise forms.ValidationError(
                _("Vælg det råd, reglen gælder for. Tværgående regler oprettes af en administrator.")
            )
        return owner


class RuleIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return consultee_rules_for_user(self.request.user).select_related("owner", "consultee_council")


class RuleCreateView(snippet_views.CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        if not can_change_consultee_rule(self.request.user, instance):
            raise Http404
        instance.save()
        return instance


class ConsulteeRuleViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = ConsulteeRule
    icon = "group"
    menu_label = gettext_lazy("Obligatoriske høringsparter")
    menu_order = 232
    add_to_admin_menu = True
    url_prefix = "obligatoriske-hoeringsparter"
    url_namespace = "consultations_rule"
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = RuleIndexView
    add_view_class = RuleCreateView
    scoped_views = ("edit", "delete", "history", "usage")
    object_allowed = can_change_consultee_rule
    list_display = [
        Column("consultee", label=gettext_lazy("Skal høres"), accessor="consultee"),
        Column("describe", label=gettext_lazy("Gælder"), accessor="describe"),
        Column(
            "owner", label=gettext_lazy("Regel for"), accessor=lambda r: r.owner.title if r.owner_id else _("Alle råd")
        ),
        Column("mode", label=gettext_lazy("Håndhævelse"), accessor="get_mode_display"),
        BooleanColumn("active", label=gettext_lazy("Aktiv")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("owner"),
            MultiFieldPanel(
                [FieldPanel("consultee_council"), FieldPanel("consultee_name")], heading=gettext_lazy("Skal høres")
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("topic"), FieldPanel("area")]),
                    FieldRowPanel([FieldPanel("issuing_council"), FieldPanel("matter_kind")]),
                ],
                heading=gettext_lazy("Når"),
            ),
            FieldPanel("mode"),
            FieldPanel("basis"),
            FieldPanel("active"),
        ],
        base_form_class=ConsulteeRuleForm,
    )

    def register_chooser_viewset(self):
        """No chooser: rules are never picked from other objects."""


register_snippet(ConsulteeRuleViewSet)


# --- On publishing a hearing --------------------------------------------------------------------


@hooks.register("before_publish_page")
def check_required_consultees(request, page):
    """The editor's answer before publishing: a »require« rule's omission without a written reason
    sends them back to the edit page with the rule named (the check ``HearingPage.publish`` makes; the
    edit view publishes without it, so this is the check there); other missing consultees are named in
    a warning."""
    if not isinstance(page, HearingPage):
        return None
    try:
        missing = check_publishable(page)
    except RequiredConsulteesMissing as refused:
        if page.live and page.live_revision_id is None:
            # Wagtail's create view adds a page it is about to publish as live before asking this hook:
            # refused, a new hearing must stay a draft, not appear on the site.
            Page.objects.filter(pk=page.pk).update(live=False)
            page.live = False
        messages.error(request, " ".join([*refused.messages, _("Dine ændringer er gemt som kladde.")]))
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    if not missing:
        return None
    names = ", ".join(m.name for m in missing)
    if (page.omitted_consultees_reason or "").strip():
        messages.warning(request, _("Udgivet uden %(names)s. Begrundelsen står i høringsnotatet.") % {"names": names})
    else:
        messages.warning(
            request,
            _(
                "Bemærk: %(names)s bør høres efter reglerne om obligatoriske høringsparter, men står ikke "
                "på høringens lister."
            )
            % {"names": names},
        )
    return None


@hooks.register("after_publish_page")
def record_required_consultee_omissions(request, page):
    """Record the left-out consultees and the reason after the editor publishes.

    Wagtail's edit view publishes with ``PublishPageRevisionAction`` itself, not through
    ``HearingPage.publish``, which records them on every other path (the create view, workflows,
    scheduled and bulk publishing, code); without this the editor's reason was neither stored, logged
    nor printed in the høringsnotat. Recording is idempotent: where both run, it is written and logged once."""
    if not isinstance(page, HearingPage) or not page.live:
        return None
    record_omissions(page, missing_consultees(page), request.user)
    return None


@hooks.register("before_bulk_action")
def check_required_consultees_in_bulk(request, action_type, objects, action_class_instance):
    """Bulk publishing of pages: refuse the whole action, naming each hearing and its missing consultees,
    instead of letting HearingPage.publish stop it half-way."""
    if action_type != "publish" or not issubclass(getattr(action_class_instance, "model", object), Page):
        return None
    refused = []
    for page in objects:
        page = page.specific
        if not isinstance(page, HearingPage):
            continue
        revision = page.get_latest_revision()
        try:
            check_publishable(revision.as_object() if revision else page)
        except RequiredConsulteesMissing as error:
            refused.append(f"{page.title}: {', '.join(m.name for m in error.missing)}")
    if not refused:
        return None
    messages.error(
        request,
        _(
            "Intet er udgivet. Disse høringer mangler obligatoriske høringsparter og en begrundelse for at "
            "udelade dem: %(hearings)s. Ret dem én ad gangen."
        )
        % {"hearings": "; ".join(refused)},
    )
    return redirect(action_class_instance.next_url)
