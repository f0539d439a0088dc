"""The data migration that made the councils' stored choice values English: rows and revisions, both ways."""

import importlib

from django.apps import apps
from django.db import migrations

from councils.models import CouncilKind, CouncilPage, HearingParty, Membership

from . import factories

MIGRATION = "councils.migrations.0004_english_choice_values"


def _run(backwards=False):
    operations = [
        op for op in importlib.import_module(MIGRATION).Migration.operations if isinstance(op, migrations.RunPython)
    ]
    for op in reversed(operations) if backwards else operations:
        (op.reverse_code if backwards else op.code)(apps, None)


def test_old_danish_values_become_english_in_rows_and_revisions_and_back(valby):
    revision = valby.save_revision()
    member = factories.member(valby, "Anna", role=Membership.Role.CHAIR, origin=Membership.Origin.NOMINATED)
    party = factories.hearing_list("Høringsliste", valby, parties=[("Jobcenter", "j@example.org")]).parties.get()
    CouncilPage.objects.filter(pk=valby.pk).update(kind="lokaludvalg")
    Membership.objects.filter(pk=member.pk).update(role="formand", origin="indstillet")
    HearingParty.objects.filter(pk=party.pk).update(kind="myndighed")
    revision.content["kind"] = "lokaludvalg"
    revision.save(update_fields=["content"])

    _run()

    assert CouncilPage.objects.get(pk=valby.pk).kind == CouncilKind.LOCAL == "local"
    assert Membership.objects.values_list("role", "origin").get(pk=member.pk) == ("chair", "nominated")
    assert HearingParty.objects.get(pk=party.pk).kind == "authority"
    revision.refresh_from_db()
    assert revision.as_object().kind == "local"

    _run(backwards=True)

    assert CouncilPage.objects.get(pk=valby.pk).kind == "lokaludvalg"
    assert Membership.objects.values_list("role", "origin").get(pk=member.pk) == ("formand", "indstillet")
    assert HearingParty.objects.get(pk=party.pk).kind == "myndighed"
    revision.refresh_from_db()
    assert revision.content["kind"] == "lokaludvalg"
