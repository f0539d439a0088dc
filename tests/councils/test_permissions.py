"""One check per action, for anonymous, citizen, own secretariat, other secretariat and superuser."""

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import transaction
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from core import permissions as core_permissions
from councils import permissions
from councils.models import CouncilPage, CouncilSecretariat, HearingList
from tests.conftest import FIXED_NOW, create_roles
from users.models import User

from . import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "own_secretariat", "other_secretariat", "superuser"]
MAY_EDIT = {
    "anonymous": False,
    "citizen": False,
    "own_secretariat": True,
    "other_secretariat": False,
    "superuser": True,
}


@pytest.fixture(scope="module")
def _councils_and_roles(django_db_setup, django_db_blocker):
    """Valby's and Vesterbro's councils under a council index, with the five roles, built once for
    this module instead of once per test (two council pages and five users were most of each
    test's set-up: 45 tests). Built at FIXED_NOW, as a test's own fixtures would be, in a
    transaction that is rolled back when the module is done; each test runs in a savepoint inside
    it, so what a test changes is undone as before. Tests get fresh copies (valby, vesterbro,
    roles below): nothing a test does to its objects reaches the next one."""
    from home.demo import load_site
    from home.models import HomePage

    with django_db_blocker.unblock(), time_machine.travel(FIXED_NOW, tick=True), transaction.atomic():
        index = factories.council_index(HomePage.objects.first() or load_site())
        valby = factories.council(
            index,
            "Valby Lokaludvalg",
            "lokaludvalg-valby",
            area="Valby",
            seat_groups=[("Politiske partier", 2, 3), ("Lokale foreninger", 1, 4)],
        )
        vesterbro = factories.council(index, "Vesterbro Lokaludvalg", "lokaludvalg-vesterbro", area="Vesterbro")
        roles = create_roles(valby, vesterbro, "valby@kommune.example", "vesterbro@kommune.example")
        yield {"valby": valby.pk, "vesterbro": vesterbro.pk, "roles": {role: user.pk for role, user in roles.items()}}
        transaction.set_rollback(True)


@pytest.fixture
def valby(db, _councils_and_roles):
    return CouncilPage.objects.get(pk=_councils_and_roles["valby"])


@pytest.fixture
def vesterbro(db, _councils_and_roles):
    return CouncilPage.objects.get(pk=_councils_and_roles["vesterbro"])


@pytest.fixture
def roles(db, _councils_and_roles):
    """anonymous, citizen, own_secretariat (Valby's), other_secretariat (Vesterbro's), superuser."""
    users = User.objects.in_bulk(pk for pk in _councils_and_roles["roles"].values() if pk is not None)
    return {role: users[pk] if pk is not None else AnonymousUser() for role, pk in _councils_and_roles["roles"].items()}


@pytest.fixture
def content(valby):
    return {
        "council": valby,
        "meeting": factories.meeting(valby, "moede"),
        "statement": factories.statement(valby, "udtalelse"),
        "hearing_list": factories.hearing_list("Høringsliste: Valby", valby, [("Valby Idrætsforening", "a@b.example")]),
    }


def fresh(user):
    """Page permissions are cached on the user object; a new request has a new one."""
    return type(user).objects.get(pk=user.pk) if user.is_authenticated else user


