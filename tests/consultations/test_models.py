"""Hearing status is derived from time; dates are validated; irreversible steps are logged."""

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from wagtail.models import PageLogEntry

from consultations.models import HearingPage, HearingStatus, Response
from tests.consultations.factories import HearingFactory, HearingPartyFactory, InvitationFactory, ResponseFactory

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
OPENS = dt.datetime(2027, 3, 1, 9, 0, tzinfo=CPH)
CLOSES = dt.datetime(2027, 4, 1, 12, 0, tzinfo=CPH)


@pytest.fixture
def dated_hearing(hearing_index):
    return HearingFactory(parent=hearing_index, opens_at=OPENS, closes_at=CLOSES)


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (dt.datetime(2027, 2, 28, 23, 0, tzinfo=CPH), HearingStatus.UPCOMING),
        (OPENS, HearingStatus.OPEN),
        (dt.datetime(2027, 4, 1, 11, 59, tzinfo=CPH), HearingStatus.OPEN),
        (CLOSES, HearingStatus.CLOSED),
        (dt.datetime(2027, 6, 1, tzinfo=CPH), HearingStatus.CLOSED),
    ],
)
def test_status_follows_the_clock(dated_hearing, moment, status):
    with time_machine.travel(moment, tick=False):
        hearing = HearingPage.objects.get(pk=dated_hearing.pk)
        assert hearing.status == status
        assert list(HearingPage.objects.with_status(status)) == [hearing]
        others = {HearingStatus.UPCOMING, HearingStatus.OPEN, HearingStatus.CLOSED, HearingStatus.CONCLUDED} - {status}
        for other in others:
            assert not HearingPage.objects.with_status(other).exists()


def test_concluding_is_logged_and_only_after_the_deadline(dated_hearing, user_factory):
    user = user_factory(email="sekretariat@kommune.example")
    with time_machine.travel(dt.datetime(2027, 3, 15, tzinfo=CPH), tick=False):
        with pytest.raises(ValidationError, match="Høringsnotatet kan først offentliggøres efter høringsfristen"):
            dated_hearing.conclude(user)
        assert HearingPage.objects.get(pk=dated_hearing.pk).summary_published_at is None
    with time_machine.travel(dt.datetime(2027, 4, 20, tzinfo=CPH), tick=False):
        assert dated_hearing.conclude(user) is True
        assert dated_hearing.conclude(user) is False
        hearing = HearingPage.objects.get(pk=dated_hearing.pk)
        assert hearing.status == HearingStatus.CONCLUDED
        assert list(HearingPage.objects.concluded()) == [hearing]
        assert not HearingPage.objects.closed().exists()
    entries = PageLogEntry.objects.filter(page=dated_hearing, action="consultations.conclude")
    assert entries.count() == 1
    assert entries.get().user == user


def test_deadline_must_follow_start(hearing_index):
    hearing = HearingPage(title="Forkert", slug="forkert", opens_at=CLOSES, closes_at=OPENS)
    with pytest.raises(ValidationError) as excinfo:
        hearing.clean()
    assert "closes_at" in excinfo.value.message_dict


def test_deletion_date_may_not_precede_deadline(hearing_index):
    hearing = HearingPage(
        title="Forkert", slug="forkert", opens_at=OPENS, closes_at=CLOSES, deletion_date=dt.date(2027, 3, 31)
    )
    with pytest.raises(ValidationError) as excinfo:
        hearing.clean()
    assert "deletion_date" in excinfo.value.message_dict


def test_deletion_date_on_deadline_day_is_allowed_and_empty_gets_a_default(hearing_index):
    same_day = HearingPage(title="A", slug="a", opens_at=OPENS, closes_at=CLOSES, deletion_date=dt.date(2027, 4, 1))
    same_day.clean()
    default = HearingFactory(parent=hearing_index, opens_at=OPENS, closes_at=CLOSES, deletion_date=None)
    assert default.deletion_date == dt.date(2028, 3, 31)


def test_party_counts_as_replied_only_with_a_confirmed_response(hearing):
    party = HearingPartyFactory(name="Valby Lokaludvalg")
    silent = HearingPartyFactory(name="Dansk Industri", hearing_list=party.hearing_list)
    hearing.hearing_lists.add(party.hearing_list)
    hearing.save()
    InvitationFactory(hearing=hearing, party=party)
    invitation_silent = InvitationFactory(hearing=hearing, party=silent)
    ResponseFactory(hearing=hearing, party=party, kind="council", pending=True)
    assert [p.replied for p in hearing.consulted_parties()] == [False, False]
    ResponseFactory(hearing=hearing, party=party, kind="council")
    assert {p.name: p.replied for p in hearing.consulted_parties()} == {
        "Dansk Industri": False,
        "Valby Lokaludvalg": True,
    }
    assert invitation_silent.has_replied is False
    assert hearing.invitations.with_replied().get(party=party).replied is True


def test_party_on_two_lists_is_listed_once_and_replied_through_either(hearing):
    on_first = HearingPartyFactory(name="Dansk Flygtningehjælp")
    on_second = HearingPartyFactory(name="Dansk Flygtningehjælp")
    hearing.hearing_lists.add(on_first.hearing_list, on_second.hearing_list)
    hearing.save()
    ResponseFactory(hearing=hearing, party=on_second, kind="organisation")
    parties = hearing.consulted_parties()
    assert [(p.name, p.replied) for p in parties] == [("Dansk Flygtningehjælp", True)]


def test_redacted_text_is_shown_while_original_is_kept(hearing):
    response = ResponseFactory(hearing=hearing, text="Mit CPR er 010101-1234. Planen er god.")
    response.redact("Mit CPR er [fjernet]. Planen er god.")
    response.publish()
    response.refresh_from_db()
    assert response.public_text == "Mit CPR er [fjernet]. Planen er god."
    assert response.text.startswith("Mit CPR er 010101-1234")
    assert response.status == Response.Status.PUBLISHED


def test_pending_response_cannot_be_published(hearing):
    response = ResponseFactory(hearing=hearing, pending=True)
    with pytest.raises(ValidationError, match="Svaret er ikke bekræftet af afsenderen endnu"):
        response.publish()


def test_publishing_an_older_revision_keeps_irreversible_timestamps(dated_hearing):
    old_revision = dated_hearing.save_revision()
    with time_machine.travel(dt.datetime(2027, 4, 20, tzinfo=CPH), tick=False):
        dated_hearing.conclude()
        old_revision.publish()
        fresh = HearingPage.objects.get(pk=dated_hearing.pk)
        assert fresh.summary_published_at is not None
        assert fresh.status == HearingStatus.CONCLUDED
        # An editor's next draft, built from the latest revision, keeps it too.
        draft = fresh.get_latest_revision_as_object()
        assert draft.summary_published_at == fresh.summary_published_at


def test_the_same_name_in_nfc_and_nfd_on_two_lists_is_one_consulted_party(hearing):
    """Issue 10: »Åbyhøj Café« stored once in NFC and once in NFD (typed before names were
    normalised) was two parties in the hearing summary."""
    nfc = HearingPartyFactory(name="Åbyhøj Café")
    nfd = HearingPartyFactory(name=unicodedata.normalize("NFD", "Åbyhøj Café"))
    assert nfc.name != nfd.name
    hearing.hearing_lists.add(nfc.hearing_list, nfd.hearing_list)
    hearing.save()
    ResponseFactory(hearing=hearing, party=nfd, kind="organisation")
    consulted = hearing.consulted_parties()
    assert len(consulted) == 1
    assert consulted[0].replied is True
