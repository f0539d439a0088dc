"""Online voting: poll-card login, encrypted ballot, cast, receipt; refusals; what is logged."""

import datetime
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from elections.models import AlreadyVoted, AuditLogEntry, Ballot, ElectionPage, PollCardFailure, Voter
from tests.helpers import csp_directives

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(election):
    voters = factories.add_voters(election, 5)
    alice = factories.candidate(election, "Alice Ahmadi")
    bob = factories.candidate(election, "Bo Berg")
    election = factories.open_for_voting(election)
    voter = voters[0][1]
    code = voter.issue_poll_card()
    return election, voter, code, alice, bob


def login(client, election, code, birth="17-05-1980"):
    return client.post(reverse("elections:vote", args=[election.pk]), {"code": code, "birth_date": birth})


def cast_post(client, election, ballot):
    return client.post(reverse("elections:cast", args=[election.pk]), {"ballot": ballot})


def test_full_online_vote(client, ready):
    election, voter, code, alice, _bob = ready
    response = login(client, election, code)
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:ballot", args=[election.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Alice Ahmadi" in html
    assert 'id="election-params"' in html, "the ballot page carries the election parameters for the browser"
    scripts = re.findall(r'<script src="/static/([^"]+)"', html)
    assert scripts[-4:] == [
        "libsodium/libsodium-sumo.js",
        "libsodium/libsodium-wrappers.js",
        "elections/js/election-protocol.js",
        "elections/js/election-ballot.js",
    ], "the protocol's libraries, then the ballot's script"
    policy = csp_directives(page["Content-Security-Policy"])
    assert policy["script-src"] == "'self' 'wasm-unsafe-eval'", "libsodium's WebAssembly, nothing inline"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    cast = cast_post(client, election, factories.ballot_for(election, alice))
    assert cast.status_code == 302
    receipt = client.get(cast["Location"]).content.decode()
    ballot = Ballot.objects.get()
    assert ballot.tracker in receipt
    assert ballot.chain in receipt, "the receipt carries the board head after the ballot"
    assert "Alice Ahmadi" not in receipt
    stored = json.loads(ballot.content)
    assert set(stored) == {"election", "choices", "overall"}, "only ciphertexts and proofs are stored"
    assert all(set(choice) == {"alpha", "beta", "proof"} for choice in stored["choices"])
    voter.refresh_from_db()
    assert voter.voted_channel == Voter.Channel.ONLINE
    # The receipt is shown once: the signed cookie is gone, nothing is in a server session.
    assert client.get(cast["Location"]).status_code == 302
    # Same person again: refused, nothing stored.
    client.cookies.clear()
    again = login(client, election, code)
    assert again.status_code == 403
    assert "allerede stemt" in again.content.decode()
    assert Ballot.objects.count() == 1


