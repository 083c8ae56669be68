"""The reports centre: what the monthly 调度 report shows, and the list of its builds.

`monthly_report_data` gathers everything the report freezes (tasks, the reporting matrix, overdue
reports and 督办单, tolerance periods, the SOE scorecard, the appendix of counted records) as plain
JSON values, so the same dict is either stored in a DispatchReport when the cycle closes or
rendered at once for a cycle still open. `monthly_target_rows` reads the 十百千 figures from the
stored TargetSnapshot rows of the month's last day, never from the records."""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ids import whole_number
from steering.choices import CycleKind, UnitRole
from steering.models import (
    DispatchReport,
    LampRule,
    ReportingCycle,
    SupervisionNotice,
    Target,
    TargetPlanPoint,
    TargetSnapshot,
    UnitReport,
    UnitReportVersion,
)
from steering.permissions import may_steer
from steering.target_rules import RULES

MONTHLY_REPORT_JOB = "steering.monthly_report"
DATA_VERSION = 1


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the month of a date."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(value) -> datetime.date | None:
    """ "2026-03" → 2026-03-01; None for anything else (wrong type, bad text, out of range)."""
    if not isinstance(value, str) or len(value) != 7 or value[4] != "-":
        return None
    try:
        year, month = int(value[:4]), int(value[5:])
        return datetime.date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


def monthly_cycle_of(month: datetime.date) -> ReportingCycle | None:
    """The monthly cycle of a month, with its frozen report if any. One query."""
    return (
        ReportingCycle.objects.filter(kind=CycleKind.MONTHLY, month=month.replace(day=1))
        .select_related("dispatch_report")
        .first()
    )


def monthly_cycles() -> QuerySet:
    """Monthly cycles, newest first, for the centre's 'build' form. One query."""
    return ReportingCycle.objects.filter(kind=CycleKind.MONTHLY, month__isnull=False).order_by("-month")


def frozen_report_of(cycle: ReportingCycle) -> DispatchReport | None:
    return DispatchReport.objects.filter(cycle=cycle).first()


# --- the builds listed in the centre ----------------------------------------------------------------


def monthly_report_builds() -> QuerySet:
    """Every build of the monthly report (core Job rows of its kind), newest first, with who asked.
    One query (the page is paged)."""
    from core.models import Job

    return Job.objects.filter(kind=MONTHLY_REPORT_JOB).select_related("requested_by").order_by("-created_at", "-id")


def monthly_report_build(user, pk):
    """One build the user may read (operators and officials), else None (the page answers 404)."""
    from core.models import Job

    number = whole_number(pk)
    if not may_steer(user) or number is None:
        return None
    return Job.objects.filter(kind=MONTHLY_REPORT_JOB, pk=number).select_related("requested_by").first()


# --- the targets, from the stored snapshots ---------------------------------------------------------


def _plain(value) -> str:
    if value is None:
        return ""
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def frozen_targets() -> list[dict]:
    """The targets in force (operators' data), as JSON values, for a report to freeze: a later
    edit or archiving of a target does not change a past month's planned and target values.
    Two queries: targets, plan points."""
    targets = list(Target.objects.filter(is_archived=False).prefetch_related("plan_points"))
    return [
        {
            "pk": target.pk,
            "metric": target.metric,
            "district_id": target.district_id,
            "title": target.title,
            "target_value": target.target_value,
            "baseline": target.baseline,
            "starts_on": _day(target.starts_on),
            "deadline": _day(target.deadline),
            "plan": [[_day(point.day), point.planned_value] for point in target.plan_points.all()],
        }
        for target in targets
    ]


def _targets_from(frozen: list[dict]) -> list[Target]:
    """Unsaved Target objects (with their plan points) from frozen_targets() values."""
    targets = []
    for row in frozen:
        target = Target(
            pk=row["pk"],
            metric=row["metric"],
            district_id=row["district_id"],
            title=row["title"],
            target_value=row["target_value"],
            baseline=row["baseline"],
            starts_on=datetime.date.fromisoformat(row["starts_on"]),
            deadline=datetime.date.fromisoformat(row["deadline"]),
        )
        target._prefetched_objects_cache = {
            "plan_points": _Points(
                TargetPlanPoint(target=target, day=datetime.date.fromisoformat(day), planned_value=value)
                for day, value in row["plan"]
            )
        }
        targets.append(target)
    return targets


