"""Must-hold 6: the deletion command erases personal data and files of due hearings only; twice is harmless."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from wagtail.models import PageLogEntry

from consultations.models import HearingPage, Response, ResponseAttachment
from councils.models import PartyKind
from tests.consultations.factories import (
    HearingFactory,
    HearingPartyFactory,
    ResponseAttachmentFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def _file_path(attachment):
    return Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name


@pytest.fixture
def hearings(hearing_index):
    with time_machine.travel(dt.datetime(2027, 1, 10, tzinfo=CPH), tick=False):
        due = HearingFactory(
            parent=hearing_index,
            title="Trafikplan for Valby",
            opens_at=dt.datetime(2027, 1, 15, 9, tzinfo=CPH),
            closes_at=dt.datetime(2027, 2, 15, 12, tzinfo=CPH),
            deletion_date=dt.date(2027, 5, 1),
        )
        later = HearingFactory(
            parent=hearing_index,
            title="Skoleplan",
            opens_at=dt.datetime(2027, 1, 15, 9, tzinfo=CPH),
            closes_at=dt.datetime(2027, 2, 15, 12, tzinfo=CPH),
            deletion_date=dt.date(2027, 5, 2),
        )
    party = HearingPartyFactory(name="Valby Lokaludvalg", kind=PartyKind.COUNCIL)
    due.hearing_lists.add(party.hearing_list)
    due.save()
    person = ResponseFactory(
        hearing=due, name="Karen Sørensen", email="karen@example.org", postcode="2500", published=True
    )
    organisation = ResponseFactory(
        hearing=due,
        name="Ole Formand",
        email="ole@lokaludvalg.example",
        kind=PartyKind.COUNCIL,
        party=party,
        organisation_name="Valby Lokaludvalg",
        text="Lokaludvalget støtter planen.",
        published=True,
    )
    other = ResponseFactory(hearing=later, name="Bo Hansen", email="bo@example.org", published=True)
    files = {
        "person": ResponseAttachmentFactory(response=person),
        "organisation": ResponseAttachmentFactory(response=organisation),
        "other": ResponseAttachmentFactory(response=other),
    }
    with time_machine.travel(dt.datetime(2027, 3, 1, tzinfo=CPH), tick=False):
        due.refresh_from_db()
        due.conclude()
    return {"due": due, "later": later, "person": person, "organisation": organisation, "other": other, "files": files}


def _run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_hearing_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_nothing_is_erased_the_day_before(hearings, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2027, 4, 30, 23, 0, tzinfo=CPH), tick=False):
        _run(django_capture_on_commit_callbacks)
    person = Response.objects.get(pk=hearings["person"].pk)
    assert person.name == "Karen Sørensen"
    assert person.email == "karen@example.org"
    assert ResponseAttachment.objects.count() == 3
    assert all(_file_path(a).exists() for a in hearings["files"].values())


def test_erases_due_hearing_only_and_twice_is_harmless(hearings, client, django_capture_on_commit_callbacks):
    paths = {key: _file_path(a) for key, a in hearings["files"].items()}
    assert all(p.exists() for p in paths.values())

    with time_machine.travel(dt.datetime(2027, 5, 1, 3, 0, tzinfo=CPH), tick=False):
        _run(django_capture_on_commit_callbacks)

    person = Response.objects.get(pk=hearings["person"].pk)
    assert (person.name, person.email, person.postcode, person.district, person.text) == ("", "", "", "", "")
    assert person.user_id is None
    assert person.personal_data_erased_at is not None
    organisation = Response.objects.get(pk=hearings["organisation"].pk)
    assert (organisation.name, organisation.email, organisation.postcode) == ("", "", "")
    assert organisation.organisation_name == "Valby Lokaludvalg"
    assert organisation.text == "Lokaludvalget støtter planen."
    assert not paths["person"].exists()
    assert not paths["organisation"].exists()
    assert not ResponseAttachment.objects.filter(response__hearing=hearings["due"]).exists()

    # The other hearing is untouched.
    other = Response.objects.get(pk=hearings["other"].pk)
    assert (other.name, other.email) == ("Bo Hansen", "bo@example.org")
    assert paths["other"].exists()
    assert HearingPage.objects.get(pk=hearings["later"].pk).responses_deleted_at is None

    due = HearingPage.objects.get(pk=hearings["due"].pk)
    deleted_at = due.responses_deleted_at
    assert deleted_at is not None
    snapshot = list(Response.objects.order_by("pk").values())
    log_count = PageLogEntry.objects.filter(action="consultations.erase_personal_data").count()
    assert log_count == 1

    with time_machine.travel(dt.datetime(2027, 5, 2, 3, 0, tzinfo=CPH), tick=False):
        # The next day the second hearing is due too; the first is left alone.
        _run(django_capture_on_commit_callbacks)
        _run(django_capture_on_commit_callbacks)
    assert HearingPage.objects.get(pk=hearings["due"].pk).responses_deleted_at == deleted_at
    after = {r["id"]: r for r in Response.objects.order_by("pk").values()}
    for row in snapshot:
        if row["hearing_id"] == hearings["due"].pk:
            assert after[row["id"]] == row
    assert PageLogEntry.objects.filter(action="consultations.erase_personal_data").count() == 2
    assert not paths["other"].exists()

    # The page says when and why; the summary and the replied list stay; no names are shown.
    with time_machine.travel(dt.datetime(2027, 5, 3, tzinfo=CPH), tick=False):
        html = client.get(due.url).content.decode()
    assert "Høringssvarene blev slettet den 1. maj 2027" in html
    assert "Høringsnotat" in html
    assert "Valby Lokaludvalg" in html and "Har svaret" in html
    assert "Karen Sørensen" not in html
