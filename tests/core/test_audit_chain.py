"""The audit trail's hash chain on the embedded database (SQLite): each record links to the one
before, `audit_verify` names the first record changed, removed or slipped in, and `audit_purge`
removes only records past the 180-day floor and leaves a chain that still verifies (#18).

On PostgreSQL the chain is formed by a trigger at commit and the table refuses changes:
tests/core/test_audit_on_postgresql.py."""

import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from core.audit_chain import (
    GENESIS_SHA256,
    canonical_content,
    content_sha256,
    link_sha256,
    verify_chain,
)
from core.errors import DomainError
from core.models import AuditRecord
from core.services import audit_purge, audit_record
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _embedded_database():
    if connection.vendor == "postgresql":
        pytest.skip("the chain is formed in Python on SQLite only; PostgreSQL: test_audit_on_postgresql.py")


def _write(count: int) -> list[AuditRecord]:
    return [audit_record(actor=None, action=f"test.step_{index}", after={"index": index}) for index in range(count)]


def _verify_output(*args) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def _verify_failure(*args) -> CommandError:
    with pytest.raises(CommandError) as refused:
        call_command("audit_verify", *args)
    assert refused.value.returncode == 1  # manage.py exits with 1
    return refused.value


def test_each_record_links_to_the_one_before_from_the_genesis():
    person = UserFactory(display_name="审计测试")
    records = [audit_record(actor=person, action="scenario.update", before={"a": 1}, after={"a": 2})] + _write(3)
    stored = list(AuditRecord.objects.order_by("chain_position"))
    assert [record.chain_position for record in stored] == [1, 2, 3, 4]
    assert stored[0].previous_sha256 == GENESIS_SHA256
    for previous, record in zip(stored, stored[1:]):
        assert record.previous_sha256 == previous.record_sha256
    for record in stored:
        assert record.content_sha256 == content_sha256(record)
        assert record.record_sha256 == link_sha256(record.chain_position, record.previous_sha256, record.content_sha256)
    assert [record.pk for record in records] == [record.pk for record in stored]
    report = verify_chain(AuditRecord)
    assert report.ok and report.checked == 4 and report.head_position == 4
    output = _verify_output()
    assert "审计链校验通过：共 4 条记录" in output and f"4:{stored[-1].record_sha256}" in output


def test_the_content_hash_reads_the_same_after_the_round_trip_through_the_database():
    record = audit_record(
        actor=None,
        action="award.decide",
        after={
            "amount": Decimal("800000.50"),
            "big": 1e30,
            "whole": 100.0,
            "nested": {"b": [1, None, True], "a": "中文"},
        },
    )
    stored = AuditRecord.objects.get(pk=record.pk)
    assert canonical_content(stored) == canonical_content(record)
    # The canonical text does not depend on key order or on how a number is written.
    assert '"whole":100}' in canonical_content(stored) and '"a":"中文","b":[1,null,true]' in canonical_content(stored)


def test_a_changed_record_is_found_and_named():
    records = _write(5)
    AuditRecord.objects.filter(pk=records[2].pk).update(reason="事后补写的原因")
    refused = _verify_failure()
    assert f"审计记录 #{records[2].pk}（链序号 3" in str(refused)
    assert "内容与其内容摘要不符：该记录写入后被修改了" in str(refused)


def test_a_changed_record_with_its_content_hash_recomputed_is_still_found():
    records = _write(4)
    target = AuditRecord.objects.get(pk=records[1].pk)
    target.after = {"index": 99}
    AuditRecord.objects.filter(pk=target.pk).update(after=target.after, content_sha256=content_sha256(target))
    assert "链接摘要不符" in str(_verify_failure())
    # Recomputing the link hash too moves the break to the next record.
    AuditRecord.objects.filter(pk=target.pk).update(
        record_sha256=link_sha256(target.chain_position, target.previous_sha256, content_sha256(target))
    )
    refused = str(_verify_failure())
    assert f"审计记录 #{records[2].pk}（链序号 3" in refused and "前一条摘要与链序号 2 的记录不符" in refused


def test_a_removed_record_is_found():
    records = _write(5)
    AuditRecord.objects.filter(pk=records[3].pk).delete()
    refused = str(_verify_failure())
    assert f"审计记录 #{records[4].pk}（链序号 5" in refused and "缺少 1 条记录：记录被删除了" in refused


