"""Issue 15, what must hold 2: approval before publishing with Wagtail's workflows.

An editor of Valby Lokaludvalg (group »Redaktører: …«, no right to publish) writes a new hearing
with a hearing list and submits it to »Godkendelse i sekretariatet« → the secretariat (the
approver, group »Sekretariat: …«) is told by email and sees it on the dashboard, sends it back
with a comment → the editor is told, reads the comment, fixes the hearing and resubmits → the
secretariat approves and the hearing is published. No invitation (to the hearing list's parties)
and no notice to subscribers goes out before the approval; the invitations go out with it.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import HearingPage
from tests.consultations import secretariat
from tests.consultations.factories import SubscriptionFactory
from tests.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"
COMMENT = "Skriv hvilke veje høringen handler om."
WORKFLOW = "Godkendelse i sekretariatet: Valby Lokaludvalg"
TASK = "Godkendelse: Valby Lokaludvalg"


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _browser_for(browser, live_server):
    """A browser of its own for one person (tests/e2e/conftest.py watches it for CSP violations
    and requests to other hosts)."""
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _to_subscriber():
    return [m for m in mail.outbox if m.to == ["abonnent@example.org"]]


def _invitations():
    return sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Invitation til høring"))


def test_an_editor_submits_a_hearing_the_secretariat_sends_it_back_then_approves_it(
    browser, live_server, home_page, mfa_user, check_a11y
):
    council, approvers = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "lokaludvalg-valby")
    secretariat.hearing_list(
        "Høringsliste: trafik",
        [("Valby Idrætsforening", "idraet@example.org"), ("Cyklistforbundet", "cykel@example.org")],
        council=council,
    )
    SubscriptionFactory(email="abonnent@example.org").councils.add(council)
    editors = council.secretariat.editors
    editor, editor_secret = mfa_user(email="redaktoer@kommune.example")
    editor.groups.add(editors)
    approver, approver_secret = mfa_user(email="kontorchef@kommune.example")
    approver.groups.add(approvers)

    # 1. The editor writes the hearing and submits it for approval; there is no »Udgiv« for them.
    editor_context, tab = _browser_for(browser, live_server)
    login_with_mfa(tab, editor.email, PASSWORD, editor_secret)
    tab.wait_for_url(lambda url: "/konto/" not in url)
    tab.goto(f"/admin/pages/add/consultations/hearingpage/{council.pk}/")
    tab.locator("#id_title").fill("Trafik på Valby Langgade")
    tab.locator("#id_summary").fill("Kommunen vil gøre gaden sikrere.")
    tab.locator("#id_opens_at").fill(local(timezone.now() - timedelta(hours=1)))
    tab.locator("#id_opens_at").press("Escape")
    tab.locator("#id_closes_at").fill(local(timezone.now() + timedelta(days=21)))
    tab.locator("#id_closes_at").press("Escape")
    tab.locator("#id_hearing_lists").get_by_label("Høringsliste: trafik").check()
    tab.get_by_role("button", name="Flere handlinger").click()
    expect(tab.get_by_role("button", name="Udgiv")).to_have_count(0)
    tab.get_by_role("button", name=f"Send til {WORKFLOW}").click()
    tab.wait_for_url(f"**/admin/pages/{council.pk}/")

    hearing = HearingPage.objects.get(title="Trafik på Valby Langgade")
    assert not hearing.live
    assert hearing.current_workflow_state.status == "in_progress"
    assert _invitations() == []
    [told] = [m for m in mail.outbox if m.to == [approver.email]]
    assert told.subject == f"Siden »Trafik på Valby Langgade« er sendt til godkendelse i trinnet »{TASK}«"
    assert _to_subscriber() == []

    # 2. The secretariat sees it on the dashboard and sends it back with a comment.
    approver_context, atab = _browser_for(browser, live_server)
    login_with_mfa(atab, approver.email, PASSWORD, approver_secret)
    atab.wait_for_url(lambda url: "/konto/" not in url)
    atab.goto("/admin/")
    review = atab.locator("#awaiting-review-section")
    row = review.get_by_role("row").filter(has_text="Trafik på Valby Langgade")
    expect(row).to_be_visible()
    row.get_by_role("button", name="Handlinger").click()
    atab.get_by_role("button", name="Anmod om ændringer").click()
    dialog = atab.get_by_role("dialog")
    dialog.get_by_role("textbox").fill(COMMENT)
    dialog.get_by_role("button").last.click()
    hearing.refresh_from_db()
    expect(atab.locator("#awaiting-review-section")).to_have_count(0)
    assert hearing.current_workflow_state.status == "needs_changes"
    assert not HearingPage.objects.get(pk=hearing.pk).live
    assert _invitations() == []
    [back] = [m for m in mail.outbox if m.to == [editor.email]]
    assert back.subject == f"Siden »Trafik på Valby Langgade« er sendt tilbage i »{WORKFLOW}«."
    assert f"Kommentar: »{COMMENT}«" in back.body
    edit_link = re.search(r"http://testserver(/admin/pages/\d+/edit/)", back.body)[1]
    assert edit_link == f"/admin/pages/{hearing.pk}/edit/"

    # 3. The editor follows the email's link, fixes the hearing and resubmits.
    tab.goto(edit_link)
    tab.locator("#id_summary").fill("Kommunen vil gøre Valby Langgade og Toftegårds Allé sikrere.")
    tab.get_by_role("button", name="Flere handlinger").click()
    tab.get_by_role("button", name=f"Send igen til {TASK}").click()
    tab.wait_for_url(f"**/admin/pages/{council.pk}/")
    assert HearingPage.objects.get(pk=hearing.pk).current_workflow_state.status == "in_progress"
    assert _invitations() == [] and _to_subscriber() == []

    # 4. The secretariat approves: the hearing is published, and only now are the parties invited.
    atab.goto("/admin/")
    row = atab.locator("#awaiting-review-section").get_by_role("row").filter(has_text="Trafik på Valby Langgade")
    row.get_by_role("button", name="Handlinger").click()
    atab.get_by_role("button", name="Godkend", exact=True).click()
    expect(atab.locator("#awaiting-review-section")).to_have_count(0)
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert hearing.live
    assert hearing.summary == "Kommunen vil gøre Valby Langgade og Toftegårds Allé sikrere."
    assert _invitations() == ["cykel@example.org", "idraet@example.org"]
    assert len(_to_subscriber()) == 1
    approved = [m.subject for m in mail.outbox if m.to == [editor.email]][-1]
    assert approved == f"Siden »Trafik på Valby Langgade« er godkendt i »{WORKFLOW}«."

    atab.goto(hearing.url)
    expect(atab.get_by_role("main")).to_contain_text("Toftegårds Allé")
    check_a11y(atab)
    editor_context.close()
    approver_context.close()
