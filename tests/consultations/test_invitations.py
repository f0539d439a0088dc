"""Invitations from hearing lists: once per active party, reminders only to those who have not replied."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations.models import HearingPage, Invitation
from councils.models import HearingParty
from tests.consultations import secretariat
from tests.consultations.factories import ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists():
    employment = secretariat.hearing_list(
        "Beskæftigelse",
        [
            ("Dansk Arbejdsgiverforening", "da@example.org"),
            ("LO Hovedstaden", "lo@example.org"),
            ("Nedlagt forening", "nedlagt@example.org", False),
        ],
    )
    integration = secretariat.hearing_list(
        "Integration",
        [("LO Hovedstaden", "lo@example.org"), ("Integrationsrådet", "ir@example.org")],
    )
    return [employment, integration]


def with_lists(hearing, lists):
    hearing.hearing_lists.set(lists)
    hearing.save()
    return hearing


def publish(hearing, callbacks):
    with callbacks(execute=True):
        hearing.save_revision().publish()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_publishing_an_open_hearing_invites_every_active_party_once(hearing, lists, django_capture_on_commit_callbacks):
    with_lists(hearing, lists)
    publish(hearing, django_capture_on_commit_callbacks)

    # LO is on both lists but gets one email; the inactive party gets none.
    assert recipients() == ["da@example.org", "ir@example.org", "lo@example.org"]
    invitation_email = next(m for m in mail.outbox if m.to == ["da@example.org"])
    assert "Beskæftigelsesplan 2027" in invitation_email.subject
    assert "http://testserver/" in invitation_email.body
    assert invitation_email.alternatives[0][1] == "text/html"
    assert Invitation.objects.filter(hearing=hearing).count() == 3
    assert all(i.sent_at for i in Invitation.objects.filter(hearing=hearing))
    hearing.refresh_from_db()
    assert hearing.invitations_sent_at is not None

    # Publishing again, and the cron command, send nothing new.
    mail.outbox.clear()
    publish(hearing, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_hearing_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    assert Invitation.objects.filter(hearing=hearing).count() == 3


def test_an_upcoming_hearing_is_invited_by_the_command_once_it_opens(
    hearing, lists, django_capture_on_commit_callbacks
):
    HearingPage.objects.filter(pk=hearing.pk).update(
        opens_at=timezone.now() + timedelta(days=2), closes_at=timezone.now() + timedelta(days=30)
    )
    hearing.refresh_from_db()
    with_lists(hearing, lists)
    publish(hearing, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not Invitation.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_hearing_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []  # still upcoming

    HearingPage.objects.filter(pk=hearing.pk).update(opens_at=timezone.now() - timedelta(minutes=1))
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_hearing_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert recipients() == ["da@example.org", "ir@example.org", "lo@example.org"]


def test_unpublished_and_closed_hearings_invite_nobody(hearing, lists, django_capture_on_commit_callbacks):
    with_lists(hearing, lists)
    HearingPage.objects.filter(pk=hearing.pk).update(live=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_hearing_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    HearingPage.objects.filter(pk=hearing.pk).update(live=True, closes_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_hearing_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_reminders_go_only_to_invited_parties_without_a_reply(
    hearing, lists, settings, django_capture_on_commit_callbacks
):
    settings.HEARING_REMINDER_DAYS = 7
    with_lists(hearing, lists)
    publish(hearing, django_capture_on_commit_callbacks)
    lo = Invitation.objects.get(hearing=hearing, party__name="LO Hovedstaden")
    ResponseFactory(hearing=hearing, kind="organisation", party=lo.party, name="Søren", organisation_name="")
    # An unconfirmed response does not count as a reply.
    da = Invitation.objects.get(hearing=hearing, party__name="Dansk Arbejdsgiverforening")
    ResponseFactory(hearing=hearing, kind="organisation", party=da.party, pending=True)
    mail.outbox.clear()

    # Not yet within the reminder window: nothing.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_hearing_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []

    HearingPage.objects.filter(pk=hearing.pk).update(closes_at=timezone.now() + timedelta(days=3))
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_hearing_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert recipients() == ["da@example.org", "ir@example.org"]
    assert all("Påmindelse" in m.subject for m in mail.outbox)
    assert Invitation.objects.get(pk=lo.pk).reminder_sent_at is None


def test_invitation_overview_shows_invited_reminded_and_replied(
    client, home_page, mfa_user, lists, django_capture_on_commit_callbacks
):
    council, group = secretariat.council_with_secretariat(home_page, "Beskæftigelsesrådet", "lbr")
    hearing = with_lists(secretariat.hearing_under(council, title="Beskæftigelsesplan 2028"), lists)
    publish(hearing, django_capture_on_commit_callbacks)
    lo = Invitation.objects.get(hearing=hearing, party__name="LO Hovedstaden")
    # LO answers choosing itself from the other list: still the same party, so it has replied.
    lo_on_other_list = HearingParty.objects.exclude(pk=lo.party_id).get(name="LO Hovedstaden")
    ResponseFactory(hearing=hearing, kind="organisation", party=lo_on_other_list)
    user, _secret = mfa_user(email="lbr@kommune.example")
    client.force_login(secretariat.join(user, group))

    page = client.get(reverse("consultations_admin_invitations", args=[hearing.pk])).content.decode()

    assert "1 af 3 høringsparter har svaret." in page
    rows = {
        name: page.split(f'data-party="{name}"')[1].split("</tr>")[0]
        for name in ["LO Hovedstaden", "Dansk Arbejdsgiverforening", "Integrationsrådet"]
    }
    assert "Svaret" in rows["LO Hovedstaden"]
    assert "Ikke svaret" in rows["Dansk Arbejdsgiverforening"]
    assert "Ikke inviteret" not in rows["Integrationsrådet"]
    assert "Nedlagt forening" not in page


def test_a_party_is_invited_and_reminded_in_the_language_set_on_its_list(
    hearing, settings, django_capture_on_commit_callbacks
):
    """A party whose language on the hearing list is Arabic gets the invitation and the reminder in
    Arabic, with a link that opens the hearing in Arabic; the others stay Danish."""
    settings.HEARING_REMINDER_DAYS = 7
    integration = secretariat.hearing_list(
        "Integration", [("Arabisk Kulturforening", "akf@example.org"), ("LO Hovedstaden", "lo@example.org")]
    )
    HearingParty.objects.filter(name="Arabisk Kulturforening").update(language="ar")
    with_lists(hearing, [integration])
    publish(hearing, django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    arabic, danish = by_address["akf@example.org"], by_address["lo@example.org"]
    assert arabic.subject == "دعوة إلى مشاورة: Beskæftigelsesplan 2027"
    assert f"http://testserver{hearing.url}?lang=ar" in arabic.body
    assert '<html lang="ar" dir="rtl">' in arabic.alternatives[0][0]
    assert danish.subject == "Invitation til høring: Beskæftigelsesplan 2027"
    assert f"http://testserver{hearing.url}\n" in danish.body

    mail.outbox.clear()
    HearingPage.objects.filter(pk=hearing.pk).update(closes_at=timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_hearing_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = {message.to[0]: message.subject for message in mail.outbox}
    assert reminders == {
        "akf@example.org": "تذكير: يقترب الموعد النهائي لـ «Beskæftigelsesplan 2027»",
        "lo@example.org": "Påmindelse: høringsfristen for »Beskæftigelsesplan 2027« nærmer sig",
    }
