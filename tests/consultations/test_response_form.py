"""Must-hold 4: bad input gets a clear message, keeps what was typed and stores nothing wrong."""

import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.models import Response, ResponseAttachment
from councils.models import PartyKind
from tests.consultations.factories import MINIMAL_PDF, HearingPartyFactory

pytestmark = pytest.mark.django_db

TEXT = "Planen mangler cykelstier ved skolerne på Vesterbro."
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def docx_bytes(content_types=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr(
                "[Content_Types].xml",
                '<Types><Override PartName="/word/document.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def pdf(name="svar.pdf", data=MINIMAL_PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def form_data(**overrides):
    data = {
        "name": "Amira Hassan",
        "email": "amira@example.org",
        "postcode": "1620",
        "district": "vesterbro",
        "respondent": "person",
        "organisation_name": "",
        "text": TEXT,
        "consent": "on",
        "website": "",
        "submission_key": "0123456789abcdef0123456789abcdef",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, hearing, **overrides):
    return client.post(hearing.url, form_data(**overrides))


def private_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_stored():
    assert Response.objects.count() == 0
    assert ResponseAttachment.objects.count() == 0
    assert private_files() == []
    assert mail.outbox == []


def test_valid_response_is_held_until_confirmed(client, hearing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, hearing, attachments=[pdf()])
    assert response.status_code == 302
    assert response["Location"] == "/hoeringer/svar/sendt/"
    stored = Response.objects.get()
    assert stored.status == Response.Status.PENDING
    assert (stored.name, stored.email, stored.postcode, stored.text) == (
        "Amira Hassan",
        "amira@example.org",
        "1620",
        TEXT,
    )
    attachment = stored.attachments.get()
    assert attachment.original_name == "svar.pdf"
    assert attachment.content_type == "application/pdf"
    assert Path(attachment.file.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not str(attachment.file.path).startswith(str(settings.MEDIA_ROOT))
    assert len(mail.outbox) == 1
    assert "Bekræft dit høringssvar" in mail.outbox[0].subject
    assert "/hoeringer/svar/bekraeft/" in mail.outbox[0].body
    sent = client.get(response["Location"]).content.decode()
    assert "bekræfte svaret" in sent


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Skriv dit navn."),
        ("email", "", "Skriv din e-mailadresse."),
        ("email", "amira.example.org", "Skriv en gyldig e-mailadresse"),
        ("postcode", "", "Skriv dit postnummer."),
        ("postcode", "25", "Skriv et postnummer med 4 cifre"),
        ("postcode", "abcd", "Skriv et postnummer med 4 cifre"),
        ("text", "", "Skriv dit høringssvar."),
        ("text", "x" * 20_001, "Høringssvaret må højst være på 20000 tegn"),
        ("consent", None, "Du skal give samtykke"),
        ("respondent", None, "Vælg, hvem du udtaler dig som."),
        ("respondent", "hacker", "Vælg en af mulighederne."),
        ("district", "atlantis", "Vælg en bydel fra listen."),
    ],
)
def test_missing_or_malformed_field(client, hearing, field, value, message):
    response = post(client, hearing, **{field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer med det, du har udfyldt" in html
    assert message in html
    # Everything else the person typed is still there.
    if field != "name":
        assert 'value="Amira Hassan"' in html
    if field != "text":
        assert TEXT in html
    if field != "postcode":
        assert 'value="1620"' in html
    assert_nothing_stored()


def test_organisation_needs_a_name_or_a_party(client, hearing):
    response = post(client, hearing, respondent="organisation", kind=PartyKind.ORGANISATION)
    html = response.content.decode()
    assert "Skriv navnet på den organisation" in html
    assert TEXT in html
    assert_nothing_stored()


def test_party_from_the_hearing_list_names_the_response(client, hearing, django_capture_on_commit_callbacks):
    party = HearingPartyFactory(name="Valby Lokaludvalg", kind=PartyKind.COUNCIL)
    hearing.hearing_lists.add(party.hearing_list)
    hearing.save()
    html = client.get(hearing.url).content.decode()
    assert "Valby Lokaludvalg" in html
    with django_capture_on_commit_callbacks(execute=True):
        post(client, hearing, respondent="organisation", kind=PartyKind.COUNCIL, party=str(party.pk))
    stored = Response.objects.get()
    assert stored.party == party
    assert stored.organisation_name == "Valby Lokaludvalg"
    assert stored.display_name == "Valby Lokaludvalg"


def test_party_not_on_the_hearing_lists_is_refused(client, hearing):
    listed = HearingPartyFactory(name="Valby Lokaludvalg")
    hearing.hearing_lists.add(listed.hearing_list)
    hearing.save()
    stranger = HearingPartyFactory(name="Fremmed Forening")
    response = post(client, hearing, respondent="organisation", kind=PartyKind.ORGANISATION, party=str(stranger.pk))
    html = response.content.decode()
    assert "Vælg en organisation fra listen." in html
    assert TEXT in html
    assert_nothing_stored()


def test_organisation_with_a_name_and_a_kind(client, hearing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(
            client, hearing, respondent="organisation", kind=PartyKind.COMPANY, organisation_name="Bager Jensen"
        )
    assert answer.status_code == 302
    stored = Response.objects.get()
    assert (stored.kind, stored.organisation_name, stored.party) == (PartyKind.COMPANY, "Bager Jensen", None)


def test_organisation_needs_its_kind(client, hearing):
    response = post(client, hearing, respondent="organisation", organisation_name="Bager Jensen")
    html = response.content.decode()
    assert "Vælg, hvilken slags organisation du svarer på vegne af." in html
    assert 'value="Bager Jensen"' in html
    assert_nothing_stored()


def test_a_party_from_the_list_gives_its_kind(client, hearing, django_capture_on_commit_callbacks):
    party = HearingPartyFactory(name="Valby Lokaludvalg", kind=PartyKind.COUNCIL)
    hearing.hearing_lists.add(party.hearing_list)
    hearing.save()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, hearing, respondent="organisation", party=str(party.pk))
    stored = Response.objects.get()
    assert (stored.kind, stored.party) == (PartyKind.COUNCIL, party)


def test_a_private_person_ignores_the_organisation_fields(client, hearing, django_capture_on_commit_callbacks):
    """Without JavaScript the organisation fields are always shown; a person may have typed in them."""
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, hearing, respondent="person", kind="hacker", organisation_name="x" * 300, party="999999")
    assert answer.status_code == 302
    stored = Response.objects.get()
    assert (stored.kind, stored.organisation_name, stored.party) == (PartyKind.PERSON, "", None)


def test_organisation_fields_are_marked_up_for_the_dkfds_radio_toggle(client, hearing):
    """Shown in the HTML (no aria-hidden: visible without JavaScript), under the radio that controls them."""
    html = client.get(hearing.url).content.decode()
    assert "js-radio-toggle-group" in html
    assert 'value="organisation" id="id_respondent_1" data-controls="#organisation-fields"' in html
    assert 'aria-controls="organisation-fields"' in html
    assert '<div class="radio-content" id="organisation-fields">' in html
    assert 'value="person" id="id_respondent_0" checked>' in html
    for label in ("Hvilken slags organisation?", "Organisationens navn", "Virksomhed", "Myndighed"):
        assert label in html


def test_organisation_fields_come_back_with_the_typed_values(client, hearing):
    response = post(
        client,
        hearing,
        respondent="organisation",
        kind=PartyKind.ORGANISATION,
        organisation_name="Valby Boldklub",
        text="",
    )
    html = response.content.decode()
    assert "Skriv dit høringssvar." in html
    assert 'value="organisation" id="id_respondent_1" checked data-controls="#organisation-fields"' in html
    assert 'data-expanded="true"' in html
    assert 'value="Valby Boldklub"' in html
    assert 'value="organisation" id="id_kind_1" checked>' in html
    assert_nothing_stored()


def test_oversized_file(client, hearing, settings):
    settings.HEARING_ATTACHMENT_MAX_BYTES = 1000
    response = post(client, hearing, attachments=[pdf(data=MINIMAL_PDF + b"%" * 2000)])
    html = response.content.decode()
    assert "Filen »svar.pdf« er for stor" in html
    assert "Vælg filerne igen" in html
    assert TEXT in html
    assert_nothing_stored()


def test_renamed_executable_posing_as_pdf(client, hearing):
    response = post(client, hearing, attachments=[pdf(name="svar.pdf", data=EXE)])
    html = response.content.decode()
    assert "Filen »svar.pdf« er ikke en PDF-, DOCX-, ODT-, PNG- eller JPEG-fil." in html
    assert TEXT in html
    assert_nothing_stored()


def test_zip_posing_as_docx_is_refused(client, hearing):
    response = post(client, hearing, attachments=[pdf(name="svar.docx", data=docx_bytes(content_types=False))])
    assert "Filen »svar.docx« er ikke en PDF-, DOCX-, ODT-, PNG- eller JPEG-fil." in response.content.decode()
    assert_nothing_stored()


def test_docx_odt_and_png_are_accepted_by_content(client, hearing, django_capture_on_commit_callbacks):
    files = [pdf("a.docx", docx_bytes()), pdf("b.odt", odt_bytes()), pdf("c.png", PNG)]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, hearing, attachments=files)
    assert response.status_code == 302
    types = sorted(ResponseAttachment.objects.values_list("content_type", flat=True))
    assert types == [
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    ]


def test_six_attachments(client, hearing):
    response = post(client, hearing, attachments=[pdf(f"bilag{i}.pdf") for i in range(6)])
    html = response.content.decode()
    assert "Du kan højst vedhæfte 5 filer. Du valgte 6." in html
    assert TEXT in html
    assert_nothing_stored()


def test_submission_after_the_deadline(client, hearing):
    with time_machine.travel(hearing.closes_at + dt.timedelta(minutes=1), tick=False):
        page = client.get(hearing.url).content.decode()
        assert "Det er ikke længere muligt at afgive høringssvar" in page
        assert 'name="text"' not in page
        response = post(client, hearing, attachments=[pdf()])
    html = response.content.decode()
    assert response.status_code == 400
    assert "Høringsfristen er udløbet" in html
    assert TEXT in html
    assert_nothing_stored()


def test_double_submission_creates_one_response(client, hearing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, hearing, attachments=[pdf()])
        second = client.post(hearing.url, {**form_data(), "attachments": [pdf()]})
    assert first.status_code == second.status_code == 302
    assert Response.objects.count() == 1
    assert ResponseAttachment.objects.count() == 1
    assert len(mail.outbox) == 1


def test_filled_honeypot_is_dropped_silently(client, hearing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, hearing, website="http://spam.example", attachments=[pdf()])
    assert response.status_code == 302
    assert response["Location"] == "/hoeringer/svar/sendt/"
    assert_nothing_stored()


def test_rate_limit_per_email(client, hearing, settings, django_capture_on_commit_callbacks):
    settings.HEARING_RESPONSE_RATE_EMAIL = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert post(client, hearing, submission_key=f"{n:032x}").status_code == 302
        blocked = post(client, hearing, submission_key=f"{9:032x}")
    assert blocked.status_code == 429
    html = blocked.content.decode()
    assert "for mange høringssvar" in html
    assert TEXT in html
    assert Response.objects.count() == 2


def test_plus_addressing_and_case_share_the_per_email_limit(
    client, hearing, settings, django_capture_on_commit_callbacks
):
    """Issue 10: »amira+1@…« and »Amira+2@…« reach amira@example.org's mailbox, so they count against
    its limit; each response keeps the address as typed (lower-cased as every address is)."""
    settings.HEARING_RESPONSE_RATE_EMAIL = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, hearing, submission_key=f"{1:032x}", email="amira+1@example.org")
        second = post(client, hearing, submission_key=f"{2:032x}", email="Amira+hoering@Example.org")
        blocked = post(client, hearing, submission_key=f"{3:032x}", email="amira+3@example.org")
    assert (first.status_code, second.status_code) == (302, 302)
    assert blocked.status_code == 429
    assert "for mange høringssvar" in blocked.content.decode()
    assert 'value="amira+3@example.org"' in blocked.content.decode()
    assert sorted(Response.objects.values_list("email", flat=True)) == [
        "amira+1@example.org",
        "amira+hoering@example.org",
    ]
    # Another mailbox at the same domain is not affected.
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, hearing, submission_key=f"{4:032x}", email="amir@example.org").status_code == 302


