"""Issue 12 with issue 15's approval workflow: the secretariat approving a hearing that breaks a »require«
rule on required consultees gets a clear Danish message, not an error page; the hearing is not
published, stays in the secretariat's approval step (to be sent back or fixed) and nobody is invited.
Each of the admin's three ways to approve is tried: the dashboard's »Godkend« (a plain POST), »Godkend
med kommentar« (the modal, answered in JSON) and »Godkend« in the editor's action menu."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from consultations.models import HearingPage
from tests.consultations import secretariat

pytestmark = pytest.mark.django_db

BASIS = "Lokaludvalget skal høres i sager af særlig betydning for bydelen"
REFUSAL = (
    "Høringen er ikke udgivet: Valby Lokaludvalg skal høres efter reglen om obligatoriske høringsparter "
    f"(Område: Valby. Grundlag: {BASIS})."
)
NOT_APPROVED = "Godkendelsen er ikke gennemført, og høringen afventer stadig godkendelse."


@pytest.fixture
def submitted(home_page, mfa_user):
    """A Valby traffic hearing that Teknik- og Miljøudvalget's editor has submitted for approval, without
    Valby Lokaludvalg on its lists; the approver is in the council's secretariat."""
    submitted = secretariat.hearing_submitted_without_required_consultee(
        home_page, mfa_user, BASIS, "Trafik på Valby Langgade"
    )
    submitted["hearing"] = HearingPage.objects.get(pk=submitted["hearing"].pk)
    return submitted


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _still_waiting(hearing):
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert not hearing.live
    assert hearing.live_revision_id is None
    assert hearing.current_workflow_state.status == "in_progress"
    assert hearing.current_workflow_task_state.status == "in_progress"
    assert [m.to for m in mail.outbox if m.subject.startswith("Invitation til høring")] == []
    return hearing


def _approve_url(hearing):
    return reverse(
        "wagtailadmin_pages:workflow_action", args=[hearing.pk, "approve", hearing.current_workflow_task_state.pk]
    )


def test_approving_from_the_dashboard_is_refused_with_the_rule_named(
    client, submitted, django_capture_on_commit_callbacks
):
    hearing = submitted["hearing"]
    client.force_login(submitted["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_approve_url(hearing), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[hearing.pk])
    [message] = _messages(response)
    assert message.startswith(REFUSAL)
    assert NOT_APPROVED in message
    _still_waiting(hearing)


def test_approving_with_a_comment_in_the_modal_is_refused_in_json(
    client, submitted, django_capture_on_commit_callbacks
):
    hearing = submitted["hearing"]
    client.force_login(submitted["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _approve_url(hearing), {"comment": "Fint."}, headers={"x-requested-with": "XMLHttpRequest"}
        )
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "step": "success",
        "redirect": reverse("wagtailadmin_pages:edit", args=[hearing.pk]),
    }
    [message] = _messages(response)
    assert message.startswith(REFUSAL)
    _still_waiting(hearing)


def test_approving_in_the_editor_is_refused_and_the_approvers_edits_are_kept_as_a_draft(
    client, submitted, django_capture_on_commit_callbacks
):
    hearing = submitted["hearing"]
    client.force_login(submitted["approver"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[hearing.pk])
    data = _edit_form_data(hearing, summary="Rettet af sekretariatet.")
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, data)
    assert response.status_code == 302
    assert response["Location"] == edit_url
    [message] = _messages(response)
    assert message.startswith(REFUSAL)
    hearing = _still_waiting(hearing)
    assert hearing.get_latest_revision().as_object().summary == "Rettet af sekretariatet."


def test_once_the_lokaludvalg_is_added_the_same_approval_publishes(
    client, submitted, django_capture_on_commit_callbacks
):
    hearing = submitted["hearing"]
    client.force_login(submitted["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_approve_url(hearing), {"next": "/admin/"})
    assert [m for m in mail.outbox if m.subject.startswith("Invitation til høring")] == []
    draft = HearingPage.objects.get(pk=hearing.pk).get_latest_revision().as_object()
    draft.hearing_lists.add(submitted["lokaludvalg"])
    draft.save_revision(user=submitted["approver"])
    hearing = HearingPage.objects.get(pk=hearing.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_approve_url(hearing), {"next": "/admin/"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert hearing.live
    assert hearing.current_workflow_state is None
    invited = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Invitation til høring"))
    assert invited == ["cykel@example.org", "valby@kommune.example"]


def _edit_form_data(hearing, **changes):
    """What the hearing's edit form posts (wagtail.test.utils.form_data builds the formsets and streams)."""
    fields = {
        "title": hearing.title,
        "slug": hearing.slug,
        "summary": hearing.summary,
        "opens_at": timezone.localtime(hearing.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes_at": timezone.localtime(hearing.closes_at).strftime("%Y-%m-%d %H:%M"),
        "body": streamfield([]),
        "draft": streamfield([]),
        "summary_body": streamfield([]),
        "documents": inline_formset([]),
        "comments": inline_formset([]),
        "area": hearing.area,
        "matter_kind": hearing.matter_kind,
        "hearing_lists": [hl.pk for hl in hearing.hearing_lists.all()],
        "publication_rule": hearing.publication_rule,
        **changes,
    }
    return nested_form_data(fields)
