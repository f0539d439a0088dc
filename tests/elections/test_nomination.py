"""Public nomination form: roll checks by HMAC, endorsers, photo by content, rate limit; decisions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from elections import crypto
from elections.models import AuditLogEntry, Candidate, ElectionError, Endorsement

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def nominating(council):
    return factories.nominating(council)


def png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "PNG")
    return SimpleUploadedFile("mig.png", out.getvalue(), content_type="image/png")


def submit(client, election, **overrides):
    data = {
        "name": "Samira Haddad",
        "email": "samira@example.org",
        "personal_number": "",
        "statement": "Jeg vil arbejde for flere sprogtilbud.",
        "languages": "dansk, arabisk",
        "endorsers": "",
        "consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("elections:nominate", args=[election.pk]), data)


def test_valid_nomination_stores_keys_only(client, nominating):
    election, numbers = nominating
    response = submit(
        client, election, personal_number=numbers[0], endorsers=f"{numbers[1]}\n{numbers[2]}", photo=png()
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.status == Candidate.Status.PENDING
    assert candidate.voter_key == crypto.voter_key(numbers[0])
    assert set(Endorsement.objects.values_list("voter_key", flat=True)) == {
        crypto.voter_key(numbers[1]),
        crypto.voter_key(numbers[2]),
    }
    assert candidate.photo.name.endswith(".png")
    assert AuditLogEntry.objects.filter(action="nomination.submit").exists()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            text = repr(cursor.fetchall())
            for number in numbers[:3]:
                assert number not in text and number.replace("-", "") not in text, table


def test_problems_are_reported_and_typed_values_kept(client, nominating):
    election, numbers = nominating
    response = submit(client, election, personal_number="111111-1111", endorsers=f"{numbers[1]}\n12")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Du står ikke på valglisten" in html
    assert "Stiller 2: personnummeret skal have 10 cifre." in html
    assert 'value="Samira Haddad"' in html
    assert Candidate.objects.count() == 0


def test_too_few_endorsers_and_self_endorsement(client, nominating):
    election, numbers = nominating
    html = submit(client, election, personal_number=numbers[0], endorsers=numbers[1]).content.decode()
    assert "Der skal være 2 stillere" in html
    html = submit(
        client, election, personal_number=numbers[0], endorsers=f"{numbers[0]}\n{numbers[1]}"
    ).content.decode()
    assert "Du kan ikke være stiller for dig selv." in html
    assert Candidate.objects.count() == 0


def test_endorse_once(client, nominating):
    election, numbers = nominating
    assert (
        submit(client, election, personal_number=numbers[0], endorsers=f"{numbers[2]}\n{numbers[3]}").status_code == 302
    )
    html = submit(
        client, election, name="Anden", personal_number=numbers[1], endorsers=f"{numbers[2]}\n{numbers[4]}"
    ).content.decode()
    assert "Stiller 1 er allerede stiller for en anden kandidat." in html
    type(election).objects.filter(pk=election.pk).update(endorse_once=False)
    election.refresh_from_db()
    assert (
        submit(
            client, election, name="Anden", personal_number=numbers[1], endorsers=f"{numbers[2]}\n{numbers[4]}"
        ).status_code
        == 302
    )
    assert Candidate.objects.count() == 2


def test_same_candidate_twice_is_refused(client, nominating):
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0], endorsers=f"{numbers[2]}\n{numbers[3]}")
    html = submit(
        client, election, personal_number=numbers[0], endorsers=f"{numbers[4]}\n{numbers[5]}"
    ).content.decode()
    assert "allerede anmeldt" in html
    assert Candidate.objects.count() == 1


def test_photo_is_checked_by_content(client, nominating):
    election, numbers = nominating
    fake = SimpleUploadedFile("mig.png", b"<?php echo 'not an image'; ?>", content_type="image/png")
    html = submit(
        client, election, personal_number=numbers[0], endorsers=f"{numbers[1]}\n{numbers[2]}", photo=fake
    ).content.decode()
    assert "ikke et billede" in html
    assert Candidate.objects.count() == 0


def test_rate_limit(client, nominating):
    election, _numbers = nominating
    for _ in range(10):
        assert submit(client, election).status_code == 200
    assert submit(client, election).status_code == 429


def test_form_closed_outside_the_period(client, election):
    response = client.get(reverse("elections:nominate", args=[election.pk]))
    assert "Kandidatanmeldelsen er ikke åben" in response.content.decode()
    assert submit(client, election).status_code == 200
    assert Candidate.objects.count() == 0


def test_approve_and_reject_with_reason(nominating, django_user_model):
    election, _numbers = nominating
    user = django_user_model.objects.create_user(email="s@kommune.example")
    candidate = factories.candidate(election, "Kandidat", status=Candidate.Status.PENDING)
    with pytest.raises(ElectionError):
        candidate.reject("  ", user=user)
    candidate.reject("Bor ikke i kommunen.", user=user)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.rejection_reason, candidate.decided_by) == (
        "rejected",
        "Bor ikke i kommunen.",
        user,
    )
    candidate.approve(user=user)
    assert Candidate.objects.get().status == "approved"
    actions = list(AuditLogEntry.objects.values_list("action", flat=True))
    assert "nomination.reject" in actions and "nomination.approve" in actions


def test_unapproved_photo_is_private(client, nominating):
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0], endorsers=f"{numbers[1]}\n{numbers[2]}", photo=png())
    candidate = Candidate.objects.get()
    url = reverse("elections:candidate_photo", args=[candidate.pk])
    assert client.get(url).status_code == 404
    candidate.approve()
    assert client.get(url).status_code == 200
