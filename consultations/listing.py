"""The hearing index: filters (status, topic, area, issuing body), newest deadline first, pagination."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import ngettext
from taggit.models import Tag

from councils.models import CouncilPage

from .areas import area_choices
from .choices import HearingStatus

HEARINGS_PER_PAGE = 10
# Links made before the status values were English still filter.
LEGACY_STATUS = {"kommende": "upcoming", "aaben": "open", "afsluttet": "closed", "konkluderet": "concluded"}


def attach_issuing_councils(hearings):
    """Set ``issuing_council`` on each hearing with two queries at most, whatever their number."""
    steplen = 4
    parent_paths = {h.path[:-steplen] for h in hearings if not h.council_id}
    parents = {c.path: c for c in CouncilPage.objects.filter(path__in=parent_paths)} if parent_paths else {}
    for hearing in hearings:
        if hearing.council_id:
            hearing.__dict__["issuing_council"] = hearing.council
        else:
            hearing.__dict__["issuing_council"] = parents.get(hearing.path[:-steplen])
    return hearings


def issuing_body_choices(hearings):
    """(value, label) for every council or named committee that has issued a live hearing."""
    council_ids = set(hearings.exclude(council=None).values_list("council_id", flat=True))
    parent_paths = {p[:-4] for p in hearings.filter(council=None).values_list("path", flat=True)}
    councils = CouncilPage.objects.filter(pk__in=council_ids) | CouncilPage.objects.filter(path__in=parent_paths)
    choices = [(f"raad-{c.pk}", c.title) for c in councils.order_by("title")]
    committees = sorted(set(hearings.exclude(committee_name="").values_list("committee_name", flat=True)))
    choices += [(f"udvalg-{name}", name) for name in committees]
    return choices


def filter_by_issuing_body(hearings, value):
    if value.startswith("raad-") and value[5:].isdigit():
        council = CouncilPage.objects.filter(pk=int(value[5:])).first()
        if council is None:
            return hearings.none()
        return hearings.filter(
            Q(council=council) | Q(council=None, path__startswith=council.path, depth=council.depth + 1)
        )
    if value.startswith("udvalg-"):
        return hearings.filter(committee_name=value[7:])
    return hearings


def hearing_listing(request, base):
    """The index page's context: ``base`` is every hearing it may list (live, public)."""
    hearings = base
    selected = {
        "status": request.GET.get("status", ""),
        "emne": request.GET.get("emne", ""),
        "omraade": request.GET.get("omraade", ""),
        "afsender": request.GET.get("afsender", ""),
    }
    selected["status"] = LEGACY_STATUS.get(selected["status"], selected["status"])
    if selected["status"] in HearingStatus.values:
        hearings = hearings.with_status(selected["status"])
    else:
        selected["status"] = ""
    if selected["emne"]:
        hearings = hearings.filter(topics__slug=selected["emne"])
    if selected["omraade"] in dict(area_choices()):
        hearings = hearings.filter(area=selected["omraade"])
    else:
        selected["omraade"] = ""
    if selected["afsender"]:
        hearings = filter_by_issuing_body(hearings, selected["afsender"])
    hearings = hearings.with_response_count().select_related("council").order_by("-closes_at", "pk")
    page = Paginator(hearings, HEARINGS_PER_PAGE).get_page(request.GET.get("side"))
    page.object_list = attach_issuing_councils(list(page.object_list))
    topics = Tag.objects.filter(consultations_hearingpagetag_items__content_object__in=base).distinct().order_by("name")
    active = {k: v for k, v in selected.items() if v}
    return {
        "hearings": page,
        "page_obj": page,
        "selected": selected,
        "is_filtered": bool(active),
        "querystring_prefix": urlencode(active) + "&" if active else "",
        "status_choices": HearingStatus.choices,
        "topic_choices": [(t.slug, t.name) for t in topics],
        # Only a topic that exists has a feed: ?emne= can hold anything, even a »/« no address takes.
        "topic_feed": selected["emne"] in {t.slug for t in topics},
        "area_choices": area_choices(),
        "issuing_body_choices": issuing_body_choices(base),
        "result_label": ngettext("%(count)s høring", "%(count)s høringer", page.paginator.count)
        % {"count": page.paginator.count},
    }
