"""Issue 12: the decision after the høringsnotat. Everyone who responded (confirmed email, not erased)
and every consulted party gets one email with the høringsnotat and the decision, in their language,
however often the decision is saved. Must hold 5: only the hearing's secretariat (or an administrator)
records it, per role. The hearing page shows the course as a timeline."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.decisions import DecisionNotice, DecisionOutcome, HearingDecision, timeline
from consultations.emails import DecisionEmail
from consultations.models import Response
from tests.consultations import secretariat
from tests.consultations.factories import ResponseFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "own_secretariat", "other_secretariat", "superuser"]


@pytest.fixture
def setup(home_page, make_roles):
    valby, valby_group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    vesterbro, vesterbro_group = secretariat.council_with_secretariat(home_page, "Vesterbro Lokaludvalg", "vesterbro")
    roles = make_roles(valby, vesterbro, "valby@kommune.example", "vesterbro@kommune.example")
    now = timezone.now()
    hearing = secretariat.hearing_under(
        valby, title="Trafikplan for Valby", opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=20)
    )
    hearing.hearing_lists.add(
        secretariat.hearing_list(
            "Høringsliste: Valby",
            [("Valby Boldklub", "bold@valby.example"), ("Skolebestyrelsen", "skole@valby.example")],
        )
    )
    hearing.save()
    hearing.summary_published_at = now - timedelta(days=10)
    type(hearing).objects.filter(pk=hearing.pk).update(summary_published_at=hearing.summary_published_at)
    people = {
        "anna": ResponseFactory(hearing=hearing, name="Anna", email="anna@example.org"),
        "john": ResponseFactory(hearing=hearing, name="John", email="john@example.org", language="en"),
        "anna_again": ResponseFactory(hearing=hearing, name="Anna", email="Anna@Example.org"),
        "pending": ResponseFactory(hearing=hearing, name="Ubekræftet", email="pending@example.org", pending=True),
        "erased": ResponseFactory(hearing=hearing, name="Slettet", email="erased@example.org"),
        "club": ResponseFactory(hearing=hearing, name="Klubben", email="bold@valby.example", kind="forening"),
    }
    people["erased"].erase_personal_data()
    return {"hearing": hearing, "roles": roles, "people": people, "valby": valby}


def decision_data(**extra):
    data = {
        "council": "",
        "committee_name": "Teknik- og Miljøudvalget",
        "decided_on": "2026-11-20",
        "outcome": DecisionOutcome.ADOPTED_WITH_CHANGES,
        "changes_summary": "20 korttidspladser bevares på Valby Langgade.",
        "minutes_url": "https://kommune.example/referat/2026-11-20",
        "document": "",
    }
    data.update(extra)
    return data


def test_recording_emails_every_respondent_and_party_once_in_their_language(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["roles"]["own_secretariat"])
    url = reverse("consultations_admin_decision", args=[setup["hearing"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, decision_data()).status_code == 302
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [
        "anna@example.org",
        "bold@valby.example",  # the club answered and is on the list: one email
        "john@example.org",
        "skole@valby.example",
    ]
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["anna@example.org"].subject == "Beslutning om »Trafikplan for Valby«"
    assert "Teknik- og Miljøudvalget behandlede sagen den 20. november 2026. Resultat: Vedtaget med ændringer." in (
        by_address["anna@example.org"].body
    )
    assert "20 korttidspladser bevares" in by_address["anna@example.org"].body
    summary_path = reverse("consultations:summary_print", args=[setup["hearing"].pk])
    assert summary_path in by_address["anna@example.org"].body
    assert by_address["john@example.org"].subject == "Decision on “Trafikplan for Valby”"
    assert "Thank you for taking part in the hearing" in by_address["john@example.org"].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, decision_data(outcome=DecisionOutcome.ADOPTED)).status_code == 302
    assert mail.outbox == []  # saved again: nobody is told twice
    assert HearingDecision.objects.get().outcome == DecisionOutcome.ADOPTED


def test_a_decision_email_reads_its_notice_with_the_decision_in_one_query(client, setup, django_assert_num_queries):
    """The worker renders one email per respondent and party: the notice comes with its hearing,
    decision, deciding council and document in one query; the other two are the issuing body's
    (the hearing's parent page and its council), which every hearing email shows."""
    client.force_login(setup["roles"]["own_secretariat"])
    url = reverse("consultations_admin_decision", args=[setup["hearing"].pk])
    assert client.post(url, decision_data(council=str(setup["valby"].pk), committee_name="")).status_code == 302
    notice = DecisionNotice.objects.get(email="anna@example.org")
    with django_assert_num_queries(3):
        subject, text, _html = DecisionEmail(DecisionEmail.get_object(DecisionNotice, notice.pk)).render()
    assert subject == "Beslutning om »Trafikplan for Valby«"
    assert "Valby Lokaludvalg behandlede sagen den 20. november 2026." in text


def test_a_respondent_who_answers_later_is_told_when_the_decision_is_saved_again(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["roles"]["own_secretariat"])
    url = reverse("consultations_admin_decision", args=[setup["hearing"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, decision_data())
    mail.outbox.clear()
    ResponseFactory(hearing=setup["hearing"], email="late@example.org", is_late=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, decision_data())
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_no_decision_before_the_hoeringsnotat(client, setup):
    hearing = setup["hearing"]
    type(hearing).objects.filter(pk=hearing.pk).update(summary_published_at=None)
    client.force_login(setup["roles"]["own_secretariat"])
    answer = client.post(reverse("consultations_admin_decision", args=[hearing.pk]), decision_data(), follow=True)
    assert "først registreres, når høringsnotatet er offentliggjort" in answer.content.decode()
    assert not HearingDecision.objects.exists()
    assert mail.outbox == []


def test_the_deciding_body_is_required(client, setup):
    client.force_login(setup["roles"]["own_secretariat"])
    answer = client.post(
        reverse("consultations_admin_decision", args=[setup["hearing"].pk]), decision_data(committee_name="")
    )
    assert answer.status_code == 200
    assert "Vælg rådet eller udvalget, der besluttede, eller skriv dets navn." in answer.content.decode()
    assert not HearingDecision.objects.exists()


def test_a_minutes_link_typed_without_scheme_is_stored_as_https(client, setup):
    client.force_login(setup["roles"]["own_secretariat"])
    client.post(
        reverse("consultations_admin_decision", args=[setup["hearing"].pk]),
        decision_data(minutes_url="kommune.example/referat/2026-11-20"),
    )
    assert HearingDecision.objects.get().minutes_url == "https://kommune.example/referat/2026-11-20"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_hearings_secretariat_records_the_decision(client, setup, role):
    if role != "anonymous":
        client.force_login(setup["roles"][role])
    url = reverse("consultations_admin_decision", args=[setup["hearing"].pk])
    answer = client.post(url, decision_data())
    if role == "anonymous":
        assert answer.status_code == 302 and answer.url == "/konto/login/?next=" + url
    elif role == "citizen":
        assert answer.status_code == 302 and answer.url.startswith("/konto/2fa/")
    elif role == "other_secretariat":
        assert answer.status_code == 404
    else:
        assert answer.status_code == 302
        assert answer.url == reverse("consultations_admin_hearing", args=[setup["hearing"].pk])
    assert HearingDecision.objects.exists() is (role in {"own_secretariat", "superuser"})


def test_the_hearing_page_shows_the_course_up_to_the_decision(client, setup):
    hearing = setup["hearing"]
    hearing.save_revision().publish()
    steps = timeline(hearing)
    assert [(s["key"], s["done"]) for s in steps] == [
        ("open", True),
        ("deadline", True),
        ("summary", True),
        ("decision", False),
    ]
    assert [s["key"] for s in steps if s["current"]] == ["decision"]
    HearingDecision.objects.create(
        hearing=hearing, committee_name="Teknik- og Miljøudvalget", decided_on=date(2026, 11, 20),
        outcome=DecisionOutcome.REJECTED, minutes_url="https://kommune.example/referat",
    )  # fmt: skip
    page = client.get(hearing.url).content.decode()
    course = page.split('id="timeline-heading"', 1)[1].split("</section>", 1)[0]
    assert "Politisk beslutning" in course and "20. november 2026" in course
    arabic = client.get(hearing.url + "?lang=ar").content.decode()
    arabic_course = arabic.split('id="timeline-heading"', 1)[1].split("</section>", 1)[0]
    assert "٢٠ نوفمبر ٢٠٢٦" in arabic_course and "20. " not in arabic_course  # the reader's way of writing dates
    assert "Teknik- og Miljøudvalget: Forkastet." in course
    assert 'href="https://kommune.example/referat"' in course
    assert Response.objects.filter(hearing=hearing).count() == 6
