"""Issue 14, must hold 5: the hearing's secretariat starts a background export in the admin, sees its
progress refresh by itself while the export runs, and downloads the file. The task is queued with
django-tasks' dummy backend (kept, not run) so the page shows it waiting; the test then plays the
task worker — first a progress report, then the whole task — while the page stays open, and the
page must show both without anyone reloading it. axe checks the admin page at every step."""

import csv
import io

import pytest
from playwright.sync_api import expect

from consultations import exports
from consultations.models import HearingExport
from tests.consultations import secretariat
from tests.consultations.factories import ResponseFactory
from tests.helpers import login_with_mfa, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"


def test_secretariat_exports_a_hearing_in_the_background(page, check_a11y, home_page, mfa_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    council, group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    hearing = secretariat.hearing_under(council, title="Trafikplan for Valby")
    for name in ["Anna Jensen", "Per Hansen", "Søren Ærø"]:
        ResponseFactory(hearing=hearing, name=name, text=f"Svar fra {name}.")
    user, secret = mfa_user(email="valby@kommune.example")
    secretariat.join(user, group)
    login_with_mfa(page, "valby@kommune.example", PASSWORD, secret)
    page.wait_for_url(lambda url: "/konto/" not in url)

    page.goto(f"/admin/hoeringer-sekretariat/{hearing.pk}/")
    expect(page.get_by_role("heading", name="Eksport")).to_be_visible()
    check_a11y(settled(page))
    form = page.get_by_role("group", name="Lav en eksport i baggrunden (til store høringer)")
    form.get_by_label("Svar som CSV").check()
    form.get_by_role("button", name="Start eksporten").click()

    expect(page.get_by_text("Eksporten er startet. Siden viser, hvor langt den er.")).to_be_visible()
    table = page.locator("#hearing-exports")
    expect(table.get_by_role("row").nth(1)).to_contain_text("I kø")
    expect(table).to_contain_text("0 / 3")
    expect(page.get_by_role("status").filter(has_text="Fremskridtet opdateres af sig selv")).to_be_visible()
    check_a11y(settled(page))

    # The worker has started and reports progress: the open page shows it by itself.
    export = HearingExport.objects.get(hearing=hearing)
    HearingExport.objects.filter(pk=export.pk).update(status=HearingExport.Status.RUNNING, done=2)
    expect(table.get_by_role("row").nth(1)).to_contain_text("I gang")
    expect(table).to_contain_text("2 / 3")
    expect(page.get_by_role("progressbar", name="Fremskridt for CSV-eksporten")).to_have_attribute("value", "66")
    # The worker finishes the task: still no reload, the row turns »Færdig« with the file's link.
    exports.build_export.call(export.pk)
    expect(table.get_by_role("row").nth(1)).to_contain_text("Færdig")
    expect(table).to_contain_text("3 / 3")
    expect(page.get_by_role("progressbar", name="Fremskridt for CSV-eksporten")).to_have_attribute("value", "100")
    expect(page.get_by_role("status").filter(has_text="Eksporten er ikke i gang længere")).to_be_visible()
    check_a11y(settled(page))

    with page.expect_download() as download_info:
        table.get_by_role("link", name="Hent").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        names = [row[2] for row in csv.reader(io.StringIO(handle.read()), delimiter=";")][1:]
    assert names == ["Anna Jensen", "Per Hansen", "Søren Ærø"]
