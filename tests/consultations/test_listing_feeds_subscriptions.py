"""The hearing index (filters, sorting, counts), feeds, and subscriptions with notifications."""

import datetime as dt

import icalendar
import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import HearingPage, Subscription, SubscriptionNotification
from councils.models import CouncilKind
from tests.consultations.factories import HearingFactory, ResponseFactory, SubscriptionFactory
from tests.councils import factories as council_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(home_page):
    index = council_factories.council_index(home_page)
    return council_factories.council(index, "Valby Lokaludvalg", "lokaludvalg-valby", kind=CouncilKind.LOCAL)


@pytest.fixture
def hearings(hearing_index, council):
    now = timezone.now()
    employment = HearingFactory(
        parent=hearing_index,
        title="Beskæftigelsesplan 2027",
        closes_at=now + dt.timedelta(days=20),
        committee_name="Beskæftigelses- og Integrationsudvalget",
    )
    employment.topics.add("Beskæftigelse")
    employment.save_revision().publish()
    traffic = HearingFactory(
        parent=council, title="Trafikplan for Valby", area="valby", closes_at=now + dt.timedelta(days=40)
    )
    traffic.topics.add("Trafik")
    traffic.save_revision().publish()
    closed = HearingFactory(
        parent=hearing_index,
        title="Gammel skoleplan",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=30),
    )
    upcoming = HearingFactory(
        parent=hearing_index,
        title="Kommende kulturplan",
        opens_at=now + dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=50),
    )
    ResponseFactory(hearing=employment)
    ResponseFactory(hearing=employment, published=True)
    ResponseFactory(hearing=employment, pending=True)  # not counted: never confirmed
    return {"employment": employment, "traffic": traffic, "closed": closed, "upcoming": upcoming}


def titles(html, candidates):
    found = [(html.index(t), t) for t in candidates if t in html]
    return [t for _pos, t in sorted(found)]


ALL = ["Kommende kulturplan", "Trafikplan for Valby", "Beskæftigelsesplan 2027", "Gammel skoleplan"]


def test_index_lists_newest_deadline_first_with_response_counts(client, hearing_index, hearings):
    html = client.get(hearing_index.url).content.decode()
    assert titles(html, ALL) == ALL
    assert "4 høringer" in html
    employment_card = html[html.index("Beskæftigelsesplan 2027") :]
    assert "2 høringssvar" in employment_card[: employment_card.index("</li>")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", ["Trafikplan for Valby", "Beskæftigelsesplan 2027"]),
        ("status=upcoming", ["Kommende kulturplan"]),
        ("status=closed", ["Gammel skoleplan"]),
        ("status=aaben", ["Trafikplan for Valby", "Beskæftigelsesplan 2027"]),  # a link from before
        ("emne=trafik", ["Trafikplan for Valby"]),
        ("omraade=valby", ["Trafikplan for Valby"]),
        ("afsender=udvalg-Beskæftigelses- og Integrationsudvalget", ["Beskæftigelsesplan 2027"]),
    ],
)
def test_index_filters(client, hearing_index, hearings, query, expected):
    html = client.get(f"{hearing_index.url}?{query}").content.decode()
    assert titles(html, ALL) == expected


def test_index_filter_by_council_includes_hearings_under_the_council(client, hearing_index, hearings, council):
    html = client.get(f"{hearing_index.url}?afsender=raad-{council.pk}").content.decode()
    assert titles(html, ALL) == ["Trafikplan for Valby"]
    page = client.get(hearings["traffic"].url).content.decode()
    assert 'href="/raad-og-udvalg/lokaludvalg-valby/">Valby Lokaludvalg</a>' in page.replace("\n", "")


