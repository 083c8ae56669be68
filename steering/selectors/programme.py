"""The six programme tasks and 定期调度: reads used by pages, the API and the other topics
(the 驾驶舱's lamp matrix and 需关注 list, the monthly report's matrix), scoped to the user.

Every function answers in a fixed number of queries whatever the data size."""

import datetime
import difflib

from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steering.choices import (
    LAMP_SEVERITY,
    REPORT_UNFILED,
    CycleStatus,
    Lamp,
    NoticeStatus,
    ProgressMethod,
    ReportStatus,
    UnitRole,
    VersionDecision,
)
from steering.models import (
    LampRule,
    ProgrammeTask,
    ProgrammeUnit,
    ReportingCycle,
    SupervisionNotice,
    TaskMilestone,
    TaskUnit,
    UnitReport,
    UnitReportVersion,
)
from steering.permissions import is_unit_reporter, may_read_programme, may_run_programme, programme_units_of


def _latest_version(field: str):
    return Subquery(UnitReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number").values(field)[:1])


def reports_visible_to(user) -> QuerySet:
    """Operators and city leaders (officials in no unit): every report; a unit's staff: their
    unit's reports only; anyone else: none. With cycle, task and unit, and the latest version's
    number, percentage, decision and reason annotated."""
    reports = UnitReport.objects.select_related("cycle", "task", "unit").annotate(
        version_number=_latest_version("number"),
        reported=_latest_version("percentage"),
        last_decision=_latest_version("decision"),
        last_reason=_latest_version("decision_reason"),
    )
    if may_run_programme(user):
        return reports
    if is_unit_reporter(user):
        return reports.filter(unit_id__in=programme_units_of(user))
    if may_read_programme(user):
        return reports
    return reports.none()


def reports_for_unit_user(user) -> QuerySet:
    """我的报送: the user's unit's reports, those still to file first; in open cycles the nearest
    due date first, then the closed cycles newest first. Empty for anyone not in a unit. One query."""
    if not is_unit_reporter(user):
        return UnitReport.objects.none()
    return (
        reports_visible_to(user)
        .annotate(
            to_file=Case(
                When(cycle__status=CycleStatus.OPEN, status__in=REPORT_UNFILED, then=Value(0)),
                When(cycle__status=CycleStatus.OPEN, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            open_due=Case(When(cycle__status=CycleStatus.OPEN, then=F("cycle__due_on"))),
            closed_due=Case(When(~Q(cycle__status=CycleStatus.OPEN), then=F("cycle__due_on"))),
        )
        .order_by("to_file", "open_due", "-closed_due", "task__code", "unit__sort_order", "id")
    )


def report_detail(user, pk) -> UnitReport:
    """One report the user sees (404 otherwise), with its versions (their files and decider), the
    draft's files, and its 督办单."""
    from steering.models import ReportAttachment

    return get_object_or_404(
        reports_visible_to(user).prefetch_related(
            Prefetch(
                "versions",
                UnitReportVersion.objects.select_related("submitted_by", "decided_by")
                .prefetch_related("attachments")
                .order_by("-number"),
            ),
            Prefetch("attachments", ReportAttachment.objects.filter(in_draft=True), to_attr="draft_attachments"),
            Prefetch("notices", SupervisionNotice.objects.order_by("-issued_at")),
        ),
        pk=pk,
    )


VERSION_FIELDS = [
    ("narrative", _("工作进展")),
    ("percentage", _("完成百分比")),
    ("problems", _("存在问题")),
    ("next_steps", _("下一步计划")),
]


def version_differences(versions) -> list[dict]:
    """For each version (newest first) what changed from the one before: per field, the removed
    and added lines. No queries (works on the versions given)."""
    ordered = sorted(versions, key=lambda v: v.number)
    out = []
    for previous, current in zip([None, *ordered], ordered, strict=False):
        changes = []
        if previous is not None:
            for field, label in VERSION_FIELDS:
                old, new = str(getattr(previous, field)), str(getattr(current, field))
                if old == new:
                    continue
                lines = list(difflib.ndiff(old.splitlines(), new.splitlines()))
                changes.append(
                    {
                        "label": label,
                        "removed": [line[2:] for line in lines if line.startswith("- ")],
                        "added": [line[2:] for line in lines if line.startswith("+ ")],
                    }
                )
        out.append({"version": current, "changes": changes, "first": previous is None})
    return list(reversed(out))


def attachment_visible_to(user, pk):
    """A report's file, for whoever sees the report (404 otherwise)."""
    from steering.models import ReportAttachment

    return get_object_or_404(ReportAttachment.objects.filter(report__in=reports_visible_to(user).values("pk")), pk=pk)


# --- tasks and progress --------------------------------------------------------------------------


def _lead_percentages(on: datetime.date) -> dict[int, list[int]]:
    """{task id: [latest accepted % of each lead unit as of the date]} (one query)."""
    rows = (
        UnitReportVersion.objects.filter(
            decision=VersionDecision.ACCEPTED,
            decided_at__date__lte=on,
            report__role=UnitRole.LEAD,
        )
        .order_by("report__task_id", "report__unit_id", "-decided_at", "-id")
        .values_list("report__task_id", "report__unit_id", "percentage")
    )
    latest: dict[tuple[int, int], int] = {}
    for task_id, unit_id, percentage in rows:
        latest.setdefault((task_id, unit_id), percentage)
    out: dict[int, list[int]] = {}
    for (task_id, _unit_id), percentage in latest.items():
        out.setdefault(task_id, []).append(percentage)
    return out


def _progress(task, milestones, lead_percentages, on) -> dict:
    planned = sum(m.weight for m in milestones if m.due_on <= on)
    if task.progress_method == ProgressMethod.LEAD_REPORT:
        values = lead_percentages.get(task.pk, [])
        actual = round(sum(values) / len(values)) if values else 0
    else:
        actual = sum(m.weight for m in milestones if m.done_on and m.done_on <= on)
    return {
        "actual": actual,
        "planned": planned,
        "behind": max(planned - actual, 0),
        "method": task.progress_method,
        "method_label": task.get_progress_method_display(),
    }


def task_progress(task: ProgrammeTask, on: datetime.date | None = None) -> dict:
    """The task's actual % by its method (weighted milestones done by the date, or the average of
    its lead units' latest accepted reported %) and its planned % on the date (weights of the
    milestones due by then), with the method's label. Two queries."""
    on = on or timezone.localdate()
    milestones = list(TaskMilestone.objects.filter(task=task))
    leads = _lead_percentages(on) if task.progress_method == ProgressMethod.LEAD_REPORT else {}
    return _progress(task, milestones, leads, on)


def tasks_overview(*, on: datetime.date | None = None) -> list[ProgrammeTask]:
    """The six tasks, each with its units (lead first), milestones, `progress` (see task_progress)
    and `lamps` — counts by colour of its reports in open cycles. Four queries."""
    on = on or timezone.localdate()
    lamp_counts = {}
    for row in (
        UnitReport.objects.filter(cycle__status=CycleStatus.OPEN).values("task_id", "lamp").annotate(n=Count("id"))
    ):
        lamp_counts.setdefault(row["task_id"], {})[row["lamp"]] = row["n"]
    tasks = list(
        ProgrammeTask.objects.prefetch_related(
            Prefetch("task_units", TaskUnit.objects.select_related("unit").order_by("role", "unit__sort_order")),
            Prefetch("milestones", TaskMilestone.objects.order_by("due_on", "id")),
        )
    )
    leads = _lead_percentages(on)
    for task in tasks:
        task.progress = _progress(task, task.milestones.all(), leads, on)
        counts = lamp_counts.get(task.pk, {})
        task.lamps = [(colour, label, counts.get(colour, 0)) for colour, label in reversed(Lamp.choices)]
        task.lead_units = [link.unit for link in task.task_units.all() if link.role == UnitRole.LEAD]
        task.support_units = [link.unit for link in task.task_units.all() if link.role == UnitRole.SUPPORT]
    return tasks


def task_detail(code) -> ProgrammeTask:
    """One task by its number (1–6; 404 otherwise), as in tasks_overview, with its reports of open
    cycles. Six queries."""
    for task in tasks_overview():
        if str(task.code) == str(code):
            task.open_reports = list(
                UnitReport.objects.filter(task=task, cycle__status=CycleStatus.OPEN)
                .select_related("cycle", "unit")
                .order_by("cycle__due_on", "unit__sort_order")
            )
            return task
    from django.http import Http404

    raise Http404


# --- cycles and matrices -------------------------------------------------------------------------


def cycles_list() -> QuerySet:
    """Cycles, newest first, each with counts of its reports: all, filed (submitted or accepted),
    returned, and unfiled past the due date (late). One query."""
    today = timezone.localdate()
    filed = Q(reports__status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
    return ReportingCycle.objects.annotate(
        total=Count("reports"),
        filed=Count("reports", filter=filed),
        returned=Count("reports", filter=Q(reports__status=ReportStatus.RETURNED)),
        missing=Count("reports", filter=Q(reports__status__in=REPORT_UNFILED, due_on__lt=today)),
        red=Count("reports", filter=Q(reports__lamp=Lamp.RED)),
    ).order_by("-opens_on", "-id")


MATRIX_STATES = {
    "on_time": _("按时报送"),
    "late": _("逾期报送"),
    "missing": _("逾期未报"),
    "pending": _("待报送"),
    "returned": _("已退回"),
}


def _report_state(status, first_submitted_at, due_on, today) -> str:
    if status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        submitted_on = timezone.localtime(first_submitted_at).date() if first_submitted_at else today
        return "late" if submitted_on > due_on else "on_time"
    if today > due_on:
        return "missing"
    return "returned" if status == ReportStatus.RETURNED else "pending"


def reporting_matrix(*, cycle: ReportingCycle, today: datetime.date | None = None) -> dict:
    """The unit × task states of a cycle: {"tasks": [...], "rows": [{"unit", "cells": [cell or
    None per task]}], "totals": {state: n}, "states": {state: label}}; a cell is {"report",
    "state", "label"}; a task the unit is not responsible for is None. State: on_time / late
    (filed after the due date) / missing (not filed, past due) / pending / returned. Two queries."""
    today = today or timezone.localdate()
    tasks = list(ProgrammeTask.objects.order_by("code"))
    reports = (
        UnitReport.objects.filter(cycle=cycle)
        .select_related("unit")
        .annotate(
            first_submitted_at=Subquery(
                UnitReportVersion.objects.filter(report=OuterRef("pk")).order_by("number").values("submitted_at")[:1]
            )
        )
        .order_by("unit__sort_order", "unit_id")
    )
    rows: dict[int, dict] = {}
    totals = dict.fromkeys(MATRIX_STATES, 0)
    for report in reports:
        row = rows.setdefault(report.unit_id, {"unit": report.unit, "cells": {}})
        state = _report_state(report.status, report.first_submitted_at, cycle.due_on, today)
        totals[state] += 1
        row["cells"][report.task_id] = {"report": report, "state": state, "label": str(MATRIX_STATES[state])}
    return {
        "tasks": tasks,
        "rows": [{"unit": row["unit"], "cells": [row["cells"].get(t.pk) for t in tasks]} for row in rows.values()],
        "totals": totals,
        "states": {state: str(label) for state, label in MATRIX_STATES.items()},
    }


def lamp_matrix(*, cycles) -> dict:
    """Task × cycle lamps: {"tasks": [...], "cycles": [...], "rows": [{"task", "cells": [{"cycle",
    "colour", "counts": {colour: n}} per cycle]}]}; a cell's colour is the worst of the task's unit
    reports in the cycle (grey "none" when there are none). Two queries."""
    cycles = list(cycles)
    tasks = list(ProgrammeTask.objects.order_by("code"))
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for row in (
        UnitReport.objects.filter(cycle__in=[c.pk for c in cycles])
        .values("task_id", "cycle_id", "lamp")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault((row["task_id"], row["cycle_id"]), {})[row["lamp"]] = row["n"]
    rows = []
    for task in tasks:
        cells = []
        for cycle in cycles:
            cell_counts = counts.get((task.pk, cycle.pk), {})
            colour = max(cell_counts, key=lambda c: LAMP_SEVERITY[c]) if cell_counts else "none"
            cells.append({"cycle": cycle, "colour": colour, "counts": cell_counts})
        rows.append({"task": task, "cells": cells})
    return {"tasks": tasks, "cycles": cycles, "rows": rows}


def attention_reports(*, today: datetime.date | None = None) -> QuerySet:
    """Reports needing attention: in open cycles, unfiled past their due date, or with a red lamp;
    the oldest due first. One query."""
    today = today or timezone.localdate()
    return (
        UnitReport.objects.filter(cycle__status=CycleStatus.OPEN)
        .filter(Q(status__in=REPORT_UNFILED, cycle__due_on__lt=today) | Q(lamp=Lamp.RED))
        .select_related("cycle", "task", "unit")
        .order_by("cycle__due_on", "task__code", "unit__sort_order", "id")
    )


def review_queue() -> QuerySet:
    """Submitted reports waiting for the operator's decision, the oldest submission first, with the
    latest version's number and percentage. One query."""
    return (
        UnitReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("cycle", "task", "unit")
        .annotate(
            version_number=_latest_version("number"),
            reported=_latest_version("percentage"),
            submitted_at=Max("versions__submitted_at"),
        )
        .order_by("submitted_at", "id")
    )


# --- 督办单 and units ----------------------------------------------------------------------------


def _notices():
    return SupervisionNotice.objects.select_related(
        "unit", "report__cycle", "report__task", "issued_by", "responded_by", "closed_by"
    )


def open_supervision_notices() -> QuerySet:
    """督办单 not yet closed, the earliest response date first. One query."""
    return _notices().exclude(status=NoticeStatus.CLOSED).order_by("response_due_on", "id")


def notices_visible_to(user) -> QuerySet:
    """Operators and city leaders: every 督办单; a unit's staff: their unit's; others none."""
    notices = _notices().order_by("status", "response_due_on", "-id")
    if may_run_programme(user):
        return notices
    if is_unit_reporter(user):
        return notices.filter(unit_id__in=programme_units_of(user))
    if may_read_programme(user):
        return notices
    return notices.none()


def notice_detail(user, pk) -> SupervisionNotice:
    return get_object_or_404(notices_visible_to(user), pk=pk)


def reporting_settings_current():
    """The reporting settings (the seeded row; unsaved defaults if it is missing). One query."""
    from steering.models import ReportingSettings

    return ReportingSettings.objects.filter(pk=1).first() or ReportingSettings(
        monthly_due_day=25, remind_days_before=[3, 1], remind_days_after=[1, 3, 7]
    )


def units_list() -> QuerySet:
    """Every unit with its organisation and district and its number of tasks (lead / support). One query."""
    return ProgrammeUnit.objects.select_related("organisation", "district").annotate(
        lead_tasks=Count("task_units", filter=Q(task_units__role=UnitRole.LEAD)),
        support_tasks=Count("task_units", filter=Q(task_units__role=UnitRole.SUPPORT)),
    )


def operator_work_counts() -> dict:
    """What waits for the operators, in three queries (reports, notices, uses): reports to accept
    or return, reports on a red lamp in open cycles, 督办单 answered and to be closed, and
    contest-product uses to verify."""
    from steering.choices import ProductUseStatus
    from steering.models import ProductUse

    counts = UnitReport.objects.aggregate(
        to_review=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
        red=Count("pk", filter=Q(lamp=Lamp.RED, cycle__status=CycleStatus.OPEN)),
    )
    counts["notices_to_close"] = SupervisionNotice.objects.filter(status=NoticeStatus.ANSWERED).count()
    counts["uses_to_verify"] = ProductUse.objects.filter(status=ProductUseStatus.PENDING).count()
    return counts


def lamp_rules() -> QuerySet:
    """The lamp rules in the order they are applied (the worst colour wins)."""
    return LampRule.objects.order_by("order", "id")
