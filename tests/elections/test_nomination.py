"""Public nomination form: roll checks by HMAC, endorsers, photo by content, rate limit; decisions."""

import io
import re
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
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


def issue(voter):
    return voter.issue_poll_card()


def endorse(client, candidate, voter=None, code=None, birth="17-05-1980", **extra):
    code = code if code is not None else issue(voter)
    return client.post(candidate.get_endorse_url(), {"code": code, "birth_date": birth}, **extra)


def voters_of(election):
    return list(election.voters.order_by("card_number"))


def test_valid_nomination_stores_keys_only(client, nominating):
    election, numbers = nominating
    response = submit(client, election, personal_number=numbers[0], photo=png())
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.status == Candidate.Status.PENDING
    assert candidate.voter_key == crypto.voter_key(numbers[0])
    assert candidate.photo.name.endswith(".png")
    assert AuditLogEntry.objects.filter(action="nomination.submit").exists()

    done = client.get(response["Location"]).content.decode()
    assert candidate.get_endorse_url() in done
    voters = voters_of(election)
    for voter in voters[1:3]:
        answer = endorse(Client(), candidate, voter)
        assert "Tak – du er nu stiller for <bdi>Samira Haddad</bdi>" in answer.content.decode()
    assert set(Endorsement.objects.values_list("voter_key", flat=True)) == {
        crypto.voter_key(numbers[1]),
        crypto.voter_key(numbers[2]),
    }
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            text = repr(cursor.fetchall())
            for number in numbers[:3]:
                assert number not in text and number.replace("-", "") not in text, table


def test_problems_are_reported_and_typed_values_kept(client, nominating):
    election, _numbers = nominating
    response = submit(client, election, personal_number="111111-1111")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Du står ikke på valglisten" in html
    assert 'value="Samira Haddad"' in html
    assert Candidate.objects.count() == 0


def test_the_form_takes_no_other_persons_numbers(client, nominating):
    """Issue 10: the old form answered line by line which of 5,000 pasted numbers were on the roll.
    Now a pasted list is not read at all: the answer is the same for numbers on and off the roll,
    and no endorsement is stored from it."""
    election, numbers = nominating
    on_roll = "\n".join(numbers[1:])
    off_roll = "\n".join(f"0101{year:02d}-{serial:04d}" for year in range(50) for serial in range(100))
    first = submit(client, election, personal_number="111111-1111", endorsers=on_roll).content.decode()
    second = submit(client, election, personal_number="111111-1111", endorsers=off_roll).content.decode()
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(first) == strip(second)
    assert "Stiller" not in first
    assert submit(client, election, personal_number=numbers[0], endorsers=on_roll).status_code == 302
    assert not Endorsement.objects.exists()


def test_every_failed_confirmation_gets_one_answer(client, nominating):
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0])
    candidate = Candidate.objects.get()
    voters = voters_of(election)
    message = "Vi kunne ikke bekræfte dig som stiller. Tjek koden og fødselsdatoen fra dit valgkort."
    wrong_code = endorse(client, candidate, code="ABCD-EFGH-JKLM")
    issued = issue(voters[1])
    wrong_birth = endorse(client, candidate, code=issued, birth="18-05-1980")
    malformed = endorse(client, candidate, code="x")
    for answer in (wrong_code, wrong_birth, malformed):
        assert answer.status_code == 200
        assert message in answer.content.decode()
    assert not Endorsement.objects.exists()


def test_self_endorsement_and_the_cap_at_what_the_election_needs(client, nominating):
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0])
    candidate = Candidate.objects.get()
    voters = voters_of(election)
    assert "Du kan ikke være stiller for dig selv." in endorse(client, candidate, voters[0]).content.decode()
    endorse(client, candidate, voters[1])
    assert "Du er allerede stiller for en kandidat" in endorse(client, candidate, voters[1]).content.decode()
    endorse(client, candidate, voters[2])
    third = endorse(client, candidate, voters[3]).content.decode()
    assert "Kandidaten har allerede de stillere, der skal til." in third
    assert candidate.endorsements.count() == election.endorsers_required == 2


