"""manage.py backup / restore (#18): a PostgreSQL backup restored into an empty database holds the
same tables with the same rows; a restore refuses a database that is not empty and a backup that
does not match its checksum, and changes nothing then. SQLite through its backup API."""

import sqlite3

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backups import database_backup, database_restore
from core.errors import DomainError
from core.models import AuditRecord, Job
from core.services import audit_record
from tests.conftest import ensure_reference_data, require
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user

# ---- PostgreSQL ----------------------------------------------------------------------------------


def _pg_connect(name: str):
    database = connection.settings_dict
    session = psycopg2.connect(
        dbname=name,
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
    )
    session.autocommit = True
    return session


def _url(name: str) -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{name}"
    )


def _table_rows(session) -> dict[str, int]:
    """Every table of the public schema with its row count, and an md5 of the audit log's rows."""
    with session.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # nosec B608 — names read from pg_tables
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM core_auditrecord a")
        counts["md5 of core_auditrecord"] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def empty_database():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = _pg_connect("postgres")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restored_into_an_empty_database_has_every_table_with_the_same_rows(
    empty_database, tmp_path
):
    ensure_reference_data()  # districts, domains, industries, frameworks, targets …
    operator = operator_user()
    for number in range(30):
        UserFactory(organisation=OrganisationFactory(name=f"备份测试企业{number:02d}"), roles=["company"])
    Job.objects.create(kind="accounts.organisation_directory", title="机构名录导出", requested_by=operator)
    audit_record(actor=operator, action="test.before_backup", after={"说明": "备份前的记录"})
    backup_file = tmp_path / "portal.dump"

    call_command("backup", output=backup_file)

    assert backup_file.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "portal.dump.sha256").read_text().split()[0]
    assert AuditRecord.objects.filter(action="system.backup").count() == 1  # written after the dump
    source = _pg_connect(connection.settings_dict["NAME"])
    expected = _table_rows(source)
    expected["core_auditrecord"] -= 1
    source.close()

    call_command("restore", backup_file, database_url=_url(empty_database), noinput=True)

    restored = _pg_connect(empty_database)
    got = _table_rows(restored)
    restored.close()
    expected.pop("md5 of core_auditrecord"), got.pop("md5 of core_auditrecord")
    assert got == expected
    assert len(got) > 100 and got["accounts_organisation"] >= 30 and got["accounts_district"] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_audit_log_is_restored_row_for_row(empty_database, tmp_path):
    audit_record(actor=operator_user(), action="test.before_backup", after={"金额": "1000000.00"})
    backup = database_backup(database=connection.settings_dict, output=tmp_path / "portal.dump")
    source = _pg_connect(connection.settings_dict["NAME"])
    before = _table_rows(source)["md5 of core_auditrecord"]
    source.close()
    database_restore(database={**connection.settings_dict, "NAME": empty_database}, source=backup.path)
    restored = _pg_connect(empty_database)
    assert _table_rows(restored)["md5 of core_auditrecord"] == before
    restored.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_that_is_not_empty_and_a_damaged_backup(empty_database, tmp_path):
    backup_file = tmp_path / "portal.dump"
    call_command("backup", output=backup_file)
    target = _url(empty_database)
    call_command("restore", backup_file, database_url=target, noinput=True)
    restored = _pg_connect(empty_database)
    before = _table_rows(restored)

    with pytest.raises(CommandError, match="不是空的：请恢复到新建的空数据库"):
        call_command("restore", backup_file, database_url=target, noinput=True)

    damaged = bytearray(backup_file.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    backup_file.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match="备份文件校验失败"):
        call_command("restore", backup_file, database_url=target, clean=True, noinput=True)
    assert _table_rows(restored) == before
    restored.close()


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "portal.dump"
    existing.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="已存在，不会覆盖"):
        call_command("backup", output=existing)
    assert existing.read_bytes() == b"an older backup"


def test_a_restore_names_a_missing_file_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="备份文件不存在"):
        call_command("restore", tmp_path / "missing.dump", database_url=f"sqlite:///{tmp_path}/target.db", noinput=True)


# ---- SQLite (the embedded default) ---------------------------------------------------------------


def _sqlite(path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def _sqlite_rows(path) -> dict[str, list]:
    with sqlite3.connect(path) as database:
        tables = [name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: database.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in tables}  # nosec B608


def test_a_sqlite_backup_restored_into_an_empty_file_has_the_same_rows(tmp_path):
    source = tmp_path / "db.sqlite3"
    with sqlite3.connect(source) as database:
        database.execute("CREATE TABLE scenario (id integer PRIMARY KEY, title text)")
        database.executemany("INSERT INTO scenario (title) VALUES (?)", [(f"场景{number}",) for number in range(500)])
        database.execute("CREATE TABLE award (id integer PRIMARY KEY, amount text)")
        database.execute("INSERT INTO award (amount) VALUES ('1000000.00')")

    backup = database_backup(database=_sqlite(source), output=tmp_path / "backup.sqlite3")
    assert backup.tables == 2 and len(backup.sha256) == 64
    target = tmp_path / "restored.sqlite3"
    assert database_restore(database=_sqlite(target), source=backup.path) == 2
    assert _sqlite_rows(target) == _sqlite_rows(source)

    with pytest.raises(DomainError, match="不是空的"):
        database_restore(database=_sqlite(target), source=backup.path)
    assert database_restore(database=_sqlite(target), source=backup.path, clean=True) == 2
