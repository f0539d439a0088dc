"""Issue 15, what must hold 3: a response from a citizen logged in with MitID is marked
"verificeret med MitID" (and the level) for the secretariat in moderation; the public page shows
only what it showed before; without a broker nothing of MitID appears in moderation.

The MitID logins go through the real test provider (tests/oidc_provider) and allauth.
"""

import re

import pytest
from django.urls import reverse

from consultations.models import Response
from tests.consultations import secretariat
from tests.consultations.factories import ResponseFactory
from tests.consultations.test_response_form import TEXT, form_data
from tests.helpers import assert_refused_by_the_admin
from tests.oidc_provider.fixtures import CITIZEN_CLAIMS, log_in_with_mitid

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "own_secretariat", "other_secretariat", "superuser"]
EMAIL = "karen@example.org"


@pytest.fixture
def setup(home_page, make_roles):
    valby, _group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    vesterbro, _group = secretariat.council_with_secretariat(home_page, "Vesterbro Lokaludvalg", "vesterbro")
    hearing = secretariat.hearing_under(valby, title="Trafikplan for Valby", publication_rule="while_open")
    users = make_roles(valby, vesterbro, "valby@kommune.example", "vesterbro@kommune.example")
    return {"hearing": hearing, "users": users}


def squash(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def text_of(http_response, start="<main", end="</main>"):
    html = http_response.content.decode()
    if start in html:
        html = html[html.index(start) : html.index(end, html.index(start))]
    return squash(html)


def answer_as_mitid_citizen(client, provider, hearing, claims=CITIZEN_CLAIMS):
    """Log in with MitID (the broker vouches for the email), then answer the hearing."""
    provider.configure(identities={"karen": {**claims, "email": EMAIL, "email_verified": True}})
    response, _ = log_in_with_mitid(client, provider, "karen")
    assert response.status_code == 302
    sent = client.post(hearing.url, form_data(name="Karen Testesen", email=EMAIL))
    assert sent.status_code == 302, text_of(sent)
    return Response.objects.get(email=EMAIL)


def test_a_response_from_a_mitid_login_is_marked_with_the_level(client, mitid, setup):
    response = answer_as_mitid_citizen(client, mitid, setup["hearing"])
    assert response.mitid_level == "substantial"
    assert response.status == Response.Status.RECEIVED  # the broker-verified email needs no link
    assert response.mitid_label == "Verificeret med MitID (betydelig)"


def test_the_level_is_the_one_the_broker_reported_for_this_login(client, mitid, setup):
    claims = {k: v for k, v in CITIZEN_CLAIMS.items() if k != "https://data.gov.dk/concept/core/nsis/loa"}
    response = answer_as_mitid_citizen(
        client, mitid, setup["hearing"], {**claims, "acr": "urn:grn:authn:dk:mitid:high"}
    )
    assert response.mitid_level == "high"
    assert response.mitid_label == "Verificeret med MitID (høj)"


def test_a_response_after_an_email_login_is_not_marked(client, mitid, setup, user_factory):
    user = user_factory(email="ole@example.org")
    client.force_login(user)
    client.post(setup["hearing"].url, form_data(email="ole@example.org"))
    assert Response.objects.get().mitid_level == ""


def test_an_anonymous_response_is_not_marked(client, mitid, setup):
    client.post(setup["hearing"].url, form_data())
    assert Response.objects.get().mitid_level == ""


def test_the_mark_is_for_the_user_who_logged_in_with_mitid(client, mitid, setup, user_factory):
    """The session's MitID mark belongs to that user: a different login in the same browser drops it."""
    answer_as_mitid_citizen(client, mitid, setup["hearing"])
    other = user_factory(email="ole@example.org")
    client.post("/konto/logout/")
    client.post("/konto/login/", {"login": "ole@example.org", "password": "Kodeord-der-er-langt-42"})
    client.post(setup["hearing"].url, form_data(email="ole@example.org", submission_key="f" * 32))
    assert Response.objects.get(user=other).mitid_level == ""


@pytest.mark.parametrize("role", ROLES)
def test_only_the_hearings_secretariat_and_superusers_see_the_mark(client, mitid, setup, role):
    response = answer_as_mitid_citizen(client, mitid, setup["hearing"])
    response.publish()
    client.post("/konto/logout/")
    user = setup["users"][role]
    if user.is_authenticated:
        client.force_login(user)

    public = text_of(client.get(setup["hearing"].url))
    assert TEXT in public and "Karen Testesen" in public  # the response is on the page, the mark is not
    assert "MitID" not in public
    assert "erificeret" not in public

    detail_url = reverse("consultations_response:edit", args=[response.pk])
    detail = client.get(detail_url)
    listing = client.get(reverse("consultations_response:list"))
    if role in ("own_secretariat", "superuser"):
        assert detail.status_code == 200
        assert "Identitet Verificeret med MitID (betydelig)" in text_of(detail, "<dl", "</dl>")
        assert listing.status_code == 200
        rows = re.findall(r"<tr[^>]*>.*?</tr>", listing.content.decode(), flags=re.S)
        row = next(squash(row) for row in rows if "Karen Testesen" in row)
        assert "betydelig" in row
    else:
        assert_refused_by_the_admin(detail, role, detail_url)
        assert "betydelig" not in detail.content.decode()
        assert "betydelig" not in listing.content.decode()


def test_an_unverified_response_says_so_to_the_secretariat(client, mitid, setup):
    response = ResponseFactory(hearing=setup["hearing"], name="Ole Olsen")
    client.force_login(setup["users"]["own_secretariat"])
    detail = text_of(client.get(reverse("consultations_response:edit", args=[response.pk])), "<dl", "</dl>")
    assert "Identitet Ikke verificeret med MitID" in detail
    listing = client.get(reverse("consultations_response:list"))
    assert re.search(r"<th[^>]*>\s*MitID\s*</th>", listing.content.decode())


def test_without_a_broker_moderation_shows_nothing_of_mitid(client, setup):
    response = ResponseFactory(hearing=setup["hearing"], name="Ole Olsen")
    client.force_login(setup["users"]["own_secretariat"])
    detail = client.get(reverse("consultations_response:edit", args=[response.pk]))
    assert detail.status_code == 200
    assert "MitID" not in text_of(detail, "<dl", "</dl>")
    listing = client.get(reverse("consultations_response:list"))
    assert listing.status_code == 200
    assert "Ole Olsen" in listing.content.decode()
    assert not re.search(r"<th[^>]*>\s*MitID\s*</th>", listing.content.decode())
