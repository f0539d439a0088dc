import datetime

import pytest
from django.utils import timezone

from elections.models import Ballot, ElectionPage, Voter
from elections.verification import verify

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_verifies(home_page, tmp_path, monkeypatch):
    from councils import demo as councils_demo
    from elections import demo

    monkeypatch.setenv("DEMO_TRUSTEE_KEYS_DIR", str(tmp_path / "keys"))

    councils_demo.load(home_page)
    demo.load(home_page)
    demo.load(home_page)
    assert ElectionPage.objects.count() == 2
    current = ElectionPage.objects.get(slug="valg-til-integrationsraadet-2026")
    earlier = ElectionPage.objects.get(slug="valg-til-integrationsraadet-2022")
    assert current.is_voting_open and current.voters.count() == 300 and current.groups.count() == 2
    assert current.polling_places.count() == 3
    # The clock times a secretariat would set: online voting from 9 until 20 on election day
    # (when the polling places close), nominations closing at noon (not the hour the demo ran).
    local = timezone.localtime
    assert (local(current.voting_opens_at).hour, local(current.voting_closes_at).hour) == (9, 20)
    assert local(current.voting_closes_at).date() == current.election_day
    assert (local(current.nominations_open_at).hour, local(current.nominations_close_at).hour) == (9, 12)
    assert current.find_voter_by_poll_card("DEMO-KORT-0001", current.voters.get(card_number=1).birth_date)
    assert earlier.published_at and Ballot.objects.filter(election=earlier).count() == 48
    report = verify(earlier)
    assert report.ok, report.problems
    assert report.stage == "final"
    # The 2026 election runs on the encrypted ballot box: 3 demo trustees made its key (2 of 3 decrypt).
    assert current.ballot_box.public_key and current.ballot_box.params["trustees"]["setup"]["threshold"] == 2
    assert [t.index for t in current.trustees.all()] == [1, 2, 3]
    files = sorted(p.name for p in (tmp_path / "keys").iterdir())
    assert files == sorted(f"{slug}-tillidsperson-{i}.json" for slug in (current.slug, earlier.slug) for i in (1, 2, 3))
    assert oct((tmp_path / "keys" / files[0]).stat().st_mode & 0o777) == "0o600"
    # Terms follow the municipal election period (2026–2029 and 2022–2025).
    assert current.term_end == datetime.date(2029, 12, 31)
    assert earlier.term_end == datetime.date(2025, 12, 31)
    assert Voter.objects.count() == 540
    assert all(c.endorsements.count() == 2 for c in current.candidates.all())


def test_demo_skips_without_the_council(home_page):
    from io import StringIO

    from elections import demo

    out = StringIO()
    demo.load(home_page, stdout=out)
    assert "skipped" in out.getvalue()
    assert not ElectionPage.objects.exists()


def test_demo_key_files_are_not_in_git():
    import subprocess

    ignored = subprocess.run(["git", "check-ignore", ".demo-trustee-keys/x.json"], capture_output=True, check=False)
    assert ignored.returncode == 0, "the demo trustees' key files must never be committed"
