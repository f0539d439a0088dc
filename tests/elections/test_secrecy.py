"""Ballot secrecy against someone with full database and log access (issue 9, must-hold 3).

The ballots are encrypted in the voter's browser; the server stores ciphertexts and proofs only.
The PostgreSQL test plays the database administrator: it casts ballots through the site (poll card,
ballot page, cast, receipt; some voters also logged in), then with SQL alone tries every link the
issue names – transaction ids (``xmin``), physical row order (``ctid``), every column of every
table, the session rows – and the application log, and shows that none gives a choice.

What the administrator *can* do, by design and as in Helios and Belenios, is link a voter's roll
entry to their ciphertext (same transaction, same order). The test asserts that this link is all
they get: the ciphertext reveals nothing without ``threshold`` trustee key files (which the test
uses at the end only to show the link was real), no stored value repeats between ballots with the
same choice, and no table written by a cast refers to a candidate.
"""

import json
import logging
import re
import uuid

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, models
from django.urls import reverse

from elections import protocol
from elections.models import Ballot, Voter

from . import factories

ALLOWED_RELATIONS = {"election": "ElectionPage"}
TIME_LIKE = re.compile(r"(^|_)(time|date|at|on|created|updated|stamp|when|seq|sequence|position|order|number)($|_)")


def test_ballot_model_has_no_voter_reference_no_candidate_and_no_time():
    for field in Ballot._meta.get_fields():
        if field.is_relation:
            assert field.name in ALLOWED_RELATIONS, f"Ballot.{field.name} references {field.related_model}"
            assert field.related_model.__name__ == ALLOWED_RELATIONS[field.name]
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField | models.DurationField)
        assert not TIME_LIKE.search(field.name.lower()), f"Ballot.{field.name} looks like a time or a sequence"
    pk = Ballot._meta.pk
    assert isinstance(pk, models.UUIDField)
    assert pk.default is uuid.uuid4


@pytest.mark.django_db
def test_ballot_table_columns():
    """The table itself (whatever the migrations did) holds only these columns: no candidate, no time."""
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, Ballot._meta.db_table)}
    assert columns == {"id", "election_id", "content", "hash", "tracker", "prev", "chain"}


@pytest.mark.django_db
def test_ballot_ids_are_random_not_sequential(council):
    election = factories.election(council)
    voters = factories.add_voters(election, 25)
    a = factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    ids = [factories.cast(election, voter, a).pk for _n, voter in voters]
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
    assert ids != sorted(ids), "ids in casting order must not be increasing"
    as_ints = [i.int for i in ids]
    steps = {b - a for a, b in zip(as_ints, as_ints[1:], strict=False)}
    assert len(steps) == len(as_ints) - 1, "no fixed step between consecutive ids"
    # The roll says who voted, never when: no time of an online vote is kept on the voter row.
    assert not any(isinstance(f, models.DateTimeField) and "vot" in f.name for f in Voter._meta.get_fields())


# --- the database administrator's attempt, PostgreSQL ------------------------------------------


