"""CSV import and export of a hearing list's parties: all or nothing, with a per-line report."""

import csv
import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.tabular import csv_bytes
from councils.hearing_csv import ImportRejected, export_rows, import_parties
from councils.models import HearingParty

from . import factories

pytestmark = pytest.mark.django_db

GOOD = (
    "navn;type;e-mail;råd;aktiv\n"
    "Dansk Arbejdsgiverforening;forening;hoering@da.example;;ja\n"
    "Landsorganisationen i Danmark;Forening/organisation;hoering@lo.example;;\n"
    "Vesterbro Lokaludvalg;raad;vesterbro@kommune.example;Vesterbro Lokaludvalg;ja\n"
    "Jobcenter København;myndighed;jobcenter@kommune.example;;nej\n"
)


@pytest.fixture
def hearing_list(valby, vesterbro):
    return factories.hearing_list("Høringsliste: Valby", valby, [("Valby Idrætsforening", "idraet@valby.example")])


def test_good_file_imports_every_party(hearing_list, vesterbro):
    assert import_parties(hearing_list, GOOD.encode()) == 4
    parties = {p.name: p for p in hearing_list.parties.all()}
    assert set(parties) == {
        "Valby Idrætsforening",
        "Dansk Arbejdsgiverforening",
        "Landsorganisationen i Danmark",
        "Vesterbro Lokaludvalg",
        "Jobcenter København",
    }
    assert parties["Landsorganisationen i Danmark"].kind == "organisation"
    assert parties["Vesterbro Lokaludvalg"].council == vesterbro
    assert parties["Vesterbro Lokaludvalg"].kind == "council"
    assert parties["Jobcenter København"].active is False


def test_comma_separated_english_headers_and_windows_1252_work(hearing_list):
    text = "name,kind,email\nForeningen Ærø,virksomhed,aeroe@foreningen.example\n"
    assert import_parties(hearing_list, text.encode("cp1252")) == 1
    assert hearing_list.parties.filter(name="Foreningen Ærø", kind="company").exists()


def test_one_bad_line_rejects_the_whole_file_and_names_line_and_reason(hearing_list):
    bad = GOOD + "Forkert Mail;forening;ikke-en-mail;;ja\n"
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, bad.encode())
    assert rejected.value.errors == ["Linje 6: »ikke-en-mail« er ikke en gyldig e-mailadresse."]
    assert list(hearing_list.parties.values_list("name", flat=True)) == ["Valby Idrætsforening"]


def test_every_kind_of_bad_line_is_reported(hearing_list):
    bad = (
        "navn;type;e-mail;råd;aktiv\n"
        ";forening;a@b.example;;ja\n"  # 2: missing name
        "Valby Idrætsforening;forening;ny@valby.example;;ja\n"  # 3: already on the list
        "Dobbelt;forening;d1@x.example;;ja\n"  # 4: fine on its own
        "dobbelt;forening;d2@x.example;;ja\n"  # 5: duplicate of line 4
        "Ukendt;klub;u@x.example;;ja\n"  # 6: unknown kind
        "Intet Råd;forening;r@x.example;Atlantis Lokaludvalg;ja\n"  # 7: unknown council
        "Uden Mail;forening;;;ja\n"  # 8: missing email
        "Måske;forening;m@x.example;;måske\n"  # 9: bad active flag
    )
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, bad.encode())
    assert rejected.value.errors == [
        "Linje 2: navnet mangler.",
        "Linje 3: »Valby Idrætsforening« står allerede på høringslisten.",
        "Linje 5: »dobbelt« står to gange i filen (også på linje 4).",
        "Linje 6: ukendt type »klub« (brug en af: privatperson, virksomhed, forening, raad, myndighed).",
        "Linje 7: ukendt råd »Atlantis Lokaludvalg«.",
        "Linje 8: e-mailadressen mangler.",
        "Linje 9: aktiv skal være »ja« eller »nej«, ikke »måske«.",
    ]
    assert hearing_list.parties.count() == 1


def test_file_without_header_is_rejected(hearing_list):
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, b"DA;hoering@da.example\n")
    assert "overskriftslinje" in rejected.value.errors[0]
    assert hearing_list.parties.count() == 1


