"""Issue 13, must-hold 1: the hearing journey (home → hearing → response → confirmation) and the
voter's journey (poll card → ballot → cast → receipt) in Arabic and in Somali, by keyboard alone, on
a desktop screen and on a 375 px phone. Every page is in the chosen language (``<html lang>``, the
headings and buttons from its catalog), axe finds nothing, nothing scrolls sideways, the form's
fields do not overlap, and the Arabic pages are right to left: the main heading's right edge lies
on the main content's right edge."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from consultations.models import Response
from elections.models import Ballot, Voter
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.elections import factories
from tests.helpers import tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
LANGUAGES = ["ar", "so"]
TITLE = "Beskæftigelsesplan 2027"


def t(language, text):
    """``text`` in ``language`` from the site's catalogs; the journey reads the page in that language."""
    with translation.override(language):
        translated = gettext(text)
    assert translated != text, f"»{text}« has no {language} translation"
    return translated


# Boxes of the visible headings, labels, fields and buttons in <main>: no two of them may overlap
# (a descendant inside its ancestor does not count). Radios and checkboxes are drawn by DKFDS over
# their label, so they are left out (their labels are checked), and so are the parts clipped to
# nothing for screen readers or bots (.visually-hidden, the .honeypot field).
OVERLAPS = """() => {
  const main = document.querySelector('main');
  const items = [...main.querySelectorAll('h1, h2, label, input, select, textarea, button, .form-hint')]
    .filter(el => !(el.matches('input[type=radio], input[type=checkbox], input[type=hidden]')))
    .filter(el => !el.closest('.honeypot, .visually-hidden'))
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  const found = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.contains(b) || b.contains(a)) continue;
      const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
      const x = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const y = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      const box = q => `[${[q.left, q.top, q.right, q.bottom].map(Math.round)}]`;
      if (x > 1 && y > 1) found.push(`${a.outerHTML.slice(0, 120)} ${box(r)} / ${b.outerHTML.slice(0, 120)} ${box(s)}`);
    }
  }
  return found;
}"""

# For right-to-left: the h1's right edge against its content box's right edge (padding excluded).
H1_EDGES = """() => {
  const h1 = document.querySelector('main h1');
  const parent = h1.parentElement;
  const style = getComputedStyle(parent);
  const box = parent.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(h1);
  const text = range.getBoundingClientRect();
  return {
    textRight: text.right, textLeft: text.left,
    contentRight: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth),
    contentLeft: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
  };
}"""


def check_page(page, check_a11y, language, screen):
    """What every page of the journeys must show in ``language`` on ``screen``."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    check_a11y(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["width"], "sideways scrolling"
    assert page.evaluate(OVERLAPS) == []
    edges = page.evaluate(H1_EDGES)
    if language == "ar":
        # The heading (also a Danish title, which keeps dir="ltr" for its own text) lines up with
        # the right edge of the content, where the page starts.
        assert abs(edges["textRight"] - edges["contentRight"]) <= 2, edges
        assert edges["textLeft"] >= edges["contentLeft"] - 2, edges
    else:
        assert abs(edges["textLeft"] - edges["contentLeft"]) <= 2, edges


def open_page(browser, live_server, screen):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=SCREENS[screen])
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def open_hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    hearing = HearingFactory(
        parent=index,
        title=TITLE,
        slug="beskaeftigelsesplan-2027",
        summary="Forslaget beskriver, hvordan jobcentret vil hjælpe ledige i job.",
        committee_name="Beskæftigelses- og Integrationsudvalget",
    )
    hearing.save_revision().publish()
    return hearing


def type_into(page, field, text):
    tab_to(page, field)
    page.keyboard.type(text)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_hearing_response_by_keyboard(browser, live_server, check_a11y, open_hearing, language, screen):
    page = open_page(browser, live_server, screen)
    page.goto(f"/?lang={language}")
    check_page(page, check_a11y, language, screen)

    main = page.get_by_role("main")
    tab_to(page, main.get_by_role("link", name=TITLE))
    page.keyboard.press("Enter")
    page.wait_for_url("**/beskaeftigelsesplan-2027/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_page(page, check_a11y, language, screen)

    type_into(page, page.get_by_label(t(language, "Navn"), exact=True), "Amira Hassan")
    type_into(page, page.get_by_label(t(language, "E-mail"), exact=True), "amira@example.org")
    type_into(page, page.get_by_label(t(language, "Postnummer")), "1620")
    type_into(page, page.get_by_label(t(language, "Dit høringssvar")), "Flere sprogkurser i Valby.")
    consent = page.get_by_label(
        t(language, "Jeg giver samtykke til, at mit svar offentliggøres med navn, bydel og bilag.")
    )
    tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    tab_to(page, page.get_by_role("button", name=t(language, "Send høringssvar")))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/hoeringer/svar/sendt/"))
    check_page(page, check_a11y, language, screen)

    (confirmation,) = mail.outbox
    with translation.override(language):
        assert confirmation.subject == gettext("Bekræft dit høringssvar til »%(title)s«") % {"title": TITLE}
    link = re.search(r"https?://[^/\s]+(/hoeringer/svar/bekraeft/\S+/)", confirmation.body).group(1)
    page.goto(link)
    check_page(page, check_a11y, language, screen)
    tab_to(page, page.get_by_role("button", name=t(language, "Bekræft mit høringssvar")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Dit høringssvar er modtaget"))
    check_page(page, check_a11y, language, screen)
    assert Response.objects.get().status == Response.Status.RECEIVED
    assert Response.objects.get().language == language
    page.context.close()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_voter_casts_a_ballot_by_keyboard(browser, live_server, check_a11y, home_page, language, screen):
    council = factories.council(home_page)
    election = factories.election(council, seats=1, substitutes=1)
    voters = [voter for _number, voter in factories.add_voters(election, 2)]
    factories.candidate(election, "Anna Ahmadi")
    factories.candidate(election, "Bo Berg")
    election = factories.open_for_voting(election)
    code = voters[0].issue_poll_card()

    page = open_page(browser, live_server, screen)
    page.goto(f"{election.url}?lang={language}")
    check_page(page, check_a11y, language, screen)
    tab_to(page, page.get_by_role("main").get_by_role("link", name=t(language, "Stem online")))
    page.keyboard.press("Enter")
    expect(page.get_by_label(t(language, "Kode fra dit valgkort"))).to_be_visible()
    check_page(page, check_a11y, language, screen)

    type_into(page, page.get_by_label(t(language, "Kode fra dit valgkort")), code)
    type_into(page, page.get_by_label(t(language, "Din fødselsdato")), "17-05-1980")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Stemmeseddel"))
    check_page(page, check_a11y, language, screen)

    # A candidate's statement reads in the direction of the language it was written in (Danish here):
    # the full stop ends the sentence, also on the Arabic page.
    statement = page.get_by_text("Jeg hedder Bo Berg.")
    assert statement.evaluate("el => getComputedStyle(el).direction") == "ltr"
    tab_to(page, page.get_by_label("Anna Ahmadi"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Bo Berg")).to_be_checked()
    tab_to(page, page.get_by_role("button", name=t(language, "Afgiv stemme")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Tak for din stemme"))
    check_page(page, check_a11y, language, screen)
    expect(page.locator(".tracker")).to_have_text(Ballot.objects.get().tracker)
    assert Voter.objects.get(pk=voters[0].pk).voted_channel == "online"
    page.context.close()
