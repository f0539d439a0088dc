"""Builders for the secretariat tests: councils with their secretariat group, hearings under them.

The group is the one the councils app makes with each council page (councils.signals), with the
permissions the app gives it: the tests see what a real secretariat sees.
"""

from core.demo import get_or_create_child
from councils.models import CouncilIndexPage, CouncilKind, CouncilPage, HearingList, HearingParty, PartyKind
from tests.consultations.factories import HearingFactory
from tests.councils.factories import secretariat_group


def council_index(home_page):
    index, _created = get_or_create_child(home_page, CouncilIndexPage, "raad-og-udvalg", title="Råd og udvalg")
    return index


def council_with_secretariat(home_page, title, slug, kind=CouncilKind.LOCAL):
    council, _created = get_or_create_child(council_index(home_page), CouncilPage, slug, title=title, kind=kind)
    return council, secretariat_group(council)


def join(user, group):
    user.groups.add(group)
    return user


def hearing_under(council, **fields):
    return HearingFactory(parent=council, **fields)


def hearing_list(name, parties, council=None):
    """A hearing list with parties given as (name, email) or (name, email, active)."""
    hl = HearingList.objects.create(name=name, council=council)
    for entry in parties:
        party_name, email, active = (*entry, True)[:3]
        HearingParty.objects.create(
            hearing_list=hl, name=party_name, email=email, kind=PartyKind.ORGANISATION, active=active
        )
    return hl
