"""Issue 4, what must hold 3: a secretariat creates and publishes a hearing with a hearing list in
the Wagtail admin → every active party is invited by email → after the deadline the secretariat
moderates, exports XLSX (every response; a response starting with »=« is text, not a formula),
writes and publishes the summary → the public page shows the summary and replied / not replied.
axe finds nothing on the public pages (the Wagtail admin is not ours to check)."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from consultations.models import HearingPage, Response
from councils.models import PartyKind
from tests.consultations import secretariat
from tests.consultations.factories import ResponseFactory
from tests.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"
FORMULA_TEXT = '=HYPERLINK("http://evil.example";"Klik her") og mere tekst'
SUMMARY_TEXT = "Forvaltningen har modtaget tre svar og retter planen på to punkter."


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def council_and_group(home_page):
    council, group = secretariat.council_with_secretariat(home_page, "Beskæftigelsesrådet", "beskaeftigelsesraadet")
    secretariat.hearing_list(
        "Høringsliste: beskæftigelse",
        [
            ("Dansk Arbejdsgiverforening", "da@example.org"),
            ("LO Hovedstaden", "lo@example.org"),
            ("Gammel Forening", "gammel@example.org", False),
        ],
        council=council,
    )
    return council, group


def test_secretariat_runs_a_hearing_from_publication_to_summary(page, check_a11y, council_and_group, mfa_user):
    council, group = council_and_group
    user, secret = mfa_user(email="lbr@kommune.example")
    secretariat.join(user, group)
    login_with_mfa(page, "lbr@kommune.example", PASSWORD, secret)
    page.wait_for_url(lambda url: "/konto/" not in url)  # the TOTP step is done

    # 1. Create and publish the hearing with its hearing list in the Wagtail admin.
    page.goto(f"/admin/pages/add/consultations/hearingpage/{council.pk}/")
    page.locator("#id_title").fill("Beskæftigelsesplan 2028")
    page.locator("#id_summary").fill("Sådan vil jobcentret hjælpe ledige i job i 2028.")
    page.locator("#id_opens_at").fill(local(timezone.now() - timedelta(hours=1)))
    page.locator("#id_opens_at").press("Escape")
    page.locator("#id_closes_at").fill(local(timezone.now() + timedelta(days=14)))
    page.locator("#id_closes_at").press("Escape")
    page.locator("#id_hearing_lists").get_by_label("Høringsliste: beskæftigelse").check()
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    page.wait_for_url(f"**/admin/pages/{council.pk}/")
    hearing = HearingPage.objects.get(title="Beskæftigelsesplan 2028")
    assert hearing.live

    # 2. Every active party got one invitation; the inactive one none.
    invitations = [m for m in mail.outbox if m.subject.startswith("Invitation til høring")]
    assert sorted(m.to[0] for m in invitations) == ["da@example.org", "lo@example.org"]
    assert all("Beskæftigelsesplan 2028" in m.subject for m in invitations)

    page.goto(hearing.url)
    check_a11y(page)

    # Three responses arrive; then the deadline passes (moved in the database, not by the clock).
    da = hearing.hearing_parties().get(name="Dansk Arbejdsgiverforening")
    ResponseFactory(hearing=hearing, name="Anna Jensen", text=FORMULA_TEXT)
    ResponseFactory(
        hearing=hearing, name="Mette Lund", kind=PartyKind.ORGANISATION, party=da, text="Vi støtter planen."
    )
    ResponseFactory(hearing=hearing, name="Peter Holm", email="peter@example.org", text="Mit CPR-nummer er …")
    HearingPage.objects.filter(pk=hearing.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    # 3. Moderate: publish one, withhold one with a reason (the respondent is told), bulk-publish one.
    page.goto("/admin/")
    page.get_by_role("link", name="Høringer (sekretariat)").click()
    page.get_by_role("link", name="Beskæftigelsesplan 2028").click()
    page.get_by_role("link", name="Læs og moderér svarene").click()
    page.get_by_role("link", name="Anna Jensen").click()
    page.get_by_role("button", name="Offentliggør svaret").click()
    expect(page.locator("#response-status")).to_have_text(re.compile(r"^Offentliggjort"))

    page.go_back()
    page.goto(f"/admin/hoeringssvar/?hearing={hearing.pk}")
    page.get_by_role("link", name="Peter Holm").click()
    page.get_by_role("link", name="Offentliggør ikke …").click()
    page.get_by_label("Begrundelse").fill("Svaret indeholder et CPR-nummer.")
    page.get_by_role("button", name="Offentliggør ikke").click()
    expect(page.locator("#response-status")).to_have_text(re.compile(r"^Ikke offentliggjort"))
    notice = next(m for m in mail.outbox if m.to == ["peter@example.org"])
    assert "CPR-nummer" in notice.body

    page.goto(f"/admin/hoeringssvar/?hearing={hearing.pk}")
    page.get_by_role("row").filter(has_text="Dansk Arbejdsgiverforening").get_by_role("checkbox").check()
    page.get_by_role("link", name="Offentliggør valgte høringssvar").click()
    page.get_by_role("button", name="Ja, offentliggør").click()
    expect(page.get_by_text("1 høringssvar er offentliggjort.")).to_be_visible()
    statuses = dict(Response.objects.filter(hearing=hearing).values_list("name", "status"))
    assert statuses == {
        "Anna Jensen": Response.Status.PUBLISHED,
        "Mette Lund": Response.Status.PUBLISHED,
        "Peter Holm": Response.Status.WITHHELD,
    }

    # 4. Export XLSX: every response is there, and the one starting with »=« is text.
    page.goto(f"/admin/hoeringer-sekretariat/{hearing.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent svar som regneark (XLSX)").click()
    with open(download_info.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(min_row=2))
    assert sorted(row[2].value for row in rows) == ["Anna Jensen", "Mette Lund", "Peter Holm"]
    formula_cell = next(row[11] for row in rows if row[2].value == "Anna Jensen")
    assert formula_cell.value == FORMULA_TEXT
    assert formula_cell.data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)

    # 5. Write the summary text on the hearing's »Høringsnotat« tab and publish the page …
    page.goto(f"/admin/pages/{hearing.pk}/edit/")
    page.get_by_role("tab", name="Høringsnotat").click()
    panel = page.get_by_role("tabpanel", name="Høringsnotat")
    panel.get_by_role("button", name="Indsæt en blok").first.click()
    page.get_by_role("option", name="Afsnit").click()
    editor = panel.locator("[contenteditable=true]").first
    editor.click()
    editor.press_sequentially(SUMMARY_TEXT)
    page.get_by_role("heading", name="Høringsnotat").first.click()
    # Draftail writes the text into the form's hidden input when it has synced: wait for that.
    page.wait_for_function(
        "text => document.querySelector('input[name=\"summary_body-0-value\"]').value.includes(text)",
        arg="to punkter",
    )
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    page.wait_for_url(f"**/admin/pages/{council.pk}/")
    hearing.refresh_from_db()
    assert SUMMARY_TEXT in str(hearing.summary_body)

    # … then summarise each response, comment, and publish the summary.
    page.goto(f"/admin/hoeringer-sekretariat/{hearing.pk}/")
    page.get_by_role("link", name="Skriv og offentliggør høringsnotat").click()
    page.wait_for_url(f"**/admin/hoeringer-sekretariat/{hearing.pk}/notat/")
    summaries = page.get_by_label("Resumé af svaret")
    comments = page.get_by_label("Forvaltningens bemærkning")
    expect(summaries).to_have_count(3)
    for index in range(3):
        summaries.nth(index).fill(f"Resumé nummer {index + 1}.")
        comments.nth(index).fill(f"Bemærkning nummer {index + 1}.")
    page.get_by_role("button", name="Gem og offentliggør høringsnotatet").click()
    expect(page.get_by_role("main")).to_contain_text("høringen er konkluderet")

    # 6. The public page shows the summary and which parties replied.
    page.goto(hearing.url)
    main = page.get_by_role("main")
    expect(main).to_contain_text(SUMMARY_TEXT)
    parties = page.get_by_role("table", name="Hørte parter")
    expect(parties.get_by_role("row").filter(has_text="Dansk Arbejdsgiverforening")).to_have_text(
        re.compile(r"Har svaret\s*$")
    )
    expect(parties.get_by_role("row").filter(has_text="LO Hovedstaden")).to_have_text(
        re.compile(r"Har ikke svaret\s*$")
    )
    expect(main).not_to_contain_text("Gammel Forening")
    check_a11y(page)

    # The print-friendly summary and its PDF.
    page.goto(f"/hoeringer/notat/{hearing.pk}/print/")
    main = page.get_by_role("main")
    expect(main).to_contain_text(SUMMARY_TEXT)
    expect(main).to_contain_text("Bemærkning nummer 1.")
    expect(page.locator("body")).not_to_contain_text("peter@example.org")
    expect(page.locator('[href*="peter@example.org"]')).to_have_count(0)
    check_a11y(page)
    pdf = page.request.get(f"/hoeringer/notat/{hearing.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
