"""Issue 12, must hold 6: a subscriber on the weekly digest gets one email for three new hearings in
a week and none in an empty week; immediate subscribers still get one email per hearing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.digests import Frequency
from consultations.notifications import notify_subscribers, send_weekly_digests
from tests.consultations.factories import HearingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def publish(hearing_index, title):
    hearing = HearingFactory(parent=hearing_index, title=title)
    hearing.save_revision().publish()
    hearing.refresh_from_db()
    return hearing


def test_weekly_subscriber_gets_one_digest_for_three_hearings_and_none_in_an_empty_week(
    hearing_index, django_capture_on_commit_callbacks
):
    weekly = SubscriptionFactory(email="ugentlig@example.org", frequency=Frequency.WEEKLY)
    immediate = SubscriptionFactory(email="straks@example.org")
    titles = ["Trafikplan for Valby", "Skoleplan 2027", "Ældrepolitik"]
    with django_capture_on_commit_callbacks(execute=True):
        hearings = [publish(hearing_index, title) for title in titles]
        for hearing in hearings:
            notify_subscribers(hearing)  # what publishing does for immediate subscribers
    assert sorted(m.to[0] for m in mail.outbox) == ["straks@example.org"] * 3  # immediate: unchanged
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == ["ugentlig@example.org"]
    assert digest.subject == "Ugens høringer: 3 nye høringer"
    for title in titles:
        assert title in digest.body
    assert digest.body.count(weekly.get_unsubscribe_url()) == 1
    assert digest.extra_headers["List-Unsubscribe"] == f"<{weekly.get_unsubscribe_url()}>"
    assert immediate.email not in digest.to

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests() == 0  # run again: nothing new, nothing sent
        assert send_weekly_digests(now=timezone.now() + timedelta(days=7)) == 0  # an empty week
    assert mail.outbox == []


def test_a_weekly_subscriber_is_not_emailed_when_a_hearing_is_published(
    hearing_index, django_capture_on_commit_callbacks
):
    SubscriptionFactory(email="ugentlig@example.org", frequency=Frequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        notify_subscribers(publish(hearing_index, "Ny høring"))
    assert mail.outbox == []


def test_the_subscribe_form_offers_the_weekly_digest(client):
    page = client.get(reverse("consultations:subscribe"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Én gang om ugen (samlet oversigt)" in html
    assert "Med det samme (én e-mail pr. ny høring)" in html


def test_a_hearing_the_subscriber_was_told_about_already_is_not_in_the_digest(
    hearing_index, django_capture_on_commit_callbacks
):
    from consultations.models import SubscriptionNotification

    subscription = SubscriptionFactory(email="skiftet@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        told = publish(hearing_index, "Trafikplan for Valby")
        notify_subscribers(told)  # told at once while still on immediate emails
        subscription.frequency = Frequency.WEEKLY
        subscription.save()
        publish(hearing_index, "Skoleplan 2027")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests() == 1
    (digest,) = mail.outbox
    assert "Skoleplan 2027" in digest.body
    assert "Trafikplan for Valby" not in digest.body
    assert SubscriptionNotification.objects.filter(subscription=subscription).count() == 2
