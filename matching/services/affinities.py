"""Operators set how well a 战新 area serves a scenario domain (DomainAreaAffinity.weight, 0–1)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.services import audit_record
from matching.models import DomainAreaAffinity


@transaction.atomic
def affinity_update(*, actor, affinity: DomainAreaAffinity, weight: str) -> DomainAreaAffinity:
    """Set the operator's weight (audited); the answers' adjustment is recomputed from it each night."""
    try:
        value = round(float(weight), 2)
    except (TypeError, ValueError):
        value = None
    if value is None or not 0 <= value <= 1:
        raise DomainError(_("关联度请填写 0 到 1 之间的数。"), code="weight")
    before = {"weight": affinity.weight}
    affinity.weight = value
    affinity.save(update_fields=["weight", "updated_at"])
    audit_record(
        actor=actor,
        action="matching.affinity_update",
        target=affinity,
        before=before,
        after={"weight": value, "domain": affinity.domain.name, "area": affinity.area.name},
    )
    return affinity
