"""Issue 11: a council's secretariat creates and runs surveys under its council page; another
council's secretariat cannot see or touch them; the council's editors may build and follow a survey
but what reaches people outside the admin (invitations, closing, publishing results, exports) is
the secretariat's, as publishing is under the approval workflow (issue 15)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.models import Access, SurveyPage, SurveyPanel, SurveyParticipation
from tests.consultations import secretariat
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.helpers import assert_refused_by_the_admin

pytestmark = pytest.mark.django_db

CSV = "navn;e-mail\nAmira Demo;amira@example.org\nBo Demo;bo@example.org\n"


@pytest.fixture
def councils(home_page):
    valby, _group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "lokaludvalg-valby")
    vesterbro, _group = secretariat.council_with_secretariat(
        home_page, "Vesterbro Lokaludvalg", "lokaludvalg-vesterbro"
    )
    return valby, vesterbro


@pytest.fixture
def roles(councils, make_roles, mfa_user):
    valby, vesterbro = councils
    people = make_roles(valby, vesterbro, "valby@kommune.example", "vesterbro@kommune.example")
    editor, _secret = mfa_user(email="redaktoer@kommune.example")
    editor.groups.add(valby.secretariat.editors)
    people["editor"] = editor
    return people


@pytest.fixture
def survey(councils, home_page):
    SurveyIndexPageFactory(parent=home_page)
    return make_survey(councils[0], access=Access.PANEL, committee_name="")


def test_a_survey_under_a_council_is_issued_by_it_and_listed_with_the_others(councils, survey, client):
    assert survey.council_id == councils[0].pk
    assert survey.issuing_body_name == "Valby Lokaludvalg"
    listing = client.get("/undersoegelser/").content.decode()
    assert "Tilfredshed med jobcentret 2026" in listing
    assert survey.url in listing


@pytest.mark.parametrize(
    ("role", "may_add"),
    [("own_secretariat", True), ("editor", True), ("other_secretariat", False), ("superuser", True)],
)
def test_who_may_create_a_survey_under_the_council(client, councils, roles, role, may_add):
    valby = councils[0]
    permissions = valby.permissions_for_user(roles[role])
    assert permissions.can_add_subpage() is may_add
    assert SurveyPage in valby.specific_class.allowed_subpage_models()
    client.force_login(roles[role])
    response = client.get(f"/admin/pages/add/consultations/surveypage/{valby.pk}/")
    if may_add:
        assert response.status_code == 200
        assert "Spørgsmål" in response.content.decode()
    else:
        assert response.status_code != 200


@pytest.mark.parametrize("role", ["anonymous", "citizen", "other_secretariat"])
def test_outsiders_are_refused_every_survey_admin_page(client, survey, roles, role):
    if role != "anonymous":
        client.force_login(roles[role])
    base = f"/admin/undersoegelser/{survey.pk}/"
    for suffix in ("", "resultater/", "inviter/", "eksport/svar.xlsx", "fritekst/"):
        assert_refused_by_the_admin(client.get(base + suffix), role, base + suffix)
    assert_refused_by_the_admin(client.post(base + "luk/"), role, base + "luk/")
    assert SurveyPage.objects.get(pk=survey.pk).closed_at is None


@pytest.mark.parametrize("role", ["own_secretariat", "superuser"])
def test_the_secretariat_runs_its_survey(client, survey, roles, role, django_capture_on_commit_callbacks):
    client.force_login(roles[role])
    base = f"/admin/undersoegelser/{survey.pk}/"
    page = client.get(base).content.decode()
    assert "Invitér et panel" in page and "Luk undersøgelsen nu" in page and "Hent svar (XLSX)" in page
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            base + "inviter/",
            {"new_panel": "Valby brugerpanel", "members": SimpleUploadedFile("panel.csv", CSV.encode())},
        )
    assert invited.status_code == 302
    assert SurveyPanel.objects.get(name="Valby brugerpanel").council == survey.council
    assert SurveyParticipation.objects.filter(survey=survey).count() == 2
    assert client.get(base + "eksport/svar.xlsx").status_code == 200
    assert client.post(base + "luk/").status_code == 302
    assert SurveyPage.objects.get(pk=survey.pk).closed_at is not None


def test_the_editor_follows_but_does_not_invite_close_or_export(client, survey, roles):
    client.force_login(roles["editor"])
    base = f"/admin/undersoegelser/{survey.pk}/"
    page = client.get(base)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Invitér et panel" not in text and "Luk undersøgelsen nu" not in text and "Hent svar" not in text
    assert "klares af sekretariatet, der godkender og udgiver den" in text
    assert client.get(base + "resultater/").status_code == 200
    refused = client.post(
        base + "inviter/",
        {"new_panel": "Redaktørens panel", "members": SimpleUploadedFile("panel.csv", CSV.encode())},
        follow=True,
    )
    assert "Det kan kun sekretariatet, der må udgive undersøgelsen" in refused.content.decode()
    for suffix in ("eksport/svar.xlsx", "fritekst/", "kopier/"):
        response = client.get(base + suffix)
        assert (response.status_code, response.url) == (302, base), suffix
    client.post(base + "luk/")
    assert not SurveyPanel.objects.exists() and not SurveyParticipation.objects.exists()
    assert SurveyPage.objects.get(pk=survey.pk).closed_at is None


def test_another_councils_panel_is_neither_shown_nor_invited(client, councils, survey, roles):
    theirs = SurveyPanel.objects.create(name="Vesterbro seniorpanel", council=councils[1])
    theirs.members.create(name="Carl Demo", email="carl@example.org")
    ours = SurveyPanel.objects.create(name="Valby ungepanel", council=councils[0])
    client.force_login(roles["own_secretariat"])
    url = f"/admin/undersoegelser/{survey.pk}/inviter/"
    form = client.get(url).content.decode()
    assert "Valby ungepanel" in form and "Vesterbro seniorpanel" not in form
    refused = client.post(url, {"panel": theirs.pk})
    assert refused.status_code == 200
    assert "Marker en gyldig valgmulighed." in refused.content.decode()
    same_name = client.post(
        url, {"new_panel": "Vesterbro seniorpanel", "members": SimpleUploadedFile("panel.csv", CSV.encode())}
    )
    assert "Navnet er i brug. Giv panelet et andet navn." in same_name.content.decode()
    assert not SurveyParticipation.objects.exists()
    assert ours.members.count() == 0