def test_removing_the_oldest_records_without_a_purge_is_found():
    records = _write(4)
    AuditRecord.objects.filter(pk__in=[records[0].pk, records[1].pk]).delete()
    assert "之前的记录缺失，且没有与之对应的清理记录" in str(_verify_failure())


def test_a_record_slipped_in_is_found_with_or_without_chain_fields():
    _write(3)
    forged = AuditRecord(created_at=timezone.now(), actor_label="系统", action="award.decide", after={"amount": "1"})
    AuditRecord.objects.bulk_create([forged])  # bypasses audit_record: no place in the chain
    assert "不在链中" in str(_verify_failure())
    AuditRecord.objects.filter(chain_position__isnull=True).delete()
    # One given the next position with a made-up hash.
    forged = AuditRecord(created_at=timezone.now(), actor_label="系统", action="award.decide", after={"amount": "1"})
    forged.content_sha256 = content_sha256(forged)
    forged.chain_position, forged.previous_sha256, forged.record_sha256 = 4, "f" * 64, "e" * 64
    AuditRecord.objects.bulk_create([forged])
    assert "前一条摘要与链序号 3 的记录不符" in str(_verify_failure())


def test_an_anchor_kept_outside_catches_a_chain_rewritten_from_the_start():
    records = _write(3)
    anchor = f"3:{AuditRecord.objects.get(pk=records[2].pk).record_sha256}"
    assert "审计链校验通过" in _verify_output("--anchor", anchor)
    # Rewrite everything consistently (content, then every link), as someone who knows the algorithm would.
    AuditRecord.objects.filter(pk=records[0].pk).update(reason="改写")
    previous = GENESIS_SHA256
    for record in AuditRecord.objects.order_by("chain_position"):
        content = content_sha256(record)
        previous_link = previous
        previous = link_sha256(record.chain_position, previous_link, content)
        AuditRecord.objects.filter(pk=record.pk).update(
            content_sha256=content, previous_sha256=previous_link, record_sha256=previous
        )
    assert "审计链校验通过" in _verify_output()  # the chain alone cannot tell
    assert "与外部保存的锚点不符" in str(_verify_failure("--anchor", anchor))
    with pytest.raises(CommandError, match="--anchor 应写作"):
        call_command("audit_verify", "--anchor", "3:xyz")


def _written_days_ago(days: int, count: int) -> list[AuditRecord]:
    moment = timezone.now() - datetime.timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return _write(count)


def test_nothing_younger_than_180_days_can_be_purged():
    _written_days_ago(100, 2)
    too_recent = timezone.localdate() - datetime.timedelta(days=179)
    with pytest.raises(DomainError, match="至少保存 180 天"):
        audit_purge(before=too_recent)
    with pytest.raises(CommandError, match="至少保存 180 天"):
        call_command("audit_purge", "--before", too_recent.isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit_purge", "--before", "昨天")
    assert AuditRecord.objects.count() == 2


def test_a_purge_removes_only_old_records_and_the_chain_still_verifies():
    old = _written_days_ago(400, 3)
    _written_days_ago(200, 2)
    young = _written_days_ago(10, 2)
    out = io.StringIO()
    call_command(
        "audit_purge", "--before", (timezone.localdate() - datetime.timedelta(days=300)).isoformat(), stdout=out
    )
    assert "已清理" in out.getvalue() and "3 条" in out.getvalue()
    assert not AuditRecord.objects.filter(pk__in=[record.pk for record in old]).exists()
    assert AuditRecord.objects.filter(pk__in=[record.pk for record in young]).count() == 2
    purge = AuditRecord.objects.get(action="audit.purge")
    assert purge.kind == "audit" and purge.after["removed"] == 3 and purge.after["first_kept_position"] == 4
    report = verify_chain(AuditRecord)
    assert report.ok and report.anchored_by_purge and report.first_position == 4
    assert "清理锚点" in _verify_output()
    # A second purge of everything past the floor keeps the newest record and the chain.
    audit_purge(before=timezone.localdate() - datetime.timedelta(days=180))
    assert verify_chain(AuditRecord).ok
    assert AuditRecord.objects.filter(pk__in=[record.pk for record in young]).count() == 2


def test_removing_records_after_a_purge_is_still_found():
    _written_days_ago(400, 3)
    kept = _written_days_ago(10, 3)
    audit_purge(before=timezone.localdate() - datetime.timedelta(days=200))
    AuditRecord.objects.filter(pk=kept[0].pk).delete()  # the first record kept, the anchor's
    assert "之前的记录缺失" in str(_verify_failure())
