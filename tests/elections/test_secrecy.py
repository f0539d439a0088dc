"""Ballots are secret by construction: no voter reference, no time, random ids."""

import re
import uuid

import pytest
from django.db import connection, models

from elections.models import Ballot, Voter

from . import factories

ALLOWED_RELATIONS = {"election": "ElectionPage", "candidate": "Candidate"}
TIME_LIKE = re.compile(r"(^|_)(time|date|at|on|created|updated|stamp|when|seq|sequence|position|order|number)($|_)")


def test_ballot_model_has_no_voter_reference_and_no_time():
    for field in Ballot._meta.get_fields():
        if field.is_relation:
            assert field.name in ALLOWED_RELATIONS, f"Ballot.{field.name} references {field.related_model}"
            assert field.related_model.__name__ == ALLOWED_RELATIONS[field.name]
            assert field.related_model is not Voter
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField | models.DurationField)
        assert not TIME_LIKE.search(field.name.lower()), f"Ballot.{field.name} looks like a time or a sequence"
    pk = Ballot._meta.pk
    assert isinstance(pk, models.UUIDField)
    assert pk.default is uuid.uuid4


@pytest.mark.django_db
def test_ballot_table_columns():
    """The table itself (whatever the migrations did) holds only these columns."""
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, Ballot._meta.db_table)}
    assert columns == {"id", "election_id", "candidate_id", "tracker", "prev_hash", "hash"}


@pytest.mark.django_db
def test_ballot_ids_are_random_not_sequential(council):
    election = factories.election(council)
    voters = factories.add_voters(election, 25)
    a = factories.candidate(election, "Anna")
    factories.candidate(election, "Bo")
    election = factories.open_for_voting(election)
    ids = [election.cast_ballot(voter.pk, a).pk for _n, voter in voters]
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
    assert ids != sorted(ids), "ids in casting order must not be increasing"
    as_ints = [i.int for i in ids]
    steps = {b - a for a, b in zip(as_ints, as_ints[1:], strict=False)}
    assert len(steps) == len(as_ints) - 1, "no fixed step between consecutive ids"
    trackers = {b.tracker for b in Ballot.objects.all()}
    assert len(trackers) == 25
    # The roll says who voted, never when: no time of an online vote is kept on the voter row.
    assert not any(isinstance(f, models.DateTimeField) and "vot" in f.name for f in Voter._meta.get_fields())
