import pytest

from elections.models import Ballot, ElectionPage, Voter
from elections.verification import verify

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_verifies(home_page):
    from councils import demo as councils_demo
    from elections import demo

    councils_demo.load(home_page)
    demo.load(home_page)
    demo.load(home_page)
    assert ElectionPage.objects.count() == 2
    current = ElectionPage.objects.get(slug="valg-til-integrationsraadet-2026")
    earlier = ElectionPage.objects.get(slug="valg-til-integrationsraadet-2022")
    assert current.is_voting_open and current.voters.count() == 300 and current.groups.count() == 2
    assert current.polling_places.count() == 3
    assert current.find_voter_by_poll_card("DEMO-KORT-0001", current.voters.get(card_number=1).birth_date)
    assert earlier.published_at and Ballot.objects.filter(election=earlier).exists()
    assert verify(earlier).ok
    assert Voter.objects.count() == 540
    assert all(c.endorsements.count() == 2 for c in current.candidates.all())


def test_demo_skips_without_the_council(home_page):
    from io import StringIO

    from elections import demo

    out = StringIO()
    demo.load(home_page, stdout=out)
    assert "skipped" in out.getvalue()
    assert not ElectionPage.objects.exists()
