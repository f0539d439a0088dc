# Stored choice values in English (labels stay Danish through gettext); rows and page revisions.

import consultations.models
from django.db import migrations, models

import consultations.areas

from core.migration_ops import remap_choices

AREA = {"hele-kommunen": "whole_municipality"}
PUBLICATION_RULE = {"loebende": "while_open", "efter-frist": "after_deadline", "offentliggoeres-ikke": "not_published"}
DOCUMENT_KIND = {"udkast": "draft", "bilag": "appendix"}
RESPONSE_STATUS = {
    "afventer": "pending",
    "modtaget": "received",
    "offentliggjort": "published",
    "tilbageholdt": "withheld",
}
PARTY_KIND = {
    "privatperson": "person",
    "virksomhed": "company",
    "forening": "organisation",
    "raad": "council",
    "myndighed": "authority",
}
HEARING = ("consultations", "hearingpage")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0013_digests"),
    ]

    operations = [
        migrations.AlterField(
            model_name="surveypage",
            name="area",
            field=models.CharField(
                choices=consultations.areas.area_choices,
                default="whole_municipality",
                max_length=40,
                verbose_name="område",
            ),
        ),
        migrations.AlterField(
            model_name="hearingdocument",
            name="kind",
            field=models.CharField(
                choices=[("draft", "Høringsudkast"), ("appendix", "Bilag")],
                default="appendix",
                max_length=10,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="hearingpage",
            name="area",
            field=models.CharField(
                choices=consultations.models.area_choices,
                default="whole_municipality",
                max_length=40,
                verbose_name="område",
            ),
        ),
        migrations.AlterField(
            model_name="hearingpage",
            name="publication_rule",
            field=models.CharField(
                choices=[
                    ("while_open", "Offentliggøres løbende efter moderation"),
                    ("after_deadline", "Offentliggøres efter høringsfristen"),
                    ("not_published", "Offentliggøres ikke"),
                ],
                default="while_open",
                max_length=30,
                verbose_name="offentliggørelse af svar",
            ),
        ),
        migrations.AlterField(
            model_name="response",
            name="kind",
            field=models.CharField(
                choices=[
                    ("person", "Privatperson"),
                    ("company", "Virksomhed"),
                    ("organisation", "Forening/organisation"),
                    ("council", "Råd og nævn"),
                    ("authority", "Myndighed"),
                ],
                default="person",
                max_length=20,
                verbose_name="jeg udtaler mig som",
            ),
        ),
        migrations.AlterField(
            model_name="response",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Afventer bekræftelse"),
                    ("received", "Modtaget"),
                    ("published", "Offentliggjort"),
                    ("withheld", "Ikke offentliggjort"),
                ],
                default="pending",
                max_length=20,
                verbose_name="status",
            ),
        ),
        remap_choices("consultations", "hearingpage", "area", AREA, page=HEARING),
        remap_choices("consultations", "subscription", "area", AREA),
        remap_choices("consultations", "surveypage", "area", AREA, page=("consultations", "surveypage")),
        remap_choices("consultations", "hearingpage", "publication_rule", PUBLICATION_RULE, page=HEARING),
        remap_choices("consultations", "hearingdocument", "kind", DOCUMENT_KIND, page=HEARING, relation="documents"),
        remap_choices("consultations", "response", "status", RESPONSE_STATUS),
        remap_choices("consultations", "response", "kind", PARTY_KIND),
    ]
