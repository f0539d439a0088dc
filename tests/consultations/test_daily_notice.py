"""The daily notice of new responses: exactly the last day's responses to the recipient's councils."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from consultations.notices import send_daily_response_notices
from tests.consultations.factories import HearingFactory, ResponseFactory
from tests.councils import factories as councils

pytestmark = pytest.mark.django_db

RUN = dt.datetime(2026, 11, 3, 6, 0, tzinfo=dt.UTC)  # 07:00 in Copenhagen


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(RUN, tick=False):
        yield


@pytest.fixture
def setup(home_page, mfa_user, django_capture_on_commit_callbacks):
    index = councils.council_index(home_page)
    valby = councils.council(index, "Valby Lokaludvalg", "lokaludvalg-valby")
    vesterbro = councils.council(index, "Vesterbro Lokaludvalg", "lokaludvalg-vesterbro")
    member, _ = mfa_user(email="valby@kommune.example", daily_response_notice=True, first_name="Vera", last_name="Vang")
    councils.join_secretariat(member, valby)
    quiet, _ = mfa_user(email="valby2@kommune.example")  # in Valby's secretariat, has not asked for it
    councils.join_secretariat(quiet, valby)
    other, _ = mfa_user(email="vesterbro@kommune.example", daily_response_notice=True)
    councils.join_secretariat(other, vesterbro)
    traffic = HearingFactory(parent=valby, title="Trafik i Valby", opens_at=RUN - dt.timedelta(days=5))
    parks = HearingFactory(parent=valby, title="Parker i Valby", opens_at=RUN - dt.timedelta(days=5))
    elsewhere = HearingFactory(parent=vesterbro, title="Vesterbro Torv", opens_at=RUN - dt.timedelta(days=5))
    return {"member": member, "traffic": traffic, "parks": parks, "elsewhere": elsewhere}


def _run(capture):
    with capture(execute=True):
        count = send_daily_response_notices()
    return count


def test_the_notice_lists_exactly_the_last_days_responses_of_the_members_councils(
    setup, django_capture_on_commit_callbacks
):
    hour = dt.timedelta(hours=1)
    ResponseFactory(hearing=setup["traffic"], name="Anne Ager", confirmed_at=RUN - 23 * hour)
    ResponseFactory(
        hearing=setup["traffic"], name="Bo Berg", organisation_name="Valby Cykelklub", confirmed_at=RUN - hour
    )
    ResponseFactory(hearing=setup["parks"], name="Carl Cramer", confirmed_at=RUN - 2 * hour, published=True)
    ResponseFactory(hearing=setup["traffic"], name="Dorte Dahl", confirmed_at=RUN - 25 * hour)  # the day before
    ResponseFactory(hearing=setup["traffic"], name="Erik Eng", pending=True)  # not confirmed
    ResponseFactory(hearing=setup["traffic"], name="Frida Fog", confirmed_at=RUN + hour)  # after the run
    mail.outbox.clear()

    assert _run(django_capture_on_commit_callbacks) == 1

    [message] = mail.outbox
    assert message.to == ["valby@kommune.example"]
    assert message.subject == "3 nye høringssvar det seneste døgn"
    body = message.body
    assert "Anne Ager" in body and "Valby Cykelklub" in body and "Carl Cramer" in body
    assert "Bo Berg" not in body  # an organisation's response is listed under the organisation's name
    for absent in ("Dorte Dahl", "Erik Eng", "Frida Fog", "Vesterbro Torv"):
        assert absent not in body
    assert body.index("Parker i Valby") < body.index("Carl Cramer") < body.index("Trafik i Valby")
    assert f"/admin/hoeringssvar/?hearing={setup['traffic'].pk}" in body


def test_no_notice_when_nothing_is_new(setup, django_capture_on_commit_callbacks):
    ResponseFactory(hearing=setup["traffic"], name="Dorte Dahl", confirmed_at=RUN - dt.timedelta(hours=30))
    ResponseFactory(hearing=setup["elsewhere"], name="Gitte Gram", confirmed_at=RUN - dt.timedelta(hours=30))
    mail.outbox.clear()
    assert _run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_command_runs_it(setup, django_capture_on_commit_callbacks, capsys):
    ResponseFactory(hearing=setup["elsewhere"], name="Gitte Gram", confirmed_at=RUN - dt.timedelta(hours=3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_daily_response_notices")
    assert capsys.readouterr().out.strip() == "1 notice(s) queued"
    assert [m.to for m in mail.outbox] == [["vesterbro@kommune.example"]]
    assert "Gitte Gram" in mail.outbox[0].body


def _form_values(html):
    """What the browser would send for the account form as it is shown (every input, select and checkbox)."""
    from html.parser import HTMLParser

    values = {}

    class Form(HTMLParser):
        select = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        values[a["name"]] = a.get("value", "on")
                else:
                    values[a["name"]] = a.get("value", "")
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and ("selected" in a or self.select not in values):
                values[self.select] = a.get("value", "")

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None

    Form().feed(html)
    return values


def test_a_member_switches_it_on_in_the_admin_account_settings(client, setup):
    member = setup["member"]
    member.daily_response_notice = False
    member.save()
    client.force_login(member)
    page = client.get(reverse("wagtailadmin_account"))
    assert "Daglig mail om nye høringssvar" in page.content.decode()
    data = _form_values(page.content.decode())
    data["medborger_daily_notice-daily_response_notice"] = "on"
    response = client.post(reverse("wagtailadmin_account"), data)
    errors = (
        {p.name: p.get_form().errors for tab in (response.context or {}).get("panels_by_tab", {}).values() for p in tab}
        if response.status_code == 200
        else {}
    )
    assert response.status_code == 302, (errors, data)
    member.refresh_from_db()
    assert member.daily_response_notice is True
