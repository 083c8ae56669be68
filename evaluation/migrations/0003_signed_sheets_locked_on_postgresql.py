"""On PostgreSQL a signed (submitted) evaluation sheet and its indicator scores cannot be changed or
removed by any SQL — only by the audited service that sends a sheet back to its expert
(evaluation_sheet_reopen), which sets portal.reopen for its own statements
(core.locked_rows.audited_reopen). Adding a score to a signed sheet is refused as well. The same
lock as a contest's signed score sheet (contests migration 0007).

A superuser can still disable the triggers; the audit trail then holds the signed sheet's hash and
points (evaluation.sheet_submit), to compare with what is stored. Nothing is created on SQLite."""

from django.db import migrations

from core.locked_rows import locked_children_sql, locked_rows_sql

HINT = "已签名提交的评价表只能由专家组长或运营管理人员退回后修改。"
SHEET = locked_rows_sql(
    name="evaluation_signed_sheet_locked",
    table="evaluation_evaluationsheet",
    locked_when="OLD.status = 'submitted'",
    what="evaluation sheet",
    hint=HINT,
)
SCORES = locked_children_sql(
    name="evaluation_signed_score_locked",
    table="evaluation_indicatorscore",
    parent_column="sheet_id",
    parent_table="evaluation_evaluationsheet",
    parent_locked_when="status = 'submitted'",
    what="scores",
    hint=HINT,
)


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for forward, _reverse in (SHEET, SCORES):
            schema_editor.execute(forward, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _forward, reverse in (SCORES, SHEET):
            schema_editor.execute(reverse, params=None)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_default_frameworks")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
