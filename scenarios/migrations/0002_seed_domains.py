from django.db import migrations


def seed(apps, schema_editor):
    from scenarios.reference_data import seed_domains

    seed_domains(apps.get_model("scenarios", "Domain"))


class Migration(migrations.Migration):
    dependencies = [("scenarios", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
