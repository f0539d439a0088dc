"""The dashboard's »Det skal gøres« panel: what waits for the secretariat, scoped to its own councils."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from consultations.models import Access, HearingDecision, Invitation, Response, SurveyPanel, SurveyParticipation
from consultations.surveys.models import ParticipationKind
from home.dashboard import work_lists
from tests.consultations.factories import HearingFactory, ResponseFactory
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.councils import factories as councils
from tests.elections import factories as elections

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def valby(home_page):
    return councils.council(councils.council_index(home_page), "Valby Lokaludvalg", "lokaludvalg-valby")


@pytest.fixture
def vesterbro(home_page):
    return councils.council(councils.council_index(home_page), "Vesterbro Lokaludvalg", "lokaludvalg-vesterbro")


@pytest.fixture
def roles(make_roles, valby, vesterbro):
    return make_roles(valby, vesterbro, "valby@kommune.example", "vesterbro@kommune.example")


@pytest.fixture
def work(valby):
    """In Valby: an open hearing with two responses waiting, one published and one unsent invitation;
    a hearing past its deadline without høringsnotat and a deletion date in 10 days; a meeting held
    without minutes; an election whose roll is not locked."""
    now = timezone.now()
    open_hearing = HearingFactory(parent=valby, title="Trafik i Valby", opens_at=now - dt.timedelta(days=3))
    older = ResponseFactory(hearing=open_hearing, name="Anne Ager")
    Response.objects.filter(pk=older.pk).update(created_at=now - dt.timedelta(days=2))
    ResponseFactory(hearing=open_hearing, name="Bo Berg")
    ResponseFactory(hearing=open_hearing, name="Carl Cramer", published=True)
    hearing_list = councils.hearing_list("Foreninger i Valby", valby, parties=[("Valby Idrætsforening", "")])
    Invitation.objects.create(hearing=open_hearing, party=hearing_list.parties.get())
    ended = HearingFactory(
        parent=valby,
        title="Parker i Valby",
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=8),
        deletion_date=(now + dt.timedelta(days=10)).date(),
    )
    councils.meeting(valby, "moede-oktober", title="Møde i oktober", starts_at=now - dt.timedelta(days=5))
    councils.meeting(valby, "moede-december", title="Møde i december", starts_at=now + dt.timedelta(days=30))
    election = elections.election(
        valby,
        slug="valg",
        title="Valg til Valby Lokaludvalg",
        nominations_open_at=now + dt.timedelta(days=5),
        nominations_close_at=now + dt.timedelta(days=20),
        voting_opens_at=now + dt.timedelta(days=30),
        voting_closes_at=now + dt.timedelta(days=37),
    )
    elections.add_voters(election, 3)
    return {"open": open_hearing, "ended": ended, "election": election}


def _lists(user):
    return {w.key: w for w in work_lists(user)}


def test_the_secretariat_sees_what_waits_in_its_council(roles, work):
    lists = _lists(roles["own_secretariat"])
    [moderation] = lists["moderation"].items
    assert moderation.label == "Trafik i Valby"
    assert moderation.detail == "2 svar afventer moderation, det ældste fra 31. oktober 2026"
    assert moderation.url == (
        reverse("consultations_response:list") + f"?hearing={work['open'].pk}&status={Response.Status.RECEIVED}"
    )
    [summary] = lists["summary"].items
    assert (summary.label, summary.url) == (
        "Parker i Valby",
        reverse("consultations_admin_summary", args=[work["ended"].pk]),
    )
    [deletion] = lists["deletion"].items
    assert deletion.detail == "Svarenes persondata slettes 12. november 2026"
    [invitation] = lists["invitations"].items
    assert (invitation.label, invitation.detail) == ("Trafik i Valby", "1 invitation er ikke sendt")
    [minutes] = lists["minutes"].items
    assert minutes.label == "Møde i oktober"
    [election] = lists["elections"].items
    assert (election.label, election.detail, election.url) == (
        "Valg til Valby Lokaludvalg",
        "Valglisten er ikke låst",
        reverse("elections_admin:detail", args=[work["election"].pk]),
    )


@pytest.mark.parametrize("role", ["other_secretariat", "citizen"])
def test_another_council_and_a_citizen_see_nothing_of_it(roles, work, role):
    lists = _lists(roles[role])
    assert {key: w.items for key, w in lists.items()} == {
        "moderation": [],
        "summary": [],
        "decision": [],
        "deletion": [],
        "invitations": [],
        "survey_response": [],
        "minutes": [],
        "elections": [],
    }


def test_an_administrator_sees_every_council(roles, work):
    assert [i.label for i in _lists(roles["superuser"])["moderation"].items] == ["Trafik i Valby"]


def test_the_election_steps_follow_its_lifecycle(roles, work):
    election = work["election"]
    user = roles["own_secretariat"]
    election.freeze_roll()
    elections.candidate(election, "Dana Dahl", status="pending")
    elections.candidate(election, "Emil Enger", status="pending")
    assert _lists(user)["elections"].items[0].detail == "2 kandidater afventer godkendelse"
    election.candidates.update(status="approved")
    assert _lists(user)["elections"].items[0].detail == "Kandidatlisten lukkes efter 22. november 2026 kl. 11.00"


def test_the_panel_says_intet_at_goere_and_links_to_the_work(client, roles, work, vesterbro):
    client.force_login(roles["own_secretariat"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Det skal gøres" in html
    assert f'href="{reverse("consultations_admin_summary", args=[work["ended"].pk])}"' in html
    client.force_login(roles["other_secretariat"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert html.count("Intet at gøre") == 8
    assert "Trafik i Valby" not in html


def test_a_published_summary_without_a_decision_waits_until_the_decision_is_recorded(roles, valby):
    now = timezone.now()
    hearing = HearingFactory(
        parent=valby,
        title="Skolevej i Valby",
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=9),
    )
    with time_machine.travel(now - dt.timedelta(days=4), tick=False):
        hearing.conclude()
    user = roles["own_secretariat"]
    lists = _lists(user)
    assert lists["summary"].items == []  # the høringsnotat is out: no longer »after the deadline without«
    [item] = lists["decision"].items
    assert (item.label, item.url, item.detail) == (
        "Skolevej i Valby",
        reverse("consultations_admin_decision", args=[hearing.pk]),
        "Høringsnotatet blev offentliggjort 29. oktober 2026; beslutningen er ikke registreret",
    )
    assert _lists(roles["other_secretariat"])["decision"].items == []

    HearingDecision.objects.create(hearing=hearing, decided_on=dt.date(2026, 11, 1), outcome="adopted")
    assert _lists(user)["decision"].items == []


def _invite(survey, panel, count, answered, invited_at):
    for n in range(count):
        SurveyParticipation.objects.create(
            survey=survey,
            kind=ParticipationKind.INVITED,
            panel=panel,
            email=f"{panel.name.split()[-1].lower()}{n}@example.org",
            invited_at=invited_at,
            answered=n < answered,
        )


@pytest.fixture
def panel_survey(home_page, valby):
    """An open panel survey whose page Valby's secretariat may edit."""
    survey = make_survey(SurveyIndexPageFactory(parent=home_page), access=Access.PANEL, title="Brugertilfredshed 2026")
    GroupPagePermission.objects.create(
        group=councils.secretariat_group(valby), page=survey, permission=Permission.objects.get(codename="change_page")
    )
    return survey


