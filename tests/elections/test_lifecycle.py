"""The lifecycle survives revisions (must hold 6), and the stage is derived in one place."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from elections.models import ElectionPage, Stage

from . import factories

pytestmark = pytest.mark.django_db


def state(election):
    fresh = ElectionPage.objects.get(pk=election.pk)
    return {name: getattr(fresh, name) for name in ElectionPage.state_fields}


@pytest.fixture
def voting(council):
    """An election with a draft saved before any lifecycle step, then opened for voting with one vote cast."""
    election = factories.election(council, intro="<p>Første udgave</p>")
    first = election.live_revision
    election.intro = "<p>Kladde gemt før valglisten blev låst</p>"
    draft = election.save_revision()
    voters = factories.add_voters(election, 3)
    anna = factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    factories.cast(election, voters[0][1], anna)
    return election, first, draft, voters, anna


def test_publishing_an_earlier_revision_in_the_middle_of_voting_changes_no_lifecycle_field(voting):
    election, first, draft, voters, anna = voting
    before = state(election)
    assert before["voting_opened_at"] and before["roll_frozen_at"] and before["nominations_closed_at"]
    for revision in (draft, first):
        revision.publish()
        fresh = ElectionPage.objects.get(pk=election.pk)
        assert fresh.intro == revision.content["intro"], "the revision's content was published"
        assert state(election) == before
        assert fresh.stage == Stage.VOTING
        assert fresh.is_voting_open
    # Voting really goes on: the next voter can still cast.
    factories.cast(fresh, voters[1][1], anna)
    assert ElectionPage.objects.get(pk=election.pk).ballot_box.count == 2


def test_an_editors_next_draft_keeps_the_lifecycle(voting):
    election, _first, draft, _voters, _anna = voting
    before = state(election)
    # The edit view builds its form from the latest revision: it must show today's state, not the draft's.
    editing = ElectionPage.objects.get(pk=election.pk).get_latest_revision_as_object()
    assert {name: getattr(editing, name) for name in ElectionPage.state_fields} == before
    editing.title = "Valg til Integrationsrådet 2026 (rettet)"
    editing.save_revision().publish()
    assert state(election) == before


def test_scheduled_publishing_of_an_earlier_revision_keeps_voting_open(voting):
    election, _first, draft, _voters, _anna = voting
    before = state(election)
    draft.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    draft.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    fresh = ElectionPage.objects.get(pk=election.pk)
    assert fresh.intro == draft.content["intro"]
    assert state(election) == before
    assert fresh.is_voting_open


def test_a_copy_of_an_election_starts_without_its_lifecycle(voting, council):
    election, *_rest = voting
    copy = election.copy(to=council, update_attrs={"slug": "kopi", "title": "Kopi"}, keep_live=False)
    copy = ElectionPage.objects.get(pk=copy.pk)
    assert {name: getattr(copy, name) for name in ElectionPage.state_fields} == {
        "roll_frozen_at": None,
        "roll_fingerprint": "",
        "nominations_closed_at": None,
        "uncontested": False,
        "voting_opened_at": None,
        "closed_at": None,
        "counted_at": None,
        "published_at": None,
        "appointed_at": None,
    }
    assert copy.stage != Stage.VOTING


def test_stage_follows_the_lifecycle_and_labels_it(council):
    start = timezone.now().replace(microsecond=0)
    election = factories.election(
        council,
        nominations_open_at=start + datetime.timedelta(days=1),
        nominations_close_at=start + datetime.timedelta(days=5),
        voting_opens_at=start + datetime.timedelta(days=6),
        voting_closes_at=start + datetime.timedelta(days=10),
    )
    factories.add_voters(election, 2)

    def stage_now():
        fresh = ElectionPage.objects.get(pk=election.pk)
        return fresh.stage, str(fresh.status_label)

    with time_machine.travel(start, tick=False):
        assert stage_now() == (Stage.NOT_OPEN, "Afstemningen er ikke åbnet")
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        assert stage_now() == (Stage.NOMINATING, "Kandidatanmeldelsen er åben")
        factories.candidate(election, "Anna")
        factories.candidate(election, "Bo")
        factories.candidate(election, "Cem")
    with time_machine.travel(start + datetime.timedelta(days=5, hours=1), tick=False):
        assert stage_now()[0] == Stage.NOT_OPEN
        election.freeze_roll()
        election.close_nominations()
        factories.trustees(election)
        election.open_voting()  # opened ahead of time: voting starts at voting_opens_at
        assert stage_now()[0] == Stage.NOT_OPEN
    with time_machine.travel(start + datetime.timedelta(days=7), tick=False):
        assert stage_now() == (Stage.VOTING, "Afstemningen er åben")
    with time_machine.travel(start + datetime.timedelta(days=10), tick=False):
        # The period is over although nobody pressed »close«: the polls are closed for both channels.
        assert stage_now() == (Stage.CLOSED, "Afstemningen er lukket")
        assert ElectionPage.objects.get(pk=election.pk).polls_closed
        election.close()
        factories.decrypt(election)
        election.count()
        assert stage_now() == (Stage.COUNTED, "Stemmerne er optalt")
        election.publish_results()
        assert stage_now() == (Stage.PUBLISHED, "Resultatet er offentliggjort")


def test_closing_early_ends_voting_for_every_view(council):
    election = factories.election(council)
    factories.add_voters(election, 2)
    factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    assert list(ElectionPage.objects.voting_open()) == [election]
    election.close()
    fresh = ElectionPage.objects.get(pk=election.pk)
    assert fresh.stage == Stage.CLOSED and not fresh.is_voting_open and fresh.polls_closed
    assert list(ElectionPage.objects.voting_open()) == []


def test_uncontested_election_has_its_own_stage(council):
    election = factories.election(council, seats=2)
    factories.add_voters(election, 2)
    factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    election.freeze_roll()
    election.close_nominations()
    fresh = ElectionPage.objects.get(pk=election.pk)
    assert fresh.stage == Stage.UNCONTESTED
    assert str(fresh.status_label) == "Fredsvalg – alle kandidater er valgt"
    assert not fresh.is_voting_open


def test_the_voting_open_query_agrees_with_the_stage(council):
    now = timezone.now()
    elections = {
        "open": factories.open_for_voting(_with_candidates(factories.election(council, slug="aaben"))),
        "not opened": _with_candidates(factories.election(council, slug="ikke-aabnet")),
        "closed": factories.open_for_voting(_with_candidates(factories.election(council, slug="lukket"))),
        "period over": factories.open_for_voting(
            _with_candidates(
                factories.election(
                    council,
                    slug="forbi",
                    nominations_open_at=now - datetime.timedelta(days=10),
                    nominations_close_at=now - datetime.timedelta(days=4),
                    voting_opens_at=now - datetime.timedelta(days=3),
                    voting_closes_at=now + datetime.timedelta(hours=1),
                )
            )
        ),
    }
    elections["closed"].close()
    with time_machine.travel(now + datetime.timedelta(hours=2), tick=True):
        listed = set(ElectionPage.objects.voting_open().values_list("pk", flat=True))
        staged = {e.pk for e in ElectionPage.objects.all() if e.stage == Stage.VOTING}
        assert listed == staged == {elections["open"].pk}


def _with_candidates(election):
    factories.add_voters(election, 2, start=10 * ElectionPage.objects.count())
    factories.candidate(election, f"Anna {election.slug}")
    factories.candidate(election, f"Bo {election.slug}")
    return election
