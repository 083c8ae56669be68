"""Writes for the reference lists scenarios use: domains (场景领域) and demonstration zones."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import PermissionDenied
from core.services import audit_record, snapshot
from scenarios.models import DemonstrationZone, Domain
from scenarios.permissions import is_operator


def _require_operator(actor: User) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以维护该数据。"))


@transaction.atomic
def domain_save(*, actor: User, domain: Domain | None = None, data: dict) -> Domain:
    """Operators add or change domains; a field's parent must be a category (two levels only)."""
    _require_operator(actor)
    domain = domain or Domain()
    before = snapshot(domain, ["code", "name", "parent", "is_active"]) if domain.pk else None
    for field in ("code", "name", "name_en", "parent", "sort_order", "is_active"):
        if field in data:
            setattr(domain, field, data[field])
    if domain.parent_id and domain.parent.parent_id is not None:
        raise ValidationError({"parent": [_("上级领域必须是大类（领域只有两级）。")]})
    if domain.pk and domain.parent_id and domain.children.exists():
        raise ValidationError({"parent": [_("该大类下已有具体领域，不能再设上级。")]})
    domain.full_clean()
    domain.save()
    audit_record(
        actor=actor,
        action="domain.save",
        target=domain,
        before=before,
        after=snapshot(domain, ["code", "name", "parent", "is_active"]),
    )
    return domain


@transaction.atomic
def zone_save(*, actor: User, zone: DemonstrationZone | None = None, data: dict) -> DemonstrationZone:
    """Operators add or change a demonstration zone."""
    _require_operator(actor)
    zone = zone or DemonstrationZone()
    before = snapshot(zone, ["name", "kind", "district"]) if zone.pk else None
    for field in ("name", "kind", "district", "focus", "description"):
        if field in data:
            setattr(zone, field, data[field])
    zone.full_clean()
    zone.save()
    audit_record(
        actor=actor, action="zone.save", target=zone, before=before, after=snapshot(zone, ["name", "kind", "district"])
    )
    return zone
