from django.db import migrations


def seed(apps, schema_editor):
    from capability_list.reference_data import seed_industries, seed_strategic_areas

    seed_industries(apps.get_model("capability_list", "Industry"))
    seed_strategic_areas(apps.get_model("capability_list", "StrategicArea"))


class Migration(migrations.Migration):
    dependencies = [("capability_list", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
