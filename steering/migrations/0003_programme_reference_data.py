"""Seed the six programme tasks, their units and milestones, the lamp rules and the reporting
settings (function in steering/reference_data.py)."""

from django.db import migrations

from steering.reference_data import seed_programme


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_districts"),
        ("steering", "0002_targets_reference_data"),
    ]

    operations = [migrations.RunPython(seed_programme, migrations.RunPython.noop)]
