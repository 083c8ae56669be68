"""Editions and import batches point at core.Job (the same table and rows; only Django's state changes)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("capability_list", "0008_matches_one_row_per_pair"),
        ("core", "0001_initial"),
    ]
    # accounts lets go of Job only once nothing in the state points at accounts.Job any more.
    run_before = [("accounts", "0003_ground_floor_moved_to_core")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name="job",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="core.job"),
                )
                for model in ("edition", "importbatch")
            ],
            database_operations=[],
        ),
    ]