def test_endorse_once(client, nominating):
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0])
    submit(client, election, name="Anden", personal_number=numbers[1])
    first, other = Candidate.objects.order_by("pk")
    voters = voters_of(election)
    endorse(client, first, voters[2])
    html = endorse(client, other, voters[2]).content.decode()
    assert "Du er allerede stiller for en kandidat ved dette valg." in html
    type(election).objects.filter(pk=election.pk).update(endorse_once=False)
    assert "Tak – du er nu stiller" in endorse(client, other, voters[2]).content.decode()
    assert Endorsement.objects.count() == 2


def test_failures_are_limited_per_nomination_whatever_the_address(client, nominating, settings):
    """Rotating addresses does not help: wrong poll cards on one nomination are counted for it."""
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0])
    candidate = Candidate.objects.get()
    for attempt in range(31):
        endorse(Client(), candidate, code="ABCD-EFGH-JKLM", REMOTE_ADDR=f"198.51.100.{attempt}")
    assert endorse(Client(), candidate, code="ABCD-EFGH-JKLM", REMOTE_ADDR="203.0.113.9").status_code == 429


def test_failures_are_limited_per_client(client, nominating):
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0])
    submit(client, election, name="Anden", personal_number=numbers[1])
    first, other = Candidate.objects.order_by("pk")
    for _ in range(21):
        endorse(client, first, code="ABCD-EFGH-JKLM")
    assert endorse(client, other, code="ABCD-EFGH-JKLM").status_code == 429
    voters = voters_of(election)
    elsewhere = endorse(Client(), other, voters[3], REMOTE_ADDR="203.0.113.9")
    assert "Tak – du er nu stiller" in elsewhere.content.decode()


def test_same_candidate_twice_is_refused(client, nominating):
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0])
    html = submit(client, election, personal_number=numbers[0]).content.decode()
    assert "allerede anmeldt" in html
    assert Candidate.objects.count() == 1


def test_photo_is_checked_by_content(client, nominating):
    election, numbers = nominating
    fake = SimpleUploadedFile("mig.png", b"<?php echo 'not an image'; ?>", content_type="image/png")
    html = submit(client, election, personal_number=numbers[0], photo=fake).content.decode()
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
    with pytest.raises(ElectionError, match="Skriv en begrundelse for afvisningen"):
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
    submit(client, election, personal_number=numbers[0], photo=png())
    candidate = Candidate.objects.get()
    url = reverse("elections:candidate_photo", args=[candidate.pk])
    assert client.get(url).status_code == 404
    candidate.approve()
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Samira\r\nHaddad", "Skriv det på én linje uden linjeskift."),
        ("name", "Samira \u202edaddaH", "usynlige tegn, der vender skriftretningen"),
        ("languages", "dansk\narabisk", "Skriv det på én linje uden linjeskift."),
        ("languages", "dansk \u2067عربي\u2069", "usynlige tegn, der vender skriftretningen"),
    ],
)
def test_line_breaks_and_bidi_controls_in_names_are_refused(client, nominating, field, value, message):
    """Issue 10: a name with U+202E showed reversed on the ballot; CR/LF went into emails and the CSV."""
    election, numbers = nominating
    response = submit(client, election, personal_number=numbers[0], **{field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert value.replace("\r\n", "\n") in html.replace("\r\n", "\n"), "what was typed is shown again"
    assert Candidate.objects.count() == 0


def test_a_personal_number_in_other_digits_gets_its_own_message(client, nominating):
    """»١٠٠١٩٠-١٢٣٤« is ten digits, but not 0-9: it was hashed as it stood and answered »not on the roll«."""
    election, numbers = nominating
    arabic = numbers[0].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    html = submit(client, election, personal_number=arabic).content.decode()
    assert "Skriv personnummeret med cifrene 0-9, fx 010190-1234." in html
    assert "Du står ikke på valglisten" not in html
    assert Candidate.objects.count() == 0


def test_a_name_typed_in_nfd_is_stored_in_nfc(client, nominating):
    election, numbers = nominating
    submit(client, election, personal_number=numbers[0], name=unicodedata.normalize("NFD", "Åse Café"))
    assert Candidate.objects.get().name == "Åse Café"
