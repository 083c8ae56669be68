"""The hash chain over the audit records, and its verification.

Each record carries three hashes (SHA-256, hex):

- content_sha256: of its canonical content (canonical_content below: every field that says who,
  when, what and how, in a fixed order and form that reads back the same from either database);
- previous_sha256: the record_sha256 of the record before it in the chain (GENESIS_SHA256 for
  the first record ever written);
- record_sha256: of "<chain_position>|<previous_sha256>|<content_sha256>".

Changing a record's content breaks its content hash; recomputing that hash breaks its link hash;
recomputing the link hash breaks the next record's previous hash; removing or inserting a record
breaks the run of positions or the next link. Only rewriting the whole chain from the change to
the newest record escapes verification, which is why audit_verify prints the newest position and
hash, to be kept outside the database and checked later with --anchor.

Where the chain is formed:

- PostgreSQL: a deferred trigger (core migration 0007) forms it when the writing transaction
  commits, under a transaction-level advisory lock (CHAIN_LOCK_KEY): transactions commit one
  after another through it, so two of them can never take the same previous record, and no
  transaction holds the lock while it waits for anything else (it takes it at its very end).
  It computes link_sha256 below in SQL.
- SQLite (the embedded default): when the record is written (chain_record_now), inside the
  writing transaction; SQLite has one writer at a time.

A purge (core.services.audit.audit_purge) removes the oldest records; the first record kept then
links to a removed one, and the purge's own record (action audit.purge, in the chain itself) names
that position and previous hash as the chain's new anchor.
"""

import datetime
import hashlib
import ipaddress
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal

GENESIS_SHA256 = "0" * 64
# The key of the PostgreSQL advisory lock that serialises forming the chain (and purging it).
CHAIN_LOCK_KEY = 180_180_180
# Nothing younger than this can be purged (GB/T 22239-2019 level 3 keeps audit records ≥ 6 months);
# the database trigger holds the same floor.
RETENTION_FLOOR_DAYS = 180
PURGE_ACTION = "audit.purge"

_CONTENT_FIELDS = (
    "created_at",
    "actor_label",
    "ip_address",
    "user_agent",
    "kind",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "before",
    "after",
    "reason",
)


def _number(value):
    # 100, 100.0 and 1E+2 are one number, and PostgreSQL's jsonb may give back any of them: a whole
    # number becomes an int, any other a float (exactly the float it was written as).
    if isinstance(value, int) or (isinstance(value, float) and not math.isfinite(value)):
        return value
    number = Decimal(repr(value)) if isinstance(value, float) else value
    return int(number) if number == number.to_integral_value() else float(number)


