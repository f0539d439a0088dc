"""Issue 11, what must hold 5 and 6: results by hand-computed data, small groups suppressed
(»for få svar«), and two runs compared with the right change per option."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import SurveyPanel, SurveyParticipation, SurveyResponse
from consultations.surveys.results import Filter, compare_runs, compute_results, filter_from_request
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey, question

pytestmark = pytest.mark.django_db

QUESTIONS = [
    question("single", "kontakt", "Har du været i kontakt med jobcentret?", options=["Ja", "Nej"]),
    question("scale", "tilfreds", "Hvor tilfreds er du?", scale_min=1, scale_max=5, dont_know=True),
    question("number", "alder", "Alder", required=False),
    question("multiple", "hjalp", "Hvad hjalp?", options=["Samtaler", "Kurser"], required=False),
    question("text", "kommentar", "Kommentar", required=False),
]


@pytest.fixture
def index(home_page):
    return SurveyIndexPageFactory(parent=home_page)


def keyed(page):
    qs = {q.key: q for q in page.questionnaire.questions}

    def answer(kontakt, tilfreds, alder=None, hjalp=(), kommentar=None):
        answers = {
            qs["kontakt"].id: next(o.id for o in qs["kontakt"].options if o.label == kontakt),
            qs["tilfreds"].id: tilfreds,
        }
        if alder is not None:
            answers[qs["alder"].id] = alder
        if hjalp:
            answers[qs["hjalp"].id] = [o.id for o in qs["hjalp"].options if o.label in hjalp]
        if kommentar:
            answers[qs["kommentar"].id] = kommentar
        return answers

    return qs, answer


def add(page, answers, panel=None, approved=()):
    return SurveyResponse.objects.create(survey=page, answers=answers, panel=panel, approved_texts=list(approved))


def by_key(results):
    return {r.question.key: r for r in results.questions}


def test_counts_shares_mean_and_median_by_hand(index):
    page = make_survey(index, questions=QUESTIONS, min_group_size=5)
    qs, answer = keyed(page)
    # 6 people: kontakt Ja ×4, Nej ×2; tilfreds 5,4,4,2,dk,1; alder 20,30,40,50 (four answered)
    add(page, answer("Ja", "5", 20, ["Samtaler"]))
    add(page, answer("Ja", "4", 30, ["Samtaler", "Kurser"]))
    add(page, answer("Ja", "4", 40))
    add(page, answer("Ja", "2", 50, ["Kurser"]))
    add(page, answer("Nej", "dk", kommentar="Godt sted"), approved=[qs["kommentar"].id])
    add(page, answer("Nej", "1", kommentar="Navn Navnesen var uhøflig"))
    results = by_key(compute_results(page))
    kontakt = results["kontakt"]
    assert [(r.label, r.count, r.share) for r in kontakt.rows] == [("Ja", 4, 66.7), ("Nej", 2, 33.3)]
    tilfreds = results["tilfreds"]
    assert [r.count for r in tilfreds.rows] == [1, 1, 0, 2, 1, 1]  # 1..5, Ved ikke
    assert tilfreds.mean == 3.2  # (5+4+4+2+1)/5, »ved ikke« left out
    assert tilfreds.median == 4
    # Only 4 answered the age: fewer than the minimum group size, so suppressed on its own.
    assert results["alder"].suppressed
    assert results["kommentar"].suppressed  # 2 free texts < 5
    assert not results["kontakt"].suppressed


def test_a_filter_leaving_fewer_than_the_minimum_shows_for_faa_svar(index, client):
    page = make_survey(index, questions=QUESTIONS, min_group_size=5, slug="lille")
    qs, answer = keyed(page)
    for n in range(5):
        add(page, answer("Ja", str(1 + n % 5), 30 + n))
    for _n in range(4):
        add(page, answer("Nej", "3"))
    everyone = compute_results(page)
    assert everyone.total == 9 and not everyone.suppressed
    ja = filter_from_request(page, {"svar": f"kontakt:{qs['kontakt'].options[0].id}"})
    only_ja = compute_results(page, ja)
    assert only_ja.total == 5 and not only_ja.suppressed
    assert by_key(only_ja)["tilfreds"].mean == 3.0  # 1,2,3,4,5
    nej = filter_from_request(page, {"svar": f"kontakt:{qs['kontakt'].options[1].id}"})
    only_nej = compute_results(page, nej)
    assert only_nej.total == 4 and only_nej.suppressed
    assert all(r.suppressed and not r.rows for r in only_nej.questions)
    page.close()
    page.publish_results()
    response = client.get(page.url + "resultater/", {"svar": f"kontakt:{qs['kontakt'].options[1].id}"})
    html = response.content.decode()
    assert "For få svar" in html
    assert 'id="survey-total"' not in html and "survey-chart" not in html and "survey-table" not in html


def test_filter_by_panel_and_unknown_filters_are_ignored(index):
    page = make_survey(index, questions=QUESTIONS, min_group_size=2, slug="paneler")
    qs, answer = keyed(page)
    north, south = SurveyPanel.objects.create(name="Nord"), SurveyPanel.objects.create(name="Syd")
    for panel in (north, south):
        SurveyParticipation.objects.create(survey=page, kind="invited", panel=panel, email=f"x@{panel.name}.dk")
    for _n in range(3):
        add(page, answer("Ja", "5"), panel=north)
    for _n in range(2):
        add(page, answer("Nej", "1"), panel=south)
    flt = filter_from_request(page, {"panel": str(south.pk)})
    assert flt.panel_name == "Syd"
    results = by_key(compute_results(page, flt))
    assert [r.count for r in results["kontakt"].rows] == [0, 2]
    ignored = filter_from_request(page, {"svar": "kontakt:not-an-option", "panel": "99999"})
    assert not ignored.active


def test_public_results_list_only_approved_texts(index, client):
    page = make_survey(index, questions=QUESTIONS, min_group_size=1, slug="tekster")
    qs, answer = keyed(page)
    add(page, answer("Ja", "5", kommentar="Godt sted"), approved=[qs["kommentar"].id])
    add(page, answer("Ja", "5", kommentar="Navn Navnesen var uhøflig"))
    assert by_key(compute_results(page))["kommentar"].texts == ["Godt sted"]
    assert sorted(by_key(compute_results(page, public=False))["kommentar"].texts) == [
        "Godt sted",
        "Navn Navnesen var uhøflig",
    ]
    assert client.get(page.url + "resultater/").status_code == 404  # not published yet
    page.close()
    page.publish_results()
    html = client.get(page.url + "resultater/").content.decode()
    assert "Godt sted" in html and "Navnesen" not in html
    assert "<svg" in html and "<table" in html


def test_public_results_in_a_right_to_left_language_keep_the_danish_survey_text_readable(index, client):
    """In Arabic the chart is mirrored (labels from the right edge, bars growing leftwards) and the
    survey's own Danish text is marked as Danish, left to right, so »?« stays at its sentence's end."""
    from django.conf import settings

    page = make_survey(index, questions=QUESTIONS, min_group_size=1, slug="rtl")
    _qs, answer = keyed(page)
    add(page, answer("Ja", "5", kommentar="شكراً"))
    page.close()
    page.publish_results()
    danish = client.get(page.url + "resultater/").content.decode()
    assert '<h2 class="h3" id="result-kontakt">Har du været i kontakt med jobcentret?</h2>' in danish
    assert '<text x="0" y="19"' in danish and "matrix(" not in danish
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(page.url + "resultater/").content.decode()
    assert '<h2 class="h3" id="result-kontakt" lang="da" dir="ltr">Har du været i kontakt med jobcentret?</h2>' in html
    assert '<th scope="row" class="weight-normal"><bdi>Ja</bdi></th>' in html
    assert '<text x="640" y="19" font-size="14" fill="#1a1a1a">Ja</text>' in html
    assert 'transform="matrix(-1 0 0 1 640 0)"' in html
    assert '<text x="-260" dx="334" y="19"' in html  # 100 % of the answers: the bar's full 260 units


def test_query_count_does_not_grow_with_responses(index):
    page = make_survey(index, questions=QUESTIONS, min_group_size=1, slug="mange")
    qs, answer = keyed(page)
    add(page, answer("Ja", "5"))
    with CaptureQueriesContext(connection) as few:
        compute_results(page, Filter())
    SurveyResponse.objects.bulk_create(
        [SurveyResponse(survey=page, answers=answer("Nej", "3", 40)) for _n in range(300)]
    )
    with CaptureQueriesContext(connection) as many:
        compute_results(page, Filter())
    assert len(many) == len(few)


def test_two_runs_compared_by_hand(index):
    now = timezone.now()
    first = make_survey(
        index,
        questions=QUESTIONS,
        title="Tilfredshed 2025",
        slug="t-2025",
        min_group_size=1,
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=380),
    )
    second = first.copy_for_new_run("Tilfredshed 2026", "t-2026", now - timedelta(days=1), now + timedelta(days=10))
    second.save_revision().publish()
    second = type(second).objects.get(pk=second.pk)
    assert second.previous_run_id == first.pk
    assert [q.id for q in second.questionnaire.questions] == [q.id for q in first.questionnaire.questions]
    _qs, answer1 = keyed(first)
    _qs, answer2 = keyed(second)
    # 2025: Ja 1 of 4 (25 %), scale 2,2,3,5 → mean 3.0; 2026: Ja 3 of 5 (60 %), scale 4,4,5,5,2 → mean 4.0
    for kontakt, value in [("Ja", "2"), ("Nej", "2"), ("Nej", "3"), ("Nej", "5")]:
        add(first, answer1(kontakt, value))
    for kontakt, value in [("Ja", "4"), ("Ja", "4"), ("Ja", "5"), ("Nej", "5"), ("Nej", "2")]:
        add(second, answer2(kontakt, value))
    compared = {c.question.key: c for c in compare_runs([first, second])}
    kontakt = {row.label: row for row in compared["kontakt"].rows}
    assert kontakt["Ja"].shares == [25.0, 60.0] and kontakt["Ja"].change == 35.0
    assert kontakt["Nej"].shares == [75.0, 40.0] and kontakt["Nej"].change == -35.0
    assert compared["tilfreds"].means == [3.0, 4.0] and compared["tilfreds"].mean_change == 1.0
    five = {row.label: row for row in compared["tilfreds"].rows}["5"]
    assert five.shares == [25.0, 40.0] and five.change == 15.0
