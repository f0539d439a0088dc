"""Survey admin: who may see participation, results and exports (page editors and superusers),
panel invitations from a CSV, answered / not answered counts without names, close and publish."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import GroupPagePermission

from consultations.models import Access, SurveyPanel, SurveyParticipation
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(home_page):
    return make_survey(SurveyIndexPageFactory(parent=home_page), access=Access.PANEL)


def editor_of(page, mfa_user, email):
    user, _secret = mfa_user(email=email, is_staff=True)
    group = Group.objects.create(name=f"Redaktører {email}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=page, permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    return user


def test_only_editors_of_the_survey_page_see_its_admin(client, survey, mfa_user, user_factory):
    url = f"/admin/undersoegelser/{survey.pk}/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url == f"/konto/login/?next={url}", anonymous.url
    client.force_login(user_factory(email="borger@example.org"))
    citizen = client.get(url)  # a citizen has no admin access: sent to the two-factor gate of the admin
    assert citizen.status_code == 302 and citizen.url == "/konto/2fa/totp/activate/?next=/admin/", citizen.url
    other, _secret = mfa_user(email="anden@kommune.example", is_staff=True)
    group = Group.objects.create(name="Andet sekretariat")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    other.groups.add(group)
    client.force_login(other)
    for path in ("", "resultater/", "eksport/svar.xlsx", "inviter/", "fritekst/"):
        assert client.get(url + path).status_code == 404, path
    client.force_login(editor_of(survey, mfa_user, "egen@kommune.example"))
    assert client.get(url).status_code == 200
    assert client.get(url + "resultater/").status_code == 200


def test_invite_a_panel_from_csv_and_count_answers(staff_client, survey, django_capture_on_commit_callbacks):
    csv = "navn;e-mail\nAmira Demo;amira@example.org\nBo Demo;bo@example.org\nCem Demo;ikke-en-adresse\n"
    bad = staff_client.post(
        f"/admin/undersoegelser/{survey.pk}/inviter/",
        {"new_panel": "Brugerpanel Nord", "members": SimpleUploadedFile("panel.csv", csv.encode())},
    )
    assert bad.status_code == 200
    assert "Linje 4: e-mailadressen er ikke gyldig." in bad.content.decode()
    assert not SurveyParticipation.objects.exists()
    good = csv.replace("Cem Demo;ikke-en-adresse\n", "")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/undersoegelser/{survey.pk}/inviter/",
            {"new_panel": "Brugerpanel Nord", "members": SimpleUploadedFile("panel.csv", good.encode())},
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["amira@example.org", "bo@example.org"]
    # Inviting the panel again (one member added) invites only the new member.
    panel = SurveyPanel.objects.get(name="Brugerpanel Nord")
    with django_capture_on_commit_callbacks(execute=True):
        again = staff_client.post(
            f"/admin/undersoegelser/{survey.pk}/inviter/",
            {
                "panel": panel.pk,
                "members": SimpleUploadedFile("panel.csv", b"navn;e-mail\nDina Demo;dina@example.org\n"),
            },
        )
    assert again.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["amira@example.org", "bo@example.org", "dina@example.org"]
    assert SurveyParticipation.objects.filter(survey=survey).count() == 3
    link = next(line for line in mail.outbox[0].body.splitlines() if "/svar/" in line).strip()
    assert staff_client.get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])).status_code == 200
    SurveyParticipation.objects.filter(email="amira@example.org").update(answered=True)
    detail = staff_client.get(f"/admin/undersoegelser/{survey.pk}/").content.decode()
    assert 'id="answered-count">1<' in detail and 'id="not-answered-count">2<' in detail
    assert "amira@example.org" not in detail  # anonymous survey: counts, never names
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/undersoegelser/{survey.pk}/paamind/")
    assert sorted(m.to[0] for m in mail.outbox) == ["bo@example.org", "dina@example.org"]


def test_close_then_publish_results(staff_client, survey, client):
    assert staff_client.post(f"/admin/undersoegelser/{survey.pk}/offentliggoer/").status_code == 302
    survey.refresh_from_db()
    assert survey.results_published_at is None  # refused while open
    staff_client.post(f"/admin/undersoegelser/{survey.pk}/luk/")
    staff_client.post(f"/admin/undersoegelser/{survey.pk}/offentliggoer/")
    survey.refresh_from_db()
    assert survey.closed_at and survey.results_published_at
    assert client.get(survey.url + "resultater/").status_code == 200


def test_new_round_form_shows_its_fields_and_keeps_them_with_the_error(staff_client, survey):
    url = f"/admin/undersoegelser/{survey.pk}/kopier/"
    page = staff_client.get(url).content.decode()
    for label in ("Titel på den nye runde", "Adresse (slug)", "Åbner", "Lukker"):
        assert f">{label}</label>" in page, label
    refused = staff_client.post(
        url,
        {
            "title": "Tilfredshed 2027",
            "slug": "tilfredshed-2027",
            "opens_at": "2027-03-10T09:00",
            "closes_at": "2027-03-01T09:00",
        },
    )
    assert refused.status_code == 200
    body = refused.content.decode()
    assert '<p class="error-message" role="alert">Undersøgelsen skal lukke efter, den åbner.</p>' in body
    assert 'value="Tilfredshed 2027"' in body
    assert not survey.get_siblings().filter(slug="tilfredshed-2027").exists()
