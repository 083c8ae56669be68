"""The audit record every service writes for a state change that matters."""

import datetime
import decimal
import uuid

from django.conf import settings
from django.db import models
from django.utils import translation

from core.models import AuditRecord
from core.request_context import current_origin


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
) -> AuditRecord:
    """Write one audit record. Call it inside the service's transaction, so both land or neither."""
    origin = current_origin()
    # The record is evidence: its label reads the same whichever language the actor had chosen.
    with translation.override(settings.LANGUAGE_CODE):
        object_label = str(target)[:300] if target is not None else ""
    is_person = actor is not None and getattr(actor, "pk", None) is not None
    return AuditRecord.objects.create(
        actor=actor if is_person else None,
        actor_label=(f"{actor.display_name or actor.username} ({actor.username})" if is_person else "系统"),
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=object_label,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
    )
