"""Scenarios that the old 进入场景大赛 button left 'in contest' without being a challenge of any
contest go back to 已发布, so their publisher can put them into a contest properly. Each one is
recorded in the audit log (the system as actor, with the reason); nothing else changes."""

from django.db import migrations

REASON = "系统更正：该场景未在任何大赛中发榜，状态由“大赛中”恢复为“已发布”，可在大赛中发榜。"


def release(apps, schema_editor):
    Scenario = apps.get_model("scenarios", "Scenario")
    Challenge = apps.get_model("contests", "Challenge")
    AuditRecord = apps.get_model("core", "AuditRecord")
    in_a_contest = Challenge.objects.values("scenario_id")
    stuck = Scenario.objects.filter(status="in_contest").exclude(pk__in=in_a_contest)
    for scenario in stuck:
        scenario.status = "published"
        scenario.save(update_fields=["status"])
        AuditRecord.objects.create(
            actor=None,
            actor_label="系统",
            action="scenario.release_from_no_contest",
            object_type="scenarios.scenario",
            object_id=str(scenario.pk),
            object_label=scenario.title[:300],
            before={"status": "in_contest"},
            after={"status": "published"},
            reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0004_verbose_names"),
        ("scenarios", "0004_updated_at_index"),
        ("core", "0002_tables_named_for_core"),
    ]

    operations = [migrations.RunPython(release, migrations.RunPython.noop)]
