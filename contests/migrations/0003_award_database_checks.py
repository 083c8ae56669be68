"""Awards are checked by the database as well as by contests.services.awards: the amount is at most the
challenge's cap, the entry's 信用核查 passed, and a contest's awards sum to at most its budget.

These span tables, so they are triggers (PostgreSQL and SQLite) rather than CHECK constraints.
On PostgreSQL the trigger locks the contest row, so two awards decided at the same moment cannot
both squeeze under the budget."""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION contests_award_check() RETURNS trigger AS $$
DECLARE
    cap numeric; budget numeric; awarded numeric; credit varchar; entry_challenge integer; challenge_contest integer;
BEGIN
    SELECT award_budget INTO budget FROM contests_contest WHERE id = NEW.contest_id FOR UPDATE;
    SELECT award_cap, contest_id INTO cap, challenge_contest FROM contests_challenge WHERE id = NEW.challenge_id;
    SELECT challenge_id, credit_check INTO entry_challenge, credit FROM contests_contestentry WHERE id = NEW.entry_id;
    IF entry_challenge IS DISTINCT FROM NEW.challenge_id OR challenge_contest IS DISTINCT FROM NEW.contest_id THEN
        RAISE EXCEPTION 'award_mismatch: entry, challenge and contest disagree' USING ERRCODE = '23514';
    END IF;
    IF NEW.amount > cap THEN
        RAISE EXCEPTION 'award_over_cap: % > %', NEW.amount, cap USING ERRCODE = '23514';
    END IF;
    IF credit IS DISTINCT FROM 'passed' THEN
        RAISE EXCEPTION 'award_credit_check: entry % credit check is %', NEW.entry_id, credit USING ERRCODE = '23514';
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO awarded FROM contests_award WHERE contest_id = NEW.contest_id AND id IS DISTINCT FROM NEW.id;
    IF awarded + NEW.amount > budget THEN
        RAISE EXCEPTION 'award_over_budget: % + % > %', awarded, NEW.amount, budget USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER contests_award_check BEFORE INSERT OR UPDATE ON contests_award
    FOR EACH ROW EXECUTE FUNCTION contests_award_check();
"""
POSTGRESQL_REVERSE = "DROP TRIGGER IF EXISTS contests_award_check ON contests_award; DROP FUNCTION IF EXISTS contests_award_check();"

SQLITE_BODY = """
BEGIN
    SELECT RAISE(ABORT, 'award_mismatch') WHERE
        (SELECT challenge_id FROM contests_contestentry WHERE id = NEW.entry_id) IS NOT NEW.challenge_id
        OR (SELECT contest_id FROM contests_challenge WHERE id = NEW.challenge_id) IS NOT NEW.contest_id;
    SELECT RAISE(ABORT, 'award_over_cap') WHERE CAST(NEW.amount AS REAL) > (SELECT CAST(award_cap AS REAL) FROM contests_challenge WHERE id = NEW.challenge_id);
    SELECT RAISE(ABORT, 'award_credit_check') WHERE (SELECT credit_check FROM contests_contestentry WHERE id = NEW.entry_id) IS NOT 'passed';
    SELECT RAISE(ABORT, 'award_over_budget') WHERE
        (SELECT COALESCE(SUM(CAST(amount AS REAL)), 0) FROM contests_award WHERE contest_id = NEW.contest_id AND id IS NOT NEW.id) + CAST(NEW.amount AS REAL)
        > (SELECT CAST(award_budget AS REAL) FROM contests_contest WHERE id = NEW.contest_id) + 0.001;
END;
"""
SQLITE = [
    "CREATE TRIGGER contests_award_check_insert BEFORE INSERT ON contests_award" + SQLITE_BODY,
    "CREATE TRIGGER contests_award_check_update BEFORE UPDATE ON contests_award" + SQLITE_BODY,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS contests_award_check_insert", "DROP TRIGGER IF EXISTS contests_award_check_update"]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("contests", "0002_scoring_and_results")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
