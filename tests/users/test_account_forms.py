"""Bad input on every account form: an error summary at the top, the field's own error, and what
was typed is kept.

Passwords are never echoed back into the page (Django's PasswordInput renders empty after a
failed submit). That is standard practice: a password must not travel back in the HTML, where
it could end up in the browser cache or a proxy log. Everything else the person typed is kept.
"""

import re

import pytest

from tests.helpers import totp_code

SUMMARY = "Der er problemer med det, du har udfyldt"
PASSWORD = "Kodeord-der-er-langt-42"


def main_html(response):
    html = response.content.decode()
    return html[html.index('<main id="main-content"') : html.index("</main>")]


def assert_error_page(response, *messages, field_errors=()):
    """Status 200 (form shown again), the summary at the top of its form, every message visible."""
    assert response.status_code == 200
    html = main_html(response)
    assert html.count(SUMMARY) == 1
    summary_at = html.index('class="alert alert-error error-summary')
    form_start = html.rindex("<form", 0, summary_at)
    before_summary = html[form_start:summary_at]
    assert all('type="hidden"' in tag for tag in re.findall(r"<input[^>]*>", before_summary))
    assert "form-group" not in before_summary and "<img" not in before_summary, "summary must open the form"
    for message in messages:
        assert message in html, message
    for field_id in field_errors:
        assert f'id="{field_id}_error"' in html, field_id
        assert re.search(rf'<a class="function-link" href="#{field_id}">', html), f"summary links to #{field_id}"
        assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field_id}"', html)
    return html


