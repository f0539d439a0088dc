import pytest

from . import factories


@pytest.fixture
def council(home_page):
    return factories.council(home_page)


@pytest.fixture
def election(council):
    return factories.election(council)


@pytest.fixture
def roles(make_roles, council, home_page):
    """anonymous, citizen, own secretariat, other secretariat, superuser."""
    other_council = factories.council(home_page, title="Handicaprådet", slug="handicapraadet")
    return make_roles(council, other_council, "integration@kommune.example", "handicap@kommune.example")
