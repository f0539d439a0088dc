import pytest

from . import factories


@pytest.fixture
def index(home_page):
    return factories.council_index(home_page)


@pytest.fixture
def valby(index):
    return factories.council(
        index,
        "Valby Lokaludvalg",
        "lokaludvalg-valby",
        area="Valby",
        seat_groups=[("Politiske partier", 2, 3), ("Lokale foreninger", 1, 4)],
    )


@pytest.fixture
def vesterbro(index):
    return factories.council(index, "Vesterbro Lokaludvalg", "lokaludvalg-vesterbro", area="Vesterbro")


@pytest.fixture
def roles(make_roles, valby, vesterbro):
    """The five roles of the permission tests: the own secretariat is Valby's, the other Vesterbro's."""
    return make_roles(valby, vesterbro, "valby@kommune.example", "vesterbro@kommune.example")
