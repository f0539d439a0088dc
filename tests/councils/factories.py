"""Small builders for council content, shared by the councils tests and browser journeys."""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from core.demo import get_or_create_child
from councils.demo import make_document
from councils.models import (
    AgendaItem,
    CouncilIndexPage,
    CouncilKind,
    CouncilPage,
    HearingList,
    HearingParty,
    MeetingPage,
    Membership,
    SeatGroup,
    StatementPage,
)


def council_index(home):
    index, _ = get_or_create_child(home, CouncilIndexPage, "raad-og-udvalg", title="Råd og udvalg")
    return index


def council(index, title, slug, kind=CouncilKind.LOCAL, seat_groups=(), **fields):
    page, _ = get_or_create_child(
        index,
        CouncilPage,
        slug,
        title=title,
        kind=kind,
        seat_groups=[SeatGroup(name=name, minimum=lo, maximum=hi) for name, lo, hi in seat_groups],
        **fields,
    )
    return page


def seat_group(council_page, name):
    return council_page.seat_groups.get(name=name)


def member(council_page, name, group=None, role=Membership.Role.MEMBER, start=None, end=None, **fields):
    return Membership.objects.create(
        council=council_page,
        person_name=name,
        seat_group=seat_group(council_page, group) if group else None,
        role=role,
        start_date=start or date(2020, 1, 1),
        end_date=end,
        **fields,
    )


def document(council_page, title="Bilag til punkt 1"):
    return make_document(council_page, title, ["Et lille bilag til dagsordenen."])


def meeting(council_page, slug, title="Rådsmøde", starts_at=None, agenda=(), live=True, **fields):
    """agenda: (title, document or None) pairs."""
    starts_at = starts_at or timezone.now() + timedelta(days=7)
    page = MeetingPage(
        slug=slug,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        location=fields.pop("location", "Rådhuset, mødelokale 3"),
        agenda_items=[AgendaItem(title=item_title, document=doc) for item_title, doc in agenda],
        live=live,
        **fields,
    )
    council_page.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


def statement(council_page, slug, title="Udtalelse om budgettet", **fields):
    page, _ = get_or_create_child(
        council_page,
        StatementPage,
        slug,
        title=title,
        date=fields.pop("date", date(2026, 5, 1)),
        subject=fields.pop("subject", "Budget"),
        body=[{"type": "paragraph", "value": "<p>Rådet anbefaler forslaget.</p>"}],
        **fields,
    )
    return page


def hearing_list(name, council_page=None, parties=()):
    hl = HearingList(name=name, council=council_page)
    hl.parties = [HearingParty(name=party, email=email) for party, email in parties]
    hl.save()
    return hl


def join_secretariat(user, council_page):
    """Make the user a member of the council's secretariat group (created with the council)."""
    group = Group.objects.get(name=council_page.secretariat_group_name)
    user.groups.add(group)
    return user