def test_ballot_needs_the_code_step(client, ready):
    election, _voter, _code, alice, _bob = ready
    response = client.get(reverse("elections:ballot", args=[election.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("elections:vote", args=[election.pk])
    cast = cast_post(client, election, factories.ballot_for(election, alice))
    assert cast.status_code == 302
    assert Ballot.objects.count() == 0


def test_a_forged_voter_cookie_is_not_a_login(client, ready):
    election, voter, _code, alice, _bob = ready
    client.cookies["medborger_stem"] = f'{{"election": {election.pk}, "voter": {voter.pk}}}'
    cast = cast_post(client, election, factories.ballot_for(election, alice))
    assert cast.status_code == 302 and cast["Location"] == reverse("elections:vote", args=[election.pk])
    assert Ballot.objects.count() == 0


def test_every_login_failure_gets_the_same_message(client, ready):
    election, voter, code, _alice, _bob = ready
    wrong_code = login(client, election, "AAAA-BBBB-CCCC").content.decode()
    wrong_birth = login(client, election, code, birth="18-05-1980").content.decode()

    def message(html):
        start = html.index("error-summary")
        return html[start : html.index("</ul>", start)]

    assert message(wrong_code) == message(wrong_birth)
    assert "Koden eller fødselsdatoen er ikke rigtig" in message(wrong_code)
    assert 'value="AAAA-BBBB-CCCC"' in wrong_code, "the form keeps what was typed"


def test_lockout_after_repeated_failures(client, ready):
    election, voter, code, _alice, _bob = ready
    for _ in range(5):
        login(client, election, code, birth="01-01-1990")
    voter.refresh_from_db()
    assert voter.locked_at is not None
    # Even the right birth date is now refused, with the same message.
    response = login(client, election, code)
    assert response.status_code == 200
    assert "Koden eller fødselsdatoen er ikke rigtig" in response.content.decode()
    assert AuditLogEntry.objects.filter(action="pollcard.lock").exists()


def test_wrong_codes_from_an_address_do_not_refuse_a_correct_login_there(client, ready):
    """Before: five wrong codes from one address in 15 minutes refused every login from it, correct
    ones included, so one guesser in a library locked out everyone on its network."""
    election, _voter, code, _alice, _bob = ready
    for i in range(5):
        login(client, election, f"ZZZZ-ZZZZ-ZZZ{i}")
    assert PollCardFailure.objects.count() == 5
    response = login(client, election, code)
    assert response.status_code == 302 and response["Location"].endswith("/stemmeseddel/")


WAIT = "Der har været mange forkerte forsøg fra dit netværk. Vent"


def test_many_wrong_codes_from_an_address_make_it_wait_a_growing_delay(client, ready, settings, time_machine):
    election, voter, code, _alice, _bob = ready
    time_machine.move_to(datetime.datetime(2026, 11, 17, 10, 0, tzinfo=datetime.UTC), tick=False)
    for i in range(settings.LOGIN_FAILURES_FREE):
        assert (
            "Koden eller fødselsdatoen er ikke rigtig"
            in login(client, election, f"ZZZZ-ZZZZ-ZZ{i:02d}").content.decode()
        )
    # The 11th attempt, even with the right code, waits 2 seconds; it is not checked and not counted.
    waiting = login(client, election, code).content.decode()
    assert f"{WAIT} 2 sekunder, og prøv igen." in waiting
    assert f'value="{code}"' in waiting, "the form keeps what was typed"
    assert PollCardFailure.objects.count() == settings.LOGIN_FAILURES_FREE
    # Each further refusal doubles the wait: 4, 8, 16, 32, then at most 60 seconds.
    for delay in (4, 8, 16, 32, 60, 60):
        time_machine.shift(60)
        login(client, election, "ZZZZ-ZZZZ-ZZZZ")
        assert f"{WAIT} {delay} sekunder" in login(client, election, code).content.decode()
    # Once the wait is over the voter gets in (the card was never locked by the address's failures).
    time_machine.shift(60)
    assert login(client, election, code)["Location"].endswith("/stemmeseddel/")
    voter.refresh_from_db()
    assert voter.locked_at is None


def test_thirty_voters_behind_one_address_get_in_while_a_guesser_there_is_stopped(crowd, settings, time_machine):
    """A language school's network: 30 voters log in with their own cards, one a minute, while
    someone on the same network guesses codes all the time (a wrong guess every 5 seconds). Every
    voter gets in (if told to wait, they wait as told and send again); the guesser's guesses
    are checked at most once per delay, at most once a minute at the end, and even a right code
    guessed inside the wait is not checked."""
    election, cards, _alice = crowd
    clock = datetime.datetime(2026, 11, 17, 10, 0, tzinfo=datetime.UTC)
    time_machine.move_to(clock, tick=False)
    network = "198.51.100.7"
    guesser = Client(REMOTE_ADDR=network)
    guesses = waits = 0
    for n, (voter, code) in enumerate(cards[:30]):
        for _ in range(12):  # one minute of guessing
            guesses += 1
            if WAIT in login(guesser, election, f"ZZZZ-{n:04d}-{guesses:04d}").content.decode():
                waits += 1
            time_machine.shift(5)
        browser = Client(REMOTE_ADDR=network)
        response = login(browser, election, code)
        if response.status_code == 200:
            told = response.content.decode()
            assert WAIT in told, (voter.card_number, told)
            seconds = int(told.split(f"{WAIT} ")[1].split(" ")[0])
            assert seconds <= settings.LOGIN_DELAY_MAX_SECONDS
            time_machine.shift(seconds)
            response = login(browser, election, code)
        assert response.status_code == 302 and response["Location"].endswith("/stemmeseddel/"), voter.card_number
    assert not Voter.objects.filter(locked_at__isnull=False).exists()
    # 360 guesses in 30 minutes; only those outside the wait were checked, spaced by the delay.
    checked = list(PollCardFailure.objects.order_by("created_at").values_list("created_at", flat=True))
    assert len(checked) + waits == guesses == 360
    assert len(checked) <= settings.LOGIN_FAILURES_FREE + 5 + 30, len(checked)  # 10 free, 2+4+8+16+32 s, then 1/min
    gaps = [(b - a).total_seconds() for a, b in zip(checked[15:], checked[16:], strict=False)]
    assert gaps and min(gaps) >= settings.LOGIN_DELAY_MAX_SECONDS
    # Right after a checked guess, a right code (the 31st voter's) is not even checked.
    spare_voter, spare_code = cards[30]
    time_machine.shift(settings.LOGIN_DELAY_MAX_SECONDS)
    login(guesser, election, "ZZZZ-ZZZZ-ZZZZ")
    assert WAIT in login(guesser, election, spare_code).content.decode()


def test_cast_that_loses_a_race_to_another_channel_says_already_voted(client, ready, monkeypatch):
    election, _voter, code, alice, _bob = ready
    login(client, election, code)

    def checked_in_meanwhile(self, voter_id, ballot, outside=None):
        raise AlreadyVoted("Vælgeren har allerede stemt.")

    monkeypatch.setattr(ElectionPage, "cast_ballot", checked_in_meanwhile)
    cast = cast_post(client, election, "{}")
    assert cast.status_code == 403
    assert "Du har allerede stemt ved dette valg." in cast.content.decode()


def test_vote_after_close_is_refused(client, ready):
    election, voter, code, alice, _bob = ready
    login(client, election, code)
    ballot = factories.ballot_for(election, alice)
    ElectionPage.objects.get(pk=election.pk).close()
    cast = cast_post(client, election, ballot)
    assert cast.status_code == 403
    assert "Afstemningen er lukket. Der kan ikke længere afgives stemmer." in cast.content.decode()
    assert Ballot.objects.count() == 0
    voter.refresh_from_db()
    assert voter.voted_channel == ""


def test_vote_after_closing_time_is_refused(client, ready, time_machine):
    """Nobody pressed »close«: the closing time alone ends voting, for a voter already logged in."""
    election, voter, code, alice, _bob = ready
    login(client, election, code)
    ballot = factories.ballot_for(election, alice)
    time_machine.move_to(election.voting_closes_at + datetime.timedelta(minutes=1))
    cast = cast_post(client, election, ballot)
    assert cast.status_code == 403
    assert "Afstemningen er lukket. Der kan ikke længere afgives stemmer." in cast.content.decode()
    assert Ballot.objects.count() == 0
    voter.refresh_from_db()
    assert voter.voted_channel == ""
    assert not voter.has_voted


def test_paper_checkin_blocks_online_vote(client, ready):
    election, voter, code, alice, _bob = ready
    login(client, election, code)
    Voter.objects.filter(pk=voter.pk).update(voted_channel=Voter.Channel.PAPER)
    cast = cast_post(client, election, factories.ballot_for(election, alice))
    assert cast.status_code == 403
    assert "allerede stemt" in cast.content.decode()
    assert Ballot.objects.count() == 0


def test_application_log_of_a_vote_has_no_candidate_and_no_cast_line(client, ready, caplog):
    election, _voter, code, alice, _bob = ready
    caplog.set_level(logging.DEBUG)
    login(client, election, code)
    client.get(reverse("elections:ballot", args=[election.pk]))
    cast_post(client, election, factories.ballot_for(election, alice))
    assert Ballot.objects.count() == 1
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "cast" not in text.lower(), "no log line marks the moment of a cast"
    assert "Alice" not in text
    for entry in AuditLogEntry.objects.all():
        assert "Alice" not in entry.message + str(entry.data)
        assert not entry.action.startswith("ballot")


def test_group_restricted_voting(client, council):
    election = factories.election(
        council, slug="gruppevalg", groups=[("Gruppe A", 1, 0), ("Gruppe B", 1, 0)], group_voting_restricted=True
    )
    group_a, group_b = election.groups.all()
    voter = factories.add_voters(election, 1, group=group_a)[0][1]
    in_a = factories.candidate(election, "Anna A", group=group_a)
    in_b = factories.candidate(election, "Bent B", group=group_b)
    factories.candidate(election, "Anders A", group=group_a)
    election = factories.open_for_voting(election)
    code = voter.issue_poll_card()
    login(client, election, code)
    page = client.get(reverse("elections:ballot", args=[election.pk])).content.decode()
    assert f'for="kandidat-{in_a.pk}"' in page and f'for="kandidat-{in_b.pk}"' not in page, "own group only"
    assert 'data-outside="' in page
    # A ballot for another group's candidate cannot show that the other group's choices are 0.
    ballot, outside = factories.restricted_ballot_for(election, in_b, group_a)
    refused = client.post(reverse("elections:cast", args=[election.pk]), {"ballot": ballot, "outside": outside})
    assert refused.status_code == 400
    assert "egen gruppe" in refused.content.decode()
    missing = client.post(reverse("elections:cast", args=[election.pk]), {"ballot": ballot})
    assert missing.status_code == 400
    assert Ballot.objects.count() == 0
    ballot, outside = factories.restricted_ballot_for(election, in_a, group_a)
    client.post(reverse("elections:cast", args=[election.pk]), {"ballot": ballot, "outside": outside})
    assert Ballot.objects.count() == 1


def test_english_visitors_get_the_english_ballot_pages(client, ready):
    election, _voter, _code, _alice, _bob = ready
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("elections:vote", args=[election.pk]))
    html = response.content.decode()
    assert "Code from your poll card" in html
    assert "Continue to the ballot" in html


def test_poll_card_form_is_rate_limited(client, ready, settings):
    """The per-minute cap on refusals holds bursts the growing delay cannot (parallel requests)."""
    settings.LOGIN_FAILURES_FREE = 100
    election, _voter, _code, _alice, _bob = ready
    for i in range(20):
        assert login(client, election, f"QQQQ-QQQQ-QQ{i:02d}").status_code == 200
    assert login(client, election, "QQQQ-QQQQ-QQQQ").status_code == 429


@pytest.fixture
def crowd(election):
    """35 voters with their poll cards, all about to vote from one address (one NAT)."""
    voters = factories.add_voters(election, 35)
    alice = factories.candidate(election, "Alice Ahmadi")
    factories.candidate(election, "Bo Berg")
    election = factories.open_for_voting(election)
    return election, [(voter, voter.issue_poll_card()) for _cpr, voter in voters], alice


def test_voters_behind_one_address_all_get_in_and_cast(crowd):
    """A library's network or a mobile operator's NAT: 35 voters log in and cast within a minute
    from one address; none is refused for the others' successes (before: the 21st login got 429)."""
    election, cards, alice = crowd
    for voter, code in cards:
        browser = Client(REMOTE_ADDR="198.51.100.7")
        response = login(browser, election, code)
        assert response.status_code == 302, (voter.card_number, response.status_code)
        cast = cast_post(browser, election, factories.ballot_for(election, alice))
        assert cast.status_code == 302 and cast["Location"].endswith("/kvittering/"), cast.status_code
        assert "Tak for din stemme" in browser.get(cast["Location"]).content.decode()
    assert Ballot.objects.count() == 35
    assert Voter.objects.filter(voted_channel=Voter.Channel.ONLINE).count() == 35


def test_refused_casts_from_one_address_are_rate_limited(client, ready):
    election, _voter, _code, alice, _bob = ready
    ballot = factories.ballot_for(election, alice)
    for _ in range(30):
        assert cast_post(client, election, ballot).status_code == 302, "no poll-card step: back to the code page"
    assert cast_post(client, election, ballot).status_code == 429
    assert Ballot.objects.count() == 0
