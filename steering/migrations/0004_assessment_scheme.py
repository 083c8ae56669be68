"""The first year's SOE assessment and credit scheme (steering/reference_data.py, SOE assessment)."""

from django.db import migrations


def seed(apps, schema_editor):
    from steering.reference_data import seed_assessment_scheme

    seed_assessment_scheme(apps.get_model("steering", "AssessmentScheme"), apps.get_model("steering", "AssessmentItem"))


class Migration(migrations.Migration):
    dependencies = [("steering", "0003_programme_reference_data")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
