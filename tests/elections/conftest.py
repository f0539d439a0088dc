import pytest

from . import factories


@pytest.fixture
def council(home_page):
    return factories.council(home_page)


@pytest.fixture
def election(council):
    return factories.election(council)


@pytest.fixture
def roles(user_factory, mfa_user, council, home_page):
    """anonymous, citizen, own secretariat, other secretariat, superuser."""
    from django.contrib.auth.models import AnonymousUser

    other_council = factories.council(home_page, title="Handicaprådet", slug="handicapraadet")
    own, _ = mfa_user(email="integration@kommune.example")
    other, _ = mfa_user(email="handicap@kommune.example")
    factories.secretariat(own, council)
    factories.secretariat(other, other_council)
    superuser, _ = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    return {
        "anonymous": AnonymousUser(),
        "citizen": user_factory(email="borger@example.org"),
        "own_secretariat": own,
        "other_secretariat": other,
        "superuser": superuser,
    }
