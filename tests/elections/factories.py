"""Builders for election tests and browser journeys. Personal numbers here are invented."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import Collection, GroupPagePermission, Page

from core.demo import get_or_create_child
from councils.models import CouncilIndexPage, CouncilKind, CouncilPage
from elections import crypto
from elections.models import Candidate, ElectionGroup, ElectionPage, PollingPlace, Voter

PLACES = [("1", "Kulturhuset Nord"), ("2", "Biblioteket Syd"), ("3", "Medborgerhuset Vest")]


def council(home, title="Integrationsrådet", slug="integrationsraadet"):
    if Collection.get_first_root_node() is None:  # flushed by a transactional test
        Collection.add_root(name="Root")
    index, _ = get_or_create_child(home, CouncilIndexPage, "raad-og-udvalg", title="Råd og udvalg")
    page, _ = get_or_create_child(index, CouncilPage, slug, title=title, kind=CouncilKind.INTEGRATION)
    return page


def election(parent, slug="valg-2026", title="Valg til Integrationsrådet 2026", groups=(), places=PLACES, **fields):
    now = timezone.now()
    values = {
        "seats": 1,
        "substitutes": 1,
        "nominations_open_at": now - datetime.timedelta(days=20),
        "nominations_close_at": now - datetime.timedelta(days=2),
        "voting_opens_at": now - datetime.timedelta(days=1),
        "voting_closes_at": now + datetime.timedelta(days=7),
        "election_day": (now + datetime.timedelta(days=7)).date(),
        "term_start": datetime.date(2027, 1, 1),
        "term_end": datetime.date(2029, 12, 31),
    }
    values.update(fields)
    page = ElectionPage(
        title=title,
        slug=slug,
        groups=[ElectionGroup(name=name, seats=seats, substitutes=subs) for name, seats, subs in groups],
        polling_places=[PollingPlace(code=code, name=name, address=f"{name}vej 1") for code, name in places],
        **values,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return ElectionPage.objects.get(pk=page.pk)


def cpr(n, birth=datetime.date(1980, 5, 17)):
    """An invented personal number: the birth date then 9 and a running number (not a real person)."""
    return f"{birth:%d%m%y}-9{n:03d}"


def add_voters(election, count, start=0, birth=datetime.date(1980, 5, 17), group=None):
    """Put ``count`` invented voters on the roll; returns [(personal number, voter)]."""
    places = list(election.polling_places.all())
    out = []
    for i in range(start, start + count):
        number = cpr(i, birth)
        voter = Voter.objects.create(
            election=election,
            voter_key=crypto.voter_key(number),
            card_number=i + 1,
            name=f"Vælger {i}",
            birth_date=birth,
            polling_place=places[i % len(places)],
            group=group,
        )
        out.append((number, voter))
    return out


def candidate(election, name, group=None, status=Candidate.Status.APPROVED, number=None):
    return Candidate.objects.create(
        election=election,
        name=name,
        group=group,
        statement=f"Jeg hedder {name}.",
        languages="dansk",
        voter_key=crypto.voter_key(number or cpr(900 + Candidate.objects.count(), datetime.date(1970, 1, 1))),
        status=status,
    )


def nominating(parent, endorsers_required=2):
    """An election open for nominations (voting starts in six days) with six voters on its roll.

    Returns (election, [card numbers]).
    """
    now = timezone.now()
    election_page = election(
        parent,
        slug="anmeldelse",
        endorsers_required=endorsers_required,
        nominations_open_at=now - datetime.timedelta(days=1),
        nominations_close_at=now + datetime.timedelta(days=5),
        voting_opens_at=now + datetime.timedelta(days=6),
        voting_closes_at=now + datetime.timedelta(days=12),
    )
    return election_page, [number for number, _voter in add_voters(election_page, 6)]


def open_for_voting(election):
    election.freeze_roll()
    election.close_nominations()
    election.open_voting()
    return ElectionPage.objects.get(pk=election.pk)


def secretariat(user, council, name=None):
    """Give ``user`` Wagtail page permissions on ``council``'s subtree (like a secretariat group)."""
    group, _ = Group.objects.get_or_create(name=name or f"Test-sekretariat: {council.title}")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    page = Page.objects.get(pk=council.pk)
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    user.groups.add(group)
    return group
