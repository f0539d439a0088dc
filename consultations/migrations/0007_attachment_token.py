"""Response attachments get a random token for their public address (issue 10: no sequential ids).

Added without uniqueness, filled per row, then made unique (Django's pattern for a unique default)."""

import uuid

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    ResponseAttachment = apps.get_model("consultations", "ResponseAttachment")
    for attachment in ResponseAttachment.objects.filter(token__isnull=True).only("pk"):
        ResponseAttachment.objects.filter(pk=attachment.pk).update(token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0006_surveys"),
    ]

    operations = [
        migrations.AddField(
            model_name="responseattachment",
            name="token",
            field=models.UUIDField(editable=False, null=True, verbose_name="nøgle"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="responseattachment",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="nøgle"),
        ),
    ]
