"""The operators' rebuild job kind is matching.rebuild now (it was capability_list.matching_rebuild).

The jobs already recorded take the new name: one still queued, or redelivered after its worker
died, finds its kind in the registry (core.jobs) when a worker runs it, and the job pages and
/api/v1/jobs/ show old and new rebuilds under one kind."""

from django.db import migrations

OLD, NEW = "capability_list.matching_rebuild", "matching.rebuild"


def kind_to_matching(apps, schema_editor):
    apps.get_model("core", "Job").objects.filter(kind=OLD).update(kind=NEW)


def kind_to_capability_list(apps, schema_editor):
    apps.get_model("core", "Job").objects.filter(kind=NEW).update(kind=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("core", "0002_tables_named_for_core"),
    ]

    operations = [
        migrations.RunPython(kind_to_matching, kind_to_capability_list),
    ]
