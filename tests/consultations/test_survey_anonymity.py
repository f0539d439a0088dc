"""Issue 11, what must hold 3: with full SQL access, an anonymous survey's answers cannot be linked
to the invitation, user, email, time or order of answering (the ballot method: every column,
transaction ids, physical row order, session rows). Runs on PostgreSQL (DATABASE_URL)."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.db import connection

from consultations.models import (
    Access,
    PendingSurveyResponse,
    SurveyPanel,
    SurveyParticipation,
    SurveyResponse,
)
from consultations.surveys.models import store_answers
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey, question

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="xmin and ctid are PostgreSQL's; run with DATABASE_URL"
    ),
]

QUESTIONS = [
    question("scale", "tilfreds", "Hvor tilfreds er du?", scale_min=1, scale_max=5),
    question("text", "kommentar", "Kommentar", required=False, max_length=200),
]
ALLOWED_COLUMNS = {"id", "survey_id", "panel_id", "answers", "approved_texts"}


@pytest.fixture
def survey(home_page, user_factory, settings):
    settings.SURVEY_ANONYMOUS_BATCH = 3
    index = SurveyIndexPageFactory(parent=home_page)
    page = make_survey(index, questions=QUESTIONS, access=Access.PANEL, anonymous=True, slug="anonym")
    panel = SurveyPanel.objects.create(name="Brugerpanel Jobcenter Nord")
    people = []
    for n in range(6):
        user = user_factory(email=f"panel{n}@example.org")
        people.append(
            SurveyParticipation.objects.create(
                survey=page, kind="invited", panel=panel, email=user.email, user=user, name=f"Person {n}"
            )
        )
    return page, people


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def answer_in_order(page, people):
    """Person n gives scale value 5 - n: answering order is the reverse of content order."""
    scale = page.questionnaire.questions[0]
    for n, person in enumerate(people):
        store_answers(page, {scale.id: str(5 - (n % 5))}, person)


def test_no_column_of_an_answer_points_at_a_person_or_a_time(survey):
    page, people = survey
    answer_in_order(page, people)
    columns = [
        name
        for (name,) in rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'consultations_surveyresponse'"
        )
    ]
    data = rows(f"SELECT {', '.join(columns)} FROM consultations_surveyresponse")  # noqa: S608 (names from the catalog)
    assert len(data) == 6
    for record in data:
        filled = {name for name, value in zip(columns, record, strict=True) if value is not None}
        assert filled <= ALLOWED_COLUMNS, filled - ALLOWED_COLUMNS
        text = json.dumps([str(v) for v in record])
        for person in people:
            assert person.email not in text and person.token_hash not in text and person.name not in text
    # The »has answered« mark carries no time, and nothing points from it to an answer.
    participation_columns = [
        name
        for (name,) in rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'consultations_surveyparticipation'"
        )
    ]
    assert not {"answered_at", "response_id", "updated_at"} & set(participation_columns)


def test_transaction_ids_and_row_order_do_not_follow_answering_order(survey):
    page, people = survey
    answer_in_order(page, people)
    assert not PendingSurveyResponse.objects.exists()  # two full batches of 3 were moved
    marks = {xmin for (xmin,) in rows("SELECT xmin::text FROM consultations_surveyparticipation WHERE answered")}
    answers = rows("SELECT xmin::text, answers FROM consultations_surveyresponse ORDER BY ctid")
    answer_xmins = [xmin for xmin, _answers in answers]
    assert not marks & set(answer_xmins)  # never written in a transaction that set a mark
    assert len(set(answer_xmins)) == 2  # one transaction per batch: no order inside a batch
    scale_id = page.questionnaire.questions[0].id
    for batch_xmin in set(answer_xmins):
        values = [json.loads(a)[scale_id] if isinstance(a, str) else a[scale_id] for x, a in answers if x == batch_xmin]
        # People answered 5, 4, 3 (and 2, 1, 5): the rows lie in the order of their content.
        assert values == sorted(values)
    physical = [(a if isinstance(a, dict) else json.loads(a))[scale_id] for _x, a in answers]
    answering = [str(5 - (n % 5)) for n in range(6)]
    assert physical[:3] != answering[:3]


def test_waiting_answers_are_few_and_moved_when_the_survey_closes(survey):
    page, people = survey
    answer_in_order(page, people[:2])
    assert SurveyResponse.objects.count() == 0
    assert PendingSurveyResponse.objects.count() == 2  # below the batch: nothing in the results yet
    page.close()
    assert PendingSurveyResponse.objects.count() == 0
    assert SurveyResponse.objects.count() == 2
    assert len({x for (x,) in rows("SELECT xmin::text FROM consultations_surveyresponse")}) == 1


def test_the_session_holds_no_answer(client, survey):
    page, people = survey
    person = people[0]
    first = client.get(person.link_path)
    scale = page.questionnaire.questions[0]
    response = client.post(
        person.link_path,
        {
            "section": "0",
            "state": first.context["form"]["state"].value(),
            "action": "submit",
            f"q-{scale.key}": "4",
            "q-kommentar": "Hemmelig kommentar 7391",
        },
    )
    assert response.status_code == 302
    page.close()
    assert SurveyResponse.objects.filter(answers__contains={scale.id: "4"}).count() == 1
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded())
        assert "Hemmelig kommentar 7391" not in decoded and scale.id not in decoded


def test_a_resumed_answer_leaves_no_trace_of_its_draft(client, survey, settings):
    """Save and continue later: while saved, the draft row holds nothing readable (no answer, person,
    invitation or time); once sent, the draft is gone and the stored answer shares no id, value or
    transaction with it."""
    settings.SURVEY_ANONYMOUS_BATCH = 1
    two_sections = [QUESTIONS[0], {"type": "section", "value": {"title": "Mere", "intro": ""}}, QUESTIONS[1]]
    page = make_survey(
        survey[0].get_parent(), questions=two_sections, access=Access.PANEL, anonymous=True, slug="anonym-kladde"
    )
    panel = SurveyPanel.objects.get()
    person = SurveyParticipation.objects.create(
        survey=page, kind="invited", panel=panel, email="kladde@example.org", name="Person K"
    )
    scale = page.questionnaire.questions[0]
    first = client.get(person.link_path)
    second = client.post(
        person.link_path,
        {"section": "0", "state": first.context["form"]["state"].value(), "action": "next", f"q-{scale.key}": "2"},
    )
    saved = client.post(
        person.link_path,
        {
            "section": "1",
            "state": second.context["form"]["state"].value(),
            "action": "save",
            "q-kommentar": "Hemmelig kladde 5521",
        },
    )
    assert saved.status_code == 200
    (draft_row,) = rows("SELECT id::text, survey_id, token_hash, sealed, xmin::text FROM consultations_surveydraft")
    draft_id, _survey_id, token_hash, sealed, draft_xmin = draft_row
    columns = {
        name
        for (name,) in rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'consultations_surveydraft'"
        )
    }
    assert columns == {"id", "survey_id", "token_hash", "sealed"}  # no time, user, invitation, email
    blob = bytes(sealed)
    for secret in (b"5521", b"Hemmelig", person.token.encode(), person.email.encode(), scale.id.encode()):
        assert secret not in blob

    # Days later, from another browser: resume, send.
    client.cookies.clear()
    path = saved.context["resume_url"].split("://", 1)[1].split("/", 1)[1]
    resumed = client.get("/" + path)
    assert resumed.context["form"]["q-kommentar"].value() == "Hemmelig kladde 5521"
    done = client.post(
        person.link_path,
        {
            "section": "1",
            "state": resumed.context["form"]["state"].value(),
            "action": "submit",
            "q-kommentar": "Hemmelig kladde 5521",
            "draft": resumed.context["draft_token"],
        },
    )
    assert done.status_code == 302
    assert rows("SELECT count(*) FROM consultations_surveydraft") == [(0,)]
    columns = [
        name
        for (name,) in rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'consultations_surveyresponse'"
        )
    ]
    data = rows(f"SELECT xmin::text, {', '.join(columns)} FROM consultations_surveyresponse")  # noqa: S608
    assert len(data) == 1
    xmin, *record = data[0]
    filled = {name for name, value in zip(columns, record, strict=True) if value is not None}
    assert filled <= ALLOWED_COLUMNS, filled - ALLOWED_COLUMNS
    text = json.dumps([str(v) for v in record])
    assert "Hemmelig kladde 5521" in text  # it is the resumed answer
    for trace in (draft_id, token_hash, person.email, person.token_hash):
        assert trace not in text
    assert xmin != draft_xmin
    marks = {x for (x,) in rows("SELECT xmin::text FROM consultations_surveyparticipation WHERE answered")}
    assert xmin not in marks
