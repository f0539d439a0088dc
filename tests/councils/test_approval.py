"""Approval before publishing (issue 15): every council has editors, approvers and the workflow
»Godkendelse i sekretariatet: <council>«; nothing an editor submits is published, and no hearing
list party or subscriber is told about it, before the council's secretariat approves it."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

from consultations.models import HearingPage
from councils.models import CouncilSecretariat
from tests.consultations import secretariat
from tests.consultations.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def valby(home_page):
    council, _group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "lokaludvalg-valby")
    return council


@pytest.fixture
def vesterbro(home_page):
    council, _group = secretariat.council_with_secretariat(home_page, "Vesterbro Lokaludvalg", "lokaludvalg-vesterbro")
    return council


@pytest.fixture
def people(valby, vesterbro, mfa_user):
    def member(email, group):
        user, _secret = mfa_user(email=email)
        user.groups.add(group)
        return user

    return {
        "editor": member("redaktoer@kommune.example", valby.secretariat.editors),
        "approver": member("kontorchef@kommune.example", valby.secretariat.group),
        "other_approver": member("vesterbro@kommune.example", vesterbro.secretariat.group),
    }


def _draft_hearing(council, editor):
    """A new hearing with a hearing list, saved as a draft by the editor (as the admin's create view does)."""
    hearing_list = secretariat.hearing_list("Høringsliste: trafik", [("Valby Idrætsforening", "idraet@example.org")])
    hearing = secretariat.hearing_under(council, title="Trafik på Valby Langgade", live=False)
    hearing.hearing_lists.add(hearing_list)
    hearing.save_revision(user=editor)
    return HearingPage.objects.get(pk=hearing.pk)


def _told():
    return sorted(address for m in mail.outbox for address in m.to)


def test_a_new_council_gets_editors_approvers_and_its_workflow(valby):
    secretariat_row = CouncilSecretariat.objects.get(council=valby)
    assert secretariat_row.group.name == "Sekretariat: Valby Lokaludvalg"
    assert secretariat_row.editors.name == "Redaktører: Valby Lokaludvalg"
    workflow = secretariat_row.workflow
    assert workflow.name == "Godkendelse i sekretariatet: Valby Lokaludvalg"
    [task] = [t.specific for t in workflow.tasks]
    assert isinstance(task, GroupApprovalTask)
    assert task.name == "Godkendelse: Valby Lokaludvalg"
    assert list(task.groups.all()) == [secretariat_row.group]
    assert WorkflowPage.objects.get(page=valby).workflow == workflow
    assert valby.get_workflow() == workflow


def test_editors_edit_but_only_the_secretariat_publishes(valby, vesterbro, people):
    hearing = secretariat.hearing_under(valby, title="Parker i Valby")
    editor = hearing.permissions_for_user(people["editor"])
    assert (editor.can_edit(), editor.can_publish()) == (True, False)
    assert valby.permissions_for_user(people["editor"]).can_add_subpage()
    approver = hearing.permissions_for_user(people["approver"])
    assert (approver.can_edit(), approver.can_publish()) == (True, True)
    other = hearing.permissions_for_user(people["other_approver"])
    assert (other.can_edit(), other.can_publish()) == (False, False)
    assert hearing.get_workflow() == valby.secretariat.workflow
    assert secretariat.hearing_under(vesterbro).get_workflow() == vesterbro.secretariat.workflow


def test_submitting_publishes_nothing_and_invites_nobody_until_approved(
    valby, people, django_capture_on_commit_callbacks
):
    SubscriptionFactory(email="abonnent@example.org").councils.add(valby)
    hearing = _draft_hearing(valby, people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        state = hearing.get_workflow().start(hearing, people["editor"])
    hearing.refresh_from_db()
    assert not hearing.live
    assert _told() == ["kontorchef@kommune.example"]  # the approver, and nobody outside

    task_state = state.current_task_state
    task = task_state.task.specific
    # Another council's secretariat can neither act on it nor open it in the editor.
    assert task.get_actions(hearing, people["other_approver"]) == []
    assert not task.user_can_access_editor(hearing, people["other_approver"])
    assert [name for name, _label, _modal in task.get_actions(hearing, people["approver"])] == [
        "reject",
        "approve",
        "approve",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        task.on_action(task_state, people["approver"], "approve")
    hearing.refresh_from_db()
    assert hearing.live
    assert _told() == [
        "abonnent@example.org",
        "idraet@example.org",
        "kontorchef@kommune.example",
        "redaktoer@kommune.example",  # told it was approved
    ]


def test_sent_back_with_a_comment_the_editor_is_told_and_nothing_goes_out(
    valby, people, django_capture_on_commit_callbacks
):
    hearing = _draft_hearing(valby, people["editor"])
    state = hearing.get_workflow().start(hearing, people["editor"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.task.specific.on_action(
            state.current_task_state, people["approver"], "reject", comment="Skriv hvilke veje det gælder."
        )
    state.refresh_from_db()
    assert state.status == state.STATUS_NEEDS_CHANGES
    assert not HearingPage.objects.get(pk=hearing.pk).live
    [email] = mail.outbox
    assert email.to == ["redaktoer@kommune.example"]
    assert "Skriv hvilke veje det gælder." in email.body


def test_a_secretariat_switches_approval_off_and_on_by_publishing_its_council_page(valby, people):
    hearing = secretariat.hearing_under(valby, title="Parker i Valby")
    valby.approval_before_publishing = False
    valby.save_revision(user=people["approver"]).publish(user=people["approver"])
    assert not WorkflowPage.objects.filter(page=valby).exists()
    assert hearing.get_workflow() != valby.secretariat.workflow
    assert hearing.permissions_for_user(people["editor"]).can_publish()

    valby.approval_before_publishing = True
    valby.save_revision(user=people["approver"]).publish(user=people["approver"])
    assert hearing.get_workflow() == valby.secretariat.workflow
    editor = type(people["editor"]).objects.get(pk=people["editor"].pk)  # Wagtail caches permissions per user object
    assert not hearing.permissions_for_user(editor).can_publish()


def test_a_draft_of_the_council_page_does_not_switch_approval(valby, people):
    valby.approval_before_publishing = False
    valby.save_revision(user=people["editor"])  # an editor's draft, not published
    assert WorkflowPage.objects.get(page=valby).workflow == valby.secretariat.workflow


def test_renaming_the_council_renames_its_groups_and_workflow(valby):
    valby.title = "Valby Lokaludvalg 2027"
    valby.save_revision().publish()
    row = CouncilSecretariat.objects.get(council=valby)
    assert (row.group.name, row.editors.name, row.workflow.name) == (
        "Sekretariat: Valby Lokaludvalg 2027",
        "Redaktører: Valby Lokaludvalg 2027",
        "Godkendelse i sekretariatet: Valby Lokaludvalg 2027",
    )
    assert [t.name for t in row.workflow.tasks] == ["Godkendelse: Valby Lokaludvalg 2027"]


def test_deleting_the_council_deletes_its_groups_and_workflow(valby):
    row = CouncilSecretariat.objects.get(council=valby)
    ids = (row.group_id, row.editors_id, row.workflow_id)
    valby.delete()
    assert not Group.objects.filter(pk__in=ids[:2]).exists()
    assert not Workflow.objects.filter(pk=ids[2]).exists()
    assert not GroupApprovalTask.objects.filter(name="Godkendelse: Valby Lokaludvalg").exists()


def test_the_data_migration_gives_an_existing_council_its_editors_and_workflow(valby, people):
    """A council made before this change (no editors, no workflow) gets them from the migration."""
    row = CouncilSecretariat.objects.get(council=valby)
    old_workflow, old_editors = row.workflow, row.editors
    CouncilSecretariat.objects.filter(pk=row.pk).update(editors=None, workflow=None)
    WorkflowPage.objects.filter(page=valby).delete()
    old_workflow.delete()
    old_editors.delete()

    migration = importlib.import_module("councils.migrations.0005_secretariat_editors_and_approval")
    migration.editors_and_workflows(django_apps, None)

    row = CouncilSecretariat.objects.get(council=valby)
    assert row.editors.name == "Redaktører: Valby Lokaludvalg"
    assert valby.get_workflow() == row.workflow
    assert [t.specific.groups.get() for t in row.workflow.tasks] == [row.group]
    new_editor = people["editor"]
    new_editor.groups.add(row.editors)
    hearing = secretariat.hearing_under(valby)
    perms = hearing.permissions_for_user(new_editor)
    assert (perms.can_edit(), perms.can_publish()) == (True, False)
