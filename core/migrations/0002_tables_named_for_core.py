"""Rename the moved tables (accounts_job → core_job, …) now that accounts no longer claims them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("accounts", "0003_ground_floor_moved_to_core"),
    ]

    operations = [
        migrations.AlterModelTable(name="auditrecord", table=None),
        migrations.AlterModelTable(name="job", table=None),
        migrations.AlterModelTable(name="notification", table=None),
    ]