def test_rate_limit_per_ip(client, hearing, settings, django_capture_on_commit_callbacks):
    settings.HEARING_RESPONSE_RATE_IP = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            post(client, hearing, submission_key=f"{n:032x}", email=f"p{n}@example.org")
        blocked = post(client, hearing, submission_key=f"{9:032x}", email="p9@example.org")
    assert blocked.status_code == 429
    assert Response.objects.count() == 2


def test_upcoming_hearing_has_no_form(client, hearing):
    with time_machine.travel(hearing.opens_at - dt.timedelta(days=1), tick=False):
        html = client.get(hearing.url).content.decode()
        assert "Høringen er ikke åbnet endnu" in html
        response = post(client, hearing)
    assert response.status_code == 400
    assert_nothing_stored()


def test_confirmation_link_confirms_once_and_sends_a_receipt(client, hearing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, hearing, attachments=[pdf()])
    link = next(line for line in mail.outbox[0].body.splitlines() if "/svar/bekraeft/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert "Bekræft mit høringssvar" in page.content.decode()
    assert Response.objects.get().status == Response.Status.PENDING  # a GET never confirms
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/{path}")
        again = client.post(f"/{path}")
    assert "Dit høringssvar er modtaget" in done.content.decode()
    assert "allerede bekræftet" in again.content.decode()
    stored = Response.objects.get()
    assert stored.status == Response.Status.RECEIVED
    assert stored.confirmed_at is not None
    assert len(mail.outbox) == 2
    receipt = mail.outbox[1]
    assert "Kvittering" in receipt.subject
    assert TEXT in receipt.body
    assert "svar.pdf" in receipt.body


def test_unknown_token_is_refused(client, hearing):
    response = client.get("/hoeringer/svar/bekraeft/ikke-et-token/")
    assert response.status_code == 404
    assert "Linket virker ikke" in response.content.decode()


def test_verified_user_skips_confirmation_and_sees_response_on_my_page(
    client, hearing, user_factory, django_capture_on_commit_callbacks
):
    user = user_factory(email="amira@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, hearing)
    stored = Response.objects.get()
    assert stored.status == Response.Status.RECEIVED
    assert stored.user == user
    assert [m.subject for m in mail.outbox] == [f"Kvittering for dit høringssvar til »{hearing.title}«"]
    my_page = client.get("/min-side/").content.decode()
    assert "Mine høringssvar" in my_page
    assert hearing.title in my_page


def test_unverified_user_still_confirms_by_email(client, hearing, user_factory, django_capture_on_commit_callbacks):
    user = user_factory(email="amira@example.org", verified=False)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, hearing)
    assert Response.objects.get().status == Response.Status.PENDING
    assert "Bekræft" in mail.outbox[0].subject


def test_party_on_two_lists_is_offered_once(client, hearing):
    first = HearingPartyFactory(name="Landsorganisationen i Danmark")
    second = HearingPartyFactory(name="Landsorganisationen i Danmark")
    hearing.hearing_lists.add(first.hearing_list, second.hearing_list)
    hearing.save()
    html = client.get(hearing.url).content.decode()
    assert html.count(">Landsorganisationen i Danmark</option>") == 1


# --- Issue 10: names and postcodes that slipped through (core.text) ---------------------------

NFD_NAME = unicodedata.normalize("NFD", "Åse Café")
NFD_ORGANISATION = unicodedata.normalize("NFD", "Forældreforeningen Å-skolen")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "١٦٢٠", "Skriv postnummeret med cifrene 0-9, fx 2500."),
        ("postcode", "۱۶۲۰", "Skriv postnummeret med cifrene 0-9, fx 2500."),
        ("name", "Amira\r\nHassan", "Skriv det på én linje uden linjeskift."),
        ("name", "Amira \u202enassaH", "usynlige tegn, der vender skriftretningen"),
        ("name", "\u2066Amira\u2069", "usynlige tegn, der vender skriftretningen"),
        ("organisation_name", "Valby\nBoldklub", "Skriv det på én linje uden linjeskift."),
        ("organisation_name", "Valby \u202dBoldklub", "usynlige tegn, der vender skriftretningen"),
    ],
)
def test_unicode_digits_line_breaks_and_bidi_controls_are_refused(client, hearing, field, value, message):
    extra = {"respondent": "organisation", "kind": PartyKind.ORGANISATION} if field == "organisation_name" else {}
    response = post(client, hearing, **{field: value, **extra})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer med det, du har udfyldt" in html
    assert message in html
    assert value.replace("\r\n", "\n") in html.replace("\r\n", "\n"), "what was typed is shown again"
    assert TEXT in html
    assert_nothing_stored()


def test_names_typed_in_nfd_are_stored_in_nfc(client, hearing):
    post(
        client,
        hearing,
        name=NFD_NAME,
        respondent="organisation",
        kind=PartyKind.ORGANISATION,
        organisation_name=NFD_ORGANISATION,
    )
    stored = Response.objects.get()
    assert (stored.name, stored.organisation_name) == ("Åse Café", "Forældreforeningen Å-skolen")
    assert stored.name != NFD_NAME
