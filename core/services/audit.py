"""The audit record every service writes for a state change that matters, and the records the
ground floor writes itself: permission denials, downloads and exports, the auditor's reading, the
purge of old records."""

import datetime
import decimal
import uuid

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone, translation

from core.audit_catalogue import DENIAL_ACTION, is_export_or_download, kind_of
from core.audit_chain import (
    CHAIN_LOCK_KEY,
    PURGE_ACTION,
    RETENTION_FLOOR_DAYS,
    chain_head,
    chain_record_now,
    content_sha256,
)
from core.errors import DomainError
from core.models import AuditRecord
from core.request_context import current_origin, note_download_audited


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if hasattr(value, "name"):  # FieldFile
        return value.name
    return str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The named fields of an instance as JSON-ready values (foreign keys as their ids)."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attribute = field.attname if isinstance(field, models.ForeignKey) else name
        values[name] = _jsonable(getattr(instance, attribute))
    return values


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    target_label: str = "",
) -> AuditRecord:
    """Write one audit record. Call it inside the service's transaction, so both land or neither.

    The record joins the hash chain (core.audit_chain): here on SQLite, when the transaction
    commits on PostgreSQL. A person not signed in is recorded as 访客, no person at all (a task,
    a command) as 系统. `target_label` names what the record is about when it is not a model
    (a file sent, for instance)."""
    origin = current_origin()
    # The record is evidence: its label reads the same whichever language the actor had chosen.
    with translation.override(settings.LANGUAGE_CODE):
        object_label = str(target)[:300] if target is not None else target_label[:300]
    is_person = actor is not None and getattr(actor, "pk", None) is not None
    if is_person:
        actor_label = f"{actor.display_name or actor.username} ({actor.username})"[:200]
    else:
        actor_label = "访客" if actor is not None else "系统"  # AnonymousUser, or nobody
    record = AuditRecord(
        created_at=timezone.now(),
        actor=actor if is_person else None,
        actor_label=actor_label,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        kind=kind_of(action),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=object_label,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
    )
    record.content_sha256 = content_sha256(record)
    if connection.vendor == "postgresql":
        record.save(force_insert=True)  # the deferred trigger chains it at commit
    elif connection.in_atomic_block:
        chain_record_now(record, AuditRecord)  # one writer at a time: the head cannot move meanwhile
        record.save(force_insert=True)
    else:
        with transaction.atomic():
            chain_record_now(record, AuditRecord)
            record.save(force_insert=True)
    if is_export_or_download(action):
        note_download_audited()
    return record


def denial_record(*, actor, what: str, reason: str = "") -> AuditRecord | None:
    """A signed-in person was refused a page, an API call or an action for lack of permission:
    who, what (the view or service), the method and path from the request. Visitors who are not
    signed in are not recorded (they are sent to sign in; recording them would let anyone fill
    the log). Write it outside the refused action's transaction, which is rolled back."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    origin = current_origin()
    return audit_record(
        actor=actor,
        action=DENIAL_ACTION,
        after={"what": what, "method": origin.method, "path": origin.path},
        reason=reason[:500],
    )


def audit_reading_record(*, actor, action: str, filters: dict, count: int | None = None, record=None) -> AuditRecord:
    """The auditor's own reading of the audit log: a search or list (audit.search), one record
    opened (audit.view) or the log exported (audit.export), with the filters used and how many
    records they matched. An export records itself here, with its filters: the attachment it sends
    is not recorded a second time."""
    record_of_reading = audit_record(
        actor=actor,
        action=action,
        target=record,
        after={"filters": filters, **({"count": count} if count is not None else {})},
    )
    if action == "audit.export":
        note_download_audited()
    return record_of_reading


def _purge_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The chain trigger takes the same lock: no record joins the chain while it is cut.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
            # Only this path may delete audit records, and only those past the floor (migration 0007).
            cursor.execute("SELECT set_config('portal.audit_purge', 'on', true)")


def _purge_unlock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('portal.audit_purge', 'off', true)")


@transaction.atomic
def audit_purge(*, before: datetime.date, actor=None) -> int:
    """Remove the audit records written before `before` (a date at least RETENTION_FLOOR_DAYS
    ago; a later one is refused). Only the oldest run of the chain is removed, and the newest
    record is always kept, so what remains is one unbroken chain.

    Side effects: an audit.purge record naming the first record kept and its previous hash (the
    anchor audit_verify starts from); returns the number of records removed."""
    floor = timezone.localdate() - datetime.timedelta(days=RETENTION_FLOOR_DAYS)
    if before > floor:
        raise DomainError(
            f"审计记录至少保存 {RETENTION_FLOOR_DAYS} 天：只能清理 {floor.isoformat()}（含）之前的记录，"
            f"不能清理到 {before.isoformat()}。",
            code="too_recent",
        )
    cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    _purge_lock()
    head_position, _head = chain_head(AuditRecord)
    first_young = (
        AuditRecord.objects.filter(chain_position__isnull=False, created_at__gte=cutoff)
        .order_by("chain_position")
        .values_list("chain_position", flat=True)
        .first()
    )
    first_kept = min(first_young or head_position, head_position)
    removed = 0
    if first_kept > 1:
        removed, _details = AuditRecord.objects.filter(chain_position__lt=first_kept).delete()
    _purge_unlock()
    kept = AuditRecord.objects.filter(chain_position=first_kept).values_list("previous_sha256", flat=True).first()
    audit_record(
        actor=actor,
        action=PURGE_ACTION,
        after={
            "before": before.isoformat(),
            "removed": removed,
            "first_kept_position": first_kept,
            "first_kept_previous_sha256": kept,
        },
    )
    return removed
