"""Rows the database keeps locked once signed or decided, and the one way through.

On PostgreSQL, triggers refuse to change or delete a signed score sheet and its scores, or a
decided award (contests migration 0007), or a signed evaluation sheet and its scores (evaluation
migration 0003), whoever sends the SQL — unless the transaction has set
portal.reopen, which only the audited services that reopen or change them do, through
`audited_reopen()`, for the statements inside it. Elsewhere (SQLite) it does nothing: the services
themselves are the only writers there.
"""

from contextlib import contextmanager

from django.db import connection

REOPEN_SETTING = "portal.reopen"


def _set(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [REOPEN_SETTING, value])


@contextmanager
def audited_reopen():
    """Let the statements inside change locked rows. Use it only inside a service's transaction
    that writes the audit record of that change. If they fail, the rollback of the transaction
    (or savepoint) takes the setting back with them."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audited_reopen() must run inside the service's transaction")
    _set("on")
    yield
    _set("off")


# The triggers themselves, for a migration to create: a signed row, and the rows that hang from it
# (contests migration 0007 wrote out its SQL before this helper; evaluation migration 0003 uses
# it). Names, tables and conditions are constants of the calling migration, never outside input.
_REOPEN_ALLOWED = f"current_setting('{REOPEN_SETTING}', true) IS NOT DISTINCT FROM 'on'"
_RETURN = """
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def _drop(name: str, table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {name} ON {table};\nDROP FUNCTION IF EXISTS {name}();\n"


def locked_rows_sql(*, name: str, table: str, locked_when: str, what: str, hint: str) -> tuple[str, str]:
    """(forward, reverse) SQL of a trigger that refuses UPDATE and DELETE of a row of `table` whose
    old values meet `locked_when` (SQL on OLD), unless the transaction set portal.reopen. The error
    reads "<name>: <what> <id> is locked" with SQLSTATE 42501 and the Chinese `hint`."""
    forward = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF ({locked_when}) AND NOT ({_REOPEN_ALLOWED}) THEN
        RAISE EXCEPTION '{name}: {what} % is locked', OLD.id USING ERRCODE = '42501', HINT = '{hint}';
    END IF;{_RETURN}
CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""
    return forward, _drop(name, table)


def locked_children_sql(
    *, name: str, table: str, parent_column: str, parent_table: str, parent_locked_when: str, what: str, hint: str
) -> tuple[str, str]:
    """(forward, reverse) SQL of a trigger that refuses INSERT, UPDATE and DELETE of a row of `table`
    whose parent (old or new `parent_column` → `parent_table`) meets `parent_locked_when` (SQL on
    the parent's columns), unless the transaction set portal.reopen."""
    forward = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF NOT ({_REOPEN_ALLOWED}) AND EXISTS (
        SELECT 1 FROM {parent_table} WHERE ({parent_locked_when}) AND id IN (
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.{parent_column} END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.{parent_column} END)
    ) THEN
        RAISE EXCEPTION '{name}: the {what} of a locked row cannot change'
            USING ERRCODE = '42501', HINT = '{hint}';
    END IF;{_RETURN}
CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""  # nosec B608 - built from the calling migration's constants (see above), no outside input
    return forward, _drop(name, table)
