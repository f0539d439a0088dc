"""Quick polls (issue 11): a one-question poll an editor places on the home page, a council page or a
hearing; one vote per browser, a rate limit per address, the results shown after voting, working
without JavaScript (the form posts and comes back) and with it (the fetched answer replaces the
poll). Only a count per option is stored (core.polls)."""

import re

import pytest
from django.db import connection
from django.test import Client
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from core.cache import HIT_HEADER
from core.polls import QuickPollCount, cookie_name
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory
from tests.councils import factories as council_factories

pytestmark = pytest.mark.django_db

QUESTION = "Skal der være flere bænke i Valbyparken?"


def poll(question=QUESTION, options=("Ja", "Nej", "Ved ikke"), closed=False):
    return ("poll", {"question": question, "help_text": "", "options": list(options), "closed": closed})


def with_polls(page, field, *polls):
    setattr(page, field, list(polls))
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def ids(page, field="polls", index=0):
    child = [c for c in getattr(page, field) if c.block_type == "poll"][index]
    options = {str(item.value): str(item.id) for item in child.value["options"].bound_blocks}
    return str(child.id), options


@pytest.fixture
def home(home_page):
    return with_polls(home_page, "polls", poll())


def vote_url(page, poll_id):
    return f"/afstemning/{page.pk}/{poll_id}/"


def counts(page):
    return dict(QuickPollCount.objects.filter(page=page).values_list("option_id", "votes"))


def test_the_home_page_shows_the_poll_and_a_vote_shows_the_results(client, home):
    poll_id, options = ids(home)
    page = client.get("/").content.decode()
    assert QUESTION in page and f'action="{vote_url(home, poll_id)}"' in page
    assert "Ved ikke" in page and "stemmer i alt" not in page  # no results before voting

    voted = client.post(vote_url(home, poll_id), {"option": options["Nej"]})
    assert voted.status_code == 302 and voted.url == f"/#poll-{poll_id}"
    assert cookie_name(poll_id) in voted.cookies
    assert counts(home) == {options["Nej"]: 1}
    client.post(vote_url(home, poll_id), {"option": options["Ja"]}, REMOTE_ADDR="10.0.0.2")  # same browser
    other = Client(REMOTE_ADDR="10.0.0.3")
    other.post(vote_url(home, poll_id), {"option": options["Ja"]})
    other.post(vote_url(home, poll_id), {"option": options["Ja"]})  # refused: voted from this browser
    assert counts(home) == {options["Nej"]: 1, options["Ja"]: 1}

    after = client.get("/").content.decode()
    assert "Du har stemt. Sådan har alle stemt indtil nu:" in after
    assert "2 stemmer i alt" in after and "50,0 %" in after
    assert f'action="{vote_url(home, poll_id)}"' not in after  # no second form