def test_survey_panels_with_low_response_are_listed_lowest_share_first(roles, panel_survey):
    now = timezone.now()
    nord, syd, vest, ny = (SurveyPanel.objects.create(name=f"Panel {n}") for n in ("Nord", "Syd", "Vest", "Ny"))
    _invite(panel_survey, nord, 10, 2, now - dt.timedelta(days=5))  # 20 %: low
    _invite(panel_survey, syd, 10, 3, now - dt.timedelta(days=5))  # 30 %: not below the line
    _invite(panel_survey, vest, 20, 1, now - dt.timedelta(days=4))  # 5 %: low, lowest
    _invite(panel_survey, ny, 10, 0, now - dt.timedelta(days=1))  # invited yesterday: too early to tell
    items = _lists(roles["own_secretariat"])["survey_response"].items
    assert [(i.label, i.detail) for i in items] == [
        ("Brugertilfredshed 2026", "Panel Vest: 1 af 20 inviterede har svaret (5 %)"),
        ("Brugertilfredshed 2026", "Panel Nord: 2 af 10 inviterede har svaret (20 %)"),
    ]
    assert {i.url for i in items} == {reverse("consultations_admin_survey", args=[panel_survey.pk])}
    assert _lists(roles["other_secretariat"])["survey_response"].items == []


def test_a_closed_survey_is_no_longer_listed_for_low_response(roles, panel_survey):
    _invite(panel_survey, SurveyPanel.objects.create(name="Panel Nord"), 10, 1, timezone.now() - dt.timedelta(days=5))
    assert len(_lists(roles["own_secretariat"])["survey_response"].items) == 1
    type(panel_survey).objects.filter(pk=panel_survey.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))
    assert _lists(roles["own_secretariat"])["survey_response"].items == []
