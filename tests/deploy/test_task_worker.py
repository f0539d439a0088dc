"""The real task worker (issue 14): the app server (production settings, django-tasks-db) only queues
emails in PostgreSQL; `manage.py db_worker`, a separate process with its own disk, sends them."""

import re

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tests.consultations.factories import HearingFactory, HearingIndexPageFactory, HearingPartyFactory
from tests.deploy import services
from tests.deploy.conftest import postgresql_only

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    hearing = HearingFactory(parent=index, title="Trafikplan for Valby", slug="trafikplan-valby")
    party = HearingPartyFactory(name="Valby Lokaludvalg", email="lokaludvalg@valby.example")
    hearing.hearing_lists.set([party.hearing_list])
    hearing.save()
    return hearing


@pytest.fixture
def database():
    from django.db import connection

    return services.database_url(connection.settings_dict)


def submit_response(server, hearing, email):
    answer = services.post_response(
        services.client_from(), server.url, hearing, email, "Der mangler en sikker skolevej langs Valby Langgade."
    )
    assert answer.status_code == 302, answer.text[:2000]


def test_db_worker_sends_the_confirmation_and_the_invitation_the_app_queued(hearing, database, tmp_path):
    app_env = services.server_environment(database, tmp_path / "app")
    with services.gunicorn(app_env, tmp_path / "app") as server:
        submit_response(server, hearing, "amira@example.org")
    services.manage(app_env, "send_hearing_invitations")

    # Queued in PostgreSQL by the production backend, and nothing sent yet – by no one.
    # (Wagtail queues its own reference-index updates beside ours.)
    queued = DBTaskResult.objects.exclude(task_path__startswith="wagtail.")
    assert sorted(task.task_path for task in queued) == ["core.emails.deliver", "core.emails.deliver"]
    # The queue holds which message about which row – no address, name or text.
    assert sorted(task.args_kwargs["args"][:2] for task in queued) == [
        ["consultations.emails.InvitationEmail", "consultations.Invitation"],
        ["consultations.emails.ResponseConfirmationEmail", "consultations.Response"],
    ]
    assert not any("@" in str(task.args_kwargs) for task in queued)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}
    assert services.sent_emails(tmp_path / "app" / "mail") == []
    assert mail.outbox == []

    worker_env = services.server_environment(database, tmp_path / "worker")
    with services.db_worker(worker_env, tmp_path / "worker"):
        sent = services.wait_for(
            lambda: (
                len(services.sent_emails(tmp_path / "worker" / "mail")) == 2
                and services.sent_emails(tmp_path / "worker" / "mail")
            ),
            what="the worker to send two emails",
        )
        services.wait_for(
            lambda: set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"},
            what="both tasks to be marked successful",
        )

    by_recipient = {message["To"]: message for message in sent}
    assert set(by_recipient) == {"amira@example.org", "lokaludvalg@valby.example"}
    confirmation = services.email_text(by_recipient["amira@example.org"])
    assert re.search(r"http://127\.0\.0\.1/hoeringer/svar/bekraeft/[\w-]{20,}/", confirmation)
    invitation = by_recipient["lokaludvalg@valby.example"]
    assert "Trafikplan for Valby" in invitation["Subject"]
    assert "http://127.0.0.1" + hearing.url in services.email_text(invitation)
    assert {len(task.worker_ids) for task in queued.all()} == {1}  # run by the worker, once
    # The app server and the test process sent nothing themselves.
    assert services.sent_emails(tmp_path / "app" / "mail") == []
    assert mail.outbox == []
