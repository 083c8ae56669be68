"""Audit records, jobs and notifications now belong to core (core 0001 took them over, tables and rows untouched)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_districts"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditRecord"),
                migrations.DeleteModel(name="Job"),
                migrations.DeleteModel(name="Notification"),
            ],
            database_operations=[],
        ),
    ]
