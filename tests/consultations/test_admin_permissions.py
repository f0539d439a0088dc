"""Must hold 5: council A's secretariat cannot list, read, export or moderate council B's responses.

Each action is tried by every role — anonymous, citizen, own secretariat, other secretariat,
superuser — through the admin listing and through typed URLs.
"""

import pytest
from django.core import mail
from django.urls import reverse

from consultations import exports
from consultations.models import HearingExport, Response
from consultations.permissions import can_manage_hearing, can_moderate_response, responses_for_user
from tests.consultations import secretariat
from tests.consultations.factories import ResponseAttachmentFactory, ResponseFactory
from tests.helpers import assert_refused_by_the_admin as assert_refused

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "own_secretariat", "other_secretariat", "superuser"]
ALLOWED = {"own_secretariat", "superuser"}


@pytest.fixture
def setup(home_page, make_roles):
    valby, _group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "valby")
    vesterbro, _group = secretariat.council_with_secretariat(home_page, "Vesterbro Lokaludvalg", "vesterbro")
    hearing = secretariat.hearing_under(valby, title="Trafikplan for Valby")
    other_hearing = secretariat.hearing_under(vesterbro, title="Vesterbros lokalplan")
    response = ResponseFactory(hearing=hearing, name="Anna Jensen", text="Flere cykelstier i Valby.")
    attachment = ResponseAttachmentFactory(response=response, original_name="anna-bilag.pdf")
    return {
        "hearing": hearing,
        "other_hearing": other_hearing,
        "response": response,
        "attachment": attachment,
        "users": make_roles(valby, vesterbro, "valby@kommune.example", "vesterbro@kommune.example"),
    }


def client_for(client, setup, role):
    user = setup["users"][role]
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_check_functions_per_role(setup, role):
    user = setup["users"][role]
    allowed = role in ALLOWED
    assert can_manage_hearing(user, setup["hearing"]) is allowed
    assert can_manage_hearing(user, setup["other_hearing"]) is (role in {"other_secretariat", "superuser"})
    assert can_moderate_response(user, setup["response"]) is allowed
    assert responses_for_user(user).filter(pk=setup["response"].pk).exists() is allowed


@pytest.mark.parametrize("role", ROLES)
def test_list(client, setup, role):
    client = client_for(client, setup, role)
    listing_url, overview_url = reverse("consultations_response:list"), reverse("consultations_admin_hearings")
    listing = client.get(listing_url)
    overview = client.get(overview_url)
    if role in ALLOWED:
        assert listing.status_code == 200
        assert "Anna Jensen" in listing.content.decode()
        assert "Trafikplan for Valby" in overview.content.decode()
    elif role == "other_secretariat":
        # The other secretariat may use the admin, but sees neither the response nor the hearing.
        assert listing.status_code == 200
        assert "Anna Jensen" not in listing.content.decode()
        assert "Trafikplan for Valby" not in overview.content.decode()
        assert "Vesterbros lokalplan" in overview.content.decode()
        filtered = client.get(reverse("consultations_response:list") + f"?hearing={setup['hearing'].pk}")
        assert "Anna Jensen" not in filtered.content.decode()
    else:
        assert_refused(listing, role, listing_url)
        assert_refused(overview, role, overview_url)
        assert "Anna Jensen" not in listing.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_read(client, setup, role):
    client = client_for(client, setup, role)
    pk = setup["response"].pk
    urls = [
        reverse("consultations_response:edit", args=[pk]),
        reverse("consultations_admin_hearing", args=[setup["hearing"].pk]),
        reverse("consultations_admin_invitations", args=[setup["hearing"].pk]),
        reverse("consultations_admin_summary", args=[setup["hearing"].pk]),
    ]
    for url in urls:
        answer = client.get(url)
        if role in ALLOWED:
            assert answer.status_code == 200, url
        else:
            assert_refused(answer, role, url)
            assert "Flere cykelstier" not in answer.content.decode()
    download_url = reverse("consultations_admin_attachment", args=[setup["attachment"].pk])
    download = client.get(download_url)
    if role in ALLOWED:
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        assert "attachment" in download["Content-Disposition"]
    else:
        assert_refused(download, role, download_url)


