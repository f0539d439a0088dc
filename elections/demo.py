"""Demo content for elections, under the Integration Council made by ``councils.demo``.

* »Valg til Integrationsrådet 2026«: a frozen roll of 300 invented voters, three polling
  places, six approved candidates in two groups, three demo trustees (2 of 3 decrypt) whose key
  ceremony has run, voting open now. Five demo poll cards have the fixed codes
  DEMO-KORT-0001 … 0005 (printed when the demo is loaded).
* »Valg til Integrationsrådet 2022«: an earlier election with encrypted ballots, paper counts, the
  trustees' partial decryptions and published results; its board verifies.

The demo trustees' key files are written to ``DEMO_TRUSTEE_KEYS_DIR`` (default
``.demo-trustee-keys/`` in the project, git-ignored): DEMO ONLY – in a real election every trustee
makes their key in their own browser and nobody else ever holds the file. Each election's terms
follow the municipal election period (the council's term when it is set).

Personal numbers are invented (birth date, then 9 and a running number), exist only while
the demo is built and are stored, like all personal numbers, only as keyed hashes.
Idempotent: elections are looked up by slug; an existing election is left as it is.
"""

import datetime
import json
import os
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.demo import get_or_create_child, reporter
from councils.models import CouncilIndexPage, CouncilPage

from . import ceremony, crypto, protocol
from .models import (
    BallotBox,
    Candidate,
    ElectionGroup,
    ElectionPage,
    Endorsement,
    PaperTally,
    PaperTallyLine,
    PollingPlace,
    Voter,
)
from .models.tally import compute_tally
from .protocol import trustees as ptrustees

FIRST = [
    "Amina", "Bilal", "Chen", "Dorota", "Elif", "Farid", "Goran", "Hoa", "Ismail", "Jamila", "Karim", "Leyla",
    "Mehmet", "Nour", "Omar", "Priya", "Rania", "Samir", "Tamana", "Yusuf", "Zeynep", "Abdi", "Bashir", "Dalia",
]  # fmt: skip
LAST = [
    "Ahmadi", "Begum", "Celik", "Demir", "Farah", "Gashi", "Haddad", "Ibrahim", "Jovanović", "Khan", "Li",
    "Mohamud", "Nguyen", "Osman", "Popović", "Qasim", "Rahimi", "Said", "Tran", "Warsame", "Yilmaz", "Zadeh",
]  # fmt: skip
PLACES = [
    ("1", "Kulturhuset Islands Brygge", "Islands Brygge 18"),
    ("2", "Valby Kulturhus", "Valgårdsvej 4"),
    ("3", "Nørrebrohallen", "Bragesgade 5"),
]
GROUPS = [("Afrika og Mellemøsten", 2, 1), ("Asien, Europa og Amerika", 2, 1)]
CANDIDATES = [
    ("Fatima Ali", 0, "dansk, arabisk, somali", "Jeg vil arbejde for flere sprogkurser og lektiecaféer."),
    ("Karim Haddad", 0, "dansk, arabisk, fransk", "Unge skal have lettere adgang til fritidsjob og foreninger."),
    ("Amina Warsame", 0, "dansk, somali, engelsk", "Forældre skal have bedre vejledning om skole og daginstitution."),
    ("Goran Popović", 1, "dansk, serbisk, tysk", "Ældre med anden etnisk baggrund skal have en stemme i kommunen."),
    ("Hoa Nguyen", 1, "dansk, vietnamesisk", "Jeg vil styrke samarbejdet mellem foreninger og jobcentret."),
    ("Priya Khan", 1, "dansk, engelsk, hindi", "Flere skal kunne bruge deres uddannelse fra hjemlandet."),
]
ELIGIBILITY = (
    "<p>Du kan stemme og stille op, hvis du bor i kommunen, er fyldt 18 år på valgdagen og selv eller "
    "dine forældre har oprindelse i et af de lande, som kommunen har besluttet. Kommunen laver valglisten "
    "ud fra folkeregistret; platformen gemmer ikke oplysninger om oprindelse.</p>"
)


def load(home, stdout=None):
    say = reporter(stdout)
    index = CouncilIndexPage.objects.child_of(home).filter(slug="raad-og-udvalg").first()
    council = CouncilPage.objects.child_of(index).filter(slug="integrationsraadet").first() if index else None
    if council is None:
        say("Elections demo skipped: the council page »integrationsraadet« under »raad-og-udvalg« is missing.")
        return
    rng = random.Random(2026)  # noqa: S311 (demo data)
    _current(council, rng, say)
    _earlier(council, rng, say)


def keys_dir():
    return Path(os.environ.get("DEMO_TRUSTEE_KEYS_DIR") or Path(settings.BASE_DIR) / ".demo-trustee-keys")


