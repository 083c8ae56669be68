"""The audit trail on PostgreSQL (#18): the table refuses UPDATE and DELETE, records are chained
when their transaction commits — in commit order, without a fork however many write at once —
and with the trigger disabled by a superuser (as an attacker with database rights would), an
edit, a removal and an insertion are all found by `audit_verify`. Nothing younger than 180 days
can be purged, by the command or by raw SQL.

The same chain logic on SQLite: tests/core/test_audit_chain.py."""

import contextlib
import datetime
import io
import threading
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from core.audit_chain import GENESIS_SHA256, verify_chain
from core.models import AuditRecord
from core.services import audit_record
from tests.conftest import require
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _write(count: int, action: str = "test.step") -> list[AuditRecord]:
    return [audit_record(actor=None, action=action, after={"index": index}) for index in range(count)]


def _sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify_failure() -> str:
    with pytest.raises(CommandError) as refused:
        call_command("audit_verify")
    assert refused.value.returncode == 1
    return str(refused.value)


@contextlib.contextmanager
def triggers_disabled_by_a_superuser():
    """What an attacker with database rights does first; the test user is a superuser."""
    _sql("ALTER TABLE core_auditrecord DISABLE TRIGGER USER")
    try:
        yield
    finally:
        _sql("ALTER TABLE core_auditrecord ENABLE TRIGGER USER")


