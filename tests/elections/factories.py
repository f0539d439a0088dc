"""Builders for election tests and browser journeys. Personal numbers here are invented."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Collection

from councils.models import CouncilKind
from elections import crypto
from elections.models import Candidate, ElectionGroup, ElectionPage, PollingPlace, Voter
from tests.councils import factories as council_factories
from tests.councils.factories import join_secretariat, secretariat_group

PLACES = [("1", "Kulturhuset Nord"), ("2", "Biblioteket Syd"), ("3", "Medborgerhuset Vest")]


def council(home, title="Integrationsrådet", slug="integrationsraadet"):
    if Collection.get_first_root_node() is None:  # flushed by a transactional test
        Collection.add_root(name="Root")
    index = council_factories.council_index(home)
    return council_factories.CouncilPageFactory(parent=index, title=title, slug=slug, kind=CouncilKind.INTEGRATION)


def _polling_places(places):
    return [PollingPlace(code=code, name=name, address=f"{name}vej 1") for code, name in places]


class ElectionPageFactory(wagtail_factories.PageFactory):
    """An election whose voting opened yesterday and closes in a week (nominations are over), with
    one seat, one substitute and the three polling places of PLACES; published. ``parent`` is the
    council. ``groups``: [(name, seats, substitutes)]; ``places``: [(code, name)]."""

    title = "Valg til Integrationsrådet 2026"
    slug = "valg-2026"
    seats = 1
    substitutes = 1
    nominations_open_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=20))
    nominations_close_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    voting_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    voting_closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    election_day = factory.LazyFunction(lambda: (timezone.now() + datetime.timedelta(days=7)).date())
    term_start = datetime.date(2027, 1, 1)
    term_end = datetime.date(2029, 12, 31)
    groups = factory.LazyFunction(list)
    polling_places = factory.LazyFunction(lambda: _polling_places(PLACES))

    class Meta:
        model = ElectionPage
        skip_postgeneration_save = True

    @factory.post_generation
    def published(page, create, extracted, **kwargs):
        if create:
            page.save_revision().publish()


class CandidateFactory(factory.django.DjangoModelFactory):
    """An approved candidate; ``election`` is required."""

    election = None
    name = factory.Sequence(lambda n: f"Kandidat {n}")
    statement = factory.LazyAttribute(lambda o: f"Jeg hedder {o.name}.")
    languages = "dansk"
    voter_key = factory.LazyFunction(
        lambda: crypto.voter_key(cpr(900 + Candidate.objects.count(), datetime.date(1970, 1, 1)))
    )
    status = Candidate.Status.APPROVED

    class Meta:
        model = Candidate


class VoterFactory(factory.django.DjangoModelFactory):
    """An invented voter born 17 May 1980 with the personal number cpr(n); ``election`` is required."""

    election = None
    card_number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Vælger {o.card_number - 1}")
    birth_date = datetime.date(1980, 5, 17)
    voter_key = factory.LazyAttribute(lambda o: crypto.voter_key(cpr(o.card_number - 1, o.birth_date)))

    class Meta:
        model = Voter


def election(parent, slug="valg-2026", title="Valg til Integrationsrådet 2026", groups=(), places=PLACES, **fields):
    page = ElectionPageFactory(
        parent=parent,
        slug=slug,
        title=title,
        groups=[ElectionGroup(name=name, seats=seats, substitutes=subs) for name, seats, subs in groups],
        polling_places=_polling_places(places),
        **fields,
    )
    return ElectionPage.objects.get(pk=page.pk)


def cpr(n, birth=datetime.date(1980, 5, 17)):
    """An invented personal number: the birth date then 9 and a running number (not a real person)."""
    return f"{birth:%d%m%y}-9{n:03d}"


def add_voters(election, count, start=0, birth=datetime.date(1980, 5, 17), group=None):
    """Put ``count`` invented voters on the roll; returns [(personal number, voter)]."""
    places = list(election.polling_places.all())
    out = []
    for i in range(start, start + count):
        voter = VoterFactory(
            election=election, card_number=i + 1, birth_date=birth, polling_place=places[i % len(places)], group=group
        )
        out.append((cpr(i, birth), voter))
    return out


def candidate(election, name, group=None, status=Candidate.Status.APPROVED, number=None):
    extra = {"voter_key": crypto.voter_key(number)} if number else {}
    return CandidateFactory(election=election, name=name, group=group, status=status, **extra)


def nominating(parent, endorsers_required=2):
    """An election open for nominations (voting starts in six days) with six voters on its roll.

    Returns (election, [card numbers]).
    """
    now = timezone.now()
    election_page = election(
        parent,
        slug="anmeldelse",
        endorsers_required=endorsers_required,
        nominations_open_at=now - datetime.timedelta(days=1),
        nominations_close_at=now + datetime.timedelta(days=5),
        voting_opens_at=now + datetime.timedelta(days=6),
        voting_closes_at=now + datetime.timedelta(days=12),
    )
    return election_page, [number for number, _voter in add_voters(election_page, 6)]


def open_for_voting(election, with_trustees=True):
    """Freeze the roll, close nominations, run the trustees' key ceremony (2 of 3) and open voting."""
    election.freeze_roll()
    election.close_nominations()
    if with_trustees:
        trustees(election)
    election.open_voting()
    return ElectionPage.objects.get(pk=election.pk)


