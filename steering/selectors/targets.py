"""十百千 targets: live figures, their targets and plans, the stored series and the records
behind every number. Every figure comes from steering/target_rules.py."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steering.choices import TargetMetric
from steering.models import HighGrowthImport, Target, TargetPlanPoint, TargetSnapshot
from steering.target_rules import RULES, end_of, rule_for

# 序时进度: at or above plan is on track; up to 10 points of the target behind is yellow; more is red.
BEHIND_YELLOW_POINTS = Decimal("10")


def _district_id(district) -> int | None:
    return getattr(district, "pk", district) or None


def counted_records(metric: str, as_of: datetime.date, district=None) -> QuerySet:
    """Exactly the records the metric counts at the end of `as_of` (the drill-down list; its
    .count() is the figure). KeyError for an unknown metric."""
    return rule_for(metric).counted(as_of, _district_id(district))


def targets_all(*, district=None, archived: bool | None = None) -> QuerySet:
    """Targets of a scope (the city when district is None), with their plan points."""
    targets = Target.objects.select_related("district", "created_by").prefetch_related(
        Prefetch("plan_points", TargetPlanPoint.objects.order_by("day"))
    )
    district_id = _district_id(district)
    targets = targets.filter(district_id=district_id) if district_id else targets.filter(district__isnull=True)
    if archived is not None:
        targets = targets.filter(is_archived=archived)
    return targets.order_by("is_archived", "metric", "-deadline", "-id")


def target_current(targets, metric: str, as_of: datetime.date) -> Target | None:
    """Of the unarchived targets of a metric, the one whose horizon holds as_of (the nearest
    deadline not passed), else the latest one."""
    mine = [target for target in targets if target.metric == metric and not target.is_archived]
    running = [target for target in mine if target.deadline >= as_of]
    if running:
        return min(running, key=lambda target: (target.deadline, -target.pk))
    return max(mine, key=lambda target: (target.deadline, target.pk), default=None)


def plan_breakpoints(target: Target) -> list[tuple[datetime.date, int]]:
    """The plan as (day, value) points: the baseline on the start date, the operators' points, the
    target value on the deadline."""
    points = [(target.starts_on, target.baseline)]
    points += [(point.day, point.planned_value) for point in target.plan_points.all() if point.day > target.starts_on]
    if points[-1][0] < target.deadline:
        points.append((target.deadline, target.target_value))
    return points


def planned_on(points: list[tuple[datetime.date, int]], day: datetime.date) -> Decimal:
    """The planned value on a day, linear between the plan's points (one decimal)."""
    if day <= points[0][0]:
        return Decimal(points[0][1]).quantize(Decimal("0.1"))
    for (day_a, value_a), (day_b, value_b) in zip(points, points[1:]):
        if day <= day_b:
            share = Decimal((day - day_a).days) / Decimal((day_b - day_a).days)
            value = Decimal(value_a) + (Decimal(value_b) - Decimal(value_a)) * share
            return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Decimal(points[-1][1]).quantize(Decimal("0.1"))


def planned_value(target: Target | None, day: datetime.date) -> Decimal | None:
    """The planned value on a day: linear between the plan's points, with the baseline on the
    start date and the target value on the deadline as the ends (one decimal)."""
    if target is None:
        return None
    return planned_on(plan_breakpoints(target), day)


def progress_status(value: int, target: Target | None, planned: Decimal | None) -> tuple[str, str]:
    """(lamp, words) of the 序时进度: green at or above plan, yellow up to 10 points of the target
    behind it, red further behind; grey without a target."""
    if target is None or planned is None:
        return "grey", _("未设目标")
    if value >= planned:
        return "green", _("达到序时进度")
    behind = (planned - value) * 100 / target.target_value
    if behind <= BEHIND_YELLOW_POINTS:
        return "yellow", _("略低于序时进度")
    return "red", _("明显落后于序时进度")


def _ratio(value: int, target: Target | None) -> Decimal | None:
    if target is None:
        return None
    return (Decimal(value) * 100 / target.target_value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def metric_url(metric: str, *, district=None, as_of: datetime.date | None = None) -> str:
    query = {}
    if _district_id(district):
        query["district"] = _district_id(district)
    if as_of:
        query["as_of"] = as_of.isoformat()
    url = reverse("steering:target-detail", args=[metric])
    return f"{url}?{urlencode(query)}" if query else url


def target_cards(*, as_of: datetime.date | None = None, district=None) -> list[dict]:
    """One card per metric for the city (or a district): the live figure counted by its rule at
    the end of as_of (today when empty), the current target, the planned value that day, the
    completion ratio (%), the 序时 lamp, the 口径 and its version, and the drill-down URL.
    Queries: one count per metric, the targets and their plan points (5)."""
    today = timezone.localdate()
    day = as_of or today
    targets = list(targets_all(district=district, archived=False))
    counted_until = timezone.now() if day >= today else end_of(day)
    cards = []
    for code, rule in RULES.items():
        value = rule.counted(day, _district_id(district)).count()
        target = target_current(targets, code, day)
        planned = planned_value(target, day)
        lamp, words = progress_status(value, target, planned)
        cards.append(
            {
                "code": code,
                "label": rule.label,
                "value": value,
                "target": target.target_value if target else None,
                "target_obj": target,
                "deadline": target.deadline if target else None,
                "planned": planned,
                "ratio": _ratio(value, target),
                "lamp": lamp,
                "status": words,
                "as_of": counted_until,
                "as_of_day": day,
                "definition": rule.definition,
                "version": rule.version,
                "url": metric_url(code, district=district, as_of=as_of),
            }
        )
    return cards


def target_series(
    *, metric: str, district=None, start: datetime.date, end: datetime.date, target: Target | None = None
) -> list[dict]:
    """The stored snapshots of a metric from start to end (zeros included, as stored), each with
    the planned value of `target` on that day. Queries: the snapshots (1)."""
    district_id = _district_id(district)
    rows = TargetSnapshot.objects.filter(metric=metric, day__gte=start, day__lte=end)
    rows = rows.filter(district_id=district_id) if district_id else rows.filter(district__isnull=True)
    points = plan_breakpoints(target) if target else None  # the plan read once for the whole series
    return [
        {
            "day": day.isoformat(),
            "value": value,
            "planned": float(planned_on(points, day)) if points else None,
            "target": target.target_value if target else None,
            "rule_version": rule_version,
        }
        for day, value, rule_version in rows.order_by("day").values_list("day", "value", "rule_version")
    ]


def snapshot_value(metric: str, day: datetime.date, district=None) -> int | None:
    """The stored figure of a metric on a day (None when no snapshot was taken that day)."""
    district_id = _district_id(district)
    rows = TargetSnapshot.objects.filter(metric=metric, day=day)
    rows = rows.filter(district_id=district_id) if district_id else rows.filter(district__isnull=True)
    return rows.values_list("value", flat=True).first()


def latest_snapshots_city() -> dict[str, TargetSnapshot]:
    """{metric: the newest city snapshot} (the open data's latest value)."""
    latest = {}
    for code in RULES:
        row = TargetSnapshot.objects.filter(metric=code, district__isnull=True).order_by("-day").first()
        if row is not None:
            latest[code] = row
    return latest


def high_growth_imports() -> QuerySet:
    """Every 高成长性科技企业 list upload, newest first, with who uploaded and applied it."""
    return HighGrowthImport.objects.select_related("uploaded_by", "applied_by").order_by("-uploaded_at", "-id")


METRIC_CODES = TargetMetric.values
