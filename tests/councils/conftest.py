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
def roles(user_factory, mfa_user, valby, vesterbro):
    """The five roles of the permission tests. Secretariat users have MFA so they may use the admin."""
    from django.contrib.auth.models import AnonymousUser

    own, _ = mfa_user(email="valby@kommune.example")
    other, _ = mfa_user(email="vesterbro@kommune.example")
    factories.join_secretariat(own, valby)
    factories.join_secretariat(other, vesterbro)
    superuser, _ = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    return {
        "anonymous": AnonymousUser(),
        "citizen": user_factory(email="borger@example.org"),
        "own_secretariat": own,
        "other_secretariat": other,
        "superuser": superuser,
    }