def _normal(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float, Decimal)):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return [_normal(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _normal(item) for key, item in value.items()}
    return str(value)


def _canonical_json(value) -> str:
    """JSON with sorted keys, no spaces and numbers in one form: the same text for the value as
    written and as read back from a JSON column on either database."""
    return json.dumps(_normal(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _moment(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    moment = value.astimezone(datetime.UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond:06d}Z"


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return str(value)


def canonical_content(record) -> str:
    """The text a record's content hash is taken over. The actor's account id is left out on
    purpose: it is set to NULL when an account is removed (the label keeps who it was)."""
    values = {name: getattr(record, name) for name in _CONTENT_FIELDS}
    values["created_at"] = _moment(values["created_at"])
    values["ip_address"] = _address(values["ip_address"])
    return _canonical_json(values)


def content_sha256(record) -> str:
    return hashlib.sha256(canonical_content(record).encode("utf-8")).hexdigest()


def link_sha256(position: int, previous_sha256: str, content: str) -> str:
    """The same as the SQL in core migration 0007:
    encode(sha256(convert_to(position || '|' || previous || '|' || content, 'UTF8')), 'hex')."""
    return hashlib.sha256(f"{position}|{previous_sha256}|{content}".encode()).hexdigest()


def chain_head(model) -> tuple[int, str]:
    """(position, record hash) of the newest record in the chain; (0, GENESIS_SHA256) if none."""
    head = (
        model.objects.filter(chain_position__isnull=False)
        .order_by("-chain_position")
        .values_list("chain_position", "record_sha256")
        .first()
    )
    return head if head is not None else (0, GENESIS_SHA256)


def chain_record_now(record, model) -> None:
    """Give a record about to be saved its place in the chain (databases other than PostgreSQL,
    inside the transaction that saves it)."""
    position, previous = chain_head(model)
    record.chain_position = position + 1
    record.previous_sha256 = previous
    record.record_sha256 = link_sha256(record.chain_position, previous, record.content_sha256)


# ---- verification ------------------------------------------------------------------------------


@dataclass
class ChainReport:
    checked: int = 0
    first_position: int | None = None
    head_position: int | None = None
    head_sha256: str = ""
    anchored_by_purge: bool = False
    problem: str = ""  # the first thing that does not match, in Chinese; "" when the chain holds
    record_id: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem


def _describe(record) -> str:
    return (
        f"审计记录 #{record.pk}（链序号 {record.chain_position}，{_moment(record.created_at)}，"
        f"{record.actor_label or '—'}，{record.action}）"
    )


def _purge_anchors(model) -> set[tuple[int, str]]:
    anchors = set()
    for after in model.objects.filter(action=PURGE_ACTION).values_list("after", flat=True):
        if isinstance(after, dict):
            anchors.add((after.get("first_kept_position"), after.get("first_kept_previous_sha256")))
    return anchors


def verify_chain(model, *, anchor: tuple[int, str] | None = None, chunk_size: int = 2000) -> ChainReport:
    """Walk the chain from its oldest record and report the first record whose content or link
    does not match. `anchor` (position, record hash), noted from an earlier run, must still be in
    the chain with that hash, unless a purge has since removed it."""
    report = ChainReport()
    unchained = model.objects.filter(chain_position__isnull=True).order_by("id").first()
    if unchained is not None:
        report.problem = (
            f"审计记录 #{unchained.pk}（{_moment(unchained.created_at)}，{unchained.action}）不在链中："
            "它是绕过数据库触发器直接写入的。"
        )
        report.record_id = unchained.pk
        return report
    previous = None
    anchor_seen = False
    records = model.objects.order_by("chain_position").iterator(chunk_size=chunk_size)
    for record in records:
        report.checked += 1
        if previous is None:
            report.first_position = record.chain_position
            if record.chain_position == 1 and record.previous_sha256 == GENESIS_SHA256:
                pass
            elif (record.chain_position, record.previous_sha256) in _purge_anchors(model):
                report.anchored_by_purge = True
            else:
                report.problem = (
                    f"链首 {_describe(record)} 之前的记录缺失，且没有与之对应的清理记录（audit.purge）："
                    "更早的记录被删除了。"
                )
                report.record_id = record.pk
                return report
        else:
            if record.chain_position != previous.chain_position + 1:
                report.problem = (
                    f"{_describe(record)} 与前一条记录（链序号 {previous.chain_position}）之间缺少 "
                    f"{record.chain_position - previous.chain_position - 1} 条记录：记录被删除了。"
                )
                report.record_id = record.pk
                return report
            if record.previous_sha256 != previous.record_sha256:
                report.problem = (
                    f"{_describe(record)} 记下的前一条摘要与链序号 {previous.chain_position} 的记录不符："
                    "前一条记录被改动、替换，或有记录被插入。"
                )
                report.record_id = record.pk
                return report
        if content_sha256(record) != record.content_sha256:
            report.problem = f"{_describe(record)} 的内容与其内容摘要不符：该记录写入后被修改了。"
            report.record_id = record.pk
            return report
        if link_sha256(record.chain_position, record.previous_sha256, record.content_sha256) != record.record_sha256:
            report.problem = f"{_describe(record)} 的链接摘要不符：该记录的摘要被改写了。"
            report.record_id = record.pk
            return report
        if anchor is not None and record.chain_position == anchor[0]:
            anchor_seen = True
            if record.record_sha256 != anchor[1]:
                report.problem = f"{_describe(record)} 的链接摘要与外部保存的锚点不符：从此处起的记录被整体改写过。"
                report.record_id = record.pk
                return report
        previous = record
    if previous is not None:
        report.head_position, report.head_sha256 = previous.chain_position, previous.record_sha256
    if anchor is not None and not anchor_seen:
        if report.first_position is not None and anchor[0] < report.first_position and report.anchored_by_purge:
            report.notes.append(f"锚点（链序号 {anchor[0]}）已被合规清理，无法再比对。")
        else:
            report.problem = f"外部保存的锚点（链序号 {anchor[0]}）不在审计链中：记录被删除或整个链被重建了。"
    return report
