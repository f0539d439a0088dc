"""Voter roll: import with a per-line report, all or nothing, HMAC only, shuffled; freezing; letters."""

import csv
import datetime
import io
import unicodedata

import pytest
from django.db import connection

from elections import crypto, roll
from elections.models import AuditLogEntry, ElectionError, Voter

from . import factories

pytestmark = pytest.mark.django_db

HEADER = "personnummer;navn;fødselsdato;adresse;valgsted\n"


def roll_file(rows, header=HEADER):
    return (header + "".join(";".join(r) + "\n" for r in rows)).encode()


def good_rows(count=20, start=0):
    rows = []
    for i in range(start, start + count):
        birth = datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        rows.append(
            (
                f"{birth:%d%m%y}-9{i:03d}",
                f"Person {i}",
                f"{birth:%d-%m-%Y}",
                f"Gaden {i}, 2300 København S",
                str(1 + i % 3),
            )
        )
    return rows


def test_bad_lines_are_all_reported_and_nothing_is_imported(election):
    rows = good_rows(5)
    rows += [
        ("12345", "Kort Nummer", "01-01-1980", "Vej 1", "1"),  # malformed number
        (rows[0][0], "Dublet", rows[0][2], "Vej 2", "1"),  # duplicate number
        ("010110-9999", "Barn", "01-01-2010", "Vej 3", "1"),  # under 18
        ("310280-9998", "Dårlig Dato", "31-02-1980", "Vej 4", "2"),  # bad date
        ("150585-9997", "Ukendt Sted", "15-05-1985", "Vej 5", "99"),  # unknown polling place
    ]
    report = roll.import_roll(election, roll_file(rows))
    assert not report.ok
    assert Voter.objects.count() == 0
    errors = dict(report.errors)
    assert set(errors) == {7, 8, 9, 10, 11}
    assert "10 cifre" in errors[7]
    assert "linje 2" in errors[8]
    assert "under 18 år" in errors[9]
    assert "gyldig dato" in errors[10]
    assert "»99« findes ikke" in errors[11]
    assert not AuditLogEntry.objects.filter(action="roll.import").exists()


def test_good_file_imports_hmac_only_shuffled_without_address(election):
    rows = good_rows(60)
    report = roll.import_roll(election, roll_file(rows))
    assert report.ok, report.errors
    assert report.imported == 60
    voters = list(Voter.objects.order_by("pk"))
    assert {v.voter_key for v in voters} == {crypto.voter_key(r[0]) for r in rows}
    names_in_file_order = [r[1] for r in rows]
    assert [v.name for v in voters] != names_in_file_order, "rows are stored in shuffled order"
    assert sorted(v.card_number for v in voters) == list(range(1, 61))
    assert AuditLogEntry.objects.filter(action="roll.import", data__imported=60).exists()

    # No personal number and no address anywhere in the database, in any table.
    needles = [r[0].replace("-", "") for r in rows] + [r[0] for r in rows] + [r[3] for r in rows[:5]]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            text = "\n".join(repr(row) for row in cursor.fetchall())
            for needle in needles:
                assert needle not in text, f"{needle} found in {table}"


def test_duplicate_against_existing_roll(election):
    rows = good_rows(3)
    assert roll.import_roll(election, roll_file(rows)).ok
    report = roll.import_roll(election, roll_file(rows[:1] + good_rows(1, start=50)))
    assert not report.ok
    assert "allerede på valglisten" in report.errors[0][1]
    assert Voter.objects.count() == 3


def test_birth_date_must_match_personal_number(election):
    report = roll.import_roll(election, roll_file([("010180-9001", "Forkert", "02-01-1980", "Vej", "1")]))
    assert not report.ok
    assert "passer ikke" in report.errors[0][1]


def test_missing_columns_and_empty_file(election):
    assert "overskrift" in roll.import_roll(election, b"navn;adresse\nA;B\n").file_error
    assert roll.import_roll(election, b"").file_error
    assert Voter.objects.count() == 0


def test_comma_separated_english_headers_and_polling_place_by_name(election):
    data = (
        "personal_number,name,birth_date,address,polling_place\n"
        "170580-9123,Jane Doe,1980-05-17,Road 1,Biblioteket Syd\n"
    )
    report = roll.import_roll(election, data.encode())
    assert report.ok, report.errors
    assert Voter.objects.get().polling_place.code == "2"


def test_frozen_roll_cannot_change(election):
    assert roll.import_roll(election, roll_file(good_rows(4))).ok
    election.freeze_roll()
    keys = Voter.objects.values_list("voter_key", flat=True)
    assert election.roll_fingerprint == crypto.roll_fingerprint(keys)
    assert AuditLogEntry.objects.filter(action="roll.freeze").exists()
    with pytest.raises(ElectionError, match="Valglisten er låst og kan ikke ændres"):
        roll.import_roll(election, roll_file(good_rows(2, start=30)))
    with pytest.raises(ElectionError, match="Valglisten er låst og kan ikke ændres"):
        roll.clear_roll(election)
    with pytest.raises(ElectionError, match="Valglisten er allerede låst"):
        election.freeze_roll()
    assert Voter.objects.count() == 4


def test_fingerprint_is_published_on_the_election_page(client, election):
    roll.import_roll(election, roll_file(good_rows(4)))
    election.freeze_roll()
    page = client.get(election.url).content.decode()
    assert election.roll_fingerprint in page