def test_creating_a_council_creates_its_secretariat_group(valby):
    secretariat = CouncilSecretariat.objects.get(council=valby)
    assert secretariat.group.name == "Sekretariat: Valby Lokaludvalg"
    page_permissions = set(
        GroupPagePermission.objects.filter(group=secretariat.group, page=valby).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= page_permissions
    assert secretariat.group.permissions.filter(codename="access_admin").exists()
    assert GroupCollectionPermission.objects.filter(
        group=secretariat.group, collection=secretariat.collection, permission__codename="add_document"
    ).exists()
    assert secretariat.collection.name == "Valby Lokaludvalg"


def test_renaming_a_council_renames_its_group(valby):
    valby.title = "Valby Lokaludvalg 2026"
    valby.save()
    assert Group.objects.filter(name="Sekretariat: Valby Lokaludvalg 2026").exists()
    assert not Group.objects.filter(name="Sekretariat: Valby Lokaludvalg").exists()


def test_deleting_a_council_deletes_its_group(valby):
    valby.delete()
    assert not Group.objects.filter(name="Sekretariat: Valby Lokaludvalg").exists()


@pytest.mark.parametrize("role", ROLES)
def test_editable_councils(roles, role, valby, vesterbro):
    councils = set(permissions.editable_councils(fresh(roles[role])))
    expected = {
        "anonymous": set(),
        "citizen": set(),
        "own_secretariat": {valby},
        "other_secretariat": {vesterbro},
        "superuser": {valby, vesterbro},
    }[role]
    assert councils == expected


@pytest.mark.parametrize("role", ROLES)
def test_council_page_permissions(roles, role, content):
    user, council = fresh(roles[role]), content["council"]
    assert core_permissions.can_edit_page(user, council) is MAY_EDIT[role]
    assert council.permissions_for_user(user).can_add_subpage() is MAY_EDIT[role]  # meetings, statements


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["meeting", "statement"])
def test_meeting_and_statement_permissions(roles, role, content, kind):
    user, page = fresh(roles[role]), content[kind]
    assert core_permissions.can_edit_page(user, page) is MAY_EDIT[role]
    assert core_permissions.can_publish_page(user, page) is MAY_EDIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_hearing_list_permissions(roles, role, content, vesterbro):
    user, own_list = fresh(roles[role]), content["hearing_list"]
    other_list = factories.hearing_list("Høringsliste: Vesterbro", vesterbro)
    orphan = factories.hearing_list("Høringsliste uden råd")
    visible = set(permissions.hearing_lists_for_user(user))
    expected = {
        "anonymous": set(),
        "citizen": set(),
        "own_secretariat": {own_list},
        "other_secretariat": {other_list},
        "superuser": {own_list, other_list, orphan},
    }[role]
    assert visible == expected


@pytest.mark.parametrize("role", ROLES)
def test_membership_permissions(roles, role, valby):
    membership = factories.member(valby, "Anna Andersen", "Politiske partier")
    user = fresh(roles[role])
    assert (membership in permissions.memberships_for_user(user)) is MAY_EDIT[role]


# --- The same rules, seen through the Wagtail admin --------------------------------------------


@pytest.mark.parametrize("role", ["own_secretariat", "other_secretariat", "superuser"])
def test_admin_page_editor_follows_the_tree(client, roles, role, content):
    client.force_login(roles[role])
    for kind in ("council", "meeting", "statement"):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[content[kind].pk]))
        if MAY_EDIT[role]:
            assert response.status_code == 200, kind
        else:
            # Wagtail answers a page it may not edit by sending the editor back to the dashboard.
            assert response.status_code == 302, kind
            assert response["Location"] == reverse("wagtailadmin_home"), kind
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[content["council"].pk]))
    assert (response.status_code == 200) is MAY_EDIT[role]


@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_admin_is_closed_to_the_public(client, roles, role, content):
    if role == "citizen":
        client.force_login(roles[role])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[content["council"].pk]))
    assert response.status_code == 302
    assert not response["Location"].split("?")[0].startswith("/admin/pages/")
    response = client.get(reverse(HearingList.snippet_viewset.get_url_name("list")))
    assert response.status_code == 302


