# Stored choice values in English (labels stay Danish through gettext); rows and page revisions.

from django.db import migrations, models

from core.migration_ops import remap_choices

COUNCIL_KIND = {
    "integrationsraad": "integration",
    "handicapraad": "disability",
    "lokaludvalg": "local",
    "beskaeftigelsesraad": "employment",
    "brugerraad": "user",
    "andet": "other",
}
ROLE = {"formand": "chair", "naestformand": "vice_chair", "medlem": "member", "suppleant": "substitute"}
ORIGIN = {"udpeget": "appointed", "indstillet": "nominated", "valgt": "elected", "politisk": "political"}
PARTY_KIND = {
    "privatperson": "person",
    "virksomhed": "company",
    "forening": "organisation",
    "raad": "council",
    "myndighed": "authority",
}


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0003_block_templates_in_core"),
    ]

    operations = [
        migrations.AlterField(
            model_name="councilpage",
            name="kind",
            field=models.CharField(
                choices=[
                    ("integration", "Integrationsråd"),
                    ("disability", "Handicapråd"),
                    ("local", "Lokaludvalg"),
                    ("employment", "Beskæftigelsesråd"),
                    ("user", "Brugerråd"),
                    ("other", "Andet råd eller udvalg"),
                ],
                max_length=32,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="hearingparty",
            name="kind",
            field=models.CharField(
                choices=[
                    ("person", "Privatperson"),
                    ("company", "Virksomhed"),
                    ("organisation", "Forening/organisation"),
                    ("council", "Råd og nævn"),
                    ("authority", "Myndighed"),
                ],
                default="organisation",
                max_length=20,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="origin",
            field=models.CharField(
                choices=[
                    ("appointed", "Udpeget"),
                    ("nominated", "Indstillet af organisation"),
                    ("elected", "Direkte valgt"),
                    ("political", "Politisk valgt"),
                ],
                default="appointed",
                max_length=20,
                verbose_name="hvordan",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("chair", "Formand"),
                    ("vice_chair", "Næstformand"),
                    ("member", "Medlem"),
                    ("substitute", "Suppleant"),
                ],
                default="member",
                max_length=20,
                verbose_name="rolle",
            ),
        ),
        remap_choices("councils", "councilpage", "kind", COUNCIL_KIND, page=("councils", "councilpage")),
        remap_choices("councils", "membership", "role", ROLE),
        remap_choices("councils", "membership", "origin", ORIGIN),
        remap_choices("councils", "hearingparty", "kind", PARTY_KIND),
    ]
