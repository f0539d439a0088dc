"""The survey demo: two comparable runs of the job centre survey with published results, an open
survey with conditions, a panel survey with 5 of 8 answered; loading twice adds nothing."""

import io

import pytest

from consultations.models import SurveyPage, SurveyParticipation, SurveyResponse
from consultations.surveys import demo
from consultations.surveys.results import compare_runs, runs_of
from core.polls import QuickPollCount
from councils import demo as councils_demo
from councils.models import CouncilKind, CouncilPage, CouncilSecretariat

pytestmark = pytest.mark.django_db


def counts():
    return SurveyPage.objects.count(), SurveyResponse.objects.count(), SurveyParticipation.objects.count()


def test_demo_surveys_load_once(home_page, client):
    demo.load(home_page, stdout=io.StringIO())
    first = counts()
    demo.load(home_page, stdout=io.StringIO())
    assert counts() == first == (4, 120 + 140 + 40 + 5, 8)
    newest = SurveyPage.objects.get(slug="tilfredshed-jobcenter-2026")
    runs = runs_of(newest)
    assert [r.slug for r in runs] == ["tilfredshed-jobcenter-2025", "tilfredshed-jobcenter-2026"]
    compared = {c.question.key: c for c in compare_runs(runs)}
    assert compared["tilfreds"].mean_change is not None
    html = client.get(newest.url + "resultater/").content.decode()
    assert "Sammenlign med tidligere år" in html and "survey-chart" in html
    integration = SurveyPage.objects.get(slug="integrationspolitik")
    assert integration.is_open
    assert any(q.condition for q in integration.questionnaire.questions)
    panel = SurveyPage.objects.get(slug="brugerpanel-nord-2026")
    assert SurveyParticipation.objects.filter(survey=panel, answered=True).count() == 5
    assert client.get(integration.url).status_code == 200
    # The quick poll on the home page, with its votes (once).
    assert sorted(QuickPollCount.objects.values_list("votes", flat=True)) == [6, 9, 23]
    assert "Hvordan vil du helst høres, når kommunen har nye planer?" in client.get("/").content.decode()


def test_the_integration_councils_survey_is_under_its_approval_workflow(home_page, client):
    """Issue 15: the demo puts the council's survey under the council page, so the council's workflow
    »Godkendelse i sekretariatet« covers it, as it covers the demo's hearing under the disability council."""
    councils_demo.load(home_page, stdout=io.StringIO())
    demo.load(home_page, stdout=io.StringIO())
    council = CouncilPage.objects.get(kind=CouncilKind.INTEGRATION)
    survey = SurveyPage.objects.get(slug="integrationspolitik")
    assert survey.get_parent().pk == council.pk
    assert survey.council_id == council.pk
    assert survey.get_workflow() == CouncilSecretariat.objects.get(council=council).workflow
    assert survey.get_workflow().name == "Godkendelse i sekretariatet: Integrationsrådet"
    # Still listed with the others, and it opens.
    assert survey.url in client.get("/undersoegelser/").content.decode()
    assert client.get(survey.url).status_code == 200
    # The administration's surveys stay under the index.
    assert SurveyPage.objects.get(slug="brugerpanel-nord-2026").get_parent().specific_class.__name__ == (
        "SurveyIndexPage"
    )