def monthly_target_rows(month: datetime.date, *, frozen: list[dict] | None = None) -> dict:
    """The 十百千 figures of the month from the stored snapshots: {"day": the snapshot day used
    (the month's last day, else the latest day of the month that has snapshots, else None), "rows":
    [{"metric", "label", "scope", "actual", "rule_version", "planned", "target", "deadline",
    "ratio", "lamp", "status"}]}: per metric, the city then each district with a snapshot that day.
    Planned and target values come from the targets frozen with the month's report (`frozen`,
    from frozen_targets()), or else from the targets in force now. Three queries at most:
    snapshots, targets, plan points."""
    from steering.selectors.targets import planned_value, progress_status, target_current

    first, last = month_bounds(month)
    snapshots = list(
        TargetSnapshot.objects.filter(day__gte=first, day__lte=last)
        .select_related("district")
        .order_by("-day", "metric")
    )
    day = snapshots[0].day if snapshots else None
    rows = []
    if day is None:
        return {"day": None, "rows": rows}
    targets = _targets_from(frozen if frozen is not None else frozen_targets())
    of_day = [row for row in snapshots if row.day == day]
    of_day.sort(
        key=lambda r: (
            list(RULES).index(r.metric) if r.metric in RULES else 99,
            r.district_id is not None,
            r.district.sort_order if r.district else 0,
            r.district_id or 0,
        )
    )
    for snapshot in of_day:
        scoped = [t for t in targets if t.district_id == snapshot.district_id]
        target = target_current(scoped, snapshot.metric, day)
        planned = planned_value(target, day)
        lamp, status = progress_status(snapshot.value, target, planned)
        ratio = (
            (Decimal(snapshot.value) * 100 / target.target_value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if target
            else None
        )
        rows.append(
            {
                "metric": snapshot.metric,
                "label": snapshot.get_metric_display(),
                "scope": snapshot.district.name_shown if snapshot.district else _("全市"),
                "actual": snapshot.value,
                "rule_version": snapshot.rule_version,
                "planned": planned,
                "target": target.target_value if target else None,
                "deadline": target.deadline if target else None,
                "ratio": ratio,
                "lamp": lamp,
                "status": status,
            }
        )
    return {"day": day, "rows": rows}


class _Points(list):
    """A list that answers .all() like the prefetched related manager would."""

    def all(self):
        return self


# --- what the report freezes ------------------------------------------------------------------------


def _day(value) -> str:
    return value.isoformat() if value else ""


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _tasks_section(cycle: ReportingCycle, on: datetime.date) -> list[dict]:
    from steering.selectors.programme import lamp_matrix, tasks_overview

    tasks = tasks_overview(on=on)
    lamps = {row["task"].pk: row["cells"][0]["colour"] for row in lamp_matrix(cycles=[cycle])["rows"]}
    latest = UnitReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    leads = (
        UnitReport.objects.filter(cycle=cycle, role=UnitRole.LEAD)
        .select_related("unit")
        .annotate(
            version_narrative=Subquery(latest.values("narrative")[:1]),
            version_percentage=Subquery(latest.values("percentage")[:1]),
        )
        .order_by("task_id", "unit__sort_order", "unit_id")
    )
    narratives: dict[int, list] = {}
    for report in leads:
        narratives.setdefault(report.task_id, []).append(
            {
                "unit": report.unit.short_name,
                "status": report.get_status_display(),
                "percentage": report.version_percentage,
                "narrative": report.version_narrative or "",
            }
        )
    return [
        {
            "code": task.code,
            "numeral": task.policy_numeral,
            "title": task.title,
            "leads": [unit.short_name for unit in task.lead_units],
            "supports": [unit.short_name for unit in task.support_units],
            "method": task.progress["method_label"],
            "actual": task.progress["actual"],
            "planned": task.progress["planned"],
            "milestones": [
                {"title": m.title, "due_on": _day(m.due_on), "weight": m.weight, "done_on": _day(m.done_on)}
                for m in task.milestones.all()
            ],
            "lamp": lamps.get(task.pk, "none"),
            "narratives": narratives.get(task.pk, []),
        }
        for task in tasks
    ]


def _matrix_and_overdue(cycle: ReportingCycle, today: datetime.date) -> tuple[dict, list]:
    from steering.selectors.programme import reporting_matrix

    matrix = reporting_matrix(cycle=cycle, today=today)
    tasks = matrix["tasks"]
    rows, overdue = [], []
    for position, row in enumerate(matrix["rows"]):
        rows.append({"unit": row["unit"].short_name, "cells": [cell["label"] if cell else "" for cell in row["cells"]]})
        for task, cell in zip(tasks, row["cells"], strict=True):
            if cell is None:
                continue
            report = cell["report"]
            if cell["state"] in ("missing", "late") or report.lamp == "red":
                overdue.append(
                    {
                        "position": position,
                        "task_code": task.code,
                        "task": str(task),
                        "unit": row["unit"].short_name,
                        "role": report.get_role_display(),
                        "state": cell["label"],
                        "status": report.get_status_display(),
                        "lamp": report.lamp,
                        "reasons": list(report.lamp_reasons or []),
                    }
                )
    overdue.sort(key=lambda item: (item["task_code"], item.pop("position")))
    labels = matrix["states"]
    return (
        {
            "tasks": [f"任务{task.policy_numeral}" for task in tasks],
            "rows": rows,
            "totals": [{"label": labels[key], "count": n} for key, n in matrix["totals"].items()],
        },
        overdue,
    )


def _notices_section(cycle: ReportingCycle) -> list[dict]:
    notices = (
        SupervisionNotice.objects.filter(report__cycle=cycle)
        .select_related("unit", "report__task")
        .order_by("issued_at", "id")
    )
    return [
        {
            "unit": notice.unit.short_name,
            "task": str(notice.report.task),
            "reason": notice.reason,
            "issued_at": _moment(notice.issued_at),
            "response_due_on": _day(notice.response_due_on),
            "status": notice.get_status_display(),
            "responded_at": _moment(notice.responded_at),
            "response": notice.response,
        }
        for notice in notices
    ]


def _tolerance_section(first: datetime.date, last: datetime.date) -> list[dict]:
    from evaluation.models import TolerancePeriod

    periods = (
        TolerancePeriod.objects.filter(starts_on__lte=last)
        .filter(Q(ended_on__isnull=True, ends_on__gte=first) | Q(ended_on__gte=first))
        .select_related("scenario__publisher")
        .order_by("ends_on", "id")
    )
    return [
        {
            "scenario": period.scenario.title,
            "publisher": period.scenario.publisher.name if period.scenario.publisher_id else "",
            "starts_on": _day(period.starts_on),
            "ends_on": _day(period.ends_on),
            "original_ends_on": _day(period.original_ends_on),
            "status": period.get_status_display(),
            "ended_on": _day(period.ended_on),
        }
        for period in periods
    ]


def _assessment_section(year: int) -> dict:
    from steering.choices import AssessmentSubject
    from steering.selectors.assessment import ITEM_DEFINITIONS, scheme_items, scheme_of, soe_scorecard

    scheme = scheme_of(year)
    items = scheme_items(scheme, AssessmentSubject.SOE)
    rows = soe_scorecard(year=year, scheme=scheme)
    return {
        "year": year,
        "filed": _moment(scheme.filed_at) if scheme and scheme.filed_at else "",
        "items": [
            {
                "label": item.label,
                "points": _plain(item.points),
                "cap": _plain(item.cap),
                "definition": str(ITEM_DEFINITIONS.get(item.code, "")),
            }
            for item in items
        ],
        "rows": [
            {
                "name": row["organisation"].name,
                "credit_code": row["organisation"].credit_code,
                "cells": [[cell["count"], _plain(cell["score"])] for cell in row["items"]],
                "total": _plain(row["total"]),
            }
            for row in rows
        ],
    }


def _appendix_row(metric: str, record) -> list:
    """[名称, 单位, 区域, 计入时间] of a counted record."""
    if metric == "flagship":
        name, unit, district = record.title, record.publisher.name, record.district
    elif metric == "replications":
        name, unit, district = record.case.title, record.adopter.name, record.adopter.district
    else:
        name, unit, district = record.name, record.credit_code, record.district
    counted = record.counted_at
    if isinstance(counted, datetime.datetime):
        counted = _moment(counted)
    else:
        counted = _day(counted)
    return [name, unit, district.name if district else "", counted]


_APPENDIX_RELATED = {
    "flagship": ("publisher", "district"),
    "replications": ("case", "adopter__district"),
    "high_growth": ("district",),
}


def _appendix_section(as_of: datetime.date) -> dict:
    from steering.selectors.targets import counted_records

    metrics = []
    for code, rule in RULES.items():
        records = counted_records(code, as_of).select_related(*_APPENDIX_RELATED.get(code, ()))
        metrics.append(
            {
                "code": code,
                "label": rule.label,
                "version": rule.version,
                "rows": [_appendix_row(code, record) for record in records],
            }
        )
    return {"as_of": _day(as_of), "metrics": metrics}


def monthly_report_data(*, cycle: ReportingCycle, now: datetime.datetime | None = None) -> dict:
    """Everything the monthly report freezes, as JSON values, computed now from the records. The
    tasks' progress is taken on the month's last day (or today, if earlier), the matrix's late and
    missing states today, the appendix at 24:00 of that same day. About twenty queries, fixed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first, last = month_bounds(cycle.month or cycle.opens_on)
    on = min(today, last)
    matrix, overdue = _matrix_and_overdue(cycle, today)
    return {
        "version": DATA_VERSION,
        "computed_at": _moment(now),
        "month": first.strftime("%Y-%m"),
        "as_of": _day(on),
        "cycle": {
            "label": cycle.label,
            "opens_on": _day(cycle.opens_on),
            "due_on": _day(cycle.due_on),
            "status": cycle.get_status_display(),
            "closed_at": _moment(cycle.closed_at),
        },
        "rule_versions": {code: rule.version for code, rule in RULES.items()},
        "targets": frozen_targets(),
        "definitions": {code: rule.definition for code, rule in RULES.items()},
        "lamp_rules": [
            f"{rule.get_colour_display()}：{rule.label}"
            for rule in LampRule.objects.filter(active=True).order_by("order", "id")
        ],
        "tasks": _tasks_section(cycle, on),
        "matrix": matrix,
        "overdue": overdue,
        "notices": _notices_section(cycle),
        "tolerance": _tolerance_section(first, last),
        "assessment": _assessment_section(first.year),
        "appendix": _appendix_section(on),
    }


# --- the other workbooks the portal builds ------------------------------------------------------------


def other_workbooks(user) -> list[dict]:
    """Links to the other workbooks officials look for (SOE scorecard and credit of the current
    year, the evaluation rounds' reports the user may read): [{"title", "url", "note"}]. One query."""
    from django.urls import reverse

    from evaluation.models import EvaluationRound
    from evaluation.permissions import may_read_round_report

    year = timezone.localdate().year
    links = [
        {
            "title": _("%(year)s 年度国有企业应用场景开放考核计分表") % {"year": year},
            "url": reverse("steering:assessment-scorecard-export", args=[year]),
            "note": _("国企考核"),
        },
        {
            "title": _("%(year)s 年度场景大赛入围产品信用评价加分表") % {"year": year},
            "url": reverse("steering:assessment-credit-export", args=[year]),
            "note": _("信用评价"),
        },
    ]
    rounds = EvaluationRound.objects.filter(report_job__isnull=False).select_related("report_job").order_by("-id")[:20]
    for round_ in rounds:
        if round_.report_job.result_file and may_read_round_report(user, round_):
            links.append(
                {
                    "title": _("评估报告：%(title)s") % {"title": round_.title},
                    "url": reverse("evaluation:report-download", args=[round_.pk]),
                    "note": _("场景应用评估"),
                }
            )
    return links