def input_value(html, field_id):
    tag = re.search(rf"<input[^>]*id=\"{field_id}\"[^>]*>", html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


@pytest.fixture
def logged_in(client, home_page, user_factory):
    user = user_factory(email="anna@example.org", password=PASSWORD)
    client.force_login(user)
    return user


# --- Signup ---------------------------------------------------------------------------------


def test_signup_empty(client, home_page):
    response = client.post("/konto/signup/", {"email": "", "password1": "", "password2": ""})
    assert_error_page(response, "Dette felt er påkrævet.", field_errors=["id_email", "id_password1"])


def test_signup_malformed_email_keeps_what_was_typed(client, home_page):
    response = client.post("/konto/signup/", {"email": "anna@", "password1": PASSWORD, "password2": PASSWORD})
    html = assert_error_page(response, "Indtast en gyldig e-mail-adresse.", field_errors=["id_email"])
    assert input_value(html, "id_email") == "anna@"
    assert input_value(html, "id_password1") == ""  # passwords are not echoed back


def test_signup_weak_password(client, home_page):
    response = client.post("/konto/signup/", {"email": "anna@example.org", "password1": "1234", "password2": "1234"})
    html = assert_error_page(
        response,
        "Denne adgangskode er for kort. Den skal indeholde mindst 8 tegn.",
        "Denne adgangskode er for almindelig.",
        field_errors=["id_password1"],
    )
    assert input_value(html, "id_email") == "anna@example.org"


def test_signup_passwords_that_differ(client, home_page):
    response = client.post(
        "/konto/signup/", {"email": "anna@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    html = assert_error_page(response, "Du skal skrive den samme adgangskode hver gang.", field_errors=["id_password2"])
    assert input_value(html, "id_email") == "anna@example.org"


# --- Login ----------------------------------------------------------------------------------


def test_login_empty(client, home_page):
    response = client.post("/konto/login/", {"login": "", "password": ""})
    assert_error_page(response, "Dette felt er påkrævet.", field_errors=["id_login", "id_password"])


def test_login_malformed_email(client, home_page):
    response = client.post("/konto/login/", {"login": "anna.example.org", "password": PASSWORD})
    html = assert_error_page(response, "Indtast en gyldig e-mail-adresse.", field_errors=["id_login"])
    assert input_value(html, "id_login") == "anna.example.org"


def test_login_wrong_password(client, home_page, user_factory):
    user_factory(email="anna@example.org", password=PASSWORD)
    response = client.post("/konto/login/", {"login": "anna@example.org", "password": "forkert-kode-99"})
    html = assert_error_page(response, "Den angivne e-mailadresse og/eller adgangskode er ikke korrekt.")
    assert input_value(html, "id_login") == "anna@example.org"


# --- Password reset -------------------------------------------------------------------------


def test_password_reset_empty(client, home_page):
    response = client.post("/konto/password/reset/", {"email": ""})
    assert_error_page(response, "Dette felt er påkrævet.", field_errors=["id_email"])


def test_password_reset_malformed_email(client, home_page):
    response = client.post("/konto/password/reset/", {"email": "anna(at)example.org"})
    html = assert_error_page(response, "Indtast en gyldig e-mail-adresse.", field_errors=["id_email"])
    assert input_value(html, "id_email") == "anna(at)example.org"


def test_password_reset_sets_a_new_password_with_the_same_rules(client, home_page, user_factory):
    from django.core import mail

    user = user_factory(email="anna@example.org", password=PASSWORD)
    response = client.post("/konto/password/reset/", {"email": "anna@example.org"})
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]  # allauth moves the key out of the URL first
    response = client.post(form_url, {"password1": "1234", "password2": "1234"})
    assert_error_page(response, "Denne adgangskode er for kort.", field_errors=["id_password1"])
    user.refresh_from_db()
    assert user.check_password(PASSWORD), "a refused new password changes nothing"

    new_password = "Nyt-kodeord-til-Anna-2027"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == "/konto/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert not user.check_password(PASSWORD)
    client.logout()
    old = client.post("/konto/login/", {"login": "anna@example.org", "password": PASSWORD})
    assert_error_page(old, "Den angivne e-mailadresse og/eller adgangskode er ikke korrekt.")
    new = client.post("/konto/login/", {"login": "anna@example.org", "password": new_password})
    assert new.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


# --- Password change ------------------------------------------------------------------------


def test_password_change_empty(client, logged_in):
    response = client.post("/konto/password/change/", {"oldpassword": "", "password1": "", "password2": ""})
    assert_error_page(response, "Dette felt er påkrævet.", field_errors=["id_oldpassword", "id_password1"])


def test_password_change_wrong_current_and_weak_new(client, logged_in):
    response = client.post(
        "/konto/password/change/", {"oldpassword": "forkert-kode-99", "password1": "abc", "password2": "abc"}
    )
    assert_error_page(
        response,
        "Indtast din nuværende adgangskode.",
        "Denne adgangskode er for kort.",
        field_errors=["id_oldpassword", "id_password1"],
    )
    logged_in.refresh_from_db()
    assert logged_in.check_password(PASSWORD)  # nothing changed


# --- Email add ------------------------------------------------------------------------------


def test_email_add_empty(client, logged_in):
    response = client.post("/konto/email/", {"action_add": "", "email": ""})
    assert_error_page(response, "Dette felt er påkrævet.", field_errors=["id_email"])


def test_email_add_malformed_keeps_what_was_typed(client, logged_in):
    response = client.post("/konto/email/", {"action_add": "", "email": "anna@@example"})
    html = assert_error_page(response, "Indtast en gyldig e-mail-adresse.", field_errors=["id_email"])
    assert input_value(html, "id_email") == "anna@@example"
    assert logged_in.emailaddress_set.count() == 1


def test_email_add_taken_by_the_account_itself(client, logged_in):
    response = client.post("/konto/email/", {"action_add": "", "email": "anna@example.org"})
    html = assert_error_page(
        response, "Denne e-mailadresse er allerede knyttet til denne konto.", field_errors=["id_email"]
    )
    assert input_value(html, "id_email") == "anna@example.org"


# --- TOTP activation ------------------------------------------------------------------------


def reauthenticate(client):
    response = client.post("/konto/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def test_totp_activation_empty(client, logged_in):
    reauthenticate(client)
    response = client.post("/konto/2fa/totp/activate/", {"code": ""})
    assert_error_page(response, "Dette felt er påkrævet.", field_errors=["id_code"])


def test_totp_activation_wrong_code_keeps_it_and_the_secret(client, logged_in):
    reauthenticate(client)
    secret = input_value(main_html(client.get("/konto/2fa/totp/activate/")), "authenticator_secret")
    response = client.post("/konto/2fa/totp/activate/", {"code": "123456"})
    html = assert_error_page(response, "Koden er forkert.", field_errors=["id_code"])
    assert input_value(html, "id_code") == "123456"
    assert input_value(html, "authenticator_secret") == secret  # the QR code stays the same
    assert not logged_in.has_mfa

    response = client.post("/konto/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert logged_in.has_mfa


def test_totp_login_wrong_code(client, home_page, mfa_user):
    user, _secret = mfa_user(email="bo@example.org")
    client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    response = client.post("/konto/2fa/authenticate/", {"code": "000000"})
    html = assert_error_page(response, "Koden er forkert.", field_errors=["id_code"])
    assert input_value(html, "id_code") == "000000"


def test_the_totp_qr_code_is_inline_svg_not_a_data_image(client, logged_in):
    """The site's policy allows no data: images (img-src 'self'): the QR code is in the page as SVG."""
    reauthenticate(client)
    html = main_html(client.get("/konto/2fa/totp/activate/"))
    assert "data:image" not in html
    qr = re.search(
        r'<p class="mfa-qr" role="img" aria-label="QR-kode til godkendelsesappen"><svg [^>]*>(.*?)</svg>', html
    )
    assert qr is not None, html
    assert qr.group(1).startswith('<path d="M') and len(qr.group(1)) > 1000, "the code is drawn"
