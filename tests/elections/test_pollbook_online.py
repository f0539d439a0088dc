"""The poll book against online voting: one person votes once, whichever channel comes first."""

import pytest
from django.urls import reverse

from elections.models import AuditLogEntry, Ballot, ElectionError, Voter
from elections.pollbook.access import officer_group_for
from elections.pollbook.checkin import check_in

from . import factories
from .races import race
from .test_pollbook import build_election


def vote_url(election, step):
    return reverse(f"elections:{step}", args=[election.pk])


@pytest.mark.django_db
def test_voter_checked_in_while_on_the_online_ballot_cannot_cast(client, home_page, mfa_user):
    election, places, voters, candidates, codes = build_election(home_page)
    officer, _secret = mfa_user(email="valgstyrer@kommune.example")
    officer.groups.add(officer_group_for(election))
    voter = voters[101]

    login = client.post(vote_url(election, "vote"), {"code": codes[101], "birth_date": "14-03-1980"})
    assert login["Location"] == vote_url(election, "ballot")
    assert "Fatima Ali" in client.get(vote_url(election, "ballot")).content.decode()

    # Meanwhile she shows up at her polling place and is checked in.
    check_in(election, voter.pk, places["1"], officer)

    response = client.post(vote_url(election, "cast"), {"candidate": candidates[0].pk, "cast": "1"})
    assert response.status_code == 403
    assert "Du har allerede stemt" in response.content.decode()
    assert Ballot.objects.filter(election=election).count() == 0
    assert Voter.objects.get(pk=voter.pk).voted_channel == Voter.Channel.PAPER


@pytest.mark.django_db
def test_online_login_of_a_checked_in_voter_is_refused(client, home_page, mfa_user):
    election, places, voters, _candidates, codes = build_election(home_page)
    officer, _secret = mfa_user(email="valgstyrer@kommune.example")
    check_in(election, voters[102].pk, places["1"], officer)
    response = client.post(vote_url(election, "vote"), {"code": codes[102], "birth_date": "02-11-1992"})
    assert response.status_code == 403
    assert "Du har allerede stemt" in response.content.decode()


def _race(jobs):
    """Run the jobs in threads released at the same moment; return what each returned or raised."""
    return race(jobs, refused=ElectionError)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_online_casts_and_check_ins_for_one_voter_give_exactly_one_vote(home_page, mfa_user):
    election, places, voters, candidates, _codes = build_election(home_page)
    officer, _secret = mfa_user(email="valgstyrer@kommune.example")
    voter = voters[103]
    jobs = []
    for i in range(50):
        if i % 2:
            jobs.append(lambda: factories.cast(election, voter, candidates[0]))
        else:
            jobs.append(lambda: check_in(election, voter.pk, places["1"], officer))
    results = _race(jobs)

    succeeded = [r for r in results if r[0] == "ok"]
    assert len(succeeded) == 1, results
    voter.refresh_from_db()
    ballots = Ballot.objects.filter(election=election).count()
    check_ins = AuditLogEntry.objects.filter(election=election, action="pollbook.checkin").count()
    assert ballots + check_ins == 1
    if voter.voted_channel == Voter.Channel.ONLINE:
        assert (ballots, voter.checked_in_at) == (1, None)
    else:
        assert voter.voted_channel == Voter.Channel.PAPER
        assert (ballots, check_ins, voter.checked_in_place) == (0, 1, places["1"])


@pytest.mark.django_db(transaction=True)
def test_simultaneous_check_ins_of_one_voter_check_in_once(home_page, mfa_user):
    election, places, voters, _candidates, _codes = build_election(home_page)
    officers = [mfa_user(email=f"valgstyrer{i}@kommune.example")[0] for i in range(10)]
    voter = voters[101]
    results = _race(
        [lambda officer=officer: check_in(election, voter.pk, places["1"], officer) for officer in officers]
    )
    assert [r[0] for r in results].count("ok") == 1, results
    assert AuditLogEntry.objects.filter(election=election, action="pollbook.checkin").count() == 1
    assert Voter.objects.filter(election=election, checked_in_at__isnull=False).count() == 1