def municipal_term(day, council=None):
    """(start, end) of the municipal election period holding ``day`` (4 years from 2022), or the council's term."""
    if (
        council is not None
        and council.term_start
        and council.term_end
        and council.term_start <= day <= council.term_end
    ):
        return council.term_start, council.term_end
    first = 2022 + 4 * ((day.year - 2022) // 4)
    return datetime.date(first, 1, 1), datetime.date(first + 3, 12, 31)


def _message(value):
    return protocol.canonical_json(value).decode()


def _demo_trustees(election, say):
    """Three demo trustees run the key ceremony in this process (DEMO ONLY); their key files go to ``keys_dir()``."""
    people = [
        ceremony.appoint(election, name, email)
        for name, email in (
            ("Demo-tillidsperson 1", "tillid1@demo.medborger.example"),
            ("Demo-tillidsperson 2", "tillid2@demo.medborger.example"),
            ("Demo-tillidsperson 3", "tillid3@demo.medborger.example"),
        )
    ]
    setup = ceremony.box_of(election).setup
    files = []
    for person in people:
        key_file, message = ptrustees.generate_key(setup, person.index)
        files.append(key_file)
        ceremony.submit(election, person, ceremony.Step.KEY, _message(message))
    keys = [p.key_message for p in election.trustees.order_by("index")]
    for person, key_file in zip(people, files, strict=True):
        ceremony.submit(
            election, person, ceremony.Step.DEALING, _message(ptrustees.make_dealing(setup, key_file, keys))
        )
    dealings = [p.dealing for p in election.trustees.order_by("index")]
    for person, key_file in zip(people, files, strict=True):
        confirmation = ptrustees.make_confirmation(setup, key_file, keys, dealings)
        ceremony.submit(election, person, ceremony.Step.CONFIRMATION, _message(confirmation))
    folder = keys_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for key_file in files:
        path = folder / f"{election.slug}-tillidsperson-{key_file['index']}.json"
        path.write_text(json.dumps(key_file, indent=2))
        path.chmod(0o600)
    say(f"Demo trustees' key files (DEMO ONLY) written to {folder}")
    return files


def _voters(election, count, rng, start):
    places = list(election.polling_places.all())
    reference = election.age_reference_date
    rows = []
    for i in range(count):
        age = rng.randint(18, 80)
        birth = datetime.date(reference.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        number = f"{birth:%d%m%y}-9{(start + i) % 1000:03d}"
        rows.append((number, f"{rng.choice(FIRST)} {rng.choice(LAST)}", birth, places[i % len(places)]))
    rng.shuffle(rows)
    voters = Voter.objects.bulk_create(
        Voter(
            election=election,
            voter_key=crypto.voter_key(number),
            card_number=i + 1,
            name=name,
            birth_date=birth,
            polling_place=place,
        )
        for i, (number, name, birth, place) in enumerate(rows)
    )
    return list(Voter.objects.filter(election=election).order_by("card_number")) if voters else []


def _candidates(election, rng, voters=()):
    """The six approved candidates, each endorsed by two different voters on the roll."""
    groups = list(election.groups.all())
    endorsers = iter(voters[-2 * len(CANDIDATES) :])
    out = []
    for i, (name, group_index, languages, statement) in enumerate(CANDIDATES):
        out.append(
            Candidate.objects.create(
                election=election,
                group=groups[group_index] if groups else None,
                name=name,
                statement=statement,
                languages=languages,
                voter_key=crypto.voter_key(f"0101{60 + i:02d}-8{i:03d}"),
                status=Candidate.Status.APPROVED,
                decided_at=timezone.now(),
            )
        )
        for _n in range(2):
            endorser = next(endorsers, None)
            if endorser is not None:
                Endorsement.objects.create(election=election, candidate=out[-1], voter_key=endorser.voter_key)
    return out


def _election(council, slug, title, **fields):
    existing = ElectionPage.objects.child_of(council).filter(slug=slug).first()
    if existing:
        return existing, False
    page, created = get_or_create_child(
        council,
        ElectionPage,
        slug,
        title=title,
        intro="<p>Integrationsrådet rådgiver kommunen om integration. Ved valget indstiller vælgerne, hvem "
        "kommunalbestyrelsen skal udpege til rådet.</p>",
        eligibility_text=ELIGIBILITY,
        groups=[ElectionGroup(name=n, seats=s, substitutes=sub) for n, s, sub in GROUPS],
        polling_places=[PollingPlace(code=c, name=n, address=a, opening_hours="9–20") for c, n, a in PLACES],
        endorsers_required=2,
        **fields,
    )
    return ElectionPage.objects.get(pk=page.pk), created


@transaction.atomic
def _current(council, rng, say):
    # Times of day as a secretariat sets them (nominations close at noon, online voting opens at
    # 9 and closes at 20 on election day, when the polling places close), on dates around today,
    # so voting is open whenever the demo is loaded.
    today = timezone.localdate()
    election_day = today + datetime.timedelta(days=14)
    closes = _on(election_day, 20)
    _period_start, period_end = municipal_term(closes.date(), council)
    election, created = _election(
        council,
        "valg-til-integrationsraadet-2026",
        "Valg til Integrationsrådet 2026",
        seats=4,
        substitutes=2,
        nominations_open_at=_on(today - datetime.timedelta(days=40), 9),
        nominations_close_at=_on(today - datetime.timedelta(days=10), 12),
        voting_opens_at=_on(today - datetime.timedelta(days=2), 9),
        voting_closes_at=closes,
        election_day=election_day,
        term_start=closes.date() + datetime.timedelta(days=1),
        term_end=period_end,
    )
    if not created:
        say(f"Election exists, left as it is: {election.title}")
        return
    voters = _voters(election, 300, rng, start=0)
    _candidates(election, rng, voters)
    election.freeze_roll()
    election.close_nominations()
    _demo_trustees(election, say)
    election.open_voting()
    cards = []
    for i, voter in enumerate(voters[:5], start=1):
        code = f"DEMO-KORT-{i:04d}"
        Voter.objects.filter(pk=voter.pk).update(
            poll_card_code_hash=crypto.poll_card_hash(election.pk, code), poll_card_issued_at=timezone.now()
        )
        cards.append(f"{code} / {voter.birth_date:%d-%m-%Y}")
    say(f"Created {election.title}: 300 voters, 6 candidates, voting open. Demo poll cards: " + "; ".join(cards))


@transaction.atomic
def _earlier(council, rng, say):
    election, created = _election(
        council,
        "valg-til-integrationsraadet-2022",
        "Valg til Integrationsrådet 2022",
        seats=4,
        substitutes=2,
        nominations_open_at=_aware(2022, 8, 1),
        nominations_close_at=_aware(2022, 9, 1),
        voting_opens_at=_aware(2022, 10, 3),
        voting_closes_at=_aware(2022, 11, 1, 20),
        election_day=datetime.date(2022, 11, 1),
        term_start=datetime.date(2023, 1, 1),
        term_end=municipal_term(datetime.date(2023, 1, 1))[1],
    )
    if not created:
        say(f"Election exists, left as it is: {election.title}")
        return
    voters = _voters(election, 240, rng, start=500)
    candidates = _candidates(election, rng, voters)
    weights = [9, 5, 3, 8, 4, 2]
    fingerprint = crypto.roll_fingerprint(v.voter_key for v in voters)
    ElectionPage.objects.filter(pk=election.pk).update(
        roll_frozen_at=_aware(2022, 9, 15), roll_fingerprint=fingerprint, nominations_closed_at=_aware(2022, 9, 1)
    )
    election = ElectionPage.objects.get(pk=election.pk)
    files = _demo_trustees(election, say)
    box = BallotBox.objects.get(election=election)
    box.params = election.election_params(box)
    box.fingerprint = protocol.fingerprint(box.params)
    box.head = protocol.genesis(box.fingerprint)
    box.save(update_fields=["params", "fingerprint", "head"])
    online, paper = voters[:48], voters[48:72]
    for _voter in online:
        candidate = rng.choices(candidates, weights)[0]
        choices = [1 if c["id"] == candidate.pk else 0 for c in box.params["candidates"]]
        ballot, _randomness = protocol.encrypt_ballot(box.params, choices)
        BallotBox.objects.append(election, ballot, protocol.ballot_hash(ballot))
    Voter.objects.filter(pk__in=[v.pk for v in online]).update(voted_channel=Voter.Channel.ONLINE)
    checked_in = _aware(2022, 11, 1, 12)
    for voter in paper:
        Voter.objects.filter(pk=voter.pk).update(
            voted_channel=Voter.Channel.PAPER, checked_in_at=checked_in, checked_in_place=voter.polling_place
        )
    for place in election.polling_places.all():
        at_place = [v for v in paper if v.polling_place_id == place.pk]
        tally = PaperTally.objects.create(
            election=election, polling_place=place, invalid_votes=1, confirmed_at=_aware(2022, 11, 1, 22)
        )
        counts = {c.pk: 0 for c in candidates}
        for _voter in at_place[1:]:
            counts[rng.choices(candidates, weights)[0].pk] += 1
        PaperTallyLine.objects.bulk_create(
            PaperTallyLine(tally=tally, candidate_id=pk, votes=votes) for pk, votes in counts.items()
        )
    ElectionPage.objects.filter(pk=election.pk).update(voting_opened_at=_aware(2022, 10, 3))
    election = ElectionPage.objects.get(pk=election.pk)
    election.close()
    ElectionPage.objects.filter(pk=election.pk).update(closed_at=_aware(2022, 11, 1, 20))
    box.refresh_from_db()
    totals = protocol.decode_totals(box.totals, len(box.params["candidates"]))
    for person in election.trustees.filter(index__in=(1, 3)).order_by("index"):  # trustee 2 was absent
        message = protocol.trustee_partial_decryption(box.params, files[person.index - 1], totals)
        ceremony.submit(election, person, ceremony.Step.DECRYPTION, _message(message))
    election = ElectionPage.objects.get(pk=election.pk)
    compute_tally(election)
    ElectionPage.objects.filter(pk=election.pk).update(counted_at=_aware(2022, 11, 2), published_at=_aware(2022, 11, 3))
    say(f"Created {election.title} with published results ({len(online)} online and {len(paper)} paper votes).")


def _aware(year, month, day, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def _on(day, hour):
    """That day at that hour in Copenhagen (the site's time zone)."""
    return _aware(day.year, day.month, day.day, hour)
