"""Issue 3, what must hold 2: the secretariat of one lokaludvalg logs in with MFA, adds a meeting
with an agenda document, publishes it, sees it on the public page, and cannot touch another
council's pages or hearing lists."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.demo import demo_pdf
from councils.models import HearingList, MeetingPage
from tests.councils import factories
from tests.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"


@pytest.fixture(autouse=True)
def _no_background_saves(settings):
    """The live server shares one in-memory SQLite database across threads; Wagtail's editing-session
    pings running beside the publish request would lock it (autosave is off in every settings module)."""
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 600_000


@pytest.fixture
def two_committees(home_page):
    index = factories.council_index(home_page)
    valby = factories.council(index, "Valby Lokaludvalg", "lokaludvalg-valby", area="Valby")
    vesterbro = factories.council(index, "Vesterbro Lokaludvalg", "lokaludvalg-vesterbro", area="Vesterbro")
    factories.meeting(vesterbro, "moede", "Vesterbros møde")
    own_list = factories.hearing_list("Høringsliste: Valby", valby, [("Valby Idrætsforening", "i@valby.example")])
    other_list = factories.hearing_list("Høringsliste: Vesterbro", vesterbro, [("Vesterbro Bladet", "v@vb.example")])
    return valby, vesterbro, own_list, other_list


def test_secretariat_adds_meeting_and_cannot_touch_another_council(
    page, check_a11y, mfa_user, two_committees, tmp_path
):
    valby, vesterbro, own_list, other_list = two_committees
    user, secret = mfa_user(email="sekretariat.valby@kommune.example", password=PASSWORD)
    factories.join_secretariat(user, valby)

    login_with_mfa(page, user.email, PASSWORD, secret)
    page.wait_for_url(re.compile(r"/min-side/"))
    check_a11y(page)

    # Add a meeting under the own council, with an agenda document uploaded in the chooser.
    page.goto("/admin/pages/")
    expect(page.locator("main")).to_contain_text("Valby Lokaludvalg")
    expect(page.locator("main")).not_to_contain_text("Vesterbro Lokaludvalg")
    page.goto(f"/admin/pages/{valby.pk}/add_subpage/")
    page.get_by_role("link", name="Møde", exact=True).click()
    starts = timezone.localtime() + timedelta(days=9)
    page.locator("#id_title").fill("Ekstraordinært lokaludvalgsmøde")
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%d 19:00"))
    page.locator("#id_location").fill("Valby Medborgerhus, Valgårdsvej 4")
    page.locator("#id_agenda_items-ADD").click()
    item = page.locator("#inline_child_agenda_items-0")
    item.locator("#id_agenda_items-0-title").fill("Trafik på Valby Langgade")
    item.get_by_role("button", name="Vælg et dokument").first.click()
    modal = page.locator(".modal-content")
    modal.get_by_role("tab", name="Upload").click()
    pdf = tmp_path / "trafiktaelling.pdf"
    pdf.write_bytes(demo_pdf("Trafiktælling", ["Biler pr. døgn: 12.000"]))
    modal.locator("#id_document-chooser-upload-file").set_input_files(str(pdf))
    modal.locator("#id_document-chooser-upload-title").fill("Trafiktælling Valby Langgade")
    modal.get_by_role("button", name="Upload").click()
    page.wait_for_selector(".modal-content", state="detached")
    expect(item).to_contain_text("Trafiktælling Valby Langgade")
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{valby.pk}/$"))
    expect(page.locator("main")).to_contain_text("Ekstraordinært lokaludvalgsmøde")

    meeting = MeetingPage.objects.get(title="Ekstraordinært lokaludvalgsmøde")
    assert meeting.live
    assert meeting.get_parent().pk == valby.pk
    document = meeting.agenda_items.get().document
    assert document.collection.name == "Valby Lokaludvalg"

    # The public council page shows it, and its agenda document.
    page.goto(valby.url)
    check_a11y(page)
    page.get_by_role("link", name="Ekstraordinært lokaludvalgsmøde").click()
    check_a11y(page)
    expect(page.get_by_role("main")).to_contain_text("Valby Medborgerhus, Valgårdsvej 4")
    expect(page.get_by_role("link", name=re.compile("Hent bilag: Trafiktælling Valby Langgade"))).to_be_visible()

    # Another council's pages: hidden in the explorer, refused on a typed URL.
    vesterbro_meeting = MeetingPage.objects.child_of(vesterbro).get()
    for pk in (vesterbro.pk, vesterbro_meeting.pk):
        page.goto(f"/admin/pages/{pk}/edit/")
        assert not re.search(rf"/admin/pages/{pk}/edit/", page.url)
        expect(page.locator("#id_title")).to_have_count(0)
        expect(page.locator("body")).to_contain_text("du har ikke rettigheder")
    page.goto(f"/admin/pages/{vesterbro.pk}/add_subpage/")
    expect(page.get_by_role("link", name="Møde", exact=True)).to_have_count(0)

    # Another council's hearing lists: not listed, and 404 on typed URLs.
    viewset = HearingList.snippet_viewset
    page.goto(f"/admin/snippets/{viewset.app_label}/{viewset.model_name}/")
    listing = page.locator("main")
    expect(listing).to_contain_text("Høringsliste: Valby")
    expect(listing).not_to_contain_text("Høringsliste: Vesterbro")
    for url in (
        f"/admin/snippets/{viewset.app_label}/{viewset.model_name}/edit/{other_list.pk}/",
        f"/admin/snippets/{viewset.app_label}/{viewset.model_name}/delete/{other_list.pk}/",
        f"/admin/hoeringslister/{other_list.pk}/importer/",
        f"/admin/hoeringslister/{other_list.pk}/eksporter/",
    ):
        response = page.goto(url)
        assert response.status == 404, url
    assert HearingList.objects.get(pk=other_list.pk).parties.count() == 1
