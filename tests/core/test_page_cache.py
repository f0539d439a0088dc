"""The page cache (core.cache): what anonymous visitors are served, what purges it, forms on cached pages.

Every test here runs with the cache on, once with local memory and once with Redis (DB 14, a key
prefix of its own, deleted afterwards); on PostgreSQL with DATABASE_URL set.
"""

import re
import threading
import uuid
from datetime import timedelta

import pytest
import redis
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from consultations.models import Response
from consultations.surveys import views as survey_views
from core import polls
from core.cache import HIT_HEADER, PageCacheMiddleware, generations, page_cache, purge_now, site_cached
from core.cache_backends import RedisCache
from tests.consultations.factories import HearingFactory, HearingIndexPageFactory, ResponseFactory
from tests.consultations.survey_factories import SurveyIndexPageFactory, make_survey
from tests.councils import factories as council_factories

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def cache_on(request, settings):
    """The page cache switched on, in local memory or in Redis."""
    prefix = f"test-pagecache-{uuid.uuid4().hex[:8]}"
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                "BACKEND": "core.cache_backends.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            },
        }
    settings.PAGE_CACHE_ENABLED = True
    yield request.param
    if request.param == "redis":
        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


@pytest.fixture
def hearing(home_page):
    index = HearingIndexPageFactory(parent=home_page)
    return HearingFactory(parent=index, title="Cykelstier i Valby", slug="cykelstier")


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def html(client, url):
    return get(client, url).content.decode()