def test_the_table_refuses_update_and_delete():
    (record,) = _write(1)
    for statement in (
        "UPDATE core_auditrecord SET reason = '改过' WHERE id = %s",
        "UPDATE core_auditrecord SET created_at = created_at - interval '1 year' WHERE id = %s",
        "DELETE FROM core_auditrecord WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="audit_append_only"), transaction.atomic():
            _sql(statement, [record.pk])
    with pytest.raises(DatabaseError, match="audit_append_only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="award.withdraw")
    stored = AuditRecord.objects.get(pk=record.pk)
    assert stored.reason == "" and stored.action == "test.step"
    assert verify_chain(AuditRecord).ok


def test_records_are_chained_when_their_transaction_commits():
    with transaction.atomic():
        first, second = _write(2)
        assert not AuditRecord.objects.filter(chain_position__isnull=False).exists()
    stored = list(AuditRecord.objects.order_by("chain_position"))
    assert [record.pk for record in stored] == [first.pk, second.pk]
    assert [record.chain_position for record in stored] == [1, 2]
    assert stored[0].previous_sha256 == GENESIS_SHA256 and stored[1].previous_sha256 == stored[0].record_sha256
    output = io.StringIO()
    call_command("audit_verify", stdout=output)
    assert "审计链校验通过：共 2 条记录" in output.getvalue()


def test_a_rolled_back_record_leaves_no_gap():
    _write(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        _write(1, "test.rolled_back")
        raise RuntimeError
    _write(1)
    assert list(AuditRecord.objects.order_by("chain_position").values_list("chain_position", flat=True)) == [1, 2]
    assert verify_chain(AuditRecord).ok


def _in_thread(target, *args):
    def run():
        try:
            target(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_chain_follows_the_order_of_commits_not_of_writes():
    written, committed = threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            audit_record(actor=None, action="test.written_first")
            written.set()
            committed.wait(timeout=30)

    def quick_writer():
        written.wait(timeout=30)
        audit_record(actor=None, action="test.committed_first")  # autocommit
        committed.set()

    threads = [_in_thread(slow_writer), _in_thread(quick_writer)]
    for thread in threads:
        thread.join(timeout=60)
    by_position = list(AuditRecord.objects.order_by("chain_position").values_list("action", "id"))
    assert [action for action, _id in by_position] == ["test.committed_first", "test.written_first"]
    assert by_position[0][1] > by_position[1][1]  # the later id is first in the chain
    assert verify_chain(AuditRecord).ok


def test_many_writers_at_once_never_fork_the_chain():
    writers, transactions_each, records_each = 8, 5, 3
    barrier = threading.Barrier(writers)
    failures = []

    def writer(number):
        try:
            barrier.wait(timeout=30)
            for _ in range(transactions_each):
                with transaction.atomic():
                    for index in range(records_each):
                        audit_record(actor=None, action=f"test.writer_{number}", after={"index": index})
        except Exception as error:  # noqa: BLE001 — every failure fails the test below
            failures.append(error)

    threads = [_in_thread(writer, number) for number in range(writers)]
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    total = writers * transactions_each * records_each
    positions = list(AuditRecord.objects.order_by("chain_position").values_list("chain_position", flat=True))
    assert positions == list(range(1, total + 1))
    assert AuditRecord.objects.values("previous_sha256").distinct().count() == total  # no two share a parent
    report = verify_chain(AuditRecord)
    assert report.ok and report.checked == total


def test_an_edit_with_the_trigger_disabled_is_found():
    records = _write(4)
    with triggers_disabled_by_a_superuser():
        _sql("UPDATE core_auditrecord SET after = '{\"index\": 7}' WHERE id = %s", [records[1].pk])
    refused = _verify_failure()
    assert f"审计记录 #{records[1].pk}（链序号 2" in refused and "写入后被修改了" in refused


def test_a_removal_with_the_trigger_disabled_is_found():
    records = _write(4)
    with triggers_disabled_by_a_superuser():
        _sql("DELETE FROM core_auditrecord WHERE id = %s", [records[2].pk])
    refused = _verify_failure()
    assert f"审计记录 #{records[3].pk}（链序号 4" in refused and "记录被删除了" in refused


def test_an_insertion_with_the_trigger_disabled_is_found():
    records = [AuditRecord.objects.get(pk=record.pk) for record in _write(3)]
    with triggers_disabled_by_a_superuser():
        _sql(
            "INSERT INTO core_auditrecord (created_at, actor_label, action, object_type, object_id, object_label, "
            "user_agent, reason, kind, content_sha256, previous_sha256, record_sha256) VALUES "
            "(now(), '系统', 'award.decide', '', '', '', '', '', 'scoring', '', '', '')"
        )
    assert "不在链中" in _verify_failure()
    # Given the next place in the chain with hashes copied from the record before, it still does not fit.
    with triggers_disabled_by_a_superuser():
        _sql(
            "UPDATE core_auditrecord SET chain_position = 4, previous_sha256 = %s, record_sha256 = %s, "
            "content_sha256 = %s WHERE chain_position IS NULL",
            [records[2].record_sha256, records[2].record_sha256, records[2].content_sha256],
        )
    assert "内容与其内容摘要不符" in _verify_failure()


def test_the_account_of_an_actor_can_still_be_removed():
    person = UserFactory(display_name="离职人员")
    record = audit_record(actor=person, action="scenario.update")
    person.delete()  # ON DELETE SET NULL: the one change the trigger lets through
    stored = AuditRecord.objects.get(pk=record.pk)
    assert stored.actor_id is None and stored.actor_label.startswith("离职人员")
    assert verify_chain(AuditRecord).ok


def _written_days_ago(days: int, count: int) -> list[AuditRecord]:
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - datetime.timedelta(days=days)):
        return _write(count)


def test_nothing_younger_than_180_days_can_be_purged_by_the_command_or_by_sql():
    young = _written_days_ago(179, 2)
    with pytest.raises(CommandError, match="至少保存 180 天"):
        call_command("audit_purge", "--before", timezone.localdate().isoformat())
    with pytest.raises(DatabaseError, match="audit_append_only"), transaction.atomic():
        _sql("SELECT set_config('portal.audit_purge', 'on', true)")  # the purge's own switch …
        _sql("DELETE FROM core_auditrecord WHERE id = %s", [young[0].pk])  # … still keeps the floor
    assert AuditRecord.objects.count() == 2


def test_a_purge_of_old_records_keeps_a_chain_that_verifies():
    old = _written_days_ago(400, 3)
    kept = _written_days_ago(30, 2)
    before = timezone.localdate() - datetime.timedelta(days=200)
    call_command("audit_purge", "--before", before.isoformat(), stdout=io.StringIO())
    assert not AuditRecord.objects.filter(pk__in=[record.pk for record in old]).exists()
    assert AuditRecord.objects.filter(pk__in=[record.pk for record in kept]).count() == 2
    report = verify_chain(AuditRecord)
    assert report.ok and report.anchored_by_purge and report.first_position == 4
    assert AuditRecord.objects.get(action="audit.purge").after["removed"] == 3
