"""Seed the domain ↔ 战新 area affinities (matching/reference_data.py); existing rows are kept."""

from django.db import migrations

from matching.reference_data import seed_affinities


def forwards(apps, schema_editor):
    seed_affinities(
        apps.get_model("scenarios", "Domain"),
        apps.get_model("capability_list", "StrategicArea"),
        apps.get_model("matching", "DomainAreaAffinity"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_match_shares_affinities_weights"),
        ("scenarios", "0002_seed_domains"),
        ("capability_list", "0002_seed_classifications"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
