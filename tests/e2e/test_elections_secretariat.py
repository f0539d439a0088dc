"""Must hold 2 – the secretariat's journey: create election → import roll (bad file rejected with a
per-line report, good file imported) → freeze → approve nominations → open voting → close → count →
publish → appoint; the council page then shows the elected members. axe on the public pages."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from elections.models import Candidate, ElectionPage, Voter
from tests.elections import factories
from tests.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"
GOOD = (
    "personnummer;navn;fødselsdato;adresse;valgsted\n"
    "170580-9001;Amal Aziz;17-05-1980;Gade 1;1\n"
    "010290-9002;Bo Brun;01-02-1990;Gade 2;1\n"
    "150375-9003;Cem Celik;15-03-1975;Gade 3;1\n"
    "200601-9004;Dina Dahl;20-06-2001;Gade 4;1\n"
)
BAD = GOOD + "17058-9005;Kort Nummer;17-05-1980;Gade 5;1\n" + "010110-9006;Barn;01-01-2010;Gade 6;9\n"


def click(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_secretariat_runs_an_election_from_creation_to_appointment(page, home_page, mfa_user, check_a11y):
    council = factories.council(home_page)
    user, secret = mfa_user(email="integration@kommune.example")
    factories.secretariat(user, council)
    login_with_mfa(page, "integration@kommune.example", PASSWORD, secret)
    page.wait_for_load_state()

    # Create the election as a page under the council.
    now = timezone.localtime()
    page.goto(f"/admin/pages/add/elections/electionpage/{council.pk}/")
    page.locator("#id_title").fill("Valg til Integrationsrådet 2030")
    page.locator("#id_seats").fill("1")
    page.locator("#id_substitutes").fill("1")
    page.locator("#id_voting_opens_at").fill((now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_voting_closes_at").fill((now + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M"))
    page.get_by_role("button", name="Tilføj Valgsteder").click()
    page.locator("#id_polling_places-0-code").fill("1")
    page.locator("#id_polling_places-0-name").fill("Kulturhuset")
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    page.wait_for_load_state()
    election = ElectionPage.objects.get(title="Valg til Integrationsrådet 2030")
    assert election.live

    # Import the roll: a bad file is rejected line by line, the good one imported.
    page.goto(f"/admin/valg/{election.pk}/")
    page.get_by_role("link", name="Importér valgliste").click()
    page.locator("#id_file").set_input_files({"name": "valgliste.csv", "mimeType": "text/csv", "buffer": BAD.encode()})
    click(page, "Importér")
    errors = page.locator(".roll-errors")
    expect(errors).to_contain_text("Linje 6: Personnummeret skal have 10 cifre")
    expect(errors).to_contain_text("Linje 7: Personen er under 18 år på valgdagen; valgstedet »9« findes ikke.")
    assert Voter.objects.count() == 0
    page.locator("#id_file").set_input_files({"name": "valgliste.csv", "mimeType": "text/csv", "buffer": GOOD.encode()})
    click(page, "Importér")
    expect(page.locator("body")).to_contain_text("4 vælgere er importeret")
    assert Voter.objects.count() == 4

    # Freeze, then decide the nominations.
    click(page, "Lås valglisten")
    election.refresh_from_db()
    expect(page.locator("body")).to_contain_text(election.roll_fingerprint)
    for name in ("Anna Ahmadi", "Bo Berg", "Cem Celik"):
        factories.candidate(election, name, status=Candidate.Status.PENDING)
    page.reload()
    click(page, "Godkend Anna Ahmadi")
    click(page, "Godkend Bo Berg")
    page.get_by_label("Begrundelse for afvisning").last.fill("Står ikke på valglisten.")
    click(page, "Afvis Cem Celik")
    assert Candidate.objects.get(name="Cem Celik").rejection_reason == "Står ikke på valglisten."
    click(page, "Luk kandidatlisten")
    click(page, "Åbn afstemningen")
    election = ElectionPage.objects.get(pk=election.pk)
    assert election.is_voting_open

    # Three voters vote online.
    anna, bo = Candidate.objects.get(name="Anna Ahmadi"), Candidate.objects.get(name="Bo Berg")
    voters = list(Voter.objects.order_by("pk"))
    for voter, candidate in zip(voters, (anna, anna, bo), strict=False):
        election.cast_ballot(voter.pk, candidate)

    click(page, "Afslut afstemningen")
    click(page, "Tæl stemmerne op")
    click(page, "Offentliggør resultatet")
    expect(page.locator("body")).to_contain_text("Resultatet er offentliggjort")
    page.get_by_role("link", name="Registrér kommunalbestyrelsens udpegning").click()
    page.get_by_label("Valgperioden starter").fill("01-01-2031")
    page.get_by_label("Valgperioden slutter").fill("31-12-2034")
    click(page, "Registrér udpegningen")
    expect(page.locator("body")).to_contain_text("medlemskaber er oprettet")

    # The public pages: election result and the council page with the elected members.
    page.goto(election.url)
    check_a11y(page)
    expect(page.locator(".elected-list")).to_contain_text("Anna Ahmadi")
    page.goto(f"/valg/{election.pk}/resultat/")
    check_a11y(page)
    with time_travel(datetime.date(2031, 2, 1)):
        page.goto(council.url)
        check_a11y(page)
        members = page.locator("#main-content")
        expect(members).to_contain_text("Direkte valgte medlemmer")
        expect(members).to_contain_text("Anna Ahmadi")
        expect(members).to_contain_text("Bo Berg")


class time_travel:
    """Move the live server's clock to a day in the new term (the members' start date)."""

    def __init__(self, day):
        import time_machine

        self.traveller = time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=True)

    def __enter__(self):
        self.traveller.start()

    def __exit__(self, *exc):
        self.traveller.stop()
