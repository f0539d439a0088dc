import pytest

from core.spreadsheets import neutralise_formula


@pytest.mark.parametrize("value", ["=SUM(A1:A9)", "+45 12", "-1", "@cmd", "\t=1", "\r=1"])
def test_cells_that_a_spreadsheet_would_run_get_a_leading_apostrophe(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Anna Jensen", "Vi støtter planen.", "2026", ""])
def test_ordinary_text_is_unchanged(value):
    assert neutralise_formula(value) == value


def test_none_becomes_an_empty_cell():
    assert neutralise_formula(None) == ""
