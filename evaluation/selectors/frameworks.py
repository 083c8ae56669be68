"""Frameworks (评价指标体系, computed indicator rules).

Every read of evaluation used by pages, the API and other apps, scoped to the user."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    Prefetch,
    QuerySet,
)

from evaluation.choices import FrameworkStatus
from evaluation.indicator_rules import rule_for
from evaluation.models import (
    Framework,
    GradeBand,
    Indicator,
)
from evaluation.permissions import (
    may_manage_frameworks,
    may_read_frameworks,
)


def frameworks_visible_to(user) -> QuerySet[Framework]:
    """Operators see every version, drafts included; experts and subject organisations' users the
    published ones; anyone else none. Each row carries its indicator count."""
    if may_manage_frameworks(user):
        frameworks = Framework.objects.all()
    elif may_read_frameworks(user):
        frameworks = Framework.objects.filter(status=FrameworkStatus.PUBLISHED)
    else:
        return Framework.objects.none()
    return (
        frameworks.select_related("based_on")
        .annotate(indicator_count=Count("indicators"))
        .order_by("level", "-version")
    )


def frameworks_with_tree(user) -> QuerySet[Framework]:
    """frameworks_visible_to with the indicators and grade bands prefetched (the API's rows)."""
    return frameworks_visible_to(user).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("tier", "position", "id")),
        Prefetch("grade_bands", queryset=GradeBand.objects.order_by("-min_total")),
    )


def framework_rows(framework: Framework, indicators=None) -> list[dict]:
    """The tree depth-first as table rows: {indicator, depth, absolute_weight, is_leaf, rule} where
    absolute weight = weight × parent's absolute weight / 100 (half-up to 0.01). One query unless
    the indicators are given."""
    from evaluation.services.frameworks import framework_tree

    indicators = list(framework.indicators.all()) if indicators is None else list(indicators)
    roots, children = framework_tree(indicators)
    rows = []

    def walk(items, parent_absolute):
        for item in items:
            absolute = item.weight * parent_absolute / Decimal("100")
            kids = children.get(item.pk, [])
            rows.append(
                {
                    "indicator": item,
                    "depth": item.tier,
                    "absolute_weight": absolute.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                    "is_leaf": not kids,
                    "rule": rule_for(item.rule) if item.rule else None,
                }
            )
            walk(kids, absolute)

    walk(roots, Decimal("100"))
    return rows
