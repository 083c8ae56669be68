"""Seed the domain ↔ technology field affinities (matching/reference_data.py); existing rows are kept."""

from django.db import migrations

from matching.reference_data import seed_field_affinities


def forwards(apps, schema_editor):
    seed_field_affinities(apps.get_model("scenarios", "Domain"), apps.get_model("matching", "DomainFieldAffinity"))


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0005_domain_field_affinities"),
        ("scenarios", "0002_seed_domains"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
