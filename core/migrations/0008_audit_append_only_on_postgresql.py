"""On PostgreSQL the audit table is append-only and chains its records at commit.

- core_audit_chain: a deferred constraint trigger, so it runs when the writing transaction
  commits, after everything else the transaction did. It takes a transaction-level advisory lock
  (core.audit_chain.CHAIN_LOCK_KEY), reads the newest chained record and gives the new record the
  next position, that record's hash as its previous hash and its own link hash (the same formula
  as core.audit_chain.link_sha256). Commits pass the lock one at a time, so two transactions
  never take the same previous record; the lock is taken at the very end of a transaction, when
  it waits for nothing else, so it cannot deadlock.
- core_audit_append_only: refuses every UPDATE and DELETE, except
  * the chain trigger filling in a record's empty chain fields (it sets portal.audit_chain);
  * the account of the actor being removed (ON DELETE SET NULL: actor_id becomes NULL, nothing
    else changes; the record keeps who it was in actor_label);
  * manage.py audit_purge (it sets portal.audit_purge), and only for records older than 180 days.
  A superuser can still disable the trigger; audit_verify then finds what was changed.

Nothing is created on other databases (SQLite is the single-user embedded default).
"""

from django.db import migrations

from core.audit_chain import CHAIN_LOCK_KEY, RETENTION_FLOOR_DAYS

# Built from two integer constants of core.audit_chain, no outside input.
POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION core_audit_chain() RETURNS trigger AS $$
DECLARE
    last_position bigint;
    last_hash varchar(64);
BEGIN
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
    SELECT chain_position, record_sha256 INTO last_position, last_hash FROM core_auditrecord
        WHERE chain_position IS NOT NULL ORDER BY chain_position DESC LIMIT 1;
    IF last_position IS NULL THEN
        last_position := 0;
        last_hash := repeat('0', 64);
    END IF;
    PERFORM set_config('portal.audit_chain', 'on', true);
    UPDATE core_auditrecord SET
        chain_position = last_position + 1,
        previous_sha256 = last_hash,
        record_sha256 = encode(sha256(convert_to(
            (last_position + 1)::text || '|' || last_hash || '|' || content_sha256, 'UTF8')), 'hex')
        WHERE id = NEW.id;
    PERFORM set_config('portal.audit_chain', 'off', true);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER core_audit_chain AFTER INSERT ON core_auditrecord
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_audit_chain();

CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
DECLARE
    unchanged core_auditrecord;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('portal.audit_purge', true) = 'on'
                AND OLD.created_at < now() - interval '{RETENTION_FLOOR_DAYS} days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_append_only: audit record % cannot be deleted', OLD.id
            USING ERRCODE = '42501', HINT = '审计记录只能追加，不能删除；180 天以前的记录用 manage.py audit_purge 清理。';
    END IF;
    IF current_setting('portal.audit_chain', true) = 'on' AND OLD.record_sha256 = '' THEN
        RETURN NEW;
    END IF;
    unchanged := NEW;
    unchanged.actor_id := OLD.actor_id;
    IF NEW.actor_id IS NULL AND unchanged IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_append_only: audit record % cannot be changed', OLD.id
        USING ERRCODE = '42501', HINT = '审计记录只能追加，不能修改。';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_audit_append_only BEFORE UPDATE OR DELETE ON core_auditrecord
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
"""  # nosec B608

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS core_audit_append_only ON core_auditrecord;
DROP FUNCTION IF EXISTS core_audit_append_only();
DROP TRIGGER IF EXISTS core_audit_chain ON core_auditrecord;
DROP FUNCTION IF EXISTS core_audit_chain();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_audit_chain_existing_records")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
