"""Small builders for council content, shared by the councils tests and browser journeys."""

from datetime import date, timedelta

import factory
import wagtail_factories
from django.utils import timezone

from councils.demo import make_document
from councils.models import (
    AgendaItem,
    CouncilIndexPage,
    CouncilKind,
    CouncilPage,
    CouncilSecretariat,
    HearingList,
    HearingParty,
    MeetingPage,
    Membership,
    SeatGroup,
    StatementPage,
)


def publish_new(page, create, extracted, **kwargs):
    """post_generation hook: a page the factory made is published through a revision, as an editor
    would; a page found again by its slug (django_get_or_create) is left as it is."""
    if create and extracted is not False and page.latest_revision_id is None:
        page.save_revision().publish()


class CouncilIndexPageFactory(wagtail_factories.PageFactory):
    title = "Råd og udvalg"
    slug = "raad-og-udvalg"
    published = factory.PostGeneration(publish_new)

    class Meta:
        model = CouncilIndexPage
        django_get_or_create = ("parent", "slug")
        skip_postgeneration_save = True


class CouncilPageFactory(wagtail_factories.PageFactory):
    """A council under ``parent`` (a council index); found again by its slug if it exists. The
    councils app gives it its secretariat group when it is saved (councils.signals)."""

    title = factory.Sequence(lambda n: f"Lokaludvalg {n}")
    kind = CouncilKind.LOCAL
    published = factory.PostGeneration(publish_new)

    class Meta:
        model = CouncilPage
        django_get_or_create = ("parent", "slug")
        skip_postgeneration_save = True


class MembershipFactory(factory.django.DjangoModelFactory):
    council = None  # required: MembershipFactory(council=page)
    person_name = factory.Sequence(lambda n: f"Medlem {n}")
    role = Membership.Role.MEMBER
    start_date = date(2020, 1, 1)
    end_date = None

    class Meta:
        model = Membership


class MeetingPageFactory(wagtail_factories.PageFactory):
    """A meeting a week from now, two hours long, published unless ``live=False`` (then a draft)."""

    title = "Rådsmøde"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    location = "Rådhuset, mødelokale 3"
    live = True

    class Meta:
        model = MeetingPage
        skip_postgeneration_save = True

    @factory.post_generation
    def revision(page, create, extracted, **kwargs):
        if create:
            revision = page.save_revision()
            if page.live:
                revision.publish()


class StatementPageFactory(wagtail_factories.PageFactory):
    title = "Udtalelse om budgettet"
    date = date(2026, 5, 1)
    subject = "Budget"
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>Rådet anbefaler forslaget.</p>"}])
    published = factory.PostGeneration(publish_new)

    class Meta:
        model = StatementPage
        django_get_or_create = ("parent", "slug")
        skip_postgeneration_save = True


def council_index(home):
    return CouncilIndexPageFactory(parent=home)


def council(index, title, slug, kind=CouncilKind.LOCAL, seat_groups=(), **fields):
    return CouncilPageFactory(
        parent=index,
        title=title,
        slug=slug,
        kind=kind,
        seat_groups=[SeatGroup(name=name, minimum=lo, maximum=hi) for name, lo, hi in seat_groups],
        **fields,
    )


def disability_council(index, **fields):
    """Handicaprådet (retssikkerhedsloven § 37 a) under ``index``."""
    return council(
        index,
        "Handicaprådet",
        "handicapraadet",
        kind=CouncilKind.DISABILITY,
        legal_basis="Retssikkerhedsloven § 37 a",
        **fields,
    )


def seat_group(council_page, name):
    return council_page.seat_groups.get(name=name)


def member(council_page, name, group=None, role=Membership.Role.MEMBER, start=None, end=None, **fields):
    return MembershipFactory(
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
    extra = {"starts_at": starts_at} if starts_at else {}
    return MeetingPageFactory(
        parent=council_page,
        slug=slug,
        title=title,
        agenda_items=[AgendaItem(title=item_title, document=doc) for item_title, doc in agenda],
        live=live,
        **extra,
        **fields,
    )


def statement(council_page, slug, title="Udtalelse om budgettet", **fields):
    return StatementPageFactory(parent=council_page, slug=slug, title=title, **fields)


def hearing_list(name, council_page=None, parties=()):
    hl = HearingList(name=name, council=council_page)
    hl.parties = [HearingParty(name=party, email=email) for party, email in parties]
    hl.save()
    return hl


def secretariat_group(council_page):
    """The group the councils app made for this council's secretariat when the page was created
    (councils.signals), with the page and collection permissions the app gives it."""
    return CouncilSecretariat.objects.select_related("group").get(council_id=council_page.pk).group


def join_secretariat(user, council_page):
    """Make the user a member of the council's secretariat: the app's group, never one made here."""
    user.groups.add(secretariat_group(council_page))
    return user
