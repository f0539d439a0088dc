"""Builders for the secretariat tests: councils with their secretariat group, hearings under them.

The group »Sekretariat: <council>« and its page permissions are made here with get_or_create,
so the tests do not depend on the councils app's signal (which makes the same group).
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from core.demo import get_or_create_child
from councils.models import CouncilIndexPage, CouncilKind, CouncilPage, HearingList, HearingParty, PartyKind
from tests.consultations.factories import HearingFactory

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def council_index(home_page):
    index, _created = get_or_create_child(home_page, CouncilIndexPage, "raad-og-udvalg", title="Råd og udvalg")
    return index


def council_with_secretariat(home_page, title, slug, kind=CouncilKind.LOCAL):
    council, _created = get_or_create_child(council_index(home_page), CouncilPage, slug, title=title, kind=kind)
    group, _created = Group.objects.get_or_create(name=f"Sekretariat: {title}")
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=council, permission=permission)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return council, group


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
