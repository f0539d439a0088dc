"""The secretariat's election admin: permission per role, the whole lifecycle, appointment, audit log."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from councils.models import Membership
from elections.models import AuditLogEntry, Ballot, ElectionPage, Voter
from elections.permissions import can_manage_election, can_publish_election

from . import factories

pytestmark = pytest.mark.django_db

EXPECTED = {
    "anonymous": False,
    "citizen": False,
    "own_secretariat": True,
    "other_secretariat": False,
    "superuser": True,
}


CPH = ZoneInfo("Europe/Copenhagen")


def seat_group_on_page(response, name):
    """(members, substitutes) as a council page lists them under the seat group ``name``."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find("h3", string=name)
    assert heading is not None, f"no seat group {name!r} on the page"
    section = heading.find_parent("section")
    members = [item.strong.get_text(strip=True) for item in section.select("ul.member-list:not(.substitutes) > li")]
    substitutes = [item.get_text(strip=True) for item in section.select("ul.substitutes > li")]
    return members, substitutes


def client_for(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", EXPECTED)
def test_permission_functions_per_role(roles, election, role):
    assert can_manage_election(roles[role], election) is EXPECTED[role]
    assert can_publish_election(roles[role], election) is EXPECTED[role]


@pytest.mark.parametrize("role", EXPECTED)
def test_admin_pages_per_role(client, roles, election, role):
    client = client_for(client, roles[role])
    response = client.get(reverse("elections_admin:detail", args=[election.pk]))
    if EXPECTED[role]:
        assert response.status_code == 200
        assert election.title in response.content.decode()
    elif role == "other_secretariat":
        # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
        assert response.status_code == 302 and response["Location"] == "/admin/"
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/"), "sent to log in or to set up two-factor login"
    factories.add_voters(election, 2)
    client.post(reverse("elections_admin:action", args=[election.pk, "freeze"]))
    frozen = ElectionPage.objects.get(pk=election.pk).roll_frozen_at is not None
    assert frozen is EXPECTED[role]
    index = client.get(reverse("elections_admin:index"))
    if EXPECTED[role]:
        assert election.title in index.content.decode()
    elif role == "other_secretariat":
        assert election.title not in index.content.decode()


def test_no_admin_view_edits_ballots_or_the_roll():
    from django.contrib import admin
    from wagtail import hooks
    from wagtail.snippets.models import get_snippet_models

    assert Ballot not in get_snippet_models() and Voter not in get_snippet_models()
    assert not admin.site.is_registered(Ballot) and not admin.site.is_registered(Voter)
    for hook in hooks.get_hooks("register_admin_viewset"):
        viewsets = hook()
        for viewset in viewsets if isinstance(viewsets, list | tuple) else [viewsets]:
            assert getattr(viewset, "model", None) not in (Ballot, Voter)


ROLL = (
    "personnummer;navn;fødselsdato;adresse;valgsted\n"
    "170580-9001;Amal Aziz;17-05-1980;Gade 1;1\n"
    "010290-9002;Bo Brun;01-02-1990;Gade 2;2\n"
    "150375-9003;Cem Celik;15-03-1975;Gade 3;3\n"
    "200601-9004;Dina Dahl;20-06-2001;Gade 4;1\n"
)
BAD_ROLL = ROLL + "2006-9005;Kort;20-06-2001;Gade 5;1\n" + "200620-9006;Ung;20-06-2020;Gade 6;7\n"


def upload(client, election, text, name="valgliste.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("elections_admin:roll_import", args=[election.pk]),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_whole_lifecycle_through_the_admin(client, roles, council):
    election = factories.election(council, seats=1, substitutes=1)
    client = client_for(client, roles["own_secretariat"])
    bad = upload(client, election, BAD_ROLL)
    html = bad.content.decode()
    assert "Linje 6:" in html and "Linje 7:" in html and "under 18 år på valgdagen; valgstedet »7« findes ikke" in html
    assert Voter.objects.count() == 0
    assert upload(client, election, ROLL).status_code == 302
    assert Voter.objects.count() == 4
    spreadsheet = upload(client, election, "PK\x03\x04 not really a csv", name="x.xlsx")
    assert "CSV-fil" in spreadsheet.content.decode()

    anna = factories.candidate(election, "Anna", status="pending")
    bo = factories.candidate(election, "Bo", status="pending")
    cem = factories.candidate(election, "Cem", status="pending")
    for step in ("freeze",):
        client.post(reverse("elections_admin:action", args=[election.pk, step]))
    for candidate in (anna, bo):
        client.post(reverse("elections_admin:approve", args=[election.pk, candidate.pk]))
    client.post(reverse("elections_admin:reject", args=[election.pk, cem.pk]), {"reason": "Ikke valgbar."})
    client.post(reverse("elections_admin:action", args=[election.pk, "close_nominations"]))
    factories.trustees(election)
    client.post(reverse("elections_admin:action", args=[election.pk, "open_voting"]))
    election = ElectionPage.objects.get(pk=election.pk)
    assert election.is_voting_open
    voters = list(Voter.objects.all())
    factories.cast(election, voters[0], anna)
    factories.cast(election, voters[1], anna)
    factories.cast(election, voters[2], bo)
    client.post(reverse("elections_admin:action", args=[election.pk, "close"]))
    factories.decrypt(election)
    for step in ("count", "publish"):
        response = client.post(reverse("elections_admin:action", args=[election.pk, step]))
        assert response.status_code == 302
    election = ElectionPage.objects.get(pk=election.pk)
    assert election.published_at is not None
    response = client.post(
        reverse("elections_admin:appoint", args=[election.pk]), {"start_date": "01-01-2027", "end_date": "31-12-2029"}
    )
    assert response.status_code == 302
    members = Membership.objects.filter(council=council, origin=Membership.Origin.ELECTED)
    assert {(m.person_name, m.role) for m in members} == {("Anna", "member"), ("Bo", "substitute")}
    assert {m.start_date for m in members} == {datetime.date(2027, 1, 1)}
    assert members.first().seat_group.name == "Direkte valgte medlemmer"
    # The council's public page lists them from the first day of the term: Anna in the seat, Bo as
    # her substitute. (Read from the seat group's lists only: the flash messages of the steps above,
    # »Anna er godkendt som kandidat.« among them, are on the next page the client renders.)
    with time_machine.travel(datetime.datetime(2027, 1, 4, 12, tzinfo=CPH), tick=False):
        public = Client().get(council.url)
    assert seat_group_on_page(public, "Direkte valgte medlemmer") == (["Anna"], ["Bo"])
    # A second appointment is refused and adds nothing.
    client.post(reverse("elections_admin:appoint", args=[election.pk]), {"start_date": "01-01-2027"})
    assert members.count() == 2
    actions = set(AuditLogEntry.objects.filter(election=election).values_list("action", flat=True))
    assert {
        "roll.import",
        "roll.freeze",
        "nomination.approve",
        "nomination.reject",
        "nominations.close",
        "voting.open",
        "voting.close",
        "tally.count",
        "results.publish",
        "appoint",
    } <= actions
    log = client.get(reverse("elections_admin:audit_log", args=[election.pk])).content.decode()
    assert "Kommunalbestyrelsens udpegning er registreret." in log


def test_other_secretariat_cannot_read_the_audit_log_or_appoint(client, roles, election):
    client = client_for(client, roles["other_secretariat"])
    log = client.get(reverse("elections_admin:audit_log", args=[election.pk]))
    assert log.status_code == 302 and log["Location"] == "/admin/"
    appoint = client.post(reverse("elections_admin:appoint", args=[election.pk]), {"start_date": "01-01-2027"})
    assert appoint.status_code == 302 and appoint["Location"] == "/admin/"
    assert not Membership.objects.exists()


def test_letters_download_from_the_admin(client, roles, election):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(client, roles["own_secretariat"])
    upload(client, election, ROLL)
    response = client.post(
        reverse("elections_admin:letters", args=[election.pk]),
        {"file": SimpleUploadedFile("v.csv", ROLL.encode()), "output": "csv", "language": "da"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Gade 1" in body
    assert Voter.objects.exclude(poll_card_code_hash="").count() == 4
    assert AuditLogEntry.objects.filter(action="pollcards.issue").exists()


def test_the_secretariat_appoints_trustees_and_voting_opens_only_with_the_joint_key(client, roles, council):
    election = factories.election(council, slug="noeglevalg")
    factories.add_voters(election, 3)
    factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    election.freeze_roll()
    election.close_nominations()
    client = client_for(client, roles["own_secretariat"])
    url = reverse("elections_admin:trustees", args=[election.pk])
    bad = client.post(url, {"name": "Uden adresse", "email": "ikke-en-adresse"})
    assert bad.status_code == 200 and "Uden adresse" in bad.content.decode(), "the form keeps what was typed"
    for i in (1, 2, 3):
        response = client.post(url, {"name": f"Tillid {i}", "email": f"T{i}@valg.example"})
        assert response.status_code == 302
    assert [t.email for t in election.trustees.order_by("index")] == [f"t{i}@valg.example" for i in (1, 2, 3)]
    assert election.ballot_box.setup == {"election": str(election.pk), "threshold": 2, "trustees": 3}
    assert (
        "Udpeg valgtillidsperson"
        not in client.get(reverse("elections_admin:detail", args=[election.pk])).content.decode()
    )
    # No key yet: voting does not open, with a clear message.
    response = client.post(reverse("elections_admin:action", args=[election.pk, "open_voting"]), follow=True)
    assert "Valgnøglen mangler" in response.content.decode()
    assert not ElectionPage.objects.get(pk=election.pk).voting_opened_at
    # Another secretariat cannot appoint trustees.
    other = client_for(client, roles["other_secretariat"])
    refused = other.post(url, {"name": "Indtrænger", "email": "x@valg.example"})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert election.trustees.count() == 3


def test_recording_the_appointment_ends_the_sitting_elected_members_term(client, roles, council):
    from councils.models import SeatGroup

    group = SeatGroup.objects.create(council=council, name="Direkte valgte medlemmer", minimum=0, maximum=1)
    sitting = Membership.objects.create(
        council=council,
        person_name="Siddende Medlem",
        role=Membership.Role.MEMBER,
        seat_group=group,
        origin=Membership.Origin.ELECTED,
        start_date=datetime.date(2023, 1, 1),
    )
    election = factories.election(council, slug="afloesning", seats=1, substitutes=0)
    voters = factories.add_voters(election, 3)
    anna = factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    factories.cast(election, voters[0][1], anna)
    election = factories.close_and_count(election, publish=True)
    client = client_for(client, roles["own_secretariat"])
    client.post(
        reverse("elections_admin:appoint", args=[election.pk]), {"start_date": "01-01-2027", "end_date": "31-12-2029"}
    )
    sitting.refresh_from_db()
    assert sitting.end_date == datetime.date(2026, 12, 31)
    group.refresh_from_db()
    assert group.maximum == 1, "the seat group is not over-filled"
    current = Membership.objects.filter(council=council, seat_group=group).current(datetime.date(2027, 6, 1))
    assert [m.person_name for m in current] == ["Anna"]


def test_the_trustee_page_is_only_for_the_appointed_trustee_with_a_verified_address(client, council, user_factory):
    election = factories.election(council, slug="tillidsside")
    factories.add_voters(election, 2)
    factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    election.freeze_roll()
    election.close_nominations()
    from elections import ceremony

    ceremony.appoint(election, "Tillid Et", "tillid@valg.example")
    url = reverse("elections:trustee", args=[election.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/konto/login/")
    client.force_login(user_factory(email="tillid@valg.example", verified=False))
    unverified = client.get(url)
    assert unverified.status_code == 403 and "Du er ikke udpeget som valgtillidsperson" in unverified.content.decode()
    client.force_login(user_factory(email="en.anden@valg.example"))
    assert client.get(url).status_code == 403
    client.force_login(user_factory(email="TILLID2@valg.example"))
    assert client.get(url).status_code == 403
    client.logout()
    user = user_factory(email="tillid3@valg.example")
    ceremony.appoint(election, "Tillid To", "Tillid3@valg.example")
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    assert "Sekretariatet har endnu ikke udpeget alle valgtillidsfolk" in page.content.decode()
    scripts = re.findall(r'<script src="/static/([^"]+)"', page.content.decode())
    assert scripts[-4:] == [
        "libsodium/libsodium-sumo.js",
        "libsodium/libsodium-wrappers.js",
        "elections/js/election-protocol.js",
        "elections/js/election-trustee.js",
    ], "the protocol's libraries, then the trustee's script"