def test_admin_hearing_lists_show_and_open_only_own(client, roles, content, vesterbro):
    other_list = factories.hearing_list("Høringsliste: Vesterbro", vesterbro)
    viewset = HearingList.snippet_viewset
    client.force_login(roles["own_secretariat"])
    listing = client.get(reverse(viewset.get_url_name("list")))
    assert listing.status_code == 200
    assert "Høringsliste: Valby" in listing.content.decode()
    assert "Høringsliste: Vesterbro" not in listing.content.decode()
    assert client.get(reverse(viewset.get_url_name("edit"), args=[content["hearing_list"].pk])).status_code == 200
    for name in ("edit", "delete", "history", "usage"):
        response = client.get(reverse(viewset.get_url_name(name), args=[other_list.pk]))
        assert response.status_code == 404, name
    response = client.post(reverse(viewset.get_url_name("delete"), args=[other_list.pk]))
    assert response.status_code == 404
    assert HearingList.objects.filter(pk=other_list.pk).exists()
    assert client.get(reverse("councils_hearing_list_import", args=[other_list.pk])).status_code == 404
    assert client.get(reverse("councils_hearing_list_export", args=[other_list.pk])).status_code == 404


def test_admin_hearing_list_form_offers_only_own_councils(client, roles, valby, vesterbro):
    client.force_login(roles["own_secretariat"])
    response = client.get(reverse(HearingList.snippet_viewset.get_url_name("add")))
    assert response.status_code == 200
    choices = list(response.context["form"].fields["council"].queryset)
    assert choices == [valby]


def test_admin_memberships_show_and_open_only_own(client, roles, valby, vesterbro):
    own = factories.member(valby, "Anna Andersen", "Politiske partier")
    other = factories.member(vesterbro, "Bent Bentsen")
    client.force_login(roles["own_secretariat"])
    listing = client.get(reverse("medlemskaber:index"))
    assert listing.status_code == 200
    assert "Anna Andersen" in listing.content.decode()
    assert "Bent Bentsen" not in listing.content.decode()
    assert client.get(reverse("medlemskaber:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("medlemskaber:edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("medlemskaber:delete", args=[other.pk])).status_code == 404


def test_secretariat_group_permissions_are_model_level_only_for_own_objects(valby):
    """The group holds model permissions, yet the scoped views keep it to its own council (tests above)."""
    group = Group.objects.get(name=valby.secretariat_group_name)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_hearinglist", "change_membership", "access_admin"} <= codenames
    assert not Permission.objects.filter(group=group, codename="change_councilpage").exists()


def test_bulk_delete_spares_other_councils_hearing_lists(client, roles, content, vesterbro):
    other_list = factories.hearing_list("Høringsliste: Vesterbro", vesterbro)
    own_list = content["hearing_list"]
    client.force_login(roles["own_secretariat"])
    url = reverse("wagtail_bulk_action", args=["councils", "hearinglist", "delete"])
    response = client.post(f"{url}?id={other_list.pk}&id={own_list.pk}&next=/admin/")
    assert response.status_code in (200, 302)
    assert HearingList.objects.filter(pk=other_list.pk).exists()
    assert not HearingList.objects.filter(pk=own_list.pk).exists()


def test_policy_agrees_with_the_check_functions(roles, content, vesterbro):
    from wagtail.permissions import policy_registry

    other_list = factories.hearing_list("Høringsliste: Vesterbro", vesterbro)
    policy = policy_registry.get_by_type(HearingList)
    own = fresh(roles["own_secretariat"])
    assert policy.user_has_permission_for_instance(own, "change", content["hearing_list"])
    assert not policy.user_has_permission_for_instance(own, "delete", other_list)
    assert set(policy.instances_user_has_permission_for(own, "change")) == {content["hearing_list"]}
    assert not policy.user_has_permission_for_instance(fresh(roles["citizen"]), "change", content["hearing_list"])


def test_membership_filter_offers_only_own_councils(client, roles, valby, vesterbro):
    client.force_login(roles["own_secretariat"])
    response = client.get(reverse("medlemskaber:index"))
    assert list(response.context["filters"].form.fields["council"].queryset) == [valby]
    factories.member(valby, "Anna Andersen")
    response = client.get(reverse("medlemskaber:index"), {"council": valby.pk})
    assert "Anna Andersen" in response.content.decode()
