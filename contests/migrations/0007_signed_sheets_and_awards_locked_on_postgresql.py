"""On PostgreSQL a signed score sheet, its scores and a decided award cannot be changed or removed
by any SQL — only by the audited services that reopen a sheet (sheet_reopen) or change or withdraw
an award (award_decide, award_withdraw), which set portal.reopen for their own statements
(core.locked_rows.audited_reopen). Adding a score to a signed sheet is refused as well.

A superuser can still disable the triggers; the audit trail then holds the signed sheet's hash
(score_sheet.submit) and the award as decided (award.decide), to compare with what is stored.
Nothing is created on SQLite."""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION contests_reopen_allowed() RETURNS boolean AS $$
    SELECT current_setting('portal.reopen', true) IS NOT DISTINCT FROM 'on';
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION contests_signed_sheet_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'submitted' AND NOT contests_reopen_allowed() THEN
        RAISE EXCEPTION 'signed_sheet_locked: score sheet % is signed', OLD.id
            USING ERRCODE = '42501', HINT = '已签名的评分表只能由评审组长退回后修改。';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER contests_signed_sheet_locked BEFORE UPDATE OR DELETE ON contests_scoresheet
    FOR EACH ROW EXECUTE FUNCTION contests_signed_sheet_locked();

CREATE OR REPLACE FUNCTION contests_signed_score_locked() RETURNS trigger AS $$
BEGIN
    IF NOT contests_reopen_allowed() AND EXISTS (
        SELECT 1 FROM contests_scoresheet WHERE status = 'submitted' AND id IN (
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.sheet_id END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.sheet_id END)
    ) THEN
        RAISE EXCEPTION 'signed_sheet_locked: the scores of a signed sheet cannot change'
            USING ERRCODE = '42501', HINT = '已签名的评分表只能由评审组长退回后修改。';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER contests_signed_score_locked BEFORE INSERT OR UPDATE OR DELETE ON contests_score
    FOR EACH ROW EXECUTE FUNCTION contests_signed_score_locked();

CREATE OR REPLACE FUNCTION contests_decided_award_locked() RETURNS trigger AS $$
BEGIN
    IF NOT contests_reopen_allowed() THEN
        RAISE EXCEPTION 'decided_award_locked: award % is decided', OLD.id
            USING ERRCODE = '42501', HINT = '已决定的奖励只能通过奖励决定或撤销操作（留有审计记录）变更。';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER contests_decided_award_locked BEFORE UPDATE OR DELETE ON contests_award
    FOR EACH ROW EXECUTE FUNCTION contests_decided_award_locked();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS contests_decided_award_locked ON contests_award;
DROP FUNCTION IF EXISTS contests_decided_award_locked();
DROP TRIGGER IF EXISTS contests_signed_score_locked ON contests_score;
DROP FUNCTION IF EXISTS contests_signed_score_locked();
DROP TRIGGER IF EXISTS contests_signed_sheet_locked ON contests_scoresheet;
DROP FUNCTION IF EXISTS contests_signed_sheet_locked();
DROP FUNCTION IF EXISTS contests_reopen_allowed();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("contests", "0006_entry_step_notice")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
