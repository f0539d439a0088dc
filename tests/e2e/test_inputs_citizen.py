"""Issue 10, »inputs that slip through«, as people meet them: a respondent writing on an Arabic
keyboard types the postcode in Arabic-Indic digits and is told in Danish to use 0-9, with what
they typed kept; a candidate's phone photo loses its GPS position, and a disguised file is refused.
axe finds nothing on any page."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from consultations.models import Response
from elections.models import Candidate
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.elections import factories as election_factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = "Planen bør nævne sprogkurser for nye borgere."


@pytest.fixture
def open_hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    hearing = HearingFactory(parent=index, title="Integrationspolitik 2027", slug="integrationspolitik-2027")
    hearing.save_revision().publish()
    return hearing


def test_a_postcode_in_arabic_indic_digits_gets_a_danish_message_and_is_kept(page, check_a11y, open_hearing):
    page.goto(open_hearing.url)
    check_a11y(page)
    page.get_by_label("Navn", exact=True).fill("Amira Hassan")
    page.get_by_label("E-mail", exact=True).fill("amira@example.org")
    page.get_by_label("Postnummer").fill("١٦٢٠")
    page.get_by_label("Dit høringssvar").fill(TEXT)
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()

    expect(page.get_by_text("Der er problemer med det, du har udfyldt")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Skriv postnummeret med cifrene 0-9, fx 2500.")
    expect(page.get_by_label("Postnummer")).to_have_value("١٦٢٠")
    expect(page.get_by_label("Navn", exact=True)).to_have_value("Amira Hassan")
    expect(page.get_by_label("Dit høringssvar")).to_have_value(TEXT)
    check_a11y(page)
    assert Response.objects.count() == 0

    page.get_by_label("Postnummer").fill("1620")
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    expect(page.get_by_role("main")).to_contain_text("bekræft dit svar", ignore_case=True)
    check_a11y(page)
    assert Response.objects.get().postcode == "1620"


@pytest.fixture
def nominating(home_page):
    council = election_factories.council(home_page)
    election, numbers = election_factories.nominating(council)
    return election, numbers


def phone_photo(path):
    exif = Image.Exif()
    exif[0x010F] = "Telefonfabrikant"
    exif.get_ifd(0x8825).update({1: "N", 2: (55.0, 40.0, 12.5), 3: "E", 4: (12.0, 34.0, 56.7)})
    Image.new("RGB", (60, 60), "teal").save(path, "JPEG", exif=exif)
    return path


def test_a_candidate_uploads_a_photo_its_gps_position_is_not_kept(page, check_a11y, nominating, tmp_path):
    election, numbers = nominating
    page.goto(reverse("elections:nominate", args=[election.pk]))
    check_a11y(page)
    page.get_by_label("Dit navn").fill("Samira Haddad")
    page.get_by_label("Din e-mailadresse").fill("samira@example.org")
    page.get_by_label("Dit personnummer").fill(numbers[0])
    page.get_by_label("Kort om dig og hvad du vil arbejde for").fill("Jeg vil arbejde for flere sprogtilbud.")
    disguised = tmp_path / "mig.jpg"
    disguised.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01<html><script>alert(1)</script></html>")
    page.get_by_label("Foto af dig").set_input_files(str(disguised))
    page.get_by_label("Jeg bekræfter, at oplysningerne er rigtige.").check()
    page.get_by_role("button", name="Send anmeldelse").click()

    expect(page.get_by_role("main")).to_contain_text("Filen er ikke et billede i JPEG, PNG eller WebP.")
    expect(page.get_by_label("Dit navn")).to_have_value("Samira Haddad")
    check_a11y(page)
    assert Candidate.objects.count() == 0

    page.get_by_label("Dit personnummer").fill(numbers[0])
    page.get_by_label("Foto af dig").set_input_files(str(phone_photo(tmp_path / "telefon.jpg")))
    page.get_by_label("Jeg bekræfter, at oplysningerne er rigtige.").check()
    page.get_by_role("button", name="Send anmeldelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak – vi har modtaget din anmeldelse")
    check_a11y(page)

    candidate = Candidate.objects.get()
    with candidate.photo.open("rb") as stored:
        data = stored.read()
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}
    assert b"Telefonfabrikant" not in data
