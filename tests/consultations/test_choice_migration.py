"""The data migrations that made stored choice values English: rows and page revisions, both ways."""

import importlib

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import migrations
from wagtail.documents.models import Document

from consultations.models import HearingDocument, HearingPage, PublicationRule, Response
from tests.consultations.factories import MINIMAL_PDF, ResponseFactory


def _run(module, backwards=False):
    operations = [
        op for op in importlib.import_module(module).Migration.operations if isinstance(op, migrations.RunPython)
    ]
    for op in reversed(operations) if backwards else operations:
        (op.reverse_code if backwards else op.code)(apps, None)


def test_old_danish_values_become_english_in_rows_and_revisions_and_back(hearing):
    document = Document.objects.create(title="Udkast", file=ContentFile(MINIMAL_PDF, name="udkast.pdf"))
    HearingDocument.objects.create(hearing=hearing, document=document, kind=HearingDocument.Kind.DRAFT)
    revision = hearing.save_revision()
    response = ResponseFactory(hearing=hearing)
    # The values as the old code stored them.
    HearingPage.objects.filter(pk=hearing.pk).update(publication_rule="efter-frist", area="hele-kommunen")
    HearingDocument.objects.filter(hearing=hearing).update(kind="udkast")
    Response.objects.filter(pk=response.pk).update(status="modtaget", kind="forening")
    revision.content.update(publication_rule="efter-frist", area="hele-kommunen")
    revision.content["documents"][0]["kind"] = "udkast"
    revision.save(update_fields=["content"])

    _run("consultations.migrations.0014_english_choice_values")

    hearing.refresh_from_db()
    assert (hearing.publication_rule, hearing.area) == ("after_deadline", "whole_municipality")
    assert HearingDocument.objects.get(hearing=hearing).kind == "draft"
    assert Response.objects.values_list("status", "kind").get(pk=response.pk) == ("received", "organisation")
    revision.refresh_from_db()
    assert (revision.content["publication_rule"], revision.content["area"]) == ("after_deadline", "whole_municipality")
    assert revision.content["documents"][0]["kind"] == "draft"
    assert revision.as_object().publication_rule == PublicationRule.AFTER_DEADLINE

    _run("consultations.migrations.0014_english_choice_values", backwards=True)

    hearing.refresh_from_db()
    assert (hearing.publication_rule, hearing.area) == ("efter-frist", "hele-kommunen")
    assert Response.objects.values_list("status", "kind").get(pk=response.pk) == ("modtaget", "forening")
    revision.refresh_from_db()
    assert revision.content["documents"][0]["kind"] == "udkast"