def test_a_second_vote_from_the_same_browser_is_refused_in_danish(client, home):
    poll_id, options = ids(home)
    client.post(vote_url(home, poll_id), {"option": options["Ja"]})
    again = client.post(vote_url(home, poll_id), {"option": options["Nej"]})
    assert again.status_code == 409
    assert "Du har allerede stemt fra denne browser." in again.content.decode()
    assert counts(home) == {options["Ja"]: 1}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vælg et svar, før du stemmer."),
        ({"option": "ikke-en-svarmulighed"}, "Vælg et af de viste svar."),
    ],
)
def test_no_or_a_forged_option_is_refused_and_nothing_counted(client, home, data, message):
    poll_id, _options = ids(home)
    refused = client.post(vote_url(home, poll_id), data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert message in body and QUESTION in body
    assert f'action="{vote_url(home, poll_id)}"' in body  # the form again, on a page of its own
    assert cookie_name(poll_id) not in refused.cookies
    assert not QuickPollCount.objects.exists()


def test_an_option_of_another_poll_is_refused(client, home_page):
    home = with_polls(home_page, "polls", poll(), poll("Skal biblioteket åbne tidligere?", ("Ja", "Nej")))
    first_id, _first = ids(home, index=0)
    _second_id, second = ids(home, index=1)
    refused = client.post(vote_url(home, first_id), {"option": second["Ja"]})
    assert refused.status_code == 400
    assert not QuickPollCount.objects.exists()


def test_unknown_poll_or_unpublished_page_is_404(client, home):
    poll_id, options = ids(home)
    assert client.post(vote_url(home, "0" * 36), {"option": options["Ja"]}).status_code == 404
    assert client.post(f"/afstemning/999999/{poll_id}/", {"option": options["Ja"]}).status_code == 404
    home.unpublish()
    assert client.post(vote_url(home, poll_id), {"option": options["Ja"]}).status_code == 404
    assert not QuickPollCount.objects.exists()


def test_a_closed_poll_shows_its_results_and_takes_no_votes(client, home_page):
    home = with_polls(home_page, "polls", poll(closed=True))
    poll_id, options = ids(home)
    page = client.get("/").content.decode()
    assert "Afstemningen er lukket. Resultat:" in page and "0 stemmer i alt" in page
    refused = client.post(vote_url(home, poll_id), {"option": options["Ja"]})
    assert refused.status_code == 400
    assert "Afstemningen er lukket." in refused.content.decode()
    assert not QuickPollCount.objects.exists()


def test_votes_are_rate_limited_per_address(home, settings):
    settings.QUICK_POLL_RATE_IP = "2/h"
    poll_id, options = ids(home)
    for _n in range(2):
        assert Client().post(vote_url(home, poll_id), {"option": options["Ja"]}).status_code == 302
    limited = Client().post(vote_url(home, poll_id), {"option": options["Ja"]})
    assert limited.status_code == 429
    assert "Der er stemt for mange gange fra din forbindelse på kort tid." in limited.content.decode()
    assert counts(home) == {options["Ja"]: 2}


def test_the_page_script_gets_the_results_in_place(client, home):
    poll_id, options = ids(home)
    answered = client.post(vote_url(home, poll_id), {"option": options["Ja"]}, HTTP_X_REQUESTED_WITH="fetch")
    assert answered.status_code == 200
    fragment = answered.content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert "Tak for din stemme." in fragment and "1 stemme i alt" in fragment and "100,0 %" in fragment
    assert cookie_name(poll_id) in answered.cookies
    refused = client.post(vote_url(home, poll_id), {"option": options["Ja"]}, HTTP_X_REQUESTED_WITH="fetch")
    assert refused.status_code == 409 and "<html" not in refused.content.decode()


def test_only_counts_are_stored(client, home):
    poll_id, options = ids(home)
    client.post(vote_url(home, poll_id), {"option": options["Ja"]})
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_quickpollcount")
        columns = [c[0] for c in cursor.description]
        assert cursor.fetchall() and set(columns) == {"id", "page_id", "poll_id", "option_id", "votes"}


def test_a_council_page_and_a_hearing_take_a_poll(client, home_page):
    council = council_factories.council(
        council_factories.council_index(home_page), "Valby Lokaludvalg", "valby-lokaludvalg"
    )
    council = with_polls(council, "body", poll("Hvad skal lokaludvalget tage op først?", ("Trafik", "Grønne områder")))
    hearing = HearingFactory(parent=HearingIndexPageFactory(parent=home_page), slug="baenke")
    hearing = with_polls(hearing, "body", poll())
    for page, answer in ((council, "Trafik"), (hearing, "Ja")):
        poll_id, options = ids(page, field="body")
        assert f'action="{vote_url(page, poll_id)}"' in client.get(page.url).content.decode()
        voted = client.post(vote_url(page, poll_id), {"option": options[answer]})
        assert voted.url == f"{page.url}#poll-{poll_id}"
        assert "1 stemme i alt" in client.get(page.url).content.decode()


def test_the_cached_page_shows_the_form_and_a_voter_gets_the_results(home, settings):
    settings.PAGE_CACHE_ENABLED = True
    poll_id, options = ids(home)
    visitor, voter = Client(), Client()
    visitor.get("/")
    cached = visitor.get("/")
    assert cached[HIT_HEADER] == "hit" and "Stem" in cached.content.decode()
    voter.post(vote_url(home, poll_id), {"option": options["Ja"]})
    page = voter.get("/")
    assert HIT_HEADER not in page or page[HIT_HEADER] != "hit"
    assert "1 stemme i alt" in page.content.decode()
    assert "1 stemme i alt" not in visitor.get("/").content.decode()


def test_an_editor_places_a_poll_on_the_home_page_in_the_admin(staff_client, home_page):
    """The admin's page editor offers the block and publishing it puts a working poll on the page."""
    edit = f"/admin/pages/{home_page.pk}/edit/"
    assert "Hurtig afstemning" in staff_client.get(edit).content.decode()
    options = {"count": 2}
    for n, label in enumerate(["Ja", "Nej"]):
        options[str(n)] = {"value": label, "deleted": "", "order": str(n), "id": ""}
    data = nested_form_data(
        {
            "title": home_page.title,
            "slug": home_page.slug,
            "intro": rich_text(""),
            "polls": streamfield([("poll", {"question": QUESTION, "help_text": "", "options": options, "closed": ""})]),
            "action-publish": "action-publish",
        }
    )
    published = staff_client.post(edit, data)
    assert published.status_code == 302, published.content.decode()[:3000]
    home = type(home_page).objects.get(pk=home_page.pk)
    poll_id, answers = ids(home)
    assert list(answers) == ["Ja", "Nej"]
    visitor = Client()
    assert QUESTION in visitor.get("/").content.decode()
    assert visitor.post(vote_url(home, poll_id), {"option": answers["Ja"]}).status_code == 302
    assert counts(home) == {answers["Ja"]: 1}


def test_in_arabic_the_danish_poll_is_marked_danish_and_left_to_right(client, home):
    """The poll's own texts are the editor's Danish: inside a right-to-left page they are marked
    lang="da" dir="ltr", or the browser puts a Danish question mark at the wrong end (»?planer«)."""

    poll_id, options = ids(home)
    page = client.get("/?lang=ar").content.decode()
    assert re.search(
        rf'<h2 class="h3" id="poll-{poll_id}-heading" lang="da" dir="ltr">{re.escape(QUESTION)}</h2>', page
    )
    assert re.search(r'<label class="form-label" for="poll-[^"]+" lang="da" dir="ltr">Ved ikke</label>', page)

    client.post(vote_url(home, poll_id) + "?lang=ar", {"option": options["Ja"]})
    results = client.get("/?lang=ar").content.decode()
    assert re.search(r'<th scope="row" class="weight-normal" lang="da" dir="ltr">Ja</th>', results)

    danish = client.get("/?lang=da").content.decode()
    assert f'id="poll-{poll_id}-heading">{QUESTION}</h2>' in danish  # a Danish reader: nothing to mark