# --- Served from the cache ---------------------------------------------------------------------


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(cache_on, client, hearing):
    first = get(client, hearing.url)
    assert first[HIT_HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = get(Client(), hearing.url)
    assert second[HIT_HEADER] == "hit"
    assert len(queries.captured_queries) == 0
    assert "Cykelstier i Valby" in second.content.decode()
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"


def _count_cache_calls(cache, monkeypatch):
    """The calls made to `cache` from outside it, by name (local memory's get_many calls its get)."""
    calls, inside = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "set", "set_many", "add", "delete", "has_key", "touch"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    return calls


def test_a_hit_is_one_round_trip_to_the_cache(cache_on, client, hearing, monkeypatch):
    """The generations of the site and the path and the stored page come in one MGET."""
    get(client, hearing.url)
    calls = _count_cache_calls(page_cache(), monkeypatch)
    assert get(Client(), hearing.url)[HIT_HEADER] == "hit"
    assert calls == ["get_many"]


def test_a_site_wide_value_is_read_in_one_round_trip_and_rebuilt_after_a_site_purge(cache_on, monkeypatch):
    builds = []

    def build():
        builds.append(1)
        return f"value {len(builds)}"

    assert site_cached("test-value", build) == "value 1"
    calls = _count_cache_calls(page_cache(), monkeypatch)
    assert site_cached("test-value", build) == "value 1"
    assert calls == ["get_many"]
    purge_now([], site=True)
    assert site_cached("test-value", build) == "value 2"
    assert site_cached("test-value", build) == "value 2"


def test_the_redis_cache_makes_one_client_not_one_per_call(monkeypatch):
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"test-pagecache-{uuid.uuid4().hex[:8]}"
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    made = []
    original = redis.Redis.__init__
    monkeypatch.setattr(redis.Redis, "__init__", lambda self, *a, **k: (made.append(1), original(self, *a, **k))[1])
    cache.set("a", 1)
    assert (cache.get("a"), cache.get_many(["a", "b"]), cache.add("a", 2), cache.delete("a")) == (
        1,
        {"a": 1},
        False,
        True,
    )
    assert len(made) == 1


def test_languages_and_query_strings_are_kept_apart(cache_on, client, hearing):
    for n in range(25):
        ResponseFactory(hearing=hearing, published=True, name=f"Svarer {n:02d}")
    get(client, hearing.url)
    english = Client()
    english.cookies["medborger_language"] = "en"
    assert 'lang="en"' in html(english, hearing.url)
    assert 'lang="da"' in html(Client(), hearing.url)
    page_two = html(Client(), hearing.url + "?svar-side=2")
    assert page_two != html(Client(), hearing.url)


def test_logged_in_users_and_sessions_bypass_the_cache(cache_on, client, hearing, user_factory):
    get(client, hearing.url)
    user = user_factory(email="anna@example.org", first_name="Anna", last_name="Andersen")
    member = Client()
    member.force_login(user)
    response = get(member, hearing.url)
    assert HIT_HEADER not in response
    assert response["Cache-Control"] == "private"
    assert "Min side" in response.content.decode()


def test_signed_in_visits_do_not_read_the_view_restrictions_again_for_the_cache(cache_on, hearing, user_factory):
    """Only Wagtail's own check reads them: the cache never keeps a signed-in visitor's page."""
    member = Client()
    member.force_login(user_factory(email="anna@example.org"))
    with CaptureQueriesContext(connection) as queries:
        get(member, hearing.url)
    # Page.get_view_restrictions(): the restrictions of the page and its ancestors, by page id.
    lookup = 'WHERE "wagtailcore_pageviewrestriction"."page_id" IN'
    assert sum(lookup in q["sql"] for q in queries.captured_queries) == 1


def test_a_page_with_a_view_restriction_is_never_stored(cache_on, client, hearing):
    PageViewRestriction.objects.create(page=hearing, restriction_type=PageViewRestriction.LOGIN)
    client.get(hearing.url)
    assert HIT_HEADER not in client.get(hearing.url)


def test_a_view_restriction_on_a_parent_takes_the_pages_below_out_of_the_cache_at_once(cache_on, home_page):
    """A council's page (below the council index, so no site-wide purge) restricted to logged-in
    visitors: its hearing was kept for anonymous visitors and must not be served from the cache."""
    council = council_factories.council(council_factories.council_index(home_page), "Valby Lokaludvalg", "valby")
    hearing = HearingFactory(parent=council, title="Cykelstier i Valby", slug="cykelstier")
    _warm(hearing.url, council.url)
    PageViewRestriction.objects.create(page=council, restriction_type=PageViewRestriction.LOGIN)
    for url in (hearing.url, council.url):
        response = Client().get(url)
        assert response.status_code == 302 and "/konto/" in response["Location"], url
        assert "Cykelstier i Valby" not in response.content.decode()


def test_a_visitor_who_finds_the_page_being_rendered_waits_for_that_render(cache_on, client, hearing):
    """Stampede: while one render holds the lock, others wait for its entry instead of rendering."""
    cache = page_cache()
    path = hearing.url
    get(client, path)  # learn the key: the entry the middleware stored
    key, lock = _entry_and_lock(cache, cache_on, path)
    entry = cache.get(key)
    cache.delete(key)
    cache.add(lock, 1, 10)  # someone else is rendering
    renders = []
    original = PageCacheMiddleware.render_and_store

    def counting(self, *args):
        renders.append(1)
        return original(self, *args)

    threading.Timer(0.3, lambda: (cache.set(key, entry, 60), cache.delete(lock))).start()
    PageCacheMiddleware.render_and_store = counting
    try:
        response = get(Client(), path)
    finally:
        PageCacheMiddleware.render_and_store = original
    assert renders == []
    assert response[HIT_HEADER] == "hit"


def test_a_visitor_who_waits_for_the_render_of_a_page_that_is_not_kept_gets_that_page(cache_on, client, hearing):
    """Stampede on a page the cache does not keep (here: login required; the poll-card page of an
    election alike): the first render stores »not public« and the visitors waiting for it are
    answered by the view, as the first one was, instead of a server error (seen in bench/: 20
    voters opening the poll-card page at once, 3 got a 500 and so no CSRF cookie)."""
    PageViewRestriction.objects.create(page=hearing, restriction_type=PageViewRestriction.LOGIN)
    cache = page_cache()
    path = hearing.url
    first = client.get(path)
    assert first.status_code == 302 and "/konto/" in first["Location"]
    key, lock = _entry_and_lock(cache, cache_on, path)
    stored = cache.get(key)
    cache.delete(key)
    cache.add(lock, 1, 10)  # the first visitor's render is under way
    threading.Timer(0.3, lambda: (cache.set(key, stored, 60), cache.delete(lock))).start()
    waiting = Client(raise_request_exception=False).get(path)
    assert waiting.status_code == 302, waiting.status_code
    assert waiting["Location"] == first["Location"]
    assert waiting["Cache-Control"] == first["Cache-Control"]
    assert "public" not in waiting["Cache-Control"]


def _entry_and_lock(cache, kind, path):
    """The key of the one stored page, and the key of the lock a render of it under the current
    generation takes."""
    keys = [k for k in _keys(cache, kind) if k.startswith("pagecache:entry:") and not k.endswith(":lock")]
    assert len(keys) == 1
    gens = generations(["__site__", path], cache)
    return keys[0], PageCacheMiddleware.lock_key(keys[0], f"{gens['__site__']}:{gens[path]}")


def _keys(cache, kind):
    if kind == "locmem":
        return [k.split(":", 2)[2] for k in cache._cache]
    prefix = cache.key_prefix
    server = redis.Redis.from_url(REDIS_URL)
    return [k.decode().split(":", 2)[2] for k in server.scan_iter(f"{prefix}:*")]


# --- Exact invalidation: the next anonymous request shows each change --------------------------


def _warm(*urls):
    for url in urls:
        get(Client(), url)
        assert get(Client(), url)[HIT_HEADER] == "hit"


def test_publishing_a_page_shows_at_once_on_the_page_its_index_and_the_home_page(cache_on, hearing):
    index = hearing.get_parent()
    _warm(hearing.url, index.url, "/")
    hearing.title = "Cykelstier i hele Valby"
    hearing.save_revision().publish()
    for url in (hearing.url, index.url, "/"):
        assert "Cykelstier i hele Valby" in html(Client(), url), url


def test_unpublishing_a_page_removes_it_at_once(cache_on, hearing):
    index = hearing.get_parent()
    _warm(hearing.url, index.url)
    hearing.unpublish()
    assert Client().get(hearing.url).status_code == 404
    assert "Cykelstier i Valby" not in html(Client(), index.url)


def test_moving_a_page_serves_it_at_the_new_address(cache_on, hearing, home_page):
    index = hearing.get_parent()
    other = HearingIndexPageFactory(parent=home_page, title="Andre høringer", slug="andre")
    old_url = hearing.url
    _warm(old_url, index.url, other.url)
    hearing.move(other, pos="last-child")
    hearing.refresh_from_db()
    moved = Client().get(old_url)  # Wagtail's automatic redirect, not the cached page
    assert (moved.status_code, moved["Location"]) == (301, hearing.url)
    assert "Cykelstier i Valby" in html(Client(), hearing.url)
    assert "Cykelstier i Valby" in html(Client(), other.url)


def test_publishing_a_response_shows_it_at_once(cache_on, hearing):
    response = ResponseFactory(hearing=hearing, name="Bente Borger")
    _warm(hearing.url)
    response.publish()
    assert "Bente Borger" in html(Client(), hearing.url)


def test_a_withheld_response_is_gone_for_the_next_visitor(cache_on, hearing):
    response = ResponseFactory(hearing=hearing, published=True, name="Bente Borger", text="Et svar med navne")
    index = hearing.get_parent()
    _warm(hearing.url, hearing.url + "?svar-side=1", index.url)
    assert "Bente Borger" in html(Client(), hearing.url)
    response.withhold("Indeholder personoplysninger om en nabo")
    for url in (hearing.url, hearing.url + "?svar-side=1"):
        page = html(Client(), url)
        assert "Bente Borger" not in page
        assert "Et svar med navne" not in page


def test_a_redacted_response_shows_only_the_redacted_text(cache_on, hearing):
    response = ResponseFactory(hearing=hearing, published=True, text="Min nabo Hans er syg")
    _warm(hearing.url)
    response.redact("Min nabo [redigeret]")
    page = html(Client(), hearing.url)
    assert "Min nabo [redigeret]" in page
    assert "Hans er syg" not in page


def test_a_new_meeting_shows_on_the_council_page_and_in_its_calendar(cache_on, home_page):
    index = council_factories.council_index(home_page)
    council = council_factories.council(index, "Valby Lokaludvalg", "lokaludvalg-valby")
    calendar = f"/raad/{council.slug}/kalender.ics"
    _warm(council.url, calendar)
    meeting = council_factories.meeting(council, "moede-marts", title="Marts-mødet", live=False)
    meeting.save_revision().publish()
    assert "Marts-mødet" in html(Client(), council.url)
    assert "Marts-mødet" in html(Client(), calendar)


def test_a_new_statement_shows_on_the_council_page(cache_on, home_page):
    index = council_factories.council_index(home_page)
    council = council_factories.council(index, "Valby Lokaludvalg", "lokaludvalg-valby")
    _warm(council.url)
    statement = council_factories.statement(council, "udtalelse-budget", title="Udtalelse om budget 2027")
    statement.save_revision().publish()
    assert "Udtalelse om budget 2027" in html(Client(), council.url)


def test_concluding_a_hearing_shows_the_summary_at_once(cache_on, home_page):
    index = HearingIndexPageFactory(parent=home_page)
    past = timezone.now() - timedelta(days=30)
    hearing = HearingFactory(parent=index, opens_at=past, closes_at=past + timedelta(days=14))
    _warm(hearing.url, index.url)
    hearing.conclude()
    assert "Høringsnotat" in html(Client(), hearing.url)


def test_a_published_result_shows_at_once(cache_on, home_page):
    import time_machine

    from elections.models import ElectionPage
    from tests.elections import factories as election_factories

    start = timezone.now().replace(microsecond=0)
    council = election_factories.council(home_page)
    election = election_factories.election(
        council,
        nominations_open_at=start + timedelta(days=1),
        nominations_close_at=start + timedelta(days=5),
        voting_opens_at=start + timedelta(days=6),
        voting_closes_at=start + timedelta(days=10),
    )
    election_factories.add_voters(election, 2)
    with time_machine.travel(start + timedelta(days=2), tick=False):
        election_factories.candidate(election, "Anna")
        election_factories.candidate(election, "Bo")
    with time_machine.travel(start + timedelta(days=5, hours=1), tick=False):
        election.freeze_roll()
        election.close_nominations()
        election_factories.trustees(election)
        election.open_voting()
    with time_machine.travel(start + timedelta(days=10, hours=1), tick=False):
        election = ElectionPage.objects.get(pk=election.pk)
        election.close()
        election_factories.decrypt(election)
        election = ElectionPage.objects.get(pk=election.pk)
        election.count()
        results = f"/valg/{election.pk}/resultat/"
        assert Client().get(results).status_code == 404  # not published yet, and never stored
        _warm(election.url, "/valg/")
        ElectionPage.objects.get(pk=election.pk).publish_results()
        assert Client().get(results).status_code == 200
        assert results in html(Client(), election.url)


# --- Forms on cached pages ---------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def test_each_visitor_of_a_cached_page_gets_their_own_token_and_submission_key(cache_on, hearing):
    first, second = Client(), Client()
    page_one = html(first, hearing.url)
    response = get(second, hearing.url)
    page_two = response.content.decode()
    assert response[HIT_HEADER] == "hit"
    assert SUBMISSION_KEY.search(page_one).group(1) != SUBMISSION_KEY.search(page_two).group(1)
    tokens = set(CSRF.findall(page_two))
    cookie = second.cookies["csrftoken"].value
    assert tokens and all(_unmask_cipher_token(t) == cookie for t in tokens)
    assert _unmask_cipher_token(CSRF.search(page_one).group(1)) != cookie


def test_the_response_form_on_a_cached_page_submits_without_javascript(cache_on, hearing):
    get(Client(), hearing.url)  # someone else's visit filled the cache
    visitor = Client(enforce_csrf_checks=True)
    page = get(visitor, hearing.url)
    assert page[HIT_HEADER] == "hit"
    body = page.content.decode()
    data = {
        "csrfmiddlewaretoken": CSRF.search(body).group(1),
        "submission_key": SUBMISSION_KEY.search(body).group(1),
        "name": "Carl Cyklist",
        "email": "carl@example.org",
        "postcode": "2500",
        "respondent": "person",
        "text": "Flere cykelstier, tak.",
        "consent": "on",
    }
    response = visitor.post(hearing.url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Response.objects.filter(hearing=hearing, name="Carl Cyklist").count() == 1


def test_a_forged_post_without_a_token_is_refused(cache_on, hearing):
    get(Client(), hearing.url)
    forger = Client(enforce_csrf_checks=True)
    body = html(forger, hearing.url)
    data = {"submission_key": SUBMISSION_KEY.search(body).group(1), "name": "X", "email": "x@example.org"}
    data.update(postcode="2500", respondent="person", text="Falsk", consent="on")
    assert forger.post(hearing.url, data).status_code == 403
    assert not Response.objects.filter(name="X").exists()


def test_users_never_get_each_others_name_token_or_messages(cache_on, hearing, user_factory):
    """Two logged-in users and anonymous visitors, interleaved."""
    anna = user_factory(email="anna@example.org", first_name="Anna", last_name="Ankersen")
    bo = user_factory(email="bo@example.org", first_name="Bo", last_name="Bundgaard")
    anna_client, bo_client, anonymous = Client(), Client(), Client()
    anna_client.force_login(anna)
    bo_client.force_login(bo)

    seen = {}
    for who, client in [("anon", anonymous), ("anna", anna_client), ("anon", Client()), ("bo", bo_client)] * 2:
        body = html(client, hearing.url)
        seen.setdefault(who, []).append(body)
        cookie = client.cookies["csrftoken"].value
        assert all(_unmask_cipher_token(t) == cookie for t in CSRF.findall(body)), who
        if who != "anna":
            assert "Ankersen" not in body and "anna@example.org" not in body
        if who != "bo":
            assert "Bundgaard" not in body and "bo@example.org" not in body
    assert 'value="anna@example.org"' in seen["anna"][0]
    assert 'value="bo@example.org"' in seen["bo"][0]

    # A message for Anna (after an action) reaches Anna only.
    storage = CookieStorage(RequestFactory().get("/"))
    anna_client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Tak for dit svar, Anna")])
    assert "Tak for dit svar, Anna" in html(anna_client, hearing.url)
    for client in (anonymous, Client(), bo_client):
        assert "Tak for dit svar, Anna" not in html(client, hearing.url)


def test_pages_not_kept_by_the_cache_are_private_for_proxies(cache_on, client, hearing):
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private"


# --- Browser marks (a quick poll voted in, a survey answered): personal only where they are read ----


def _marked(client, name, salt):
    """`client` carries the browser mark `name` as the site sets it (core.browser_marks)."""
    client.cookies[name] = signing.get_cookie_signer(salt=name + salt).sign("1")
    return client


def _home_with_poll(home_page):
    home_page.polls = [
        ("poll", {"question": "Flere bænke?", "help_text": "", "options": ["Ja", "Nej"], "closed": False})
    ]
    home_page.save_revision().publish()
    home = type(home_page).objects.get(pk=home_page.pk)
    child = next(c for c in home.polls if c.block_type == "poll")
    options = {str(item.value): str(item.id) for item in child.value["options"].bound_blocks}
    return home, str(child.id), options


def test_a_voter_in_a_quick_poll_gets_pages_without_that_poll_from_the_cache(cache_on, hearing, home_page):
    """The poll's cookie (path /, 400 days) is read only on the page with the poll: on the hearing
    page the voter is an anonymous visitor like any other."""
    home, poll_id, options = _home_with_poll(home_page)
    voter = Client()
    assert voter.post(f"/afstemning/{home.pk}/{poll_id}/", {"option": options["Ja"]}).status_code == 302
    assert polls.cookie_name(poll_id) in voter.cookies
    _warm(hearing.url)
    served = get(voter, hearing.url)
    assert served[HIT_HEADER] == "hit"
    assert "Cykelstier i Valby" in served.content.decode()


@pytest.mark.parametrize("voter_first", [True, False])
def test_the_page_with_the_poll_is_never_served_from_the_cache_to_its_voter_nor_theirs_to_others(
    cache_on, home_page, voter_first
):
    home, poll_id, options = _home_with_poll(home_page)
    voter = Client()
    assert voter.post(f"/afstemning/{home.pk}/{poll_id}/", {"option": options["Nej"]}).status_code == 302
    visitor = Client()
    for turn in ((voter, visitor) if voter_first else (visitor, voter)) * 2:
        page = get(turn, "/")
        body = page.content.decode()
        if turn is voter:
            assert page.get(HIT_HEADER) != "hit"
            assert page["Cache-Control"] == "private"
            assert "1 stemme i alt" in body
        else:
            assert "1 stemme i alt" not in body
            assert f'action="/afstemning/{home.pk}/{poll_id}/"' in body
    assert get(Client(), "/")[HIT_HEADER] == "hit"  # the form page is kept for everyone else


def test_a_survey_answered_in_this_browser_is_personal_on_the_survey_only(cache_on, client, hearing, home_page):
    survey = make_survey(SurveyIndexPageFactory(parent=home_page))
    assert survey.access == "anyone"
    _warm(survey.url, hearing.url)
    answered = _marked(Client(), f"survey-{survey.pk}", survey_views.COOKIE_SALT)
    refused = answered.get(survey.url)
    assert refused.status_code == 409
    assert "Der er allerede svaret på undersøgelsen fra denne browser." in refused.content.decode()
    assert refused["Cache-Control"] == "private"
    assert get(answered, hearing.url)[HIT_HEADER] == "hit"
    # Another survey's mark changes nothing on this survey's page.
    other = _marked(Client(), f"survey-{survey.pk + 1000}", survey_views.COOKIE_SALT)
    assert get(other, survey.url)[HIT_HEADER] == "hit"
    assert get(Client(), survey.url)[HIT_HEADER] == "hit"
