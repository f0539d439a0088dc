"""Emails to the candidate: a receipt on submission, then the secretariat's approval or rejection.

In the language the candidate used, once per decision, logged in the election's audit log,
never with a personal number, and nothing at all to a candidate without an email address.
"""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.templatetags.dates import long_datetime
from elections.emails import NominationReceivedEmail
from elections.models import AuditLogEntry, Candidate

from . import factories

pytestmark = pytest.mark.django_db

STATEMENT = "Jeg vil arbejde for flere sprogtilbud & bedre vejledning."


@pytest.fixture
def nominating(council):
    council.secretariat_name = "Integrationsrådets sekretariat"
    council.secretariat_email = "integrationsraad@kommune.example"
    council.secretariat_phone = "33 66 33 66"
    council.save()
    return factories.nominating(council)


def submit(client, election, numbers, **overrides):
    data = {
        "name": "Samira Haddad",
        "email": "samira@example.org",
        "personal_number": numbers[0],
        "statement": STATEMENT,
        "languages": "dansk, arabisk",
        "consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("elections:nominate", args=[election.pk]), data)


def whole(message):
    """Subject, text and HTML of a sent email as one string."""
    html = "".join(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return f"{message.subject}\n{message.body}\n{html}"


def assert_no_personal_numbers(text, numbers):
    for number in numbers:
        assert number not in text
        assert number.replace("-", "") not in text


def email_log(election):
    return list(AuditLogEntry.objects.filter(election=election, action="nomination.email").order_by("pk"))


def pending(election, email="samira@example.org", language="da"):
    candidate = factories.candidate(election, "Samira Haddad", status=Candidate.Status.PENDING)
    Candidate.objects.filter(pk=candidate.pk).update(email=email, language=language)
    candidate.refresh_from_db()
    return candidate


def test_danish_receipt_without_personal_numbers(client, nominating, django_capture_on_commit_callbacks):
    election, numbers = nominating
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(client, election, numbers).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["samira@example.org"]
    assert message.subject == f"Kvittering for din kandidatanmeldelse til {election.title}"
    body = message.body
    assert "Kære Samira Haddad" in body
    assert f"Vi har modtaget din kandidatanmeldelse til {election.title}" in body
    assert "Sekretariatet gennemgår din anmeldelse" in body
    assert STATEMENT in body
    assert "Sprog du taler: dansk, arabisk" in body
    candidate = Candidate.objects.get()
    link = settings.BASE_URL.rstrip("/") + candidate.get_endorse_url()
    assert f"Send dette link til dine 2 stillere. De bekræfter selv med koden fra deres valgkort:\n{link}" in body
    assert "integrationsraad@kommune.example" in body and "33 66 33 66" in body
    html = whole(message)
    assert '<html lang="da">' in html
    assert "flere sprogtilbud &amp; bedre vejledning" in html
    assert_no_personal_numbers(whole(message), numbers[:3])
    assert Candidate.objects.get().language == "da"
    (entry,) = email_log(election)
    assert entry.data["kind"] == "received" and entry.data["language"] == "da"
    assert_no_personal_numbers(f"{entry.message} {entry.data}", numbers[:3])
    assert "samira@example.org" not in f"{entry.message} {entry.data}"


def test_english_receipt_after_switching_language(client, nominating, django_capture_on_commit_callbacks):
    election, numbers = nominating
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(client, election, numbers).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Receipt for your nomination for {election.title}"
    assert "Dear Samira Haddad" in message.body
    assert f"We have received your nomination for {election.title}" in message.body
    assert "The secretariat will review your nomination" in message.body
    assert "Kære" not in message.body and "Sekretariatet" not in message.body
    assert STATEMENT in message.body
    assert '<html lang="en">' in whole(message)
    assert_no_personal_numbers(whole(message), numbers[:3])
    assert Candidate.objects.get().language == "en"


def test_refused_nomination_sends_nothing(client, nominating, django_capture_on_commit_callbacks):
    election, numbers = nominating
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(client, election, numbers, personal_number="111111-1111").status_code == 200
    assert mail.outbox == []
    assert email_log(election) == []


def test_approval_email_once_even_on_double_click(nominating, django_user_model, django_capture_on_commit_callbacks):
    election, numbers = nominating
    user = django_user_model.objects.create_user(email="s@kommune.example")
    candidate = pending(election)
    with django_capture_on_commit_callbacks(execute=True):
        assert candidate.approve(user=user) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert candidate.approve(user=user) is False
        assert Candidate.objects.get(pk=candidate.pk).approve(user=user) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["samira@example.org"]
    assert message.subject == f"Din kandidatanmeldelse er godkendt – {election.title}"
    assert "Du kommer på stemmesedlen" in message.body
    with translation.override("da"):
        opens = long_datetime(election.voting_opens_at)  # "24. november 2026 kl. 10.00", the site's Danish
    assert f"Afstemningen åbner: {opens}" in message.body
    assert AuditLogEntry.objects.filter(election=election, action="nomination.approve").count() == 1
    assert [e.data["kind"] for e in email_log(election)] == ["approved"]
    assert_no_personal_numbers(whole(message), numbers)


def test_rejection_email_quotes_the_reason_once(nominating, django_user_model, django_capture_on_commit_callbacks):
    election, _numbers = nominating
    user = django_user_model.objects.create_user(email="s@kommune.example")
    candidate = pending(election)
    reason = "Du bor ikke i kommunen.\nSe § 3 i valgreglerne <og> bilaget."
    with django_capture_on_commit_callbacks(execute=True):
        assert candidate.reject(f"  {reason}  ", user=user) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert candidate.reject("Et andet klik", user=user) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Din kandidatanmeldelse er afvist – {election.title}"
    assert reason in message.body
    assert "Se § 3 i valgreglerne &lt;og&gt; bilaget." in whole(message)
    assert "integrationsraad@kommune.example" in message.body
    candidate.refresh_from_db()
    assert candidate.rejection_reason == reason
    assert AuditLogEntry.objects.filter(election=election, action="nomination.reject").count() == 1
    assert [e.data["kind"] for e in email_log(election)] == ["rejected"]


def test_changed_decision_is_emailed_again(nominating, django_capture_on_commit_callbacks):
    election, _numbers = nominating
    candidate = pending(election)
    with django_capture_on_commit_callbacks(execute=True):
        candidate.reject("Mangler stillere.")
        candidate.approve()
    assert [m.subject.split(" – ")[0] for m in mail.outbox] == [
        "Din kandidatanmeldelse er afvist",
        "Din kandidatanmeldelse er godkendt",
    ]


def test_decision_email_in_the_candidates_language(client, nominating, django_capture_on_commit_callbacks):
    """The secretariat works in Danish; a candidate who nominated in English gets English emails."""
    election, _numbers = nominating
    candidate = pending(election, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        candidate.reject("Ikke valgbar.")
    (message,) = mail.outbox
    assert message.subject == f"Your nomination has been rejected – {election.title}"
    assert "The secretariat’s reason:" in message.body
    assert "Ikke valgbar." in message.body


def test_no_email_without_address(nominating, django_capture_on_commit_callbacks):
    election, _numbers = nominating
    first, second = (
        pending(election, email=""),
        factories.candidate(election, "Uden Mail", status=Candidate.Status.PENDING),
    )
    with django_capture_on_commit_callbacks(execute=True):
        NominationReceivedEmail.send(first)
        assert first.approve() is True
        assert second.reject("Ikke valgbar.") is True
    assert mail.outbox == []
    assert email_log(election) == []
    statuses = dict(Candidate.objects.values_list("name", "status"))
    assert statuses == {"Samira Haddad": "approved", "Uden Mail": "rejected"}


def test_secretariat_double_click_in_admin(client, roles, nominating, django_capture_on_commit_callbacks):
    election, _numbers = nominating
    client.force_login(roles["own_secretariat"])
    candidate = pending(election)
    url = reverse("elections_admin:approve", args=[election.pk, candidate.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        response = client.post(url, follow=True)
    assert "Samira Haddad var allerede godkendt som kandidat." in response.content.decode()
    assert len(mail.outbox) == 1
    detail = client.get(reverse("elections_admin:detail", args=[election.pk])).content.decode()
    assert "Begrundelsen sendes ordret til kandidaten på e-mail." in detail  # the secretariat is told
