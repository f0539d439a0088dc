"""The demo loader: the councils of DOMAIN.md, idempotent."""

import io

import pytest
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model

from councils import demo
from councils.models import CouncilPage, HearingList, MeetingPage, Membership, StatementPage

pytestmark = pytest.mark.django_db


def counts():
    return (
        CouncilPage.objects.count(),
        Membership.objects.count(),
        MeetingPage.objects.count(),
        StatementPage.objects.count(),
        HearingList.objects.count(),
        get_document_model().objects.count(),
    )


def test_demo_loads_the_councils_once(home_page):
    out = io.StringIO()
    demo.load(home_page, stdout=out)
    first = counts()
    demo.load(home_page, stdout=io.StringIO())
    assert counts() == first
    assert out.getvalue().count("Council: ") == 15

    assert CouncilPage.objects.filter(kind="local").count() == 12
    integration = CouncilPage.objects.get(slug="integrationsraadet")
    assert integration.memberships.current().seated().count() == 20
    assert integration.memberships.former().exists()
    assert integration.seat_groups.filter(name="Direkte valgte medlemmer").exists()
    assert not integration.composition_warnings()

    disability = CouncilPage.objects.get(slug="handicapraadet")
    assert {(g.name, g.minimum, g.maximum) for g in disability.seat_groups.all()} == {
        ("Indstillet af Danske Handicaporganisationer", 3, 7),
        ("Udpeget af Borgerrepræsentationen", 3, 7),
    }
    assert disability.memberships.current().filter(role="chair").count() == 1

    employment = CouncilPage.objects.get(kind="employment")
    rules = {g.name: (g.minimum, g.maximum) for g in employment.seat_groups.all()}
    assert rules["Dansk Arbejdsgiverforening (DA)"] == (0, 3)
    assert rules["De Samvirkende Invalideorganisationer (DSI)"] == (0, 2)
    assert rules["Praktiserende Lægers Organisation (PLO)"] == (1, 1)
    assert sum(maximum for _minimum, maximum in rules.values()) == 15  # 1 + 3 + 3 + 1 + 1 + 2 + 1 + 1 + 2
    assert not any(c.composition_warnings() for c in CouncilPage.objects.all())

    assert Group.objects.filter(name__startswith="Sekretariat: ").count() == 15
    assert HearingList.objects.filter(council__isnull=False).count() == 3
    next_meeting = MeetingPage.objects.child_of(disability).get(slug="naeste-moede")
    assert any(item.document for item in next_meeting.agenda_items.all())
    pdf = get_document_model().objects.first()
    with pdf.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