def _tables(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _rows(cursor, table):
    """Every row of ``table`` with its xmin, its ctid and every column as text."""
    cursor.execute(f'SELECT xmin::text, ctid::text, t::text FROM "{table}" t')  # noqa: S608 (table names from pg_tables)
    return cursor.fetchall()


def _candidate_references(cursor):
    """{table: [columns]} of every foreign key to the candidate table."""
    cursor.execute(
        """
        SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name
        JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name
        WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'elections_candidate'
        """
    )
    out = {}
    for table, column in cursor.fetchall():
        out.setdefault(table, []).append(column)
    return out


@pytest.mark.django_db(transaction=True)
def test_an_administrator_with_sql_and_the_log_recovers_no_choice(council, client, django_user_model, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("xmin and ctid are PostgreSQL's; run with DATABASE_URL=postgres://… (the suite does in CI)")
    caplog.set_level(logging.DEBUG)
    election = factories.election(council, slug="hemmeligt")
    people = factories.add_voters(election, 12)
    anna, bo = factories.candidate(election, "Anna Secretsdottir"), factories.candidate(election, "Bo Hiddensen")
    election = factories.open_for_voting(election)
    choices = {}
    for i, (_number, voter) in enumerate(people[:10]):
        chosen = anna if i % 3 else bo
        choices[voter.pk] = chosen.pk
        code = voter.issue_poll_card()
        if i % 2:  # half of them are also logged in to the site: their session row must not tell
            client.force_login(django_user_model.objects.create_user(email=f"v{i}@borger.example"))
        login = client.post(reverse("elections:vote", args=[election.pk]), {"code": code, "birth_date": "17-05-1980"})
        assert login.status_code == 302
        assert client.get(reverse("elections:ballot", args=[election.pk])).status_code == 200
        cast = client.post(
            reverse("elections:cast", args=[election.pk]), {"ballot": factories.ballot_for(election, chosen)}
        )
        assert cast.status_code == 302, cast.content.decode()[:500]
        assert client.get(cast["Location"]).status_code == 200  # the receipt
        client.logout()
        client.cookies.clear()
    assert Ballot.objects.filter(election=election).count() == 10

    names = ("Anna Secretsdottir", "Bo Hiddensen", "Secretsdottir", "Hiddensen")
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        everything = {table: _rows(cursor, table) for table in tables}
        cursor.execute("SELECT id, xmin::text FROM elections_voter WHERE voted_channel = 'online'")
        voter_xmin = dict(cursor.fetchall())
        cursor.execute("SELECT id::text, xmin::text, ctid::text, content, hash, tracker FROM elections_ballot")
        ballots = cursor.fetchall()
        references = _candidate_references(cursor)
        cursor.execute("SELECT session_data FROM django_session")
        sessions = [row[0] for row in cursor.fetchall()]

    # 1. xmin: each online voter's roll entry shares its transaction with exactly one ballot row – the
    #    link the administrator gets – and every row written in that transaction is free of any choice.
    assert len(voter_xmin) == 10
    by_xmin = {}
    for table, rows in everything.items():
        for xmin, _ctid, text in rows:
            by_xmin.setdefault(xmin, []).append((table, text))
    linked = {}
    for voter_id, xmin in voter_xmin.items():
        written = by_xmin[xmin]
        tables_written = {table for table, _text in written}
        assert tables_written <= {
            "elections_voter",
            "elections_ballot",
            "elections_ballotciphertext",
            "elections_ballotbox",
        }, tables_written
        assert not tables_written & set(references), "a table written by the cast refers to a candidate"
        for table, text in written:
            if table == "elections_ballotbox":
                # The box row (updated by every cast: head and count) holds the election parameters – the
                # same candidate list for every voter – and nothing of this voter but the new head.
                continue
            assert not any(name in text for name in names), table
        (ballot_text,) = [text for table, text in written if table == "elections_ballot"]
        linked[voter_id] = ballot_text

    # 2. The ciphertext behind the link hides the choice: no stored value of a ballot (hash, tracker,
    #    α, β, proof part) appears in any other ballot, so ballots with the same choice look unrelated.
    seen = {}
    for _id, _xmin, _ctid, content, digest, tracker in ballots:
        parsed = json.loads(content)
        values = [digest, tracker] + [
            part
            for choice in parsed["choices"]
            for part in (choice["alpha"], choice["beta"], *sum(choice["proof"], []))
        ]
        for value in values:
            assert value not in seen, "a value repeats between two ballots"
            seen[value] = True

    # 3. Physical order: the ballots' ctid order is the cast order, which is the public chain order –
    #    it links to the same ciphertexts as xmin, nothing more. No other table grew a row per cast
    #    except the ciphertext index (α values, also public on the board).
    chain_order = [e["chain"] for e in election.ballot_box.entries()]
    by_ctid = sorted(ballots, key=lambda row: tuple(int(x) for x in row[2].strip("()").split(",")))
    assert [json.loads(row[3]) for row in by_ctid] == [e["ballot"] for e in election.ballot_box.entries()]
    assert len(chain_order) == 10

    # 4. Every column of every table: no candidate name next to anything of a voter; the only tables
    #    that mention candidates are the candidate list itself and what existed before voting opened
    #    (pages, revisions, the election parameters and the trustees' ceremony record).
    for table, rows in everything.items():
        for _xmin, _ctid, text in rows:
            if any(name in text for name in names):
                assert table in {
                    "elections_candidate",
                    "elections_ballotbox",  # the election parameters: the candidate list of the ballot
                    "elections_auditlogentry",
                    "wagtailcore_modellogentry",
                }, table
    for table, columns in references.items():
        # Endorsements are the nomination (who supported whose candidacy), written before voting opens.
        assert table in {
            "elections_candidate",
            "elections_candidateresult",
            "elections_papertallyline",
            "elections_endorsement",
        }, f"{table}.{columns} refers to a candidate"
    assert not any(everything.get(t) for t in ("elections_candidateresult", "elections_papertallyline"))

    # 5. Session rows: nothing about the vote (no roll entry, no tracker, no candidate) – the voter and
    #    the receipt live in signed cookies in the voter's browser only.
    trackers = {row[5] for row in ballots}
    for data in sessions:
        decoded = json.dumps(SessionStore().decode(data))
        assert "elections" not in decoded
        assert not any(t in decoded for t in trackers)
        assert not any(name in decoded for name in names)

    # 6. The application log of the whole run: no cast line, no candidate, no tracker.
    log = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(name in log for name in names)
    assert not any(t in log for t in trackers)
    assert "cast" not in log.lower()

    # The link is real (this is what the administrator holds) – and only the trustees' key files, which
    # never reach the server, turn it into a choice: decrypting the linked ciphertext with 2 of 3 files.
    key_files = factories.KEY_FILES[election.pk]
    params = election.ballot_box.params
    group = protocol.group
    for voter_id, text in list(linked.items())[:3]:
        content = json.loads(next(row[3] for row in ballots if row[0] in text))
        single = [(group.b64decode32(c["alpha"]), group.b64decode32(c["beta"])) for c in content["choices"]]
        partials = {}
        for key_file in key_files[:2]:
            message = protocol.trustee_partial_decryption(params, key_file, single)
            partials[message["index"]] = [group.b64decode32(f) for f in message["factors"]]
        opened = protocol.decryption.combine(single, partials, 2, 1)
        assert [c["id"] for c, m in zip(params["candidates"], opened, strict=True) if m] == [choices[voter_id]]
