"""Issue 4, what must hold 1: a citizen answers an open hearing as a private person with a PDF,
confirms by the emailed link, gets a receipt, and after the secretariat publishes the response it
is on the hearing page without email or address. axe finds nothing on any page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consultations.models import Response, Subscription
from tests.consultations.factories import MINIMAL_PDF, HearingFactory, HearingIndexPageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = "Jeg bor på Vesterbro og savner cykelstier til skolerne.\nBeskæftigelsesplanen bør nævne unge ledige."


@pytest.fixture
def open_hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    hearing = HearingFactory(
        parent=index,
        title="Beskæftigelsesplan 2027",
        slug="beskaeftigelsesplan-2027",
        summary="Forslaget beskriver, hvordan jobcentret vil hjælpe ledige i job.",
        committee_name="Beskæftigelses- og Integrationsudvalget",
    )
    hearing.save_revision().publish()
    return hearing


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_citizen_responds_confirms_and_sees_published_response(page, check_a11y, open_hearing, tmp_path, user_factory):
    page.goto("/")
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Beskæftigelsesplan 2027").click()
    page.wait_for_url("**/beskaeftigelsesplan-2027/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beskæftigelsesplan 2027")
    expect(page.get_by_role("main")).to_contain_text("Status: Åben")
    check_a11y(page)

    attachment = tmp_path / "mit-svar.pdf"
    attachment.write_bytes(MINIMAL_PDF)
    page.get_by_label("Navn", exact=True).fill("Amira Hassan")
    page.get_by_label("E-mail", exact=True).fill("amira@example.org")
    page.get_by_label("Postnummer").fill("1620")
    page.get_by_role("combobox", name="Bydel").select_option(label="Vesterbro")
    assert page.get_by_label("Privatperson").is_checked()
    page.get_by_label("Dit høringssvar").fill(TEXT)
    page.get_by_label("Bilag (valgfrit)").set_input_files(str(attachment))
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()

    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    expect(page.get_by_role("main")).to_contain_text("bekræft dit svar", ignore_case=True)
    check_a11y(page)

    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["amira@example.org"]
    link = re.search(r"https?://\S+/hoeringer/svar/bekraeft/\S+/", confirmation.body).group(0)
    stored = Response.objects.get()
    assert stored.status == Response.Status.PENDING

    page.goto(path_of(link))
    check_a11y(page)
    page.get_by_role("button", name="Bekræft mit høringssvar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit høringssvar er modtaget")
    check_a11y(page)

    assert len(mail.outbox) == 2
    receipt = mail.outbox[1]
    assert receipt.subject == "Kvittering for dit høringssvar til »Beskæftigelsesplan 2027«"
    assert "savner cykelstier" in receipt.body
    assert "mit-svar.pdf" in receipt.body

    # Before moderation, nothing is public.
    page.goto(open_hearing.url)
    expect(page.get_by_role("main")).not_to_contain_text("Amira Hassan")

    # The secretariat publishes it.
    secretary = user_factory(email="sekretariat@kommune.example", is_staff=True, is_superuser=True)
    stored.refresh_from_db()
    assert stored.status == Response.Status.RECEIVED
    stored.publish(secretary)

    page.goto(open_hearing.url)
    responses = page.locator("#hoeringssvar")
    for shown in ("Amira Hassan", "Vesterbro", "savner cykelstier til skolerne", "mit-svar.pdf"):
        expect(responses).to_contain_text(shown)
    expect(page.locator("body")).not_to_contain_text("amira@example.org")
    expect(page.locator('[href*="amira@example.org"], [value*="amira@example.org"]')).to_have_count(0)
    expect(responses).not_to_contain_text("1620")
    check_a11y(page)

    with page.expect_download() as download_info:
        responses.get_by_role("link", name="mit-svar.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "mit-svar.pdf"
    assert open(download.path(), "rb").read() == MINIMAL_PDF  # noqa: SIM115


def test_citizen_filters_hearings_and_subscribes(page, check_a11y, open_hearing):
    page.goto("/hoeringer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Høringer")
    check_a11y(page)
    page.get_by_label("Status").select_option(label="Afsluttet")
    page.get_by_role("button", name="Vis høringer").click()
    expect(page.get_by_role("main")).to_contain_text("Ingen høringer passer til dine valg.")
    page.get_by_label("Status").select_option(label="Åben")
    page.get_by_role("button", name="Vis høringer").click()
    page.get_by_role("main").get_by_role("link", name="Beskæftigelsesplan 2027").wait_for()
    check_a11y(page)

    page.get_by_role("link", name="Få besked på e-mail om nye høringer").click()
    check_a11y(page)
    page.get_by_label("E-mail", exact=True).fill("ikke-en-email")
    page.get_by_role("button", name="Abonnér").click()
    expect(page.get_by_role("main")).to_contain_text("Skriv en gyldig e-mailadresse")
    check_a11y(page)
    page.get_by_label("E-mail", exact=True).fill("lise@example.org")
    page.get_by_label("Område").select_option(label="Valby")
    page.get_by_role("button", name="Abonnér").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft dit abonnement")
    check_a11y(page)
    link = re.search(r"https?://\S+/hoeringer/abonnement/bekraeft/\S+/", mail.outbox[-1].body).group(0)
    page.goto(path_of(link))
    check_a11y(page)
    page.get_by_role("button", name="Bekræft abonnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit abonnement er bekræftet")
    check_a11y(page)
    # The unsubscribe link only asks (issue 10: a GET never unsubscribes); the button does it.
    page.get_by_role("link", name="Afmeld abonnementet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afmeld abonnement")
    expect(page.get_by_role("main")).to_contain_text("lise@example.org")
    check_a11y(page)
    assert Subscription.objects.filter(email="lise@example.org").exists()
    page.get_by_role("button", name="Afmeld abonnementet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er afmeldt")
    check_a11y(page)
    assert not Subscription.objects.filter(email="lise@example.org").exists()


def test_logged_in_citizen_skips_confirmation_and_finds_response_on_my_page(
    page, check_a11y, open_hearing, user_factory
):
    user_factory(email="lise@example.org", password="Kodeord-der-er-langt-42", first_name="Lise", last_name="Holm")
    page.goto("/konto/login/")
    page.get_by_label("E-mail", exact=True).fill("lise@example.org")
    page.get_by_label("Adgangskode").fill("Kodeord-der-er-langt-42")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(r"/min-side/"))

    page.goto(open_hearing.url)
    expect(page.get_by_label("E-mail", exact=True)).to_have_value("lise@example.org")
    expect(page.get_by_label("Navn", exact=True)).to_have_value("Lise Holm")
    check_a11y(page)
    page.get_by_label("Postnummer").fill("2500")
    page.get_by_label("Dit høringssvar").fill("Flere praktikpladser til unge, tak.")
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    expect(page.get_by_role("main")).to_contain_text("Vi har modtaget dit svar")
    assert [m.subject for m in mail.outbox] == ["Kvittering for dit høringssvar til »Beskæftigelsesplan 2027«"]

    page.goto("/min-side/")
    section = page.get_by_role("region", name="Mine høringssvar")
    expect(section).to_contain_text("Beskæftigelsesplan 2027")
    expect(section).to_contain_text("Status: Modtaget")
    check_a11y(page)
