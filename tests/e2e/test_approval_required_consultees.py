"""Issue 12 with the approval workflow on (issue 15): the secretariat approves, from the dashboard, a
hearing an editor submitted without the lokaludvalg a »require« rule names → no error page: the hearing's
edit page says in Danish which party the rule requires and that the approval did not go through; the
hearing is not published and nobody is invited → the approver adds the lokaludvalg's list and approves
in the editor → published, and the parties are invited. axe on every page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import HearingPage
from tests.consultations import secretariat
from tests.helpers import login_with_mfa, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"
TITLE = "Trafik på Valby Langgade"
BASIS = "Lokaludvalget skal høres i sager af særlig betydning for bydelen"


def _invited():
    return sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Invitation til høring"))


@pytest.fixture
def submitted(home_page, mfa_user):
    return secretariat.hearing_submitted_without_required_consultee(
        home_page,
        mfa_user,
        BASIS,
        TITLE,
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=21),
    )


def test_approving_a_hearing_without_its_lokaludvalg_says_why_and_publishes_nothing(page, check_a11y, submitted):
    hearing = submitted["hearing"]
    login_with_mfa(page, submitted["approver"].email, PASSWORD, submitted["approver_secret"])
    page.wait_for_url(lambda url: "/konto/" not in url)
    page.goto("/admin/")
    row = page.locator("#awaiting-review-section").get_by_role("row").filter(has_text=TITLE)
    expect(row).to_be_visible()
    check_a11y(settled(page))
    row.get_by_role("button", name="Handlinger").click()
    page.get_by_role("button", name="Godkend", exact=True).click()

    # No error page: the hearing's edit page, with the rule and what to do.
    page.wait_for_url(f"**/admin/pages/{hearing.pk}/edit/")
    refusal = page.locator(".messages .error")
    expect(refusal).to_contain_text("Høringen er ikke udgivet: Valby Lokaludvalg skal høres")
    expect(refusal).to_contain_text(f"Grundlag: {BASIS}")
    expect(refusal).to_contain_text("Godkendelsen er ikke gennemført, og høringen afventer stadig godkendelse.")
    check_a11y(settled(page))
    stored = HearingPage.objects.get(pk=hearing.pk)
    assert not stored.live
    assert stored.current_workflow_task_state.status == "in_progress"
    assert page.request.get(hearing.url).status == 404
    assert _invited() == []

    # The approver adds the lokaludvalg's list and approves in the editor: now it is published.
    page.locator("#id_hearing_lists").get_by_label("Høringsliste: Valby Lokaludvalg").check()
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Godkend og Publicér", exact=True).click()
    page.wait_for_url(lambda url: f"/admin/pages/{hearing.pk}/edit/" not in url)
    check_a11y(settled(page))
    stored = HearingPage.objects.get(pk=hearing.pk)
    assert stored.live
    assert stored.current_workflow_state is None
    assert _invited() == ["cykel@example.org", "valby@kommune.example"]
    page.goto(hearing.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_a11y(page)
