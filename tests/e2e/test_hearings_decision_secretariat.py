"""Issue 12, must hold 2: the secretariat's journey from a hearing that leaves out a required consultee to
the political decision, in the Wagtail admin and on the public site.

A Valby traffic hearing with a draft in two sections and only the traffic list → publishing is refused
with the rule (and its basis) named; the hearing is not on the site and nobody is invited → the
secretariat adds Valby Lokaludvalg's list and publishes → every party is invited once → a citizen answers
through the public form (a comment on section 1.2) and confirms by email; the lokaludvalg, a campaign of
six near-identical responses and one other arrive → after the deadline (moved into the past in the
database) the campaign is one group, published and commented on at once; the rest are bulk-published →
the høringsnotat: its text on the page, a note per section (with the section's comments shown), one form
for the group → the decision → each respondent and party has the decision email exactly once, also after
the decision is corrected → the public page shows the course, the printed høringsnotat the group with
every name. The second test takes the other way out of the refusal: a written reason, recorded and
printed in the høringsnotat.

axe (WCAG 2.1 A/AA) runs on every page the journeys visit after logging in, the admin's included
(the login and two-factor pages are allauth's, checked in tests/e2e/test_foundation_account.py).
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from consultations.models import ConsulteeOmission, ConsulteeRule, HearingPage, Response
from consultations.rules import RuleMode
from councils.models import CouncilKind, HearingParty, PartyKind
from tests.consultations import secretariat
from tests.consultations.factories import ResponseFactory
from tests.helpers import login_with_mfa, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"
TITLE = "Trafikplan for Valby Langgade"
NOTE_TEXT = "Forvaltningen har modtaget svar om cykelstier og parkeringspladser."
CAMPAIGN_SIZE = 6
CAMPAIGN = (
    "Jeg er imod, at der fjernes 60 parkeringspladser på Valby Langgade. Butikkerne lever af kunder, der "
    "kommer i bil, og mange ældre kan hverken cykle eller gå langt med deres indkøb. Bevar pladserne."
)
REASON = "Lokaludvalget har udtalt sig om cykelparkeringen på sit møde i oktober."
BASIS = "Lokaludvalget skal høres i sager af særlig betydning for bydelen"


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def traffic_office(home_page):
    technical, group = secretariat.council_with_secretariat(
        home_page, "Teknik- og Miljøudvalget", "teknik-og-miljoe", kind=CouncilKind.OTHER
    )
    valby, _valby_group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "lokaludvalg-valby")
    secretariat.hearing_list(
        "Høringsliste: trafik",
        [("Cyklistforbundet", "cykel@example.org"), ("Valby Handelsforening", "handel@example.org")],
        council=technical,
    )
    lokaludvalg = secretariat.hearing_list("Høringsliste: Valby Lokaludvalg", [], council=technical)
    HearingParty.objects.create(
        hearing_list=lokaludvalg, name="Valby Lokaludvalg", email="valby@kommune.example",
        kind=PartyKind.COUNCIL, council=valby,
    )  # fmt: skip
    ConsulteeRule.objects.create(consultee_council=valby, area="valby", mode=RuleMode.REQUIRE, basis=BASIS)
    return {"technical": technical, "group": group, "valby": valby}


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def campaign_text(n):
    """A campaign copy: own greeting, sign-off and name, now and then a word changed."""
    greeting = ["Kære Teknik- og Miljøforvaltning,", "Hej", "Til forvaltningen"][n % 3]
    text = CAMPAIGN.replace("Bevar", "Behold") if n % 2 else CAMPAIGN
    return f"{greeting}\n\n{text}\n\nMed venlig hilsen\nBeboer {n}"


def test_secretariat_from_blocked_publication_to_decision(
    page, browser, live_server, check_a11y, traffic_office, mfa_user
):
    technical = traffic_office["technical"]
    user, secret = mfa_user(email="tmf@kommune.example")
    secretariat.join(user, traffic_office["group"])
    login_with_mfa(page, user.email, PASSWORD, secret)
    page.wait_for_url(lambda url: "/konto/" not in url)

    # 1. A hearing on a Valby traffic matter with a draft in sections, only the traffic list on it.
    page.goto(f"/admin/pages/add/consultations/hearingpage/{technical.pk}/")
    check_a11y(settled(page))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Kommunen vil gøre Valby Langgade sikrere for cyklister og gående.")
    page.locator("#id_opens_at").fill(local(timezone.now() - timedelta(hours=1)))
    page.locator("#id_opens_at").press("Escape")
    page.locator("#id_closes_at").fill(local(timezone.now() + timedelta(days=28)))
    page.locator("#id_closes_at").press("Escape")
    draft = page.locator("#panel-child-indhold-draft-section")
    draft.get_by_role("button", name="Indsæt en blok").first.click()
    draft.get_by_label("Kapiteloverskrift").fill("Cykler og biler")
    draft.get_by_label("Overskrift", exact=True).fill("Cykelstier")
    draft.locator("[contenteditable=true]").first.click()
    draft.locator("[contenteditable=true]").first.press_sequentially("Der anlægges cykelstier på hele Valby Langgade.")
    draft.get_by_title("Tilføj", exact=True).last.click()
    expect(draft.get_by_label("Overskrift", exact=True)).to_have_count(2)
    draft.get_by_label("Overskrift", exact=True).nth(1).fill("Parkering")
    draft.locator("[contenteditable=true]").nth(1).click()
    draft.locator("[contenteditable=true]").nth(1).press_sequentially("Der nedlægges 60 parkeringspladser.")
    page.locator("#id_area").select_option(label="Valby")
    page.locator("#id_matter_kind").select_option(label="Trafik")
    page.locator("#id_hearing_lists").get_by_label("Høringsliste: trafik").check()
    check_a11y(settled(page))
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()

    # 2. Publishing is refused, naming the lokaludvalg and the rule; nothing is public, nobody invited.
    refusal = page.locator(".messages .error")
    expect(refusal).to_contain_text("Valby Lokaludvalg skal høres")
    expect(refusal).to_contain_text(BASIS)
    hearing = HearingPage.objects.get(title=TITLE)
    assert not hearing.live
    assert page.request.get(hearing.url).status == 404
    assert [m for m in mail.outbox if m.subject.startswith("Invitation til høring")] == []
    check_a11y(settled(page))

    # 3. The secretariat adds the lokaludvalg's list and publishes: every party is invited once.
    page.locator("#id_hearing_lists").get_by_label("Høringsliste: Valby Lokaludvalg").check()
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    page.wait_for_url(f"**/admin/pages/{technical.pk}/")
    check_a11y(settled(page))
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert hearing.live
    invited = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Invitation til høring"))
    assert invited == ["cykel@example.org", "handel@example.org", "valby@kommune.example"]

    # 4. Responses arrive: a citizen through the public form (a comment on 1.2), the lokaludvalg, a
    #    campaign of near-identical responses and one that says something else.
    citizen_context = browser.new_context(base_url=live_server.url, locale="da-DK")
    citizen = citizen_context.new_page()
    citizen.goto(hearing.url)
    check_a11y(citizen)
    citizen.get_by_role("link", name="Kommentér afsnit 1.2").click()
    citizen.get_by_label("Din kommentar til afsnit 1.2 Parkering").fill("Behold 20 korttidspladser til butikkerne.")
    citizen.get_by_label("Generelle bemærkninger til høringen").fill("Cykelstierne er en god idé.")
    citizen.get_by_label("Navn", exact=True).fill("Amira Hassan")
    citizen.get_by_label("E-mail", exact=True).fill("amira@example.org")
    citizen.get_by_label("Postnummer").fill("2500")
    citizen.get_by_label("Jeg giver samtykke").check()
    citizen.get_by_role("button", name="Send høringssvar").click()
    citizen.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    check_a11y(citizen)
    confirmation = next(m for m in mail.outbox if m.to == ["amira@example.org"])
    citizen.goto(path_of(re.search(r"https?://\S+/hoeringer/svar/bekraeft/\S+/", confirmation.body).group(0)))
    check_a11y(citizen)
    citizen.get_by_role("button", name="Bekræft mit høringssvar").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Dit høringssvar er modtaget")
    check_a11y(citizen)

    valby_party = HearingParty.objects.get(name="Valby Lokaludvalg")
    ResponseFactory(
        hearing=hearing, name="Lone Lokal", email="valby@kommune.example", kind=PartyKind.COUNCIL,
        party=valby_party, text="Lokaludvalget støtter cykelstierne og ønsker flere fodgængerfelter.",
    )  # fmt: skip
    for n in range(CAMPAIGN_SIZE):
        ResponseFactory(hearing=hearing, name=f"Beboer {n}", email=f"beboer{n}@example.org", text=campaign_text(n))
    ResponseFactory(hearing=hearing, name="Peter Holm", email="peter@example.org",
                    text="Sæt hastigheden ned til 30 km/t ved skolen, og plant flere træer.")  # fmt: skip
    HearingPage.objects.filter(pk=hearing.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    # 5. Moderation: the campaign is one group; it is published and commented on at once.
    page.goto("/admin/")
    check_a11y(settled(page))
    page.get_by_role("link", name="Høringer (sekretariat)").click()
    check_a11y(settled(page))
    page.get_by_role("link", name=TITLE).click()
    check_a11y(settled(page))
    page.get_by_role("link", name="Enslydende svar (kampagner)").click()
    group = page.locator("section.campaign-group")
    expect(group).to_have_count(1)
    expect(group.get_by_role("heading", level=2)).to_have_text(f"{CAMPAIGN_SIZE} enslydende svar")
    check_a11y(settled(page))
    group.get_by_role("button", name=f"Offentliggør alle {CAMPAIGN_SIZE} svar").click()
    expect(page.get_by_text(f"{CAMPAIGN_SIZE} enslydende svar er offentliggjort.")).to_be_visible()
    check_a11y(settled(page))
    group.get_by_label("Resumé (til høringsnotatet)").fill("Kampagne imod at fjerne parkeringspladser.")
    group.get_by_label("Forvaltningens bemærkning").fill("20 korttidspladser bevares.")
    group.get_by_role("button", name="Gem resumé og bemærkning på alle").click()
    expect(page.get_by_text(f"Resumé og bemærkning er gemt på {CAMPAIGN_SIZE} enslydende svar.")).to_be_visible()
    check_a11y(settled(page))

    # The other three are published from the listing.
    page.goto(f"/admin/hoeringssvar/?hearing={hearing.pk}&status=received")
    check_a11y(settled(page))
    for name in ("Amira Hassan", "Valby Lokaludvalg", "Peter Holm"):
        page.get_by_role("row").filter(has_text=name).get_by_role("checkbox").check()
    page.get_by_role("link", name="Offentliggør valgte høringssvar").click()
    check_a11y(settled(page))
    page.get_by_role("button", name="Ja, offentliggør").click()
    expect(page.get_by_text("3 høringssvar er offentliggjort.")).to_be_visible()
    check_a11y(settled(page))
    assert set(Response.objects.filter(hearing=hearing).values_list("status", flat=True)) == {"published"}

    # 6. The høringsnotat: its text on the page's tab, then a note per section and a summary per response.
    page.goto(f"/admin/pages/{hearing.pk}/edit/")
    page.get_by_role("tab", name="Høringsnotat").click()
    panel = page.get_by_role("tabpanel", name="Høringsnotat")
    panel.get_by_role("button", name="Indsæt en blok").first.click()
    page.get_by_role("option", name="Afsnit").click()
    editor = panel.locator("[contenteditable=true]").first
    editor.click()
    editor.press_sequentially(NOTE_TEXT)
    page.get_by_role("heading", name="Høringsnotat").first.click()
    page.wait_for_function(
        "text => document.querySelector('input[name=\"summary_body-0-value\"]').value.includes(text)",
        arg="parkeringspladser",
    )
    check_a11y(settled(page))
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    page.wait_for_url(f"**/admin/pages/{technical.pk}/")
    check_a11y(settled(page))

    page.goto(f"/admin/hoeringer-sekretariat/{hearing.pk}/")
    page.get_by_role("link", name="Skriv og offentliggør høringsnotat").click()
    page.wait_for_url(f"**/admin/hoeringer-sekretariat/{hearing.pk}/notat/")
    check_a11y(settled(page))
    parking = page.locator("section.section-note").filter(has=page.get_by_role("heading", name="Afsnit 1.2 Parkering"))
    amira = Response.objects.get(hearing=hearing, name="Amira Hassan")  # numbered by id: 0001 on SQLite only
    expect(parking.get_by_role("listitem")).to_have_text(
        f"Svar {amira.pk:04d}: Amira Hassan (offentliggjort): Behold 20 korttidspladser til butikkerne."
    )
    notes = page.get_by_label("Forvaltningens bemærkning til afsnittet")
    expect(notes).to_have_count(2)
    notes.nth(0).fill("Cykelstierne anlægges som foreslået.")
    notes.nth(1).fill("20 af pladserne bevares som korttidsparkering.")
    answers = page.locator("section.response-summary")
    expect(answers).to_have_count(4)  # the campaign is one
    expect(answers.filter(has_text=f"({CAMPAIGN_SIZE} enslydende svar)")).to_have_count(1)
    for index in range(4):
        answer = answers.nth(index)
        if not answer.get_by_label("Resumé af svaret").input_value():
            answer.get_by_label("Resumé af svaret").fill(f"Resumé {index + 1}.")
            answer.get_by_label("Forvaltningens bemærkning").fill(f"Bemærkning {index + 1}.")
    page.get_by_role("button", name="Gem og offentliggør høringsnotatet").click()
    expect(page.get_by_role("main")).to_contain_text("høringen er konkluderet")
    check_a11y(settled(page))

    # 7. The decision.
    page.goto(f"/admin/hoeringer-sekretariat/{hearing.pk}/")
    page.get_by_role("link", name="Registrér den politiske beslutning").click()
    check_a11y(settled(page))
    page.get_by_label("Besluttet af (råd eller udvalg)").select_option(label="Teknik- og Miljøudvalget")
    page.get_by_label("Beslutningsdato").fill(timezone.localdate().isoformat())
    page.get_by_label("Resultat").select_option(label="Vedtaget med ændringer")
    page.get_by_label("Det ændrede høringen").fill("20 korttidspladser bevares; flere fodgængerfelter.")
    page.get_by_label("Link til referat eller beslutning").fill("https://www.kk.dk/dagsordener-og-referater/tmu")
    page.get_by_role("button", name="Gem beslutningen").click()
    expect(page.locator(".messages")).to_contain_text("Beslutningen er registreret.")
    check_a11y(settled(page))

    # 8. Everyone who answered and every consulted party has the email, once.
    decided = sorted(m.to[0] for m in mail.outbox if m.subject == f"Beslutning om »{TITLE}«")
    assert decided == sorted(
        ["amira@example.org", "valby@kommune.example", "peter@example.org", "cykel@example.org",
         "handel@example.org", *(f"beboer{n}@example.org" for n in range(CAMPAIGN_SIZE))]
    )  # fmt: skip

    decision_mail = next(m for m in mail.outbox if m.to == ["amira@example.org"] and m.subject.startswith("Beslutning"))
    assert "Teknik- og Miljøudvalget behandlede sagen" in decision_mail.body
    assert "Resultat: Vedtaget med ændringer." in decision_mail.body
    assert f"/hoeringer/notat/{hearing.pk}/print/" in decision_mail.body

    # The hearing's page in the admin says what was decided and that the emails are sent; correcting
    # the decision sends nothing again, and says so.
    page.goto(f"/admin/hoeringer-sekretariat/{hearing.pk}/")
    main = page.get_by_role("main")
    today = date_format(timezone.localdate(), "j. F Y")
    expect(main).to_contain_text(f"Teknik- og Miljøudvalget besluttede den {today}: Vedtaget med ændringer.")
    expect(main).to_contain_text(f"{len(decided)} e-mails om beslutningen er sendt.")
    check_a11y(settled(page))
    page.get_by_role("link", name="Ret beslutningen").click()
    expect(page.get_by_label("Det ændrede høringen")).to_have_value(
        "20 korttidspladser bevares; flere fodgængerfelter."
    )
    page.get_by_label("Det ændrede høringen").fill("20 korttidspladser bevares; to nye fodgængerfelter.")
    page.get_by_role("button", name="Gem beslutningen").click()
    expect(page.locator(".messages")).to_contain_text("Beslutningen er rettet.")
    check_a11y(settled(page))
    assert len([m for m in mail.outbox if m.subject == f"Beslutning om »{TITLE}«"]) == len(decided)

    # The public page shows the whole course; the høringsnotat lists the campaign as one with every name.
    citizen.goto(hearing.url)
    course = citizen.get_by_role("region", name="Forløb")
    expect(course).to_contain_text("Politisk beslutning")
    expect(course).to_contain_text("Teknik- og Miljøudvalget: Vedtaget med ændringer.")
    expect(course).to_contain_text("to nye fodgængerfelter")
    check_a11y(citizen)
    citizen.goto(f"/hoeringer/notat/{hearing.pk}/print/")
    expect(citizen.get_by_role("main")).to_contain_text(f"{CAMPAIGN_SIZE} enslydende svar")
    for n in range(CAMPAIGN_SIZE):
        expect(citizen.get_by_role("main")).to_contain_text(f"Beboer {n}")
    expect(citizen.get_by_role("main")).to_contain_text("20 af pladserne bevares som korttidsparkering.")
    check_a11y(citizen)
    citizen_context.close()


def test_secretariat_publishes_without_the_lokaludvalg_by_giving_a_reason(page, check_a11y, traffic_office, mfa_user):
    """The second way out of the refusal: a written reason. The hearing is published, the lokaludvalg is
    not invited, and the reason is recorded and printed in the høringsnotat."""
    technical = traffic_office["technical"]
    user, secret = mfa_user(email="tmf@kommune.example")
    secretariat.join(user, traffic_office["group"])
    login_with_mfa(page, user.email, PASSWORD, secret)
    page.wait_for_url(lambda url: "/konto/" not in url)

    page.goto(f"/admin/pages/add/consultations/hearingpage/{technical.pk}/")
    page.locator("#id_title").fill("Cykelparkering ved Valby Station")
    page.locator("#id_opens_at").fill(local(timezone.now() - timedelta(hours=1)))
    page.locator("#id_opens_at").press("Escape")
    page.locator("#id_closes_at").fill(local(timezone.now() + timedelta(days=28)))
    page.locator("#id_closes_at").press("Escape")
    page.locator("#id_area").select_option(label="Valby")
    page.locator("#id_matter_kind").select_option(label="Trafik")
    page.locator("#id_hearing_lists").get_by_label("Høringsliste: trafik").check()
    check_a11y(settled(page))
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    expect(page.locator(".messages .error")).to_contain_text("Valby Lokaludvalg skal høres")
    check_a11y(settled(page))
    hearing = HearingPage.objects.get(title="Cykelparkering ved Valby Station")
    assert not hearing.live

    page.get_by_role("textbox", name="Begrundelse for at udelade obligatoriske høringsparter").fill(REASON)
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    page.wait_for_url(f"**/admin/pages/{technical.pk}/")
    expect(page.locator(".messages .warning")).to_contain_text(
        "Udgivet uden Valby Lokaludvalg. Begrundelsen står i høringsnotatet."
    )
    check_a11y(settled(page))
    hearing = HearingPage.objects.get(pk=hearing.pk)
    assert hearing.live
    [omission] = ConsulteeOmission.objects.filter(hearing=hearing)
    assert (omission.consultee, omission.reason, omission.recorded_by) == ("Valby Lokaludvalg", REASON, user)
    invited = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Invitation til høring"))
    assert invited == ["cykel@example.org", "handel@example.org"]

    # The secretariat's preview of the høringsnotat prints the left-out party and the reason.
    page.goto(f"/hoeringer/notat/{hearing.pk}/print/")
    omissions = page.get_by_role("region", name="Obligatoriske høringsparter, der ikke er hørt")
    expect(omissions).to_contain_text(f"Valby Lokaludvalg. Begrundelse: {REASON}")
    check_a11y(page)
