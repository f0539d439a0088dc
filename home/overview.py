"""What the home page shows, built from live data of the other apps."""

from django.utils import timezone
from wagtail.models import Page

from consultations.models import HearingIndexPage, HearingPage, SurveyPage
from councils.models import CouncilPage
from elections.models import ElectionPage


def home_overview(limit=5):
    now = timezone.now()
    # The pages under a view restriction, read once for all five lists (Wagtail's public() reads
    # the restrictions again for each queryset: one query per list).
    private = Page.objects.private_q()

    def public(model):
        return model.objects.live().exclude(private)

    open_hearings = public(HearingPage).filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    hearing_index = public(HearingIndexPage).order_by("path").first()
    shown = list(open_hearings[:limit])
    return {
        "hearing_index_url": hearing_index.url if hearing_index else "",
        "open_hearings": shown,
        # Counted only when the list is full: fewer than the limit are all there are.
        "open_hearings_count": open_hearings.count() if len(shown) == limit else len(shown),
        "open_surveys": list(public(SurveyPage).open(now).order_by("closes_at")[:limit]),
        "current_elections": list(public(ElectionPage).current().order_by("voting_closes_at")[:limit]),
        "councils": list(public(CouncilPage).order_by("title")),
    }