def secretariat(user, council):
    """Put ``user`` in ``council``'s secretariat: the group the councils app made for it."""
    join_secretariat(user, council)
    return secretariat_group(council)


# --- encrypted voting: trustees, ballots, decryption -------------------------------------------

#: The key files of each test election's trustees, by election id (the tests play every trustee).
KEY_FILES = {}


def trustees(election, count=None, threshold=None):
    """Appoint the election's trustees and run the whole key ceremony through ``elections.ceremony``.

    Each trustee's messages are made by the protocol (as their browser would) and sent through
    ``ceremony.submit``, which checks them. Returns the key files (also kept in ``KEY_FILES``).
    """
    from elections import ceremony
    from elections.protocol import trustees as ptrustees

    if count or threshold:
        ElectionPage.objects.filter(pk=election.pk).update(
            trustee_count=count or election.trustee_count, trustee_threshold=threshold or election.trustee_threshold
        )
        election = ElectionPage.objects.get(pk=election.pk)
    people = [
        ceremony.appoint(election, f"Tillidsperson {i}", f"tillid{i}@valg.example")
        for i in range(1, election.trustee_count + 1)
    ]
    setup = ceremony.box_of(election).setup
    files = []
    for person in people:
        key_file, message = ptrustees.generate_key(setup, person.index)
        files.append(key_file)
        ceremony.submit(election, person, ceremony.Step.KEY, _text(message))
    keys = [t.key_message for t in election.trustees.order_by("index")]
    for person, key_file in zip(people, files, strict=True):
        ceremony.submit(election, person, ceremony.Step.DEALING, _text(ptrustees.make_dealing(setup, key_file, keys)))
    dealings = [t.dealing for t in election.trustees.order_by("index")]
    for person, key_file in zip(people, files, strict=True):
        confirmation = ptrustees.make_confirmation(setup, key_file, keys, dealings)
        ceremony.submit(election, person, ceremony.Step.CONFIRMATION, _text(confirmation))
    KEY_FILES[election.pk] = files
    return files


def _text(message):
    from elections import protocol

    return protocol.canonical_json(message).decode()


def ballot_for(election, *chosen):
    """The encrypted ballot (JSON text) a voter's browser makes for the ``chosen`` candidates."""
    from elections import protocol

    params = ElectionPage.objects.get(pk=election.pk).ballot_box.params
    ids = [c.pk for c in chosen]
    ballot, _randomness = protocol.encrypt_ballot(params, [1 if c["id"] in ids else 0 for c in params["candidates"]])
    return _text(ballot)


def cast(election, voter, *chosen):
    """Cast an encrypted ballot for ``chosen`` as ``voter`` (``ElectionPage.cast_ballot``)."""
    return election.cast_ballot(voter.pk, ballot_for(election, *chosen))


def decrypt(election, indices=(1, 2)):
    """The trustees numbered ``indices`` send their partial decryptions of the totals (after the close)."""
    from elections import ceremony, protocol

    box = ceremony.box_of(election)
    totals = protocol.decode_totals(box.totals, len(box.params["candidates"]))
    files = KEY_FILES[election.pk]
    for person in election.trustees.filter(index__in=indices).order_by("index"):
        message = protocol.trustee_partial_decryption(box.params, files[person.index - 1], totals)
        ceremony.submit(election, person, ceremony.Step.DECRYPTION, _text(message))


def close_and_count(election, indices=(1, 2), publish=False):
    """Close voting, let trustees ``indices`` decrypt, count (and publish). Returns the fresh election."""
    election.close()
    decrypt(election, indices)
    election.count()
    if publish:
        election.publish_results()
    return ElectionPage.objects.get(pk=election.pk)


def restricted_ballot_for(election, chosen, own_group):
    """(ballot, outside) for a voter restricted to ``own_group``: the randomness of other groups' choices revealed."""
    from elections import protocol

    params = ElectionPage.objects.get(pk=election.pk).ballot_box.params
    choices = [1 if c["id"] == chosen.pk else 0 for c in params["candidates"]]
    ballot, randomness = protocol.encrypt_ballot(params, choices)
    outside = {
        str(i): randomness[i]
        for i, c in enumerate(params["candidates"])
        if c["group"] is not None and c["group"] != own_group.pk
    }
    return _text(ballot), _text(outside)