@pytest.mark.parametrize("role", ROLES)
def test_export(client, setup, role):
    client = client_for(client, setup, role)
    for name in ["consultations_admin_csv", "consultations_admin_xlsx", "consultations_admin_zip"]:
        url = reverse(name, args=[setup["hearing"].pk])
        answer = client.get(url)
        if role in ALLOWED:
            assert answer.status_code == 200, name
            assert "attachment" in answer["Content-Disposition"]
        else:
            assert_refused(answer, role, url)


@pytest.mark.parametrize("role", ROLES)
def test_background_export_start_and_download(client, setup, role, django_capture_on_commit_callbacks):
    """Only the hearing's own secretariat (and a superuser) may start a background export or download its file."""
    hearing = setup["hearing"]
    with django_capture_on_commit_callbacks(execute=True):
        made = exports.request_export(hearing, "csv", None)  # built by the immediate backend at commit
    client = client_for(client, setup, role)
    start_url = reverse("consultations_admin_export", args=[hearing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(start_url, {"fmt": "xlsx"})
    started = HearingExport.objects.filter(hearing=hearing, fmt="xlsx")
    download_url = reverse("consultations_admin_export_download", args=[made.pk])
    download = client.get(download_url)
    if role in ALLOWED:
        assert answer.status_code == 302 and started.get().status == "done"
        assert download.status_code == 200
        assert "Flere cykelstier i Valby." in b"".join(download.streaming_content).decode("utf-8")
        assert {"private", "no-store"} <= {d.strip() for d in download["Cache-Control"].split(",")}
    else:
        assert_refused(answer, role, start_url)
        assert not started.exists()
        assert_refused(download, role, download_url)


@pytest.mark.parametrize("role", ROLES)
def test_moderate_publish(client, setup, role):
    client = client_for(client, setup, role)
    response = setup["response"]
    url = reverse("consultations_admin_response_publish", args=[response.pk])
    answer = client.post(url)
    response.refresh_from_db()
    if role in ALLOWED:
        assert response.status == Response.Status.PUBLISHED
    else:
        assert_refused(answer, role, url)
        assert response.status == Response.Status.RECEIVED


@pytest.mark.parametrize("role", ROLES)
def test_moderate_withhold(client, setup, role, django_capture_on_commit_callbacks):
    client = client_for(client, setup, role)
    response = setup["response"]
    url = reverse("consultations_admin_response_withhold", args=[response.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"reason": "Indeholder CPR-nummer."})
    response.refresh_from_db()
    if role in ALLOWED:
        assert response.status == Response.Status.WITHHELD
        assert [m.to for m in mail.outbox] == [[response.email]]
    else:
        assert_refused(answer, role, url)
        assert response.status == Response.Status.RECEIVED
        assert mail.outbox == []


@pytest.mark.parametrize("role", ROLES)
def test_moderate_redact_and_summarise(client, setup, role):
    client = client_for(client, setup, role)
    response = setup["response"]
    url = reverse("consultations_response:edit", args=[response.pk])
    answer = client.post(
        url,
        {"redacted_text": "Flere cykelstier.", "summary": "Ønsker cykelstier.", "administration_comment": "Indgår."},
    )
    response.refresh_from_db()
    if role in ALLOWED:
        assert answer.status_code == 302
        assert response.redacted_text == "Flere cykelstier."
        assert response.text == "Flere cykelstier i Valby."
    else:
        assert_refused(answer, role, url)
        assert response.redacted_text == ""


@pytest.mark.parametrize("role", ROLES)
def test_moderate_bulk(client, setup, role):
    client = client_for(client, setup, role)
    response = setup["response"]
    url = reverse("wagtail_bulk_action", args=["consultations", "response", "publish"]) + f"?id={response.pk}"
    page = client.get(url)
    answer = client.post(url)
    response.refresh_from_db()
    if role in ALLOWED:
        assert "Anna Jensen" in page.content.decode()
        assert response.status == Response.Status.PUBLISHED
    else:
        assert "Anna Jensen" not in page.content.decode()
        assert response.status == Response.Status.RECEIVED
    if role in ("anonymous", "citizen"):
        assert_refused(answer, role, url)


CONFIRMATIONS = {  # action: (title, sentence above the list, button)
    "publish": (
        "Offentliggør høringssvar",
        "Disse svar offentliggøres på høringens side (efter høringens regel for offentliggørelse):",
        '<button type="submit" class="button ">Ja, offentliggør</button>',
    ),
    "withhold": (
        "Offentliggør ikke høringssvar",
        "Disse svar vises ikke på hjemmesiden. Afsenderne får begrundelsen på e-mail:",
        '<button type="submit" class="button ">Offentliggør ikke</button>',
    ),
    "delete": (
        "Slet høringssvar",
        "Disse svar og deres bilag slettes permanent:",
        '<button type="submit" class="button serious">Ja, slet</button>',
    ),
}


@pytest.mark.parametrize("action", CONFIRMATIONS)
@pytest.mark.parametrize("role", ["own_secretariat", "superuser"])
def test_bulk_confirmation_pages(client, setup, role, action):
    """Each bulk action asks with its own title, sentence and button; deleting is for superusers, so
    the secretariat is told so and gets no button."""
    client = client_for(client, setup, role)
    response = setup["response"]
    url = reverse("wagtail_bulk_action", args=["consultations", "response", action]) + f"?id={response.pk}"
    page = client.get(url).content.decode()
    title, sentence, button = CONFIRMATIONS[action]
    assert f"<title>{title}" in page and f"{title}\n" in page
    if action == "delete" and role == "own_secretariat":
        assert "Kun administratorer kan slette høringssvar." in page
        assert sentence not in page and button not in page and "Anna Jensen" not in page
        assert ">Gå tilbage</a>" in page and "Go back" not in page  # Wagtail's own link, in Danish
        return
    assert f"<p>{sentence}</p>" in page and button in page and "Anna Jensen" in page
    assert ">Nej, fortryd</a>" in page
    assert ('name="reason"' in page) is (action == "withhold")
    assert "Ingen af de valgte svar kan modereres af dig." not in page


@pytest.mark.parametrize("action", ["publish", "withhold"])
def test_moderation_confirmation_for_another_councils_response_says_so(client, setup, action):
    """The moderation actions share their icon and their sentence for a selection the user may not moderate."""
    client = client_for(client, setup, "other_secretariat")
    url = reverse("wagtail_bulk_action", args=["consultations", "response", action]) + f"?id={setup['response'].pk}"
    page = client.get(url).content.decode()
    assert "<p>Ingen af de valgte svar kan modereres af dig.</p>" in page
    assert "Anna Jensen" not in page and CONFIRMATIONS[action][2] not in page
    assert 'href="#icon-comment"' in page


@pytest.mark.parametrize("role", ROLES)
def test_delete_is_for_superusers_only(client, setup, role):
    client = client_for(client, setup, role)
    response = setup["response"]
    client.post(reverse("consultations_response:delete", args=[response.pk]))
    assert Response.objects.filter(pk=response.pk).exists() is (role != "superuser")


@pytest.mark.parametrize("role", ["own_secretariat", "superuser"])
def test_the_hearing_admin_button_on_the_page_listing_and_header(client, setup, role):
    """»Svar, invitationer og notat« links to the hearing's admin where its page is listed or
    edited, and is on no page of another type (the council page listed beside it has none)."""
    client = client_for(client, setup, role)
    hearing = setup["hearing"]
    council = hearing.get_parent()
    listing = client.get(reverse("wagtailadmin_explore", args=[council.pk])).content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[hearing.pk])).content.decode()
    council_listing = client.get(reverse("wagtailadmin_explore", args=[council.get_parent().pk])).content.decode()
    council_edit = client.get(reverse("wagtailadmin_pages:edit", args=[council.pk])).content.decode()
    assert f'href="{reverse("consultations_admin_hearing", args=[hearing.pk])}"' in listing
    assert f'href="{reverse("consultations_admin_hearing", args=[hearing.pk])}"' in edit
    assert f'href="{reverse("consultations_admin_hearing", args=[council.pk])}"' not in council_listing + council_edit


def test_the_other_secretariat_is_refused_the_hearing_page_in_the_admin(client, setup):
    client = client_for(client, setup, "other_secretariat")
    hearing = setup["hearing"]
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[hearing.pk]))
    assert reverse("consultations_admin_hearing", args=[hearing.pk]) not in edit.content.decode()
    assert edit.status_code == 302
