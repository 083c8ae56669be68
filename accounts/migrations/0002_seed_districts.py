from django.db import migrations


def seed(apps, schema_editor):
    from accounts.reference_data import seed_districts

    seed_districts(apps.get_model("accounts", "District"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
