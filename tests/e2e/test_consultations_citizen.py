"""Issue 4, what must hold 1: a citizen answers an open hearing as a private person with a PDF,
confirms by the emailed link, gets a receipt, and after the secretariat publishes the response it
is on the hearing page without email or address. axe finds nothing on any page."""

import re

import pytest
from django.core import mail

from consultations.models import Response
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
    assert page.get_by_role("heading", level=1).inner_text() == "Beskæftigelsesplan 2027"
    assert "Status: Åben" in page.get_by_role("main").inner_text()
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
    assert "bekræft dit svar" in page.get_by_role("main").inner_text().lower()
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
    assert page.get_by_role("heading", level=1).inner_text() == "Dit høringssvar er modtaget"
    check_a11y(page)

    assert len(mail.outbox) == 2
    receipt = mail.outbox[1]
    assert receipt.subject == "Kvittering for dit høringssvar til »Beskæftigelsesplan 2027«"
    assert "savner cykelstier" in receipt.body
    assert "mit-svar.pdf" in receipt.body

    # Before moderation, nothing is public.
    page.goto(open_hearing.url)
    assert "Amira Hassan" not in page.get_by_role("main").inner_text()

    # The secretariat publishes it.
    secretary = user_factory(email="sekretariat@kommune.example", is_staff=True, is_superuser=True)
    stored.refresh_from_db()
    assert stored.status == Response.Status.RECEIVED
    stored.publish(secretary)

    page.goto(open_hearing.url)
    responses = page.locator("#hoeringssvar")
    text = responses.inner_text()
    assert "Amira Hassan" in text
    assert "Vesterbro" in text
    assert "savner cykelstier til skolerne" in text
    assert "mit-svar.pdf" in text
    html = page.content()
    assert "amira@example.org" not in html
    assert "1620" not in responses.inner_text()
    check_a11y(page)

    with page.expect_download() as download_info:
        responses.get_by_role("link", name="mit-svar.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "mit-svar.pdf"
    assert open(download.path(), "rb").read() == MINIMAL_PDF  # noqa: SIM115


def test_citizen_filters_hearings_and_subscribes(page, check_a11y, open_hearing):
    page.goto("/hoeringer/")
    assert page.get_by_role("heading", level=1).inner_text() == "Høringer"
    check_a11y(page)
    page.get_by_label("Status").select_option(label="Afsluttet")
    page.get_by_role("button", name="Vis høringer").click()
    assert "Ingen høringer passer til dine valg." in page.get_by_role("main").inner_text()
    page.get_by_label("Status").select_option(label="Åben")
    page.get_by_role("button", name="Vis høringer").click()
    page.get_by_role("main").get_by_role("link", name="Beskæftigelsesplan 2027").wait_for()
    check_a11y(page)

    page.get_by_role("link", name="Få besked på e-mail om nye høringer").click()
    check_a11y(page)
    page.get_by_label("E-mail").fill("ikke-en-email")
    page.get_by_role("button", name="Abonnér").click()
    assert "Skriv en gyldig e-mailadresse" in page.get_by_role("main").inner_text()
    check_a11y(page)
    page.get_by_label("E-mail").fill("lise@example.org")
    page.get_by_label("Område").select_option(label="Valby")
    page.get_by_role("button", name="Abonnér").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bekræft dit abonnement"
    check_a11y(page)
    link = re.search(r"https?://\S+/hoeringer/abonnement/bekraeft/\S+/", mail.outbox[-1].body).group(0)
    page.goto(path_of(link))
    check_a11y(page)
    page.get_by_role("button", name="Bekræft abonnement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dit abonnement er bekræftet"
    check_a11y(page)


def test_logged_in_citizen_skips_confirmation_and_finds_response_on_my_page(
    page, check_a11y, open_hearing, user_factory
):
    user_factory(email="lise@example.org", password="Kodeord-der-er-langt-42", first_name="Lise", last_name="Holm")
    page.goto("/konto/login/")
    page.get_by_label("E-mail").fill("lise@example.org")
    page.get_by_label("Adgangskode").fill("Kodeord-der-er-langt-42")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(r"/min-side/"))

    page.goto(open_hearing.url)
    assert page.get_by_label("E-mail", exact=True).input_value() == "lise@example.org"
    assert page.get_by_label("Navn", exact=True).input_value() == "Lise Holm"
    check_a11y(page)
    page.get_by_label("Postnummer").fill("2500")
    page.get_by_label("Dit høringssvar").fill("Flere praktikpladser til unge, tak.")
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    assert "Vi har modtaget dit svar" in page.get_by_role("main").inner_text()
    assert [m.subject for m in mail.outbox] == ["Kvittering for dit høringssvar til »Beskæftigelsesplan 2027«"]

    page.goto("/min-side/")
    section = page.get_by_role("region", name="Mine høringssvar")
    assert "Beskæftigelsesplan 2027" in section.inner_text()
    assert "Status: Modtaget" in section.inner_text()
    check_a11y(page)
