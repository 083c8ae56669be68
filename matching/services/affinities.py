"""Operators set how well a 战新 area (DomainAreaAffinity) or a technology field (DomainFieldAffinity)
serves a scenario domain, 0–1; every change is audited and counts from the next rebuild."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.services import audit_record
from matching.engine.text import field_key
from matching.models import DomainAreaAffinity, DomainFieldAffinity

MAX_FIELD_LENGTH = DomainFieldAffinity._meta.get_field("field").max_length


def _weight(value: str) -> float:
    try:
        weight = round(float(value), 2)
    except (TypeError, ValueError):
        weight = None
    if weight is None or not 0 <= weight <= 1:
        raise DomainError(_("关联度请填写 0 到 1 之间的数。"), code="weight")
    return weight


def _weight_set(actor, affinity, weight: str, *, action: str, names: dict):
    """Set the operator's weight (audited); the answers' adjustment is recomputed from it each night."""
    value = _weight(weight)
    before = {"weight": affinity.weight}
    affinity.weight = value
    affinity.save()
    audit_record(actor=actor, action=action, target=affinity, before=before, after={"weight": value, **names})
    return affinity


@transaction.atomic
def affinity_update(*, actor, affinity: DomainAreaAffinity, weight: str) -> DomainAreaAffinity:
    names = {"domain": affinity.domain.name, "area": affinity.area.name}
    return _weight_set(actor, affinity, weight, action="matching.affinity_update", names=names)


@transaction.atomic
def field_affinity_update(*, actor, affinity: DomainFieldAffinity, weight: str) -> DomainFieldAffinity:
    names = {"domain": affinity.domain.name, "field": affinity.field}
    return _weight_set(actor, affinity, weight, action="matching.field_affinity_update", names=names)


@transaction.atomic
def field_affinity_add(*, actor, domain, field: str, weight: str) -> DomainFieldAffinity:
    """A technology field that serves the domain, as companies write it in their entries."""
    field = " ".join((field or "").split())
    if not field or not field_key(field):
        raise DomainError(_("请填写技术领域。"), code="field")
    if len(field) > MAX_FIELD_LENGTH:
        raise DomainError(_("技术领域不超过 %(max)d 个字。") % {"max": MAX_FIELD_LENGTH}, code="field")
    value = _weight(weight)
    if DomainFieldAffinity.objects.filter(domain=domain, key=field_key(field)).exists():
        raise DomainError(_("该场景领域已有技术领域“%(field)s”。") % {"field": field}, code="field")
    affinity = DomainFieldAffinity(domain=domain, field=field, weight=value)
    affinity.save()
    audit_record(
        actor=actor,
        action="matching.field_affinity_add",
        target=affinity,
        after={"weight": value, "domain": domain.name, "field": field},
    )
    return affinity


@transaction.atomic
def field_affinity_remove(*, actor, affinity: DomainFieldAffinity) -> None:
    before = {"weight": affinity.weight, "domain": affinity.domain.name, "field": affinity.field}
    audit_record(actor=actor, action="matching.field_affinity_remove", target=affinity, before=before)
    affinity.delete()