def test_letters_issue_codes_that_work_and_are_stored_hashed(election):
    rows = good_rows(6)
    roll.import_roll(election, roll_file(rows))
    report = roll.check_file(election, roll_file(rows[:2]), for_letters=True)
    assert report.ok
    letters = roll.issue_codes(election, report)
    assert len(letters) == 2
    exported = roll.letters_csv(election, letters, "da").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert table[0][0] == "valgkortnummer"
    assert {row[2] for row in table[1:]} == {rows[0][3], rows[1][3]}, "the address comes from the uploaded file"
    for letter in letters:
        voter = Voter.objects.get(card_number=letter.card_number)
        assert voter.poll_card_code_hash == crypto.poll_card_hash(election.pk, letter.code)
        assert letter.code not in voter.poll_card_code_hash
        assert election.find_voter_by_poll_card(letter.code, voter.birth_date) == voter
    english = roll.letters_csv(election, letters, "en").decode("utf-8-sig")
    assert english.splitlines()[0].startswith("poll card number;name;address;code;polling place")
    pdf = roll.letters_pdf(election, letters, "da")
    assert pdf.startswith(b"%PDF")


def test_letters_for_someone_not_on_the_roll_are_refused(election):
    roll.import_roll(election, roll_file(good_rows(2)))
    report = roll.check_file(election, roll_file(good_rows(1, start=40)), for_letters=True)
    assert not report.ok
    assert "står ikke på valglisten" in report.errors[0][1]


def test_reissued_code_replaces_the_old_one(election):
    voter = factories.add_voters(election, 1)[0][1]
    old = voter.issue_poll_card()
    new = voter.issue_poll_card()
    assert election.find_voter_by_poll_card(old, voter.birth_date) is None
    assert election.find_voter_by_poll_card(new, voter.birth_date) == voter


# --- Issue 10: a roll's bad bytes and over-long names are line errors, never a 500 -----------


def test_nul_byte_late_in_the_roll_is_a_line_error(election):
    rows = good_rows(20)
    rows[15] = (rows[15][0], "Person\x0015", *rows[15][2:])
    report = roll.import_roll(election, roll_file(rows))
    assert report.errors == [(17, "Kolonnen »navn« indeholder et NUL-tegn.")]
    assert Voter.objects.count() == 0


def test_nul_byte_past_the_upload_check_is_refused_in_the_admin(client, roles, election):
    """The upload check reads the first 2 KB; a NUL further down reached the database before."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    rows = good_rows(60)
    rows[55] = (rows[55][0], "Person\x0055", *rows[55][2:])
    data = roll_file(rows)
    assert b"\x00" not in data[:2048]
    client.force_login(roles["own_secretariat"])
    response = client.post(
        reverse("elections_admin:roll_import", args=[election.pk]),
        {"file": SimpleUploadedFile("valgliste.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "Linje 57: Kolonnen »navn« indeholder et NUL-tegn." in response.content.decode()
    assert Voter.objects.count() == 0


def test_name_over_200_characters_is_a_line_error(election):
    rows = good_rows(3)
    rows[1] = (rows[1][0], "N" * 201, *rows[1][2:])
    report = roll.import_roll(election, roll_file(rows))
    assert report.errors == [(3, "Kolonnen »navn« er for lang (højst 200 tegn).")]
    assert Voter.objects.count() == 0


def test_utf8_roll_with_a_stray_byte_is_refused(election):
    data = roll_file([(*row[:1], "Søren Ærø", *row[2:]) for row in good_rows(2)]) + b"\xff\n"
    report = roll.import_roll(election, data)
    assert report.file_error == (
        "Filen kunne ikke læses: den indeholder tegn, der ikke er UTF-8. Gem den som CSV (UTF-8)."
    )
    assert Voter.objects.count() == 0


def test_the_language_column_takes_codes_and_names_and_refuses_an_unknown_one(election):
    header = HEADER.replace("valgsted\n", "valgsted;sprog\n")
    rows = [(*row, language) for row, language in zip(good_rows(3), ["fa", "Somali", ""], strict=True)]
    bad = roll.import_roll(election, roll_file([*rows, (*good_rows(1, start=3)[0], "klingon")], header))
    assert bad.errors == [(5, "Sproget »klingon« kendes ikke (skriv fx da, en, ar, fa, ur, tr, so, pl eller uk).")]
    assert Voter.objects.count() == 0
    good = roll.check_file(election, roll_file(rows, header))
    assert good.ok
    assert [line.language for line in good.lines] == ["fa", "so", ""]


def test_names_with_line_breaks_or_bidi_controls_are_line_errors(election):
    """Issue 10: the roll took a name with CR/LF or U+202E as it stood (it is printed on poll cards)."""
    rows = good_rows(4)
    rows[1] = (rows[1][0], '"Anna\nBerg"', *rows[1][2:])
    rows[2] = (rows[2][0], "Bo \u202egreB", *rows[2][2:])
    report = roll.import_roll(election, roll_file(rows))
    assert report.errors == [
        (3, "Kolonnen »navn« står på flere linjer (et linjeskift i cellen)."),
        (5, "Kolonnen »navn« indeholder usynlige tegn, der vender skriftretningen."),
    ]
    assert Voter.objects.count() == 0


def test_a_personal_number_in_other_digits_is_a_line_error(election):
    rows = good_rows(2)
    rows[1] = (rows[1][0].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), *rows[1][1:])
    report = roll.import_roll(election, roll_file(rows))
    assert report.errors == [(3, "Personnummeret skal have 10 cifre (DDMMÅÅ-XXXX).")]
    assert Voter.objects.count() == 0


def test_names_are_stored_in_nfc(election):
    rows = good_rows(2)
    rows[0] = (rows[0][0], unicodedata.normalize("NFD", "Åse Café"), *rows[0][2:])
    assert roll.import_roll(election, roll_file(rows)).ok
    assert Voter.objects.filter(name="Åse Café").count() == 1
