"""The programme in the 驾驶舱: the 十百千 targets (cards and gauges), their actual-versus-plan lines,
the task × cycle lamp matrix and the SOE assessment summary, registered in the cockpit registry.

These charts read the other topics' selectors (target_cards, target_series, counted_records,
lamp_matrix, soe_scorecard), so a figure here is the figure of their pages. Their items do not drill
to the generic list (steering:cockpit-drill) but to the page that lists exactly those records: a
target figure to steering:target-detail with the same district and as-of date (its list is
counted_records, the query the figure counts), a lamp cell to its cycle's unit × task page, a task to
its page, an SOE to the year's scorecard.

Filters: the year means "as of the end of that year (today for the current or a later year)"; the
district applies to the targets, their lines and the SOEs' own district; the lamp matrix is the
city's (the six tasks belong to departments, not districts).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from steering.cockpit import Chart, Filters, _number, register_chart

SERIES_MAX_DAYS = 3 * 366  # as the target detail page: at most three years of daily points


def as_of_day(filters: Filters) -> datetime.date:
    """The day the year filter stands for: 31 December of a past year, otherwise today."""
    today = timezone.localdate()
    if filters.year and filters.year < today.year:
        return datetime.date(filters.year, 12, 31)
    return today


def _as_of_param(filters: Filters) -> datetime.date | None:
    """The as_of of the drill-down URL: only when it is not today (the detail page's default)."""
    day = as_of_day(filters)
    return None if day == timezone.localdate() else day


def _str(value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class LinkedChart(Chart):
    """A chart whose items link to their own pages: `build(filters)` gives the rows (key, name,
    value, item meta with its drill_url) and the chart-level meta."""

    def rows(self, filters: Filters) -> list[tuple[str, str, object, dict]]:
        raise NotImplementedError

    def build(self, filters: Filters) -> tuple[list, dict]:
        """(rows, chart-level meta)."""
        return self.rows(filters), {}

    def items(self, filters):
        rows, _extra = self.build(filters)
        return [{"key": key, "name": name, "value": value, **meta} for key, name, value, meta in rows]

    def records(self, filters, key):
        raise LookupError(key)  # the items drill to their own pages (meta.items[key].drill_url)

    def record_kind(self, key):
        raise LookupError(key)

    def payload(self, filters):
        rows, extra = self.build(filters)
        return {
            "dataset": {
                "dimensions": ["key", "name", "value"],
                "source": [[key, name, value] for key, name, value, _meta in rows],
            },
            "meta": {
                "code": self.code,
                "title": str(self.title),
                "definition": str(self.definition),
                "unit": str(self.unit),
                "display": self.display,
                "as_of": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                "filters": filters.query(),
                "items": {key: {"unit": str(self.unit), "definition": "", **meta} for key, _name, _value, meta in rows},
                **extra,
            },
        }


# --------------------------------------------------------------------------------------------- targets

TARGET_MODELS = (
    "scenarios.Scenario",
    "scenarios.ScenarioStatusChange",
    "evaluation.Replication",
    "evaluation.TypicalCase",
    "accounts.Organisation",
    "steering.HighGrowthListing",
    "steering.Target",
    "steering.TargetPlanPoint",
)


@dataclass(frozen=True)
class TargetsChart(LinkedChart):
    """The 十百千 figures at the end of the as-of day (target_cards): value, target, planned value on
    the day, 完成率, 序时 lamp, 口径 and version, 数据截至; drawn as cards and gauges."""

    def fixed_queries(self) -> int:
        from steering.target_rules import RULES

        return len(RULES) + 2  # one count per metric, the targets, their plan points

    def rows(self, filters):
        from steering.selectors.targets import target_cards

        cards = target_cards(as_of=_as_of_param(filters), district=filters.district)
        return [
            (
                card["code"],
                str(card["label"]),
                card["value"],
                {
                    "target": card["target"],
                    "planned": _str(card["planned"]),
                    "ratio": _str(card["ratio"]),
                    "lamp": card["lamp"],
                    "status": str(card["status"]),
                    "deadline": card["deadline"].isoformat() if card["deadline"] else "",
                    "as_of_day": card["as_of_day"].isoformat(),
                    "counted_until": timezone.localtime(card["as_of"]).strftime("%Y-%m-%d %H:%M"),
                    "version": card["version"],
                    "definition": card["definition"],
                    "drill_url": card["url"],
                },
            )
            for card in cards
        ]

    def build(self, filters):
        return self.rows(filters), {"as_of_day": as_of_day(filters).isoformat()}

    def item_value(self, filters, key):
        from steering.selectors.targets import counted_records

        return len(list(counted_records(key, as_of_day(filters), filters.district)))


@dataclass(frozen=True)
class TargetLinesChart(LinkedChart):
    """Per metric, the stored daily snapshots up to the as-of day (zeros included, as stored) against
    the planned trajectory and the target value; the item's value is the newest snapshot's."""

    def fixed_queries(self) -> int:
        from steering.target_rules import RULES

        return len(RULES) + 2  # the targets, their plan points, one snapshot series per metric

    def rows(self, filters):
        from steering.selectors.targets import metric_url, target_current, target_series, targets_all
        from steering.target_rules import RULES

        day = as_of_day(filters)
        targets = list(targets_all(district=filters.district, archived=False))
        rows = []
        for code, rule in RULES.items():
            target = target_current(targets, code, day)
            start = target.starts_on if target else day - datetime.timedelta(days=365)
            start = max(start, day - datetime.timedelta(days=SERIES_MAX_DAYS))
            series = target_series(metric=code, district=filters.district, start=start, end=day, target=target)
            latest = series[-1] if series else None
            rows.append(
                (
                    code,
                    str(rule.label),
                    latest["value"] if latest else 0,
                    {
                        "target": target.target_value if target else None,
                        "deadline": target.deadline.isoformat() if target else "",
                        "latest_day": latest["day"] if latest else "",
                        "days": [point["day"] for point in series],
                        "values": [point["value"] for point in series],
                        "planned": [point["planned"] for point in series],
                        "drill_url": metric_url(code, district=filters.district, as_of=_as_of_param(filters)),
                        # a point drills to the detail page as of its day: append &as_of=YYYY-MM-DD
                        "point_url": metric_url(code, district=filters.district),
                    },
                )
            )
        return rows

    def item_value(self, filters, key):
        """The newest snapshot recounted from its records (equal unless a rule changed since)."""
        from steering.models import TargetSnapshot
        from steering.selectors.targets import counted_records

        snapshots = TargetSnapshot.objects.filter(metric=key, day__lte=as_of_day(filters))
        snapshots = (
            snapshots.filter(district_id=filters.district)
            if filters.district
            else snapshots.filter(district__isnull=True)
        )
        latest = snapshots.order_by("-day").values_list("day", flat=True).first()
        return len(list(counted_records(key, latest, filters.district))) if latest else 0


# --------------------------------------------------------------------------------------------- lamps


def year_cycles(filters: Filters) -> QuerySet:
    """The reporting cycles opened in the filter's year (this year without a filter), oldest first."""
    from steering.models import ReportingCycle

    year = filters.year or timezone.localdate().year
    return ReportingCycle.objects.filter(opens_on__year=year).order_by("opens_on", "id")


@dataclass(frozen=True)
class LampMatrixChart(LinkedChart):
    """The task × cycle lamps of the year (lamp_matrix): a cell is the worst lamp of the task's unit
    reports in the cycle (none: no report). The item of a task is its number of red reports in the
    year's cycles; a cell drills to its cycle's unit × task page, a task to its page."""

    def fixed_queries(self) -> int | None:
        # The year's cycles, the tasks, the lamp counts per task × cycle: 3 whatever the number of
        # reports (2 in a year without cycles); tests/steering/test_cockpit_programme.py asserts it.
        return None

    def build(self, filters):
        from steering.selectors.programme import lamp_matrix

        cycles = list(year_cycles(filters))
        matrix = lamp_matrix(cycles=cycles)
        rows = [
            (
                str(row["task"].code),
                str(row["task"]),
                sum(cell["counts"].get("red", 0) for cell in row["cells"]),
                {
                    "drill_url": reverse("steering:programme-task", args=[row["task"].code]),
                    "cells": [
                        {
                            "colour": cell["colour"],
                            "counts": cell["counts"],
                            "url": reverse("steering:programme-cycle", args=[cell["cycle"].pk]),
                        }
                        for cell in row["cells"]
                    ],
                },
            )
            for row in matrix["rows"]
        ]
        cycles_meta = [
            {"id": cycle.pk, "label": cycle.label, "due_on": cycle.due_on.isoformat(), "status": cycle.status}
            for cycle in cycles
        ]
        return rows, {"cycles": cycles_meta, "year": filters.year or timezone.localdate().year}

    def item_value(self, filters, key):
        from steering.choices import Lamp
        from steering.models import UnitReport

        return len(list(UnitReport.objects.filter(task__code=key, cycle__in=year_cycles(filters), lamp=Lamp.RED)))


# --------------------------------------------------------------------------------------------- SOEs

SOE_TOP = 10


@dataclass(frozen=True)
class SoeSummaryChart(LinkedChart):
    """The year's SOE assessment (soe_scorecard): the SOEs with the best totals (points, caps
    applied), each drilling to the scorecard of the year."""

    def fixed_queries(self) -> int | None:
        return None  # the scheme and its items, the SOEs, one aggregate per SOE item of the year's scheme

    def build(self, filters):
        from steering.selectors.assessment import soe_scorecard

        year = filters.year or timezone.localdate().year
        scorecard = soe_scorecard(year=year)
        if filters.district:
            scorecard = [row for row in scorecard if row["organisation"].district_id == filters.district]
        url = f"{reverse('steering:assessment-scorecard')}?{urlencode({'year': year})}"
        rows = [
            (
                str(row["organisation"].pk),
                row["organisation"].name,
                _number(row["total"]),
                {"unit": str(_("分")), "drill_url": url},
            )
            for row in scorecard[:SOE_TOP]
        ]
        return rows, {"year": year, "scorecard_url": url, "soes": len(scorecard)}

    def item_value(self, filters, key):
        from steering.selectors.assessment import soe_scorecard

        year = filters.year or timezone.localdate().year
        return next(
            (_number(row["total"]) for row in soe_scorecard(year=year) if str(row["organisation"].pk) == key),
            _number(Decimal("0")),
        )


# --------------------------------------------------------------------------------------------- registry


def register_programme_charts() -> None:
    """Put the programme into the 驾驶舱 (called in SteeringConfig.ready, after the portal's charts)."""
    year_note = _("年度筛选表示截至该年末（当年及以后为截至今天）。")
    register_chart(
        TargetsChart(
            code="targets",
            title=_("十百千目标"),
            definition=_(
                "特色示范性场景、复制推广典型应用、高成长性科技企业按各自口径从业务记录统计；目标值、序时计划值由运营方设定。"
            )
            + str(year_note)
            + str(_("区域筛选适用。")),
            unit=_("个"),
            display="gauges",
            order=5,
            models=TARGET_MODELS,
        )
    )
    register_chart(
        TargetLinesChart(
            code="target-lines",
            title=_("十百千实际与计划"),
            definition=_("每日统计快照（含零值）与序时计划、目标值的对比；点击某日可查看当日计入的记录。")
            + str(year_note)
            + str(_("区域筛选适用。")),
            unit=_("个"),
            display="lines",
            order=6,
            models=("steering.TargetSnapshot", "steering.Target", "steering.TargetPlanPoint"),
        )
    )
    register_chart(
        LampMatrixChart(
            code="lamp-matrix",
            title=_("任务 × 报送期次亮灯"),
            definition=_(
                "所选年度（未选为本年）开始的报送期次中，各项主要任务各单位报送的最差亮灯；数值为红灯报送数。"
                "六项任务为全市口径，不受区域筛选影响。"
            ),
            unit=_("项"),
            display="matrix",
            order=7,
            models=("steering.UnitReport", "steering.ReportingCycle", "steering.ProgrammeTask"),
        )
    )
    register_chart(
        SoeSummaryChart(
            code="soe-assessment",
            title=_("国企考核得分前十"),
            definition=_(
                "所选年度（未选为本年）的国资考核得分（按当年考核方案的分值与上限计算），得分最高的十家国有企业；"
                "区域筛选按企业所在区域。"
            ),
            unit=_("分"),
            display="hbar",
            order=8,
            models=(
                "scenarios.Scenario",
                "scenarios.ScenarioStatusChange",
                "steering.ProductUse",
                "steering.AssessmentScheme",
                "steering.AssessmentItem",
                "contests.ContestEntry",
                "contests.Contest",
                "accounts.Organisation",
            ),
        )
    )
