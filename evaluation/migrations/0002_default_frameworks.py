"""The three default 评价指标体系 (企业级, 产业级, 城市级; v1, published) and the default typical-case
nomination rule (evaluation/reference_data.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from evaluation.reference_data import seed_default_frameworks

    seed_default_frameworks(
        apps.get_model("evaluation", "Framework"),
        apps.get_model("evaluation", "Indicator"),
        apps.get_model("evaluation", "GradeBand"),
        apps.get_model("evaluation", "CaseNominationRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
