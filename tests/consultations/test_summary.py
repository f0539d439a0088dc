"""The hearing summary: per-response summaries, publishing concludes the hearing, print page and PDF."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import PageLogEntry

from consultations.models import HearingPage, HearingStatus
from tests.consultations import secretariat
from tests.consultations.factories import HearingFactory, ResponseFactory

pytestmark = pytest.mark.django_db

SUMMARY_TEXT = "Forvaltningen har modtaget fire svar og retter planen på tre punkter."


@pytest.fixture
def closed_hearing(hearing):
    parties = secretariat.hearing_list(
        "Beskæftigelse", [("Dansk Arbejdsgiverforening", "da@example.org"), ("LO Hovedstaden", "lo@example.org")]
    )
    hearing.hearing_lists.set([parties])
    hearing.summary_body = [("paragraph", f"<p>{SUMMARY_TEXT}</p>")]
    hearing.save()
    HearingPage.objects.filter(pk=hearing.pk).update(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(hours=1)
    )
    hearing.refresh_from_db()
    return hearing


@pytest.fixture
def answers(closed_hearing):
    lo = closed_hearing.hearing_parties().get(name="LO Hovedstaden")
    person = ResponseFactory(hearing=closed_hearing, name="Anna Jensen", email="anna@example.org", published=True)
    org = ResponseFactory(
        hearing=closed_hearing, name="Ole", kind="organisation", party=lo, text="LO ønsker flere lærepladser i planen."
    )  # not the person's text: identical texts would be one group of enslydende svar
    return person, org


def summary_post(formset_responses, action=None, **values):
    data = {
        "svar-TOTAL_FORMS": str(len(formset_responses)),
        "svar-INITIAL_FORMS": str(len(formset_responses)),
        "svar-MIN_NUM_FORMS": "0",
        "svar-MAX_NUM_FORMS": "0",
    }
    for index, response in enumerate(formset_responses):
        data[f"svar-{index}-id"] = str(response.pk)
        data[f"svar-{index}-summary"] = values.get("summary", f"Resumé {response.pk}")
        data[f"svar-{index}-administration_comment"] = values.get("comment", f"Bemærkning {response.pk}")
    if action:
        data[action] = "1"
    return data


def test_secretariat_saves_summaries_and_comments(staff_client, closed_hearing, answers):
    person, org = answers
    url = reverse("consultations_admin_summary", args=[closed_hearing.pk])
    assert staff_client.post(url, summary_post([person, org])).status_code == 302
    person.refresh_from_db()
    org.refresh_from_db()
    assert person.summary == f"Resumé {person.pk}"
    assert org.administration_comment == f"Bemærkning {org.pk}"
    closed_hearing.refresh_from_db()
    assert closed_hearing.status == HearingStatus.CLOSED  # saving alone does not conclude


def test_summary_form_cannot_touch_another_hearings_response(staff_client, closed_hearing, answers, hearing_index):
    stranger = ResponseFactory(hearing=HearingFactory(parent=hearing_index), summary="Uændret")
    url = reverse("consultations_admin_summary", args=[closed_hearing.pk])
    staff_client.post(url, summary_post([stranger], summary="Ændret"))
    stranger.refresh_from_db()
    assert stranger.summary == "Uændret"


def test_publishing_the_summary_concludes_the_hearing(staff_client, closed_hearing, answers):
    url = reverse("consultations_admin_summary", args=[closed_hearing.pk])
    staff_client.post(url, summary_post(answers, action="publish"))
    closed_hearing.refresh_from_db()
    assert closed_hearing.status == HearingStatus.CONCLUDED
    assert PageLogEntry.objects.filter(page=closed_hearing, action="consultations.conclude").count() == 1
    again = staff_client.post(url, summary_post(answers, action="publish"), follow=True)
    assert PageLogEntry.objects.filter(page=closed_hearing, action="consultations.conclude").count() == 1
    assert "Høringsnotatet er allerede offentliggjort." in again.content.decode()


def test_summary_cannot_be_published_before_the_deadline(staff_client, hearing):
    hearing.summary_body = [("paragraph", f"<p>{SUMMARY_TEXT}</p>")]
    hearing.save()
    answer = staff_client.post(
        reverse("consultations_admin_summary", args=[hearing.pk]), summary_post([], action="publish"), follow=True
    )
    hearing.refresh_from_db()
    assert hearing.summary_published_at is None
    assert "først offentliggøres efter høringsfristen" in answer.content.decode()


def test_summary_needs_its_text_first_and_nothing_is_half_saved(staff_client, closed_hearing, answers):
    HearingPage.objects.filter(pk=closed_hearing.pk).update(summary_body=[])
    answer = staff_client.post(
        reverse("consultations_admin_summary", args=[closed_hearing.pk]),
        summary_post(answers, action="publish", summary="Skal ikke gemmes"),
        follow=True,
    )
    closed_hearing.refresh_from_db()
    assert closed_hearing.summary_published_at is None
    assert "fanen »Høringsnotat«" in answer.content.decode()
    assert not any(r.summary == "Skal ikke gemmes" for r in closed_hearing.responses.all())


def test_print_page_is_public_only_after_conclusion(client, closed_hearing, answers):
    url = reverse("consultations:summary_print", args=[closed_hearing.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("consultations:summary_pdf", args=[closed_hearing.pk])).status_code == 404
    closed_hearing.conclude()
    page = client.get(url).content.decode()
    assert SUMMARY_TEXT in page
    assert "LO Hovedstaden" in page and "Dansk Arbejdsgiverforening" in page
    lo_row = page.split("LO Hovedstaden</th>")[1].split("</tr>")[0]
    da_row = page.split("Dansk Arbejdsgiverforening</th>")[1].split("</tr>")[0]
    assert "Har svaret" in lo_row
    assert "Har ikke svaret" in da_row
    assert "anna@example.org" not in page


def test_secretariat_may_preview_the_print_page(staff_client, closed_hearing, answers):
    page = staff_client.get(reverse("consultations:summary_print", args=[closed_hearing.pk])).content.decode()
    assert "Forhåndsvisning" in page


def test_pdf_holds_the_summary_and_the_parties(client, closed_hearing, answers):
    person, org = answers
    person.summary = "Ønsker flere cykelstier."
    person.administration_comment = "Indarbejdes i planen."
    person.save()
    closed_hearing.conclude()
    answer = client.get(reverse("consultations:summary_pdf", args=[closed_hearing.pk]))
    assert answer["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Høringsnotat" in text
    assert SUMMARY_TEXT.split(" og ")[0] in " ".join(text.split())
    assert "LO Hovedstaden" in text and "Har ikke svaret" in text
    assert "Indarbejdes i planen." in text
    assert "anna@example.org" not in text


CAMPAIGN = "Bevar parkeringspladserne på Valby Langgade, butikkerne lever af kunder i bil, og ældre kan ikke gå langt."


def test_a_campaign_is_one_form_and_its_summary_is_saved_on_every_member(staff_client, closed_hearing, answers):
    person, org = answers
    members = [
        ResponseFactory(hearing=closed_hearing, name=f"Borger {n}", text=f"Hej,\n{CAMPAIGN}\nHilsen Borger {n}")
        for n in range(30)
    ]
    url = reverse("consultations_admin_summary", args=[closed_hearing.pk])
    page = staff_client.get(url)
    forms = page.context["formset"].forms
    assert [form.instance.pk for form in forms] == [person.pk, org.pk, members[0].pk]  # 32 answers, 3 forms
    assert "(30 enslydende svar)" in page.content.decode()
    assert "Resumé og bemærkning gemmes på alle 30 svar i gruppen." in page.content.decode()

    data = summary_post([person, org, members[0]])
    data["svar-2-summary"] = "Kampagne: bevar p-pladserne."
    data["svar-2-administration_comment"] = "20 korttidspladser bevares."
    assert staff_client.post(url, data).status_code == 302
    saved = set(
        closed_hearing.responses.filter(pk__in=[m.pk for m in members]).values_list("summary", "administration_comment")
    )
    assert saved == {("Kampagne: bevar p-pladserne.", "20 korttidspladser bevares.")}
    person.refresh_from_db()
    assert person.summary == f"Resumé {person.pk}"


def test_summary_forms_come_25_to_a_page_and_a_save_keeps_the_page(staff_client, closed_hearing, answers):
    others = [ResponseFactory(hearing=closed_hearing, text=f"Svar nummer {n} om {w}") for n, w in
              enumerate(["cykler", "træer", "bænke", "lys", "støj"] * 6)]  # fmt: skip
    url = reverse("consultations_admin_summary", args=[closed_hearing.pk])
    first = staff_client.get(url).context["formset"].forms
    second = staff_client.get(url + "?p=2").context["formset"].forms
    assert len(first) == 25
    assert [f.instance.pk for f in first + second] == [answers[0].pk, answers[1].pk] + [r.pk for r in others]
    answer = staff_client.post(url + "?p=2", summary_post([f.instance for f in second]))
    assert answer.status_code == 302 and answer.url == url + "?p=2"
    assert closed_hearing.responses.get(pk=others[-1].pk).summary == f"Resumé {others[-1].pk}"
