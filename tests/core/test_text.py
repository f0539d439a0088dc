"""Issue 10, »inputs that slip through«: the one check for names and postcodes (core.text) that
every form and file import uses – NFC, one line, no bidi controls, postcodes in the digits 0-9."""

import unicodedata

import pytest
from django import forms

from core.tabular import Column, read_csv
from core.text import PostcodeField, SingleLineField, name_key

NFC = "Café Åbyhøj"
NFD = unicodedata.normalize("NFD", NFC)


class NameForm(forms.Form):
    name = SingleLineField(max_length=20)
    postcode = PostcodeField()


def errors_of(**data):
    form = NameForm(data={"name": "Amira", "postcode": "2500", **data})
    assert not form.is_valid()
    return form.errors


def test_the_test_strings_really_differ():
    assert NFC != NFD and len(NFD) == len(NFC) + 2


def test_a_name_typed_in_nfd_is_taken_in_nfc():
    form = NameForm(data={"name": NFD, "postcode": "2500"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == NFC
    assert name_key(NFD) == name_key(NFC.upper())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Amira\r\nHassan", "Skriv det på én linje uden linjeskift."),
        ("Amira\nHassan", "Skriv det på én linje uden linjeskift."),
        ("Amira\u2028Hassan", "Skriv det på én linje uden linjeskift."),
        ("Amira\u202enassaH", "usynlige tegn, der vender skriftretningen"),
        ("\u202aAmira\u202c", "usynlige tegn, der vender skriftretningen"),
        ("Amira \u2067حسن\u2069", "usynlige tegn, der vender skriftretningen"),
        ("Amira\tHassan", "usynlige styretegn, fx et tabulatortegn"),
        ("Amira\x1bHassan", "usynlige styretegn"),
    ],
)
def test_line_breaks_controls_and_bidi_controls_are_refused_in_danish(value, message):
    assert any(message in error for error in errors_of(name=value)["name"])


def test_marks_that_scripts_need_are_kept():
    """Persian needs the zero-width non-joiner; the direction marks LRM/RLM do not reorder text."""
    for value in ("می\u200cخواهم", "Amira\u200e", "أمير\u200f"):
        form = NameForm(data={"name": value, "postcode": "2500"})
        assert form.is_valid(), (value, form.errors)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("١٢٣٤", "Skriv postnummeret med cifrene 0-9, fx 2500."),  # Arabic-Indic
        ("۲۵۰۰", "Skriv postnummeret med cifrene 0-9, fx 2500."),  # Persian
        ("२५००", "Skriv postnummeret med cifrene 0-9, fx 2500."),  # Devanagari
        ("２５００", "Skriv postnummeret med cifrene 0-9, fx 2500."),  # full-width
        ("25", "Skriv et postnummer med 4 cifre, fx 2500."),
        ("25000", "Skriv et postnummer med 4 cifre, fx 2500."),
        ("25a0", "Skriv et postnummer med 4 cifre, fx 2500."),
        ("25\n0", "Skriv et postnummer med 4 cifre, fx 2500."),
    ],
)
def test_postcodes_are_four_digits_0_to_9_with_one_message(value, message):
    assert errors_of(postcode=value)["postcode"] == [message]


def test_the_csv_reader_normalises_and_reports_names_per_line():
    data = (
        f'navn;e-mail\n{NFD};a@x.example\n"To\nlinjer";b@x.example\n\u202eevil;c@x.example\nTab\there;d@x.example\n'
    ).encode()
    rows = read_csv(data, [Column("name", {"navn"}, single_line=True), Column("email", {"e-mail"})], max_bytes=10_000)
    assert rows[0]["name"] == NFC and rows[0].problems == []
    assert rows[1].problems == ["kolonnen »navn« står på flere linjer (et linjeskift i cellen)"]
    assert rows[2].problems == ["kolonnen »navn« indeholder usynlige tegn, der vender skriftretningen"]
    assert rows[3].problems == ["kolonnen »navn« indeholder usynlige styretegn (fx et tabulatortegn)"]


def test_columns_not_marked_single_line_are_only_normalised():
    rows = read_csv(
        b'navn;note\nA;"to\nlinjer"\n', [Column("name", {"navn"}), Column("note", {"note"})], max_bytes=1000
    )
    assert rows[0].problems == [] and rows[0]["note"] == "to\nlinjer"
