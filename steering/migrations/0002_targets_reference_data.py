"""十百千: the policy's city targets and a 高成长性科技企业 listing for every company flagged today."""

from django.db import migrations


def seed(apps, schema_editor):
    from steering.reference_data import seed_high_growth_listings, seed_policy_targets

    seed_policy_targets(apps.get_model("steering", "Target"), apps.get_model("steering", "TargetPlanPoint"))
    seed_high_growth_listings(apps.get_model("accounts", "Organisation"), apps.get_model("steering", "HighGrowthListing"))


class Migration(migrations.Migration):
    dependencies = [
        ("steering", "0001_initial"),
        ("accounts", "0003_ground_floor_moved_to_core"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
