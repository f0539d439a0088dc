"""What the home page shows, built from live data of the other apps."""

from django.utils import timezone

from consultations.models import HearingIndexPage, HearingPage, SurveyPage
from councils.models import CouncilPage
from elections.models import ElectionPage


def home_overview(limit=5):
    now = timezone.now()
    open_hearings = (
        HearingPage.objects.live().public().filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    )
    hearing_index = HearingIndexPage.objects.live().public().order_by("path").first()
    return {
        "hearing_index_url": hearing_index.url if hearing_index else "",
        "open_hearings": list(open_hearings[:limit]),
        "open_hearings_count": open_hearings.count(),
        "open_surveys": list(SurveyPage.objects.live().public().open(now).order_by("closes_at")[:limit]),
        "current_elections": list(ElectionPage.objects.live().public().current().order_by("voting_closes_at")[:limit]),
        "councils": list(CouncilPage.objects.live().public().order_by("title")),
    }
