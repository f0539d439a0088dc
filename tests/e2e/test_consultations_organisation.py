"""Issue 4, what must hold 2: someone answers on behalf of a party from the hearing list and
confirms; the secretariat's invitation overview in the admin then shows that party as replied.
axe finds nothing on the public pages.

The organisation fields sit under »På vegne af en organisation« and are folded away by DKFDS' radio
toggle while »Privatperson« is chosen; without JavaScript they are always shown."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consultations.models import Response
from tests.consultations import secretariat
from tests.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"


@pytest.fixture
def employment_hearing(home_page):
    council, group = secretariat.council_with_secretariat(home_page, "Beskæftigelsesrådet", "beskaeftigelsesraadet")
    parties = secretariat.hearing_list(
        "Høringsliste: beskæftigelse",
        [("Dansk Arbejdsgiverforening", "da@example.org"), ("LO Hovedstaden", "lo@example.org")],
        council=council,
    )
    hearing = secretariat.hearing_under(
        council, title="Beskæftigelsesplan 2027", slug="beskaeftigelsesplan-2027", committee_name=""
    )
    hearing.hearing_lists.set([parties])
    hearing.save()
    hearing.save_revision().publish()
    return hearing, group


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_party_responds_and_the_invitation_overview_shows_it_replied(page, check_a11y, employment_hearing, mfa_user):
    hearing, group = employment_hearing
    invited = sorted(m.to[0] for m in mail.outbox)
    assert invited == ["da@example.org", "lo@example.org"]
    mail.outbox.clear()

    page.goto(hearing.url)
    check_a11y(page)
    page.get_by_label("Navn", exact=True).fill("Karen Holm")
    page.get_by_label("E-mail", exact=True).fill("karen.holm@lo.example")
    page.get_by_label("Postnummer").fill("2500")
    page.get_by_label("På vegne af en organisation").check()
    page.get_by_label("Forening/organisation").check()
    page.get_by_role("combobox", name="Eller vælg organisationen fra høringslisten").select_option(
        label="LO Hovedstaden"
    )
    page.get_by_label("Dit høringssvar").fill("LO Hovedstaden støtter planen, men ønsker flere lærepladser.")
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    check_a11y(page)

    link = re.search(r"https?://\S+/hoeringer/svar/bekraeft/\S+/", mail.outbox[0].body).group(0)
    page.goto(path_of(link))
    check_a11y(page)
    page.get_by_role("button", name="Bekræft mit høringssvar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit høringssvar er modtaget")
    check_a11y(page)
    response = Response.objects.get()
    assert response.party.name == "LO Hovedstaden"
    assert response.status == Response.Status.RECEIVED

    # The secretariat of the council opens the invitation overview in the admin.
    user, secret = mfa_user(email="lbr@kommune.example")
    secretariat.join(user, group)
    page.context.clear_cookies()
    login_with_mfa(page, "lbr@kommune.example", PASSWORD, secret)
    page.wait_for_url(lambda url: "/konto/" not in url)  # the TOTP step is done
    page.goto("/admin/")
    page.get_by_role("link", name="Høringer (sekretariat)").click()
    page.get_by_role("link", name="Beskæftigelsesplan 2027").click()
    page.get_by_role("link", name="Invitationer og svar fra høringsparter").click()

    overview = page.locator("#invitation-overview")
    lo_row = overview.get_by_role("row").filter(has_text="LO Hovedstaden")
    da_row = overview.get_by_role("row").filter(has_text="Dansk Arbejdsgiverforening")
    expect(lo_row.locator("td.replied")).to_contain_text("Svaret")
    expect(da_row.locator("td.replied")).to_have_text("Ikke svaret")
    expect(page.get_by_role("main")).to_contain_text("1 af 2 høringsparter har svaret.")


def organisation_fields(page):
    return page.locator("#organisation-fields")


def test_organisation_fields_show_only_for_an_organisation(page, check_a11y, employment_hearing):
    hearing, _group = employment_hearing
    page.goto(hearing.url)
    name_field = page.get_by_label("Organisationens navn")
    party_field = page.get_by_role("combobox", name="Eller vælg organisationen fra høringslisten")
    organisation = page.get_by_label("På vegne af en organisation")

    # A private person (the default) does not see them.
    expect(page.get_by_label("Privatperson")).to_be_checked()
    expect(name_field).to_be_hidden()
    expect(party_field).to_be_hidden()
    expect(page.get_by_label("Myndighed")).to_be_hidden()
    expect(organisation_fields(page)).to_have_attribute("aria-hidden", "true")
    expect(organisation).to_have_attribute("aria-controls", "organisation-fields")
    check_a11y(page)

    # Choosing »on behalf of an organisation« shows them.
    organisation.check()
    expect(name_field).to_be_visible()
    expect(party_field).to_be_visible()
    expect(page.get_by_role("group", name="Hvilken slags organisation?")).to_be_visible()
    expect(organisation_fields(page)).to_have_attribute("aria-hidden", "false")
    expect(organisation).to_have_attribute("data-expanded", "true")
    check_a11y(page)

    # And back again.
    page.get_by_label("Privatperson").check()
    expect(name_field).to_be_hidden()


def test_a_refused_organisation_response_shows_the_fields_again_with_what_was_typed(
    page, check_a11y, employment_hearing
):
    hearing, _group = employment_hearing
    page.goto(hearing.url)
    page.get_by_label("Navn", exact=True).fill("Karen Holm")
    page.get_by_label("E-mail", exact=True).fill("karen.holm@example.org")
    page.get_by_label("Postnummer").fill("2500")
    page.get_by_label("På vegne af en organisation").check()
    page.get_by_label("Organisationens navn").fill("Valby Boldklub")
    # No kind of organisation and no text: refused.
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send høringssvar").click()

    summary = page.get_by_role("alert").filter(has_text="Der er problemer med det, du har udfyldt")
    expect(summary).to_contain_text("Vælg, hvilken slags organisation du svarer på vegne af.")
    expect(summary).to_contain_text("Skriv dit høringssvar.")
    expect(page.get_by_label("På vegne af en organisation")).to_be_checked()
    expect(page.get_by_label("Organisationens navn")).to_be_visible()
    expect(page.get_by_label("Organisationens navn")).to_have_value("Valby Boldklub")
    check_a11y(page)

    page.get_by_label("Forening/organisation").check()
    page.get_by_label("Dit høringssvar").fill("Klubben ønsker flere baner.")
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    check_a11y(page)
    response = Response.objects.get()
    assert (response.kind, response.organisation_name) == ("organisation", "Valby Boldklub")


def test_without_javascript_every_field_is_shown(browser, live_server, employment_hearing):
    """axe cannot run where JavaScript is off; this markup is the one checked above with the fields
    expanded (there aria-hidden="false", here no aria-hidden)."""
    hearing, _group = employment_hearing
    context = browser.new_context(base_url=live_server.url, locale="da-DK", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(hearing.url)
        expect(page.get_by_label("Privatperson")).to_be_checked()
        expect(page.get_by_label("Organisationens navn")).to_be_visible()
        expect(page.get_by_role("combobox", name="Eller vælg organisationen fra høringslisten")).to_be_visible()
        expect(page.get_by_label("Virksomhed")).to_be_visible()

        # The server still checks: an organisation without a name is refused, the fields stay shown.
        page.get_by_label("Navn", exact=True).fill("Karen Holm")
        page.get_by_label("E-mail", exact=True).fill("karen.holm@example.org")
        page.get_by_label("Postnummer").fill("2500")
        page.get_by_label("På vegne af en organisation").check()
        page.get_by_label("Virksomhed").check()
        page.get_by_label("Dit høringssvar").fill("Vi støtter planen.")
        page.get_by_label("Jeg giver samtykke").check()
        page.get_by_role("button", name="Send høringssvar").click()
        expect(page.get_by_role("main")).to_contain_text("Skriv navnet på den organisation, du svarer på vegne af")
        expect(page.get_by_label("Virksomhed")).to_be_checked()
        expect(page.get_by_label("Organisationens navn")).to_be_visible()
        assert not Response.objects.exists()
    finally:
        context.close()
