"""Issue 11, what must hold 2: a council's secretariat logs in (two-factor), builds a survey under its
council in the Wagtail admin with every question type (single choice, multiple choice with min/max,
rating scale, free text, number, date, matrix), a section break and a conditional question, invites a
panel from a CSV, sees answered / not answered, the panel members answer through their personal
links (each in a browser of their own), the secretariat closes the survey, publishes the results and
approves two of the three free-text answers (not the one naming a person); the public results page
shows charts and text tables and lists the approved free texts only, and filtering by an answer narrows them (a
group below the minimum size shows »For få svar«). axe on every page visited, admin included."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import SurveyPage, SurveyPanel, SurveyParticipation, SurveyResponse
from tests.consultations import secretariat
from tests.helpers import login_with_mfa, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kodeord-der-er-langt-42"
TITLE = "Brugerpanelets tilfredshed 2026"
PANEL_CSV = "navn;e-mail\nAmira Demo;amira@example.org\nBo Demo;bo@example.org\nCem Demo;cem@example.org\n"


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class QuestionBuilder:
    """Adds blocks to the »Spørgsmål« StreamField at the end, as an editor clicks them in."""

    def __init__(self, page):
        self.page = page
        self.panel = page.get_by_role("tabpanel", name="Spørgsmål")
        self.count = 0

    def add(self, label):
        self.panel.get_by_role("button", name="Indsæt en blok").last.click()
        self.page.get_by_role("option", name=label, exact=True).click()
        prefix = f"questions-{self.count}-value"
        self.count += 1
        return prefix

    def field(self, name):
        return self.page.locator(f'[name="{name}"]')

    def question(self, label, key, text, required=True, show_if=None):
        prefix = self.add(label)
        expect(self.field(f"{prefix}-key")).to_be_visible()
        self.field(f"{prefix}-key").fill(key)
        self.field(f"{prefix}-text").fill(text)
        if not required:
            self.field(f"{prefix}-required").uncheck()
        if show_if:
            self.field(f"{prefix}-show_if_question").fill(show_if[0])
            self.field(f"{prefix}-show_if_answer").fill(show_if[1])
        return prefix

    def items(self, prefix, name, values):
        """Fill a list (options, statements): the first item is there, »Tilføj« adds the next."""
        lst = f"{prefix}-{name}"
        for index, value in enumerate(values):
            item = self.field(f"{lst}-{index}-value")
            if index:
                container = self.page.locator(f'div:has(> input[name="{lst}-count"])')
                container.locator("[data-streamfield-list-add]").last.click()
            expect(item).to_be_visible()
            item.fill(value)


def build_survey(page, council, check_a11y_admin):
    page.goto(f"/admin/pages/add/consultations/surveypage/{council.pk}/")
    expect(page.locator("#id_title")).to_be_visible()
    check_a11y_admin(settled(page))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_intro").fill("Fortæl lokaludvalget, hvordan du oplever jobcentret.")
    page.locator("#id_opens_at").fill(local(timezone.now() - timedelta(hours=1)))
    page.locator("#id_opens_at").press("Escape")
    page.locator("#id_closes_at").fill(local(timezone.now() + timedelta(days=14)))
    page.locator("#id_closes_at").press("Escape")

    page.get_by_role("tab", name="Spørgsmål").click()
    q = QuestionBuilder(page)
    section = q.add("Nyt afsnit (ny side)")
    q.field(f"{section}-title").fill("Om dig")
    single = q.question("Ét valg", "kontakt", "Har du brugt jobcentret i år?")
    q.items(single, "options", ["Ja", "Nej"])
    multiple = q.question("Flere valg", "hjalp", "Hvad hjalp dig?", show_if=("kontakt", "Ja"))
    q.items(multiple, "options", ["Samtaler", "Kurser", "Praktik"])
    q.field(f"{multiple}-min_choices").fill("1")
    q.field(f"{multiple}-max_choices").fill("2")
    scale = q.question("Skala", "tilfreds", "Hvor tilfreds er du med jobcentret?")
    q.field(f"{scale}-min_label").fill("Meget utilfreds")
    q.field(f"{scale}-max_label").fill("Meget tilfreds")
    section = q.add("Nyt afsnit (ny side)")
    q.field(f"{section}-title").fill("Mere om dig")
    q.question("Tal", "alder", "Hvor gammel er du?", required=False)
    q.question("Dato", "moede", "Hvornår var dit seneste møde?", required=False)
    matrix = q.question("Matrix (udsagn × skala)", "udsagn", "Hvor enig er du?")
    q.items(matrix, "statements", ["Jeg blev mødt med respekt"])
    q.items(matrix, "options", ["Enig", "Uenig"])
    text = q.question("Fritekst", "kommentar", "Har du andre kommentarer?", required=False)
    q.field(f"{text}-max_length").fill("500")
    check_a11y_admin(settled(page))

    page.get_by_role("tab", name="Svar og resultater").click()
    page.locator("#id_access").select_option(label="Kun inviterede (personligt link)")
    page.locator("#id_min_group_size").fill("2")
    check_a11y_admin(settled(page))
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Udgiv").click()
    page.wait_for_url(f"**/admin/pages/{council.pk}/")
    return SurveyPage.objects.get(title=TITLE)


def answer_as_panel_member(browser, live_server, link, check_a11y, contact, scale, comment):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.get_by_text("Side 1 af 2")).to_be_visible()
        check_a11y(page)
        follow_up = page.get_by_role("group", name="Hvad hjalp dig?", exact=True)
        expect(follow_up).to_be_hidden()
        page.get_by_role("group", name="Har du brugt jobcentret i år?").get_by_label(contact, exact=True).check()
        if contact == "Ja":
            expect(follow_up).to_be_visible()
            follow_up.get_by_label("Samtaler").check()
        page.get_by_role("group", name="Hvor tilfreds er du med jobcentret?").get_by_label(scale, exact=True).check()
        page.get_by_role("button", name="Næste").click()
        expect(page.get_by_text("Side 2 af 2")).to_be_visible()
        check_a11y(page)
        page.get_by_role("group", name="Jeg blev mødt med respekt").get_by_label("Enig", exact=True).check()
        page.get_by_label("Hvor gammel er du?").fill("34")
        page.get_by_label("Har du andre kommentarer?").fill(comment)
        page.get_by_role("button", name="Send svar").click()
        expect(page.get_by_role("heading", name="Tak for dit svar")).to_be_visible()
        check_a11y(page)
        # The link is single-use: opening it again does not offer the form.
        page.goto(link)
        expect(page.get_by_role("button", name="Næste")).to_have_count(0)
        check_a11y(page)
    finally:
        context.close()


def test_secretariat_builds_invites_closes_and_publishes_a_survey(
    page, browser, live_server, check_a11y, home_page, mfa_user
):
    council, group = secretariat.council_with_secretariat(home_page, "Valby Lokaludvalg", "lokaludvalg-valby")
    user, secret = mfa_user(email="valby@kommune.example")
    secretariat.join(user, group)
    login_with_mfa(page, user.email, PASSWORD, secret)
    page.wait_for_url(lambda url: "/konto/" not in url)

    # 1. Build the survey with every question type under the council, and publish it.
    survey = build_survey(page, council, check_a11y)
    assert survey.live and survey.council_id == council.pk
    kinds = [question.kind for question in survey.questionnaire.questions]
    assert kinds == ["single", "multiple", "scale", "number", "date", "matrix", "text"]
    follow_up = survey.questionnaire.questions[1]
    assert (follow_up.min_choices, follow_up.max_choices) == (1, 2)

    # 2. Invite a panel from a CSV; the admin page counts answered / not answered.
    # From the council's page listing, where publishing left the secretariat: the survey's row's menu.
    row = page.get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("button", name=re.compile("^Flere muligheder")).click()
    row.get_by_role("link", name="Deltagelse, resultater og eksport").click()
    page.wait_for_url(f"**/admin/undersoegelser/{survey.pk}/")
    check_a11y(settled(page))
    page.get_by_role("link", name="Invitér et panel").click()
    check_a11y(settled(page))
    page.get_by_label("Eller nyt panel (navn)").fill("Valby brugerpanel")
    page.get_by_label("Medlemmer (CSV)").set_input_files(
        files=[{"name": "panel.csv", "mimeType": "text/csv", "buffer": PANEL_CSV.encode()}]
    )
    page.get_by_role("button", name="Invitér").click()
    expect(page.locator(".messages")).to_contain_text("3 invitationer sendt til panelet »Valby brugerpanel«.")
    expect(page.locator("#answered-count")).to_have_text("0")
    expect(page.locator("#not-answered-count")).to_have_text("3")
    check_a11y(settled(page))
    assert SurveyPanel.objects.get(name="Valby brugerpanel").council_id == council.pk

    links = {}
    for message in mail.outbox:
        # The email's link names the site's host; the member opens its path on the test server.
        found = re.search(r"https?://[^/\s]+(/\S+/svar/[^/\s]+/)", message.body)
        if found and TITLE in message.body:
            links[message.to[0]] = found.group(1)
    assert sorted(links) == ["amira@example.org", "bo@example.org", "cem@example.org"]

    # 3. The members answer in their own browsers: two »Ja«, one »Nej«.
    for email, contact, scale, comment in (
        ("amira@example.org", "Ja", "4", "Godt at blive spurgt."),
        ("bo@example.org", "Ja", "3", "Min sagsbehandler Hanne Demo var sur."),
        ("cem@example.org", "Nej", "2", "Ventetiden i telefonen er for lang."),
    ):
        answer_as_panel_member(browser, live_server, links[email], check_a11y, contact, scale, comment)

    page.reload()
    expect(page.locator("#answered-count")).to_have_text("3")
    expect(page.locator("#not-answered-count")).to_have_text("0")
    check_a11y(settled(page))

    # 4. Close, then publish the results.
    page.get_by_role("button", name="Luk undersøgelsen nu").click()
    expect(page.locator(".messages")).to_contain_text("Undersøgelsen er lukket.")
    check_a11y(settled(page))
    page.get_by_role("button", name="Offentliggør resultaterne").click()
    expect(page.locator(".messages")).to_contain_text("Resultaterne er offentliggjort på undersøgelsens side.")
    check_a11y(settled(page))
    assert SurveyResponse.objects.filter(survey=survey).count() == 3
    assert SurveyParticipation.objects.filter(survey=survey).answered().count() == 3

    # 5. Moderate the free-text answers: two may be published, the one naming a person may not.
    page.get_by_role("link", name="Godkend fritekstsvar").click()
    texts = page.locator("#survey-texts")
    expect(texts.get_by_role("row")).to_have_count(4)  # the header and three answers
    check_a11y(settled(page))
    for comment in ("Godt at blive spurgt.", "Ventetiden i telefonen er for lang."):
        texts.get_by_role("row").filter(has_text=comment).get_by_label("Godkend").check()
    page.get_by_role("button", name="Gem godkendelser").click()
    expect(page.locator(".messages")).to_contain_text("Godkendelserne er gemt.")
    expect(texts.get_by_role("row").filter(has_text="Hanne Demo").get_by_label("Godkend")).not_to_be_checked()
    check_a11y(settled(page))

    # 6. The public results page: a chart and a text table per question, then filter by an answer.
    citizen = browser.new_context(base_url=live_server.url, locale="da-DK")
    citizen.set_default_timeout(15_000)
    public = citizen.new_page()
    try:
        public.goto(survey.url + "resultater/")
        expect(public.locator("#survey-total")).to_have_text("3 svar")
        expect(public.get_by_role("img", name="Søjlediagram: Har du brugt jobcentret i år?")).to_be_visible()
        contact_result = public.locator("section.survey-result").filter(
            has=public.get_by_role("heading", name="Har du brugt jobcentret i år?")
        )
        expect(contact_result.get_by_role("table")).to_be_visible()
        expect(contact_result.get_by_role("row").filter(has_text="Ja")).to_contain_text("2")
        expect(contact_result.get_by_role("row").filter(has_text="Nej")).to_contain_text("1")
        # The free-text answers the secretariat approved are listed; the one it did not approve is not.
        comments = public.locator("section.survey-result").filter(
            has=public.get_by_role("heading", name="Har du andre kommentarer?")
        )
        expect(comments.locator(".survey-texts li")).to_have_count(2)
        expect(comments).to_contain_text("Godt at blive spurgt.")
        expect(comments).to_contain_text("Ventetiden i telefonen er for lang.")
        expect(public.get_by_text("Hanne Demo")).to_have_count(0)
        check_a11y(public)

        public.get_by_label("Kun dem, der svarede").select_option(label="Har du brugt jobcentret i år? – Ja")
        public.get_by_role("button", name="Vis").click()
        expect(public.locator("#survey-total")).to_have_text("2 svar")
        expect(public.locator(".survey-filter-description")).to_contain_text("Kun dem, der")
        check_a11y(public)

        # One »Nej« is below the minimum group of 2: no numbers, »For få svar«.
        public.get_by_label("Kun dem, der svarede").select_option(label="Har du brugt jobcentret i år? – Nej")
        public.get_by_role("button", name="Vis").click()
        expect(public.locator("#survey-suppressed")).to_contain_text("For få svar")
        expect(public.locator("#survey-total")).to_have_count(0)
        check_a11y(public)
    finally:
        citizen.close()
