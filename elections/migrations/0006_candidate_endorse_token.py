"""Endorsers confirm themselves through a link with a random token per nomination (issue 10).

Added without uniqueness, filled per row, then made unique (Django's pattern for a unique default)."""

import uuid

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    Candidate = apps.get_model("elections", "Candidate")
    for candidate in Candidate.objects.filter(endorse_token__isnull=True).only("pk"):
        Candidate.objects.filter(pk=candidate.pk).update(endorse_token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0005_candidate_language_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="endorse_token",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="candidate",
            name="endorse_token",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
