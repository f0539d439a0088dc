"""A date typed by a person is read the same way by every form and file that asks for one
(core.dates): the poll-card login, the poll book's name look-up, the voter-roll import and a
survey's date question. Before core.dates each had its own list, so »24 12 1990« logged a voter in
at the polling place's look-up but not online, and »24121990« was refused by the roll and surveys."""

import datetime

import pytest

from consultations.surveys.forms import SectionForm
from core.dates import parse_typed_date
from elections import roll
from elections.forms import PollCardForm
from elections.models import Voter
from elections.pollbook.forms import NameLookupForm
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey, question

TYPED = ["24-12-1990", "24.12.1990", "24/12/1990", "24 12 1990", " 24  12 1990 ", "24121990", "1990-12-24"]
# Digits alone only as all eight: »241290« is not 2 April 1290, »1121990« neither 1-12 nor 11-2.
NOT_DATES = ["31-02-1990", "12-24-1990", "1990", "i går", "24-12-90x", "241290", "1121990"]
CHRISTMAS_EVE = datetime.date(1990, 12, 24)


@pytest.mark.parametrize("typed", TYPED)
def test_the_poll_card_login_reads_every_way(typed):
    form = PollCardForm({"code": "ABCD-EFGH-JKLM", "birth_date": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date"] == CHRISTMAS_EVE


@pytest.mark.parametrize("typed", TYPED)
def test_the_poll_books_name_look_up_reads_every_way(typed):
    form = NameLookupForm({"name": "Jensen", "birth_date": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date"] == CHRISTMAS_EVE


@pytest.mark.django_db
@pytest.mark.parametrize("typed", TYPED)
def test_the_voter_roll_reads_every_way(election, typed):
    data = f"personnummer;navn;fødselsdato;adresse;valgsted\n241290-9001;Jane Jensen;{typed};Vej 1;1\n"
    report = roll.import_roll(election, data.encode())
    assert report.ok, report.errors
    assert Voter.objects.get().birth_date == CHRISTMAS_EVE


@pytest.mark.django_db
@pytest.mark.parametrize("typed", TYPED)
def test_a_survey_date_question_reads_every_way(home_page, typed):
    survey = make_survey(SurveyIndexPageFactory(parent=home_page), questions=[question("date", "foedt", "Hvornår?")])
    questionnaire = survey.questionnaire
    form = SectionForm(
        {"q-foedt": typed}, page=survey, survey=questionnaire, section=questionnaire.sections[0], answers={}
    )
    assert form.is_valid(), form.errors
    assert form.section_answers == {questionnaire.questions[0].id: "1990-12-24"}


@pytest.mark.parametrize("typed", NOT_DATES)
def test_what_is_not_a_date_is_refused_everywhere(typed):
    assert not PollCardForm({"code": "ABCD-EFGH-JKLM", "birth_date": typed}).is_valid()
    assert not NameLookupForm({"name": "Jensen", "birth_date": typed}).is_valid()
    assert parse_typed_date(typed) is None  # the voter-roll import and a survey's date question