def test_export_round_trips_and_neutralises_formulas(hearing_list, valby, vesterbro):
    import_parties(hearing_list, GOOD.encode())
    HearingParty.objects.create(hearing_list=hearing_list, name="=HYPERLINK(1)", email="f@x.example", language="so")
    text = csv_bytes(export_rows(hearing_list)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["navn", "type", "e-mail", "råd", "aktiv", "sprog"]
    assert ["Vesterbro Lokaludvalg", "raad", "vesterbro@kommune.example", "Vesterbro Lokaludvalg", "ja", "da"] in rows
    assert ["Jobcenter København", "myndighed", "jobcenter@kommune.example", "", "nej", "da"] in rows
    assert ["'=HYPERLINK(1)", "forening", "f@x.example", "", "ja", "so"] in rows
    copy = factories.hearing_list("Kopi", valby)
    assert import_parties(copy, text.encode()) == 6
    assert copy.parties.get(name="Vesterbro Lokaludvalg").council == vesterbro
    assert copy.parties.get(name="'=HYPERLINK(1)").language == "so"


def test_the_language_column_takes_codes_and_names_and_refuses_an_unknown_one(hearing_list):
    """»sprog« sets the language of the party's invitations: a code or a name, Danish when empty."""
    text = (
        "navn;e-mail;sprog\n"
        "Somalisk Forældreforening;sf@example.org;somali\n"
        "Arabisk Kulturforening;akf@example.org;ar\n"
        "Valby Boldklub;vb@example.org;\n"
    )
    assert import_parties(hearing_list, text.encode()) == 3
    languages = dict(hearing_list.parties.values_list("name", "language"))
    assert languages == {
        "Valby Idrætsforening": "da",
        "Somalisk Forældreforening": "so",
        "Arabisk Kulturforening": "ar",
        "Valby Boldklub": "da",
    }
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, b"navn;e-mail;sprog\nKlingon Forening;kf@example.org;klingon\n")
    assert rejected.value.errors == [
        "Linje 2: sproget »klingon« kendes ikke (skriv fx da, en, ar, fa, ur, tr, so, pl eller uk)."
    ]
    assert hearing_list.parties.count() == 4


def test_admin_import_shows_report_and_stores_nothing(staff_client, hearing_list):
    url = reverse("councils_hearing_list_import", args=[hearing_list.pk])
    assert staff_client.get(url).status_code == 200
    bad = GOOD + ";forening;x@y.example;;ja\n"
    response = staff_client.post(url, {"file": SimpleUploadedFile("parter.csv", bad.encode(), "text/csv")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fejl i filen – intet er importeret" in html
    assert "Linje 6: navnet mangler." in html
    assert hearing_list.parties.count() == 1


def test_admin_import_of_good_file_and_export(staff_client, hearing_list, vesterbro):
    url = reverse("councils_hearing_list_import", args=[hearing_list.pk])
    response = staff_client.post(url, {"file": SimpleUploadedFile("parter.csv", GOOD.encode(), "text/csv")})
    assert response.status_code == 302
    assert response["Location"] == reverse(hearing_list.snippet_viewset.get_url_name("edit"), args=[hearing_list.pk])
    assert hearing_list.parties.count() == 5
    export = staff_client.get(reverse("councils_hearing_list_export", args=[hearing_list.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    assert "attachment" in export["Content-Disposition"]
    assert "Dansk Arbejdsgiverforening;forening;hoering@da.example" in export.getvalue().decode("utf-8-sig")


@pytest.mark.parametrize("view", ["list", "edit"])
def test_listing_and_edit_view_link_to_import_and_export(staff_client, hearing_list, view):
    viewset = hearing_list.snippet_viewset
    url = reverse(viewset.get_url_name(view), args=[hearing_list.pk] if view == "edit" else [])
    html = staff_client.get(url).content.decode()
    assert reverse("councils_hearing_list_import", args=[hearing_list.pk]) in html
    assert reverse("councils_hearing_list_export", args=[hearing_list.pk]) in html


def test_a_secretariat_sets_a_partys_language_in_the_admin(staff_client, hearing_list):
    """The hearing list's edit page offers each party's language by its own name; saving stores it."""
    party = hearing_list.parties.get()
    url = reverse(hearing_list.snippet_viewset.get_url_name("edit"), args=[hearing_list.pk])
    html = staff_client.get(url).content.decode()
    assert '<option value="so">Soomaali</option>' in html and '<option value="da" selected>Dansk</option>' in html
    data = nested_form_data(
        {
            "name": hearing_list.name,
            "council": hearing_list.council_id,
            "parties": inline_formset(
                [{"id": party.pk, "name": party.name, "kind": party.kind, "email": party.email,
                  "language": "so", "council": "", "active": "on", "ORDER": 1}],
                initial=1,
            ),
        }
    )  # fmt: skip
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    party.refresh_from_db()
    assert party.language == "so"


# --- Issue 10: bad bytes are reported per line, never stored and never a 500 ----------------


def test_nul_byte_in_a_cell_is_a_clear_line_error(staff_client, hearing_list):
    bad = GOOD.replace("Dansk Arbejdsgiverforening", "Dansk\x00Arbejdsgiverforening")
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, bad.encode())
    assert rejected.value.errors == ["Linje 2: kolonnen »navn« indeholder et NUL-tegn."]
    url = reverse("councils_hearing_list_import", args=[hearing_list.pk])
    response = staff_client.post(url, {"file": SimpleUploadedFile("parter.csv", bad.encode(), "text/csv")})
    assert response.status_code == 200
    assert "Linje 2: kolonnen »navn« indeholder et NUL-tegn." in response.content.decode()
    assert hearing_list.parties.count() == 1


def test_utf8_file_with_a_stray_byte_is_reported_not_imported_as_mojibake(hearing_list):
    """A UTF-8 file (»Jobcenter København«) with one byte that is not UTF-8 on line 3."""
    data = GOOD.encode().replace(b"hoering@lo.example", b"hoering@lo\xff.example")
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, data)
    assert rejected.value.errors == [
        "Linje 3: kolonnen »e-mail« indeholder tegn, der ikke kan læses (gem filen som UTF-8)."
    ]
    assert not hearing_list.parties.filter(name__contains="Ã").exists()
    assert hearing_list.parties.count() == 1


def test_a_name_too_long_for_the_list_is_a_line_error(hearing_list):
    bad = GOOD + ("x" * 201) + ";forening;lang@x.example;;ja\n"
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, bad.encode())
    assert rejected.value.errors == ["Linje 6: kolonnen »navn« er for lang (højst 200 tegn)."]


# --- Issue 10: the same name in NFC and NFD was two parties; names took CR/LF and bidi controls ---


def test_a_name_in_nfd_is_the_party_already_on_the_list(hearing_list):
    """»Åbyhøj Café« is on the list; the file spells it with a combining ring and accent (NFD)."""
    nfd = unicodedata.normalize("NFD", "Åbyhøj Café")
    assert nfd != "Åbyhøj Café"
    HearingParty.objects.create(hearing_list=hearing_list, name="Åbyhøj Café", email="cafe@aabyhoej.example")
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, f"navn;e-mail\n{nfd};cafe@aabyhoej.example\n".encode())
    assert rejected.value.errors == ["Linje 2: »Åbyhøj Café« står allerede på høringslisten."]
    assert hearing_list.parties.filter(name__startswith="Åbyhøj").count() == 1


def test_the_same_name_in_nfc_and_nfd_in_one_file_is_one_party(hearing_list):
    nfc = "Forældreforeningen Å-skolen"
    data = f"navn;e-mail\n{nfc};a@skolen.example\n{unicodedata.normalize('NFD', nfc)};b@skolen.example\n"
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, data.encode())
    assert rejected.value.errors == [f"Linje 3: »{nfc}« står to gange i filen (også på linje 2)."]
    assert hearing_list.parties.count() == 1


