"""Membership dates and seat-group composition: status derived from dates, warnings not blocks."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from councils.models import Membership

from . import factories

pytestmark = pytest.mark.django_db


def test_member_moves_to_former_when_end_date_passes_without_any_edit(client, valby):
    membership = factories.member(
        valby, "Karin Udløbsen", "Politiske partier", start=date(2024, 1, 1), end=date(2026, 12, 31)
    )
    with time_machine.travel(date(2026, 12, 31), tick=False):
        assert list(Membership.objects.current()) == [membership]
        assert not Membership.objects.former().exists()
        page = client.get(valby.url).content.decode()
        members, _, former = page.partition("Tidligere medlemmer")
        assert "Karin Udløbsen" in members
        assert "Karin Udløbsen" not in former
    with time_machine.travel(date(2027, 1, 1), tick=False):
        assert not Membership.objects.current().exists()
        assert list(Membership.objects.former()) == [membership]
        page = client.get(valby.url).content.decode()
        members, heading, former = page.partition("Tidligere medlemmer")
        assert heading
        assert "Karin Udløbsen" not in members
        assert "Karin Udløbsen" in former


def test_member_who_has_not_started_is_neither_current_nor_former(valby):
    factories.member(valby, "Ny Nielsen", start=date(2030, 1, 1))
    with time_machine.travel(date(2029, 6, 1), tick=False):
        assert not Membership.objects.current().exists()
        assert not Membership.objects.former().exists()
        assert Membership.objects.upcoming().count() == 1


def test_composition_warning_for_over_full_group(valby):
    group = factories.seat_group(valby, "Politiske partier")  # 2–3 seats
    for name in ("A Andersen", "B Bentsen", "C Carlsen", "D Dahl"):
        factories.member(valby, name, "Politiske partier")
    warning = group.composition_warning()
    assert warning == "Valby Lokaludvalg: pladsgruppen »Politiske partier« har 4 medlemmer, men højst 3."
    assert warning in valby.composition_warnings()


def test_composition_warning_for_under_full_group_and_none_when_within_rule(valby):
    group = factories.seat_group(valby, "Politiske partier")  # 2–3 seats
    factories.member(valby, "A Andersen", "Politiske partier")
    assert "mindst 2" in group.composition_warning()
    factories.member(valby, "B Bentsen", "Politiske partier")
    assert group.composition_warning() is None


def test_substitutes_and_former_members_hold_no_seat(valby):
    group = factories.seat_group(valby, "Politiske partier")
    for name in ("A Andersen", "B Bentsen", "C Carlsen"):
        factories.member(valby, name, "Politiske partier")
    factories.member(valby, "S Suppleant", "Politiske partier", role=Membership.Role.SUBSTITUTE)
    factories.member(valby, "F Fhv", "Politiske partier", end=date(2021, 1, 1))
    assert group.composition_warning() is None


def test_editor_is_warned_not_blocked_when_group_is_over_full(staff_client, valby):
    for name in ("A Andersen", "B Bentsen", "C Carlsen"):
        factories.member(valby, name, "Politiske partier")
    group = factories.seat_group(valby, "Politiske partier")
    response = staff_client.post(
        reverse("medlemskaber:add"),
        {
            "council": valby.pk,
            "person_name": "D Dahl",
            "role": "member",
            "origin": "political",
            "seat_group": group.pk,
            "nominating_organisation": "",
            "start_date": "2026-01-01",
            "end_date": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Membership.objects.filter(person_name="D Dahl").exists()
    assert "har 4 medlemmer, men højst 3" in response.content.decode()
    # The warning stays on the membership listing and on the council's edit view.
    assert "har 4 medlemmer, men højst 3" in staff_client.get(reverse("medlemskaber:index")).content.decode()
    edit = staff_client.get(reverse("wagtailadmin_pages:edit", args=[valby.pk]))
    assert "har 4 medlemmer, men højst 3" in edit.content.decode()


def test_membership_form_rejects_seat_group_of_another_council(staff_client, valby, vesterbro):
    group = factories.seat_group(valby, "Politiske partier")
    response = staff_client.post(
        reverse("medlemskaber:add"),
        {
            "council": vesterbro.pk,
            "person_name": "Forkert Gruppe",
            "role": "member",
            "origin": "appointed",
            "seat_group": group.pk,
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "Pladsgruppen hører til et andet råd." in response.content.decode()
    assert not Membership.objects.filter(person_name="Forkert Gruppe").exists()


def test_public_page_groups_members_chair_first_substitutes_apart_and_vacant_seats(client, valby):
    factories.member(valby, "Anna Andersen", "Lokale foreninger")
    factories.member(valby, "Ørn Østergaard", "Lokale foreninger", role=Membership.Role.CHAIR)
    factories.member(valby, "Sofie Suppleant", "Lokale foreninger", role=Membership.Role.SUBSTITUTE)
    factories.member(valby, "Per Politiker", "Politiske partier")
    overview = {g.name: g for g in valby.public_overview()["seat_group_overviews"]}
    associations = overview["Lokale foreninger"]  # 1–4 seats
    assert [m.person_name for m in associations.members] == ["Ørn Østergaard", "Anna Andersen"]
    assert [m.person_name for m in associations.substitutes] == ["Sofie Suppleant"]
    assert associations.vacant == 2
    assert overview["Politiske partier"].vacant == 2
    html = client.get(valby.url).content.decode()
    assert "Formand:</strong> Ørn Østergaard" in html
    assert html.index("Ørn Østergaard</strong>, formand") < html.index("Anna Andersen")
    assert "2 ledige pladser" in html
    assert "Suppleanter" in html