def test_index_queries_do_not_grow_with_hearings(client, hearing_index, hearings):
    client.get(hearing_index.url)
    with CaptureQueriesContext(connection) as few:
        client.get(hearing_index.url)
    for n in range(7):
        HearingFactory(parent=hearing_index, title=f"Ekstra høring {n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(hearing_index.url).content.decode()
    assert "11 høringer" in html
    assert len(many.captured_queries) <= len(few.captured_queries)
    second = client.get(f"{hearing_index.url}?side=2").content.decode()
    assert "Side 2 af 2" in second


def test_rss_atom_and_per_council_and_topic_feeds(client, hearings, council):
    rss = client.get("/hoeringer/feeds/rss/").content.decode()
    for title in ALL:
        assert title in rss
    atom = client.get("/hoeringer/feeds/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    council_feed = client.get(f"/hoeringer/feeds/raad/{council.slug}/rss/").content.decode()
    assert "Trafikplan for Valby" in council_feed
    assert "Beskæftigelsesplan 2027" not in council_feed
    slug = hearings["employment"].topics.get().slug
    topic_feed = client.get(f"/hoeringer/feeds/emne/{slug}/atom/").content.decode()
    assert "Beskæftigelsesplan 2027" in topic_feed
    assert "Trafikplan for Valby" not in topic_feed
    assert client.get("/hoeringer/feeds/emne/findes-ikke/rss/").status_code == 404


def test_icalendar_feed_of_deadlines(client, hearings):
    response = client.get("/hoeringer/feeds/frister.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert "Høringsfrist: Beskæftigelsesplan 2027" in events
    assert "Høringsfrist: Gammel skoleplan" not in events  # past deadlines are left out
    event = events["Høringsfrist: Beskæftigelsesplan 2027"]
    assert event.decoded("dtstart") == hearings["employment"].closes_at.replace(microsecond=0)
    assert str(event["url"]) == "http://testserver" + hearings["employment"].url


def test_subscription_double_opt_in_notifies_once_and_unsubscribes(
    client, hearing_index, council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/hoeringer/abonnement/", {"email": "Lise@Example.org", "area": "valby", "frequency": "immediate"}
        )
    assert "Bekræft dit abonnement" in page.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == "lise@example.org"
    assert subscription.confirmed_at is None
    assert len(mail.outbox) == 1
    confirm_path = f"/hoeringer/abonnement/bekraeft/{subscription.token}/"
    assert confirm_path in mail.outbox[0].body
    assert client.get(confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # a GET never confirms
    client.post(confirm_path)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    other_area = SubscriptionFactory(email="oesterbro@example.org", area="oesterbro")
    unconfirmed = SubscriptionFactory(email="ubekraeftet@example.org", confirmed_at=None)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        hearing = HearingFactory(parent=council, title="Ny trafikplan", area="valby", live=False)
        hearing.save_revision().publish()
    assert [m.to for m in mail.outbox] == [["lise@example.org"]]
    notice = mail.outbox[0]
    assert "Ny høring: Ny trafikplan" in notice.subject
    unsubscribe_url = subscription.get_unsubscribe_url()
    assert unsubscribe_url in notice.body
    assert notice.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert not SubscriptionNotification.objects.filter(subscription__in=[other_area, unconfirmed]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        HearingPage.objects.get(pk=hearing.pk).save_revision().publish()
    assert len(mail.outbox) == 1  # publishing again tells nobody twice
    assert SubscriptionNotification.objects.filter(hearing=hearing).count() == 1

    response = client.get(f"/hoeringer/abonnement/afmeld/{subscription.token}/")
    assert "Afmeld abonnement" in response.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # a GET only asks (issue 10)
    response = client.post(f"/hoeringer/abonnement/afmeld/{subscription.token}/")
    assert "Du er afmeldt" in response.content.decode()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_subscription_topic_and_council_filters(hearing_index, council):
    with time_machine.travel(timezone.now(), tick=False):
        hearing = HearingFactory(parent=council, title="Trafik", area="valby")
        hearing.topics.add("Trafik")
        hearing.save()
    from taggit.models import Tag

    traffic = Tag.objects.get(name="Trafik")
    other_tag = Tag.objects.create(name="Skole", slug="skole")
    wants_traffic = SubscriptionFactory()
    wants_traffic.topics.add(traffic)
    wants_school = SubscriptionFactory()
    wants_school.topics.add(other_tag)
    wants_council = SubscriptionFactory()
    wants_council.councils.add(council)
    everything = SubscriptionFactory()
    matching = set(Subscription.objects.matching(hearing))
    assert matching == {wants_traffic, wants_council, everything}


def test_verified_user_subscribes_at_once_and_manages_on_my_page(client, user_factory, hearing_index):
    user = user_factory(email="lise@example.org")
    client.force_login(user)
    response = client.post(
        "/hoeringer/abonnement/", {"email": "lise@example.org", "area": "valby", "frequency": "immediate"}, follow=True
    )
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.user == user
    html = response.content.decode()
    assert "Mine abonnementer på høringer" in html
    assert "Område: Valby" in html
    client.post(f"/hoeringer/abonnement/afmeld/{subscription.token}/")
    assert not Subscription.objects.exists()


def test_subscription_form_errors_keep_input(client, hearing_index):
    response = client.post("/hoeringer/abonnement/", {"email": "ikke-en-email", "area": "valby"})
    html = response.content.decode()
    assert "Skriv en gyldig e-mailadresse" in html
    assert 'value="ikke-en-email"' in html
    assert not Subscription.objects.exists()