def test_names_are_stored_in_nfc(hearing_list):
    assert import_parties(
        hearing_list, f"navn;e-mail\n{unicodedata.normalize('NFD', 'Åse Café')};a@x.example\n".encode()
    )
    assert hearing_list.parties.filter(name="Åse Café").count() == 1


def test_names_with_line_breaks_or_bidi_controls_are_line_errors(hearing_list):
    data = 'navn;e-mail\n"Valby\nBoldklub";a@x.example\nBold\u202eklub;b@x.example\n'
    with pytest.raises(ImportRejected) as rejected:
        import_parties(hearing_list, data.encode())
    assert rejected.value.errors == [
        "Linje 2: kolonnen »navn« står på flere linjer (et linjeskift i cellen).",
        "Linje 4: kolonnen »navn« indeholder usynlige tegn, der vender skriftretningen.",
    ]
    assert hearing_list.parties.count() == 1


def test_a_party_edited_in_the_admin_is_checked_the_same_way(hearing_list):
    party = HearingParty(hearing_list=hearing_list, name=unicodedata.normalize("NFD", "Åse Café"), email="a@x.example")
    party.full_clean()
    assert party.name == "Åse Café"
    party.name = "Åse\u202eéfaC"
    with pytest.raises(ValidationError) as refused:
        party.full_clean()
    assert refused.value.message_dict["name"] == [
        "Teksten indeholder usynlige tegn, der vender skriftretningen. Skriv teksten selv i stedet for at kopiere den."
    ]
    HearingParty.objects.create(hearing_list=hearing_list, name="Åbyhøj Café", email="cafe@aabyhoej.example")
    duplicate = HearingParty(
        hearing_list=hearing_list, name=unicodedata.normalize("NFD", "Åbyhøj Café"), email="b@x.example"
    )
    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()
    assert refused.value.message_dict == {"__all__": ["Der står allerede en part med det navn på høringslisten."]}
