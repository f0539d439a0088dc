"""The secretariat manages who the election's officers (valgstyrere) are."""

import pytest
from django.urls import reverse

from elections.models import AuditLogEntry
from elections.pollbook import officer_group_for
from tests.councils import factories as council_factories

from .test_pollbook import build_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(home_page):
    return build_election(home_page, open_voting=False)[0]


@pytest.fixture
def url(election):
    return reverse("elections:pollbook_officers", args=[election.pk])


@pytest.fixture
def secretariat(mfa_user, election):
    user, _secret = mfa_user(email="sekretariat@kommune.example")
    return council_factories.join_secretariat(user, election.get_parent().specific)


@pytest.fixture
def other_secretariat(mfa_user, home_page):
    user, _secret = mfa_user(email="valby@kommune.example")
    index = council_factories.council_index(home_page)
    valby = council_factories.council(index, "Valby Lokaludvalg", "lokaludvalg-valby")
    return council_factories.join_secretariat(user, valby)


def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["citizen", "officer", "other_secretariat"])
def test_others_are_refused(client, user_factory, mfa_user, election, url, other_secretariat, role):
    if role == "citizen":
        user = user_factory(email="borger@example.org")
    elif role == "officer":
        user, _secret = mfa_user(email="valgstyrer@kommune.example")
        user.groups.add(officer_group_for(election))
    else:
        user = other_secretariat
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "add", "email": user.email}).status_code == 403
    assert not officer_group_for(election).user_set.exclude(email="valgstyrer@kommune.example").exists()


def test_secretariat_and_superuser_may_manage_officers(client, mfa_user, secretariat, url):
    superuser, _secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    for user in (secretariat, superuser):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Valgstyrer: Valg til Integrationsrådet 2026" in response.content.decode()


def test_secretariat_adds_and_removes_an_officer(client, user_factory, secretariat, election, url):
    officer = user_factory(email="Valgstyrer@Kommune.example")
    client.force_login(secretariat)
    response = client.post(url, {"action": "add", "email": "valgstyrer@kommune.example"}, follow=True)
    assert f"{officer.email} er nu valgstyrer." in response.content.decode()
    assert officer.groups.filter(pk=officer_group_for(election).pk).exists()
    entry = AuditLogEntry.objects.get(election=election, action="pollbook.officer.add")
    assert (entry.user, entry.data) == (secretariat, {"officer": officer.email})

    again = client.post(url, {"action": "add", "email": officer.email}).content.decode()
    assert f"{officer.email} er allerede valgstyrer." in again

    response = client.post(url, {"action": "remove", "user": officer.pk}, follow=True)
    assert "er ikke længere valgstyrer." in response.content.decode()
    assert not officer.groups.exists()
    assert AuditLogEntry.objects.filter(election=election, action="pollbook.officer.remove").count() == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Skriv valgstyrerens e-mail."),
        ("ikke-en-email", "Skriv en gyldig e-mail, fx navn@kommune.dk."),
        ("ukendt@kommune.example", "Der er ingen konto med den e-mail."),
    ],
)
def test_bad_officer_email_gets_a_danish_message_and_keeps_it(client, secretariat, election, url, email, message):
    client.force_login(secretariat)
    body = client.post(url, {"action": "add", "email": email}).content.decode()
    assert "Der er problemer med det, du har udfyldt" in body
    assert message in body
    if email:
        assert f'value="{email}"' in body
    assert not officer_group_for(election).user_set.exists()
    assert not AuditLogEntry.objects.filter(election=election, action__startswith="pollbook.officer").exists()


def test_removing_someone_who_is_not_an_officer_changes_nothing(client, user_factory, secretariat, election, url):
    bystander = user_factory(email="anden@example.org")
    group = officer_group_for(election)
    client.force_login(secretariat)
    client.post(url, {"action": "remove", "user": bystander.pk})
    client.post(url, {"action": "remove", "user": "ikke-et-tal"})
    assert not group.user_set.exists()
    assert not AuditLogEntry.objects.filter(election=election, action="pollbook.officer.remove").exists()


def test_the_poll_book_links_managers_to_the_officer_page(client, mfa_user, election, url):
    superuser, _secret = mfa_user(email="admin@kommune.example", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert url in client.get(reverse("elections:pollbook", args=[election.pk])).content.decode()
