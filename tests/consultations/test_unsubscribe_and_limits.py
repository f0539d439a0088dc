"""Issue 10, two subscription findings.

* »Unsubscribe deletes on a GET«: a link scanner or a mail client's prefetch following the link in
  an email must not unsubscribe anyone. GET shows a confirm page; the page's button POSTs (with a
  CSRF token); a mail client's RFC 8058 one-click POST (``List-Unsubscribe=One-Click``, no CSRF
  token, the secret token in the address is the proof) unsubscribes, and every subscriber email
  names that https address in List-Unsubscribe with List-Unsubscribe-Post.
* »Plus-addressing gets round the per-email limit«: a+x@example.dk is a@example.dk's mailbox.
"""

import pytest
from django.core import mail
from django.test import Client

from consultations.emails import NewHearingEmail
from consultations.models import Subscription, SubscriptionNotification
from tests.consultations.factories import HearingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


def unsubscribe_path(subscription):
    return f"/hoeringer/abonnement/afmeld/{subscription.token}/"


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_get_on_the_unsubscribe_link_only_asks(client, hearing_index):
    subscription = SubscriptionFactory(email="lise@example.org", area="valby")
    page = client.get(unsubscribe_path(subscription))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Afmeld abonnement</h1>" in html
    assert "lise@example.org" in html
    assert "Område: Valby" in html
    assert '<form method="post">' in html and 'name="csrfmiddlewaretoken"' in html
    assert "Afmeld abonnementet" in html
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # the old code deleted it here
    client.head(unsubscribe_path(subscription))
    assert Subscription.objects.filter(pk=subscription.pk).exists()


HEADINGS = {
    "en": "Unsubscribe",
    "ar": "إلغاء الاشتراك",
    "fa": "لغو اشتراک",
    "ur": "سبسکرپشن ختم کریں",
    "tr": "Aboneliği iptal et",
    "so": "Ka bax rukumada",
    "pl": "Wypisz się z subskrypcji",
    "uk": "Скасувати підписку",
}


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_the_confirm_page_is_in_the_visitors_language(client, hearing_index, language):
    subscription = SubscriptionFactory()
    client.cookies["medborger_language"] = language
    html = client.get(unsubscribe_path(subscription)).content.decode()
    assert f"<h1>{HEADINGS[language]}</h1>" in html
    assert f'lang="{language}"' in html
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_button_unsubscribes_with_its_csrf_token(csrf_client, hearing_index):
    subscription = SubscriptionFactory()
    confirm = csrf_client.get(unsubscribe_path(subscription))
    token = confirm.context["csrf_token"]
    done = csrf_client.post(unsubscribe_path(subscription), {"csrfmiddlewaretoken": str(token)})
    assert done.status_code == 200
    assert "Du er afmeldt" in done.content.decode()
    assert "Du får ikke flere e-mails om nye høringer fra dette abonnement." in done.content.decode()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_form_post_without_csrf_token_is_refused_and_keeps_the_subscription(csrf_client, hearing_index):
    subscription = SubscriptionFactory()
    refused = csrf_client.post(unsubscribe_path(subscription), {"confirm": "1"})
    assert refused.status_code == 403
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_rfc8058_one_click_post_unsubscribes_without_csrf_token(csrf_client, hearing_index):
    subscription = SubscriptionFactory()
    other = SubscriptionFactory()
    answer = csrf_client.post(
        unsubscribe_path(subscription), ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 204
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert Subscription.objects.filter(pk=other.pk).exists()


def test_unknown_token_says_so_and_deletes_nothing(csrf_client, hearing_index):
    kept = SubscriptionFactory()
    page = csrf_client.get("/hoeringer/abonnement/afmeld/ukendt-token/")
    assert page.status_code == 404
    assert "Abonnementet findes ikke længere" in page.content.decode()
    answer = csrf_client.post(
        "/hoeringer/abonnement/afmeld/ukendt-token/", ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 404
    assert list(Subscription.objects.all()) == [kept]


def test_subscriber_email_names_the_https_one_click_address(settings, hearing_index):
    settings.BASE_URL = "https://medborger.kk.dk"
    subscription = SubscriptionFactory()
    hearing = HearingFactory(parent=hearing_index, title="Ny trafikplan")
    notice = SubscriptionNotification.objects.create(subscription=subscription, hearing=hearing)
    message = NewHearingEmail(notice).message()
    url = f"https://medborger.kk.dk/hoeringer/abonnement/afmeld/{subscription.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == ONE_CLICK
    assert url in message.body
    # What a mail client does with the two headers (RFC 8058 §3.1) unsubscribes, with no cookie or token.
    answer = Client(enforce_csrf_checks=True).post(
        url.removeprefix("https://medborger.kk.dk"),
        message.extra_headers["List-Unsubscribe-Post"],
        content_type="application/x-www-form-urlencoded",
        secure=True,
    )
    assert answer.status_code == 204
    assert not Subscription.objects.exists()
    assert not mail.outbox


def subscribe(client, email):
    return client.post("/hoeringer/abonnement/", {"email": email, "area": "", "frequency": "immediate"})


def test_plus_addressing_shares_the_per_mailbox_subscription_limit(
    client, settings, hearing_index, django_capture_on_commit_callbacks
):
    settings.HEARING_SUBSCRIBE_RATE_EMAIL = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        assert "Bekræft dit abonnement" in subscribe(client, "lise+1@example.org").content.decode()
        assert "Bekræft dit abonnement" in subscribe(client, "Lise+nyheder@Example.org").content.decode()
        refused = subscribe(client, "lise@example.org")
    html = refused.content.decode()
    assert "Der er oprettet for mange abonnementer til denne e-mailadresse. Prøv igen senere." in html
    assert 'value="lise@example.org"' in html  # the form keeps what was typed
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "lise+1@example.org",
        "lise+nyheder@example.org",
    ]
    assert [m.to for m in mail.outbox] == [["lise+1@example.org"], ["lise+nyheder@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert "Bekræft dit abonnement" in subscribe(client, "lisbeth@example.org").content.decode()
