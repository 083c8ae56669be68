"""The six programme tasks and 定期调度 (policy §三, §四(四)): reporting cycles, the units' progress
reports with their frozen versions and the operator's decision, milestones, the lamps (亮灯) from
rules held as data, reminders, and 督办单.

Keyword-only, atomic; refusals raise DomainError (or PermissionDenied) with a Chinese message.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import Role
from accounts.models import User
from accounts.selectors import operators_active
from core.errors import DomainError, PermissionDenied
from core.messages import Message
from core.services import audit_record, notify, snapshot
from core.uploads import check_upload
from steering.choices import (
    LAMP_SEVERITY,
    REPORT_UNFILED,
    CycleKind,
    CycleStatus,
    Lamp,
    LampRuleKind,
    NoticeStatus,
    ReportStatus,
    VersionDecision,
)
from steering.cockpit import models_changed
from steering.models import (
    LampRule,
    ProgrammeTask,
    ProgrammeUnit,
    ReportAttachment,
    ReportingCycle,
    ReportingSettings,
    SupervisionNotice,
    TaskMilestone,
    TaskUnit,
    UnitReport,
    UnitReportVersion,
)
from steering.permissions import may_file_report, may_run_programme

REPORT_AUDIT_FIELDS = ["status", "narrative", "percentage", "problems", "next_steps"]
MILESTONE_AUDIT_FIELDS = ["title", "due_on", "weight", "done_on", "note"]
TEXT_LIMIT = 5000


# --- helpers -------------------------------------------------------------------------------------


def _require_operator(actor) -> None:
    if not may_run_programme(actor):
        raise PermissionDenied(_("只有运营管理人员可以办理该事项。"))


def _require_reporter(actor, report) -> None:
    if not may_file_report(actor, report):
        raise PermissionDenied(_("只有该责任单位的人员可以填报。"))


def unit_users(unit: ProgrammeUnit):
    """The unit's department staff: active official-role users of its organisation."""
    if unit.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=unit.organisation_id, is_active=True, role_assignments__role=Role.OFFICIAL
    ).distinct()


def _report_link(report) -> str:
    return reverse("steering:programme-report", args=[report.pk])


def _notice_link(notice) -> str:
    return reverse("steering:programme-notice", args=[notice.pk])


def reporting_settings() -> ReportingSettings:
    settings_row, _created = ReportingSettings.objects.get_or_create(
        pk=1, defaults={"monthly_due_day": 25, "remind_days_before": [3, 1], "remind_days_after": [1, 3, 7]}
    )
    return settings_row


def _clean_text(value, limit: int = TEXT_LIMIT) -> str:
    return str(value or "").strip()[:limit]


def _whole(value, *, label, low: int, high: int, code: str = "parameter_invalid") -> int:
    """A whole number from low to high, or a Chinese refusal naming the field."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise DomainError(
            _("%(label)s须为%(low)d到%(high)d之间的整数。") % {"label": label, "low": low, "high": high}, code=code
        )
    return number


def _clean_percentage(value) -> int | None:
    if value in (None, ""):
        return None
    return _whole(value, label=_("完成百分比"), low=0, high=100, code="percentage_invalid")


def _locked_report(report) -> UnitReport:
    return UnitReport.objects.select_for_update(of=("self",)).select_related("cycle", "task", "unit").get(pk=report.pk)


# --- cycles --------------------------------------------------------------------------------------


def _create_reports(cycle: ReportingCycle) -> int:
    """One report per task × unit of the programme (idempotent)."""
    existing = set(UnitReport.objects.filter(cycle=cycle).values_list("task_id", "unit_id"))
    new = [
        UnitReport(cycle=cycle, task_id=link.task_id, unit_id=link.unit_id, role=link.role)
        for link in TaskUnit.objects.order_by("task__code", "unit__sort_order", "id")
        if (link.task_id, link.unit_id) not in existing
    ]
    UnitReport.objects.bulk_create(new)
    transaction.on_commit(lambda: models_changed("steering.UnitReport"))
    return len(new)


@transaction.atomic
def cycle_open_monthly(*, today: datetime.date | None = None) -> tuple[ReportingCycle, bool]:
    """The beat job on the 1st: open the month's cycle (due on the due day of the settings) and its
    reports. Idempotent: a month has one monthly cycle; running again creates nothing.

    Side effects: a ReportingCycle and one UnitReport per task × unit; an audit record; a message
    to the units' staff."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    existing = ReportingCycle.objects.filter(kind=CycleKind.MONTHLY, month=month).first()
    if existing is not None:
        _create_reports(existing)
        return existing, False
    due_day = min(max(reporting_settings().monthly_due_day, 1), calendar.monthrange(month.year, month.month)[1])
    cycle = ReportingCycle.objects.create(
        label=f"{month.year}年{month.month}月",
        kind=CycleKind.MONTHLY,
        month=month,
        opens_on=month,
        due_on=month.replace(day=due_day),
    )
    created = _create_reports(cycle)
    audit_record(
        actor=None,
        action="steering.cycle.open",
        target=cycle,
        after={"label": cycle.label, "due_on": cycle.due_on, "reports": created},
    )
    _announce_cycle(cycle)
    return cycle, True


def _announce_cycle(cycle) -> None:
    units = ProgrammeUnit.objects.filter(reports__cycle=cycle, organisation__isnull=False).distinct()
    recipients = User.objects.filter(
        organisation__programme_units__in=units, is_active=True, role_assignments__role=Role.OFFICIAL
    ).distinct()
    notify(
        recipients=recipients,
        title=Message(gettext_noop("“%(label)s”调度报送已开始"), label=cycle.label),
        body=Message(gettext_noop("请于 %(due)s 前报送本单位负责任务的进展。"), due=cycle.due_on),
        link=reverse("steering:programme-mine"),
    )


@transaction.atomic
def cycle_open_ad_hoc(*, actor, label: str, opens_on: datetime.date, due_on: datetime.date) -> ReportingCycle:
    """An operator opens an ad hoc (专项) cycle with its own dates.

    Side effects: a ReportingCycle with one report per task × unit; an audit record; messages."""
    _require_operator(actor)
    label = _clean_text(label, 40)
    if not label:
        raise DomainError(_("请填写报送期次名称。"), code="label_required")
    if opens_on is None or due_on is None:
        raise DomainError(_("请填写开始和截止日期。"), code="dates_required")
    if due_on < opens_on:
        raise DomainError(_("截止日期不能早于开始日期。"), code="dates_invalid")
    if ReportingCycle.objects.filter(label=label, status=CycleStatus.OPEN).exists():
        raise DomainError(_("已有同名的报送期次正在报送中。"), code="label_taken")
    cycle = ReportingCycle.objects.create(
        label=label, kind=CycleKind.AD_HOC, opens_on=opens_on, due_on=due_on, opened_by=actor
    )
    created = _create_reports(cycle)
    audit_record(
        actor=actor,
        action="steering.cycle.open",
        target=cycle,
        after={"label": label, "kind": cycle.kind, "opens_on": opens_on, "due_on": due_on, "reports": created},
    )
    _announce_cycle(cycle)
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle: ReportingCycle) -> ReportingCycle:
    """An operator closes a cycle: no more filing in it; its lamps stay as they are.

    Side effects: status closed, closer and time; an audit record; for a monthly cycle, the
    month's report data frozen and its build queued (steering.services.reports)."""
    _require_operator(actor)
    cycle = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_open:
        raise DomainError(_("该报送期次已关闭。"), code="cycle_closed")
    lamps_refresh(cycle_ids=[cycle.pk])  # closed as it stands at this hour
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = timezone.now()
    cycle.closed_by = actor
    cycle.save(update_fields=["status", "closed_at", "closed_by"])
    audit_record(actor=actor, action="steering.cycle.close", target=cycle, after={"status": cycle.status})
    # Reports centre: a monthly cycle's data is frozen and its report queued (never fails the close).
    from steering.services.reports import monthly_report_on_cycle_close

    monthly_report_on_cycle_close(actor=actor, cycle=cycle)
    return cycle


def _day_list(values, *, maximum: int) -> list[int]:
    """ "3,1" or [3, 1] → [3, 1] (distinct, descending); refused outside 1..maximum."""
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").split(",") if v.strip()]
    days = set()
    for value in values or []:
        try:
            day = int(str(value).strip())
        except ValueError:
            raise DomainError(_("提醒天数须为逗号分隔的整数，例如 3,1。"), code="days_invalid") from None
        if not 1 <= day <= maximum:
            raise DomainError(_("提醒天数须在1到%(max)d之间。") % {"max": maximum}, code="days_invalid")
        days.add(day)
    return sorted(days, reverse=True)


def _rule_label(kind: str, parameters: dict) -> str:
    """The words a lamp's reason shows, from the rule's threshold (so they never contradict it)."""
    if kind == LampRuleKind.DUE_WITHIN_DAYS:
        return f"临期提示：距截止不足{parameters['days']}天"
    if kind == LampRuleKind.SILENT_DAYS:
        return f"连续{parameters['days']}天未报送"
    if kind == LampRuleKind.BEHIND_PLAN_POINTS:
        low, high = parameters["min_points"], parameters.get("max_points")
        if high is None:
            return f"落后序时进度超过{max(low - 1, 0)}个百分点"
        return f"落后序时进度{low}–{high}个百分点"
    return ""


@transaction.atomic
def lamp_rule_update(*, actor, rule: LampRule, active: bool, days=None, min_points=None, max_points=None) -> LampRule:
    """An operator changes a lamp rule's threshold or switches it off: days for 临近截止 and 长期未报送
    (1–90), the points behind plan for 落后序时进度 (0–100, the upper bound may be empty: no limit);
    逾期未报 has no threshold. The lamps of open cycles are refreshed at once.

    Side effects: the rule; an audit record with before and after; the open cycles' lamps."""
    _require_operator(actor)
    rule = LampRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, ["parameters", "active", "label"])
    parameters = dict(rule.parameters or {})
    if rule.kind in (LampRuleKind.DUE_WITHIN_DAYS, LampRuleKind.SILENT_DAYS):
        parameters["days"] = _whole(days, label=_("天数"), low=1, high=90)
    elif rule.kind == LampRuleKind.BEHIND_PLAN_POINTS:
        low = _whole(min_points, label=_("落后下限（百分点）"), low=0, high=100)
        high = None if max_points in (None, "") else _whole(max_points, label=_("落后上限（百分点）"), low=0, high=100)
        if high is not None and high < low:
            raise DomainError(_("落后上限不能小于下限。"), code="parameter_invalid")
        parameters["min_points"], parameters["max_points"] = low, high
    rule.parameters, rule.active = parameters, bool(active)
    rule.label = _rule_label(rule.kind, parameters) or rule.label
    rule.save(update_fields=["parameters", "active", "label"])
    audit_record(
        actor=actor,
        action="steering.lamp_rule.update",
        target=rule,
        before=before,
        after=snapshot(rule, ["parameters", "active", "label"]),
    )
    lamps_refresh()
    return rule


@transaction.atomic
def reporting_settings_update(*, actor, monthly_due_day, remind_days_before, remind_days_after) -> ReportingSettings:
    """An operator sets the monthly due day (1–28, or up to 31: a shorter month ends on its last
    day) and the reminder days before and after the due date. Applies to cycles opened afterwards
    (the due day) and to the next reminders (the days).

    Side effects: the settings row; an audit record with before and after."""
    _require_operator(actor)
    due_day = _whole(monthly_due_day, label=_("截止日"), low=1, high=31, code="due_day_invalid")
    row = ReportingSettings.objects.select_for_update().get(pk=reporting_settings().pk)
    fields = ["monthly_due_day", "remind_days_before", "remind_days_after"]
    before = snapshot(row, fields)
    row.monthly_due_day = due_day
    row.remind_days_before = _day_list(remind_days_before, maximum=31)
    row.remind_days_after = _day_list(remind_days_after, maximum=90)
    row.save()
    audit_record(actor=actor, action="steering.settings.update", target=row, before=before, after=snapshot(row, fields))
    return row


# --- reports -------------------------------------------------------------------------------------


def _require_fileable(report) -> None:
    if not report.cycle.is_open:
        raise DomainError(_("该报送期次已关闭，不能再填报。"), code="cycle_closed")
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        raise DomainError(_("报送已提交，待退回后才能修改。"), code="report_submitted")


@transaction.atomic
def report_save_draft(
    *, actor, report: UnitReport, narrative: str = "", percentage=None, problems: str = "", next_steps: str = ""
) -> UnitReport:
    """A unit's staff save the report's draft (nothing is sent). A returned report stays returned
    until it is submitted again.

    Side effects: the draft fields; status draft (from not started); the lamp refreshed; an audit record."""
    report = _locked_report(report)
    _require_reporter(actor, report)
    _require_fileable(report)
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    report.narrative = _clean_text(narrative)
    report.percentage = _clean_percentage(percentage)
    report.problems = _clean_text(problems)
    report.next_steps = _clean_text(next_steps)
    if report.status == ReportStatus.NOT_STARTED:
        report.status = ReportStatus.DRAFT
    report.save()
    audit_record(
        actor=actor,
        action="steering.report.draft",
        target=report,
        before=before,
        after=snapshot(report, REPORT_AUDIT_FIELDS),
    )
    return report


@transaction.atomic
def report_attach(*, actor, report: UnitReport, uploaded_file) -> ReportAttachment:
    """A unit's staff attach a checked file (core.uploads) to the draft.

    Side effects: a ReportAttachment in the draft; an audit record."""
    report = _locked_report(report)
    _require_reporter(actor, report)
    _require_fileable(report)
    if uploaded_file is None:
        raise DomainError(_("请选择要上传的文件。"), code="file_required")
    try:
        check_upload(uploaded_file)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="file_invalid") from None
    name = (uploaded_file.name or "附件").rsplit("/", 1)[-1][:200]
    attachment = ReportAttachment.objects.create(report=report, file=uploaded_file, name=name, uploaded_by=actor)
    audit_record(actor=actor, action="steering.report.attach", target=report, after={"attachment": name})
    return attachment


@transaction.atomic
def report_attachment_remove(*, actor, attachment: ReportAttachment) -> None:
    """Take a file out of the draft. A file a submitted version holds is kept for that version.

    Side effects: the attachment leaves the draft (deleted when no version holds it); an audit record."""
    report = _locked_report(attachment.report)
    _require_reporter(actor, report)
    _require_fileable(report)
    attachment = ReportAttachment.objects.select_for_update().get(pk=attachment.pk)
    name = attachment.name
    if attachment.versions.exists():
        attachment.in_draft = False
        attachment.save(update_fields=["in_draft"])
    else:
        attachment.file.delete(save=False)
        attachment.delete()
    audit_record(actor=actor, action="steering.report.detach", target=report, before={"attachment": name})


@transaction.atomic
def report_submit(*, actor, report: UnitReport, **draft) -> UnitReportVersion:
    """A unit's staff submit the report (saving the draft given with it first). Each submit freezes
    a new version with the draft's files; a returned report can be submitted again (version 2 …).
    Refused without a narrative or a percentage.

    Side effects: a UnitReportVersion; status submitted; the lamp refreshed; an audit record; a
    message to the operators."""
    if draft:
        report_save_draft(actor=actor, report=report, **draft)
    report = _locked_report(report)
    _require_reporter(actor, report)
    _require_fileable(report)
    if not report.narrative:
        raise DomainError(_("请填写工作进展。"), code="narrative_required")
    if report.percentage is None:
        raise DomainError(_("请填写完成百分比。"), code="percentage_required")
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = UnitReportVersion.objects.create(
        report=report,
        number=number,
        narrative=report.narrative,
        percentage=report.percentage,
        problems=report.problems,
        next_steps=report.next_steps,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    version.attachments.set(report.attachments.filter(in_draft=True))
    before = report.status
    report.status = ReportStatus.SUBMITTED
    report.save(update_fields=["status", "updated_at"])
    lamps_refresh(report_ids=[report.pk])
    audit_record(
        actor=actor,
        action="steering.report.submit",
        target=report,
        before={"status": before},
        after={"status": report.status, "version": number, "percentage": version.percentage},
    )
    notify(
        recipients=operators_active(),
        title=Message(
            gettext_noop("%(unit)s 提交了“%(task)s”%(label)s进展（第%(n)d版）"),
            unit=report.unit.short_name,
            task=report.task.title,
            label=report.cycle.label,
            n=number,
        ),
        link=_report_link(report),
    )
    return version


def _decide(*, actor, report, decision: str, reason: str) -> UnitReportVersion:
    _require_operator(actor)
    report = _locked_report(report)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(_("只有已提交待审核的报送可以审核。"), code="not_submitted")
    version = report.versions.select_for_update().order_by("-number").first()
    version.decision = decision
    version.decision_reason = reason
    version.decided_by = actor
    version.decided_at = timezone.now()
    version.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    report.status = ReportStatus.ACCEPTED if decision == VersionDecision.ACCEPTED else ReportStatus.RETURNED
    report.save(update_fields=["status", "updated_at"])
    lamps_refresh(report_ids=[report.pk])
    audit_record(
        actor=actor,
        action=f"steering.report.{decision}",
        target=report,
        before={"status": ReportStatus.SUBMITTED},
        after={"status": report.status, "version": version.number},
        reason=reason,
    )
    accepted = decision == VersionDecision.ACCEPTED
    notify(
        recipients=unit_users(report.unit),
        title=Message(
            gettext_noop("“%(task)s”%(label)s进展已采纳")
            if accepted
            else gettext_noop("“%(task)s”%(label)s进展被退回，请修改后重新提交"),
            task=report.task.title,
            label=report.cycle.label,
        ),
        body=reason,
        link=_report_link(report),
    )
    return version


@transaction.atomic
def report_accept(*, actor, report: UnitReport, reason: str = "") -> UnitReportVersion:
    """The 市科技局 operator accepts the submitted version (a remark is optional).

    Side effects: the version's decision; status accepted; lamp refreshed; audit; message to the unit."""
    return _decide(actor=actor, report=report, decision=VersionDecision.ACCEPTED, reason=_clean_text(reason, 1000))


@transaction.atomic
def report_return(*, actor, report: UnitReport, reason: str) -> UnitReportVersion:
    """The operator returns the submitted version with a reason (required); the unit refiles.

    Side effects: the version's decision and reason; status returned; lamp refreshed; audit; message."""
    reason = _clean_text(reason, 1000)
    if not reason:
        raise DomainError(_("退回须填写理由。"), code="reason_required")
    return _decide(actor=actor, report=report, decision=VersionDecision.RETURNED, reason=reason)


# --- milestones and units ------------------------------------------------------------------------


def _check_weights(task, weight: int, excluding=None) -> None:
    others = TaskMilestone.objects.filter(task=task).exclude(pk=getattr(excluding, "pk", None))
    total = (others.aggregate(total=Sum("weight"))["total"] or 0) + weight
    if total > 100:
        raise DomainError(
            _("该任务里程碑权重合计将为 %(total)d，不能超过 100。") % {"total": total}, code="weights_exceed"
        )


def _clean_milestone(title, due_on, weight, done_on, note) -> dict:
    title = _clean_text(title, 200)
    if not title:
        raise DomainError(_("请填写里程碑名称。"), code="title_required")
    if due_on is None:
        raise DomainError(_("请填写计划完成日期。"), code="due_required")
    try:
        weight = int(weight)
    except (TypeError, ValueError):
        raise DomainError(_("权重须为1到100之间的整数。"), code="weight_invalid") from None
    if not 1 <= weight <= 100:
        raise DomainError(_("权重须为1到100之间的整数。"), code="weight_invalid")
    if done_on is not None and done_on > timezone.localdate():
        raise DomainError(_("实际完成日期不能晚于今天。"), code="done_in_future")
    return {"title": title, "due_on": due_on, "weight": weight, "done_on": done_on, "note": _clean_text(note, 500)}


@transaction.atomic
def milestone_add(
    *, actor, task: ProgrammeTask, title: str, due_on, weight, done_on=None, note: str = ""
) -> TaskMilestone:
    """An operator adds a milestone; a task's weights never sum to more than 100.

    Side effects: a TaskMilestone; an audit record."""
    _require_operator(actor)
    values = _clean_milestone(title, due_on, weight, done_on, note)
    ProgrammeTask.objects.select_for_update().get(pk=task.pk)
    _check_weights(task, values["weight"])
    milestone = TaskMilestone.objects.create(task=task, **values)
    audit_record(
        actor=actor,
        action="steering.milestone.add",
        target=task,
        after={"milestone": milestone.pk, **snapshot(milestone, MILESTONE_AUDIT_FIELDS)},
    )
    return milestone


@transaction.atomic
def milestone_update(
    *, actor, milestone: TaskMilestone, title: str, due_on, weight, done_on=None, note: str = ""
) -> TaskMilestone:
    """An operator edits a milestone (dates, weight, done date, note).

    Side effects: the milestone's fields; an audit record with before and after."""
    _require_operator(actor)
    values = _clean_milestone(title, due_on, weight, done_on, note)
    ProgrammeTask.objects.select_for_update().get(pk=milestone.task_id)
    milestone = TaskMilestone.objects.select_for_update().get(pk=milestone.pk)
    _check_weights(milestone.task, values["weight"], excluding=milestone)
    before = snapshot(milestone, MILESTONE_AUDIT_FIELDS)
    for field, value in values.items():
        setattr(milestone, field, value)
    milestone.save()
    audit_record(
        actor=actor,
        action="steering.milestone.update",
        target=milestone.task,
        before={"milestone": milestone.pk, **before},
        after={"milestone": milestone.pk, **snapshot(milestone, MILESTONE_AUDIT_FIELDS)},
    )
    return milestone


@transaction.atomic
def unit_link(*, actor, unit: ProgrammeUnit, organisation) -> ProgrammeUnit:
    """An operator links a unit to its organisation on the portal (a government organisation), or
    unlinks it (None): its official-role staff then file its reports.

    Side effects: the unit's organisation; an audit record."""
    from accounts.choices import OrganisationKind

    _require_operator(actor)
    if organisation is not None and organisation.kind != OrganisationKind.GOVERNMENT:
        raise DomainError(_("责任单位只能关联政府部门类机构。"), code="not_government")
    unit = ProgrammeUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, ["organisation"])
    unit.organisation = organisation
    unit.save(update_fields=["organisation"])
    audit_record(
        actor=actor, action="steering.unit.link", target=unit, before=before, after=snapshot(unit, ["organisation"])
    )
    return unit


# --- lamps ---------------------------------------------------------------------------------------


def planned_percentages(on: datetime.date) -> dict[int, int]:
    """{task id: planned % on the date} — the weights of the milestones due by then (one query)."""
    planned: dict[int, int] = {}
    for task_id, weight in TaskMilestone.objects.filter(due_on__lte=on).values_list("task_id", "weight"):
        planned[task_id] = planned.get(task_id, 0) + weight
    return planned


def evaluate_lamp(
    *,
    rules,
    today: datetime.date,
    status: str,
    due_on: datetime.date,
    reported: int | None,
    planned: int,
    silent_since: datetime.date | None,
) -> tuple[str, list[str]]:
    """The colour and reasons of one report by the rules (worst colour wins; every reason kept)."""
    colour, reasons = Lamp.GREEN, []
    unfiled = status in REPORT_UNFILED
    for rule in rules:
        parameters = rule.parameters or {}
        fires = False
        if rule.kind == LampRuleKind.OVERDUE:
            fires = unfiled and today > due_on
        elif rule.kind == LampRuleKind.DUE_WITHIN_DAYS:
            fires = unfiled and 0 <= (due_on - today).days <= int(parameters.get("days", 3))
        elif rule.kind == LampRuleKind.BEHIND_PLAN_POINTS and reported is not None:
            behind = planned - reported
            low, high = parameters.get("min_points", 10), parameters.get("max_points")
            fires = behind >= int(low) and (high is None or behind <= int(high))
        elif rule.kind == LampRuleKind.SILENT_DAYS and silent_since is not None:
            fires = (today - silent_since).days >= int(parameters.get("days", 30))
        if fires:
            reasons.append(rule.label)
            if LAMP_SEVERITY[rule.colour] > LAMP_SEVERITY[colour]:
                colour = rule.colour
    return colour, reasons


def lamps_refresh(
    *, today: datetime.date | None = None, report_ids: list[int] | None = None, cycle_ids: list[int] | None = None
) -> int:
    """Apply the active lamp rules to the reports of open cycles (or the given ones). Hourly by
    beat (steering.lamps_refresh) and right after a report changes. Returns how many lamps changed.

    Four queries whatever the number of reports (rules, plan, last submissions, reports) plus one
    bulk update. Side effects: lamp, reasons and since on the reports whose colour or reasons changed."""
    today = today or timezone.localdate()
    now = timezone.now()
    rules = list(LampRule.objects.filter(active=True).order_by("order", "id"))
    planned = planned_percentages(today)
    reports = UnitReport.objects.select_related("cycle").annotate(
        reported=Subquery(
            UnitReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number").values("percentage")[:1]
        )
    )
    if report_ids is not None:
        reports = reports.filter(pk__in=report_ids)
    elif cycle_ids is not None:
        reports = reports.filter(cycle_id__in=cycle_ids)
    else:
        reports = reports.filter(cycle__status=CycleStatus.OPEN)
    reports = list(reports)
    pairs = {(r.task_id, r.unit_id) for r in reports}
    silence = {}
    if pairs:
        for row in (
            UnitReport.objects.filter(task_id__in={t for t, _u in pairs}, unit_id__in={u for _t, u in pairs})
            .values("task_id", "unit_id")
            .annotate(last=Max("versions__submitted_at"), first=Min("cycle__opens_on"))
        ):
            last = timezone.localtime(row["last"]).date() if row["last"] else row["first"]
            silence[(row["task_id"], row["unit_id"])] = last
    changed = []
    for report in reports:
        colour, reasons = evaluate_lamp(
            rules=rules,
            today=today,
            status=report.status,
            due_on=report.cycle.due_on,
            reported=report.reported,
            planned=planned.get(report.task_id, 0),
            silent_since=silence.get((report.task_id, report.unit_id)),
        )
        if colour != report.lamp or reasons != report.lamp_reasons:
            if colour != report.lamp:
                report.lamp_since = now
            report.lamp, report.lamp_reasons = colour, reasons
            changed.append(report)
    UnitReport.objects.bulk_update(changed, ["lamp", "lamp_reasons", "lamp_since"])
    if changed:
        transaction.on_commit(lambda: models_changed("steering.UnitReport"))
    return len(changed)


# --- reminders -----------------------------------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the units of unfiled reports in open cycles on the days of the settings (so many days
    before the due date, so many after), at most once a day per report. Returns reminders sent.

    Side effects: a message to each unit's staff; last_reminded_on on each report reminded."""
    today = today or timezone.localdate()
    settings_row = reporting_settings()
    before_days = {int(d) for d in settings_row.remind_days_before or []}
    after_days = {int(d) for d in settings_row.remind_days_after or []}
    sent = 0
    reports = (
        UnitReport.objects.filter(cycle__status=CycleStatus.OPEN, status__in=REPORT_UNFILED)
        .exclude(last_reminded_on=today)
        .select_related("cycle", "task", "unit")
    )
    for report in reports:
        days_left = (report.cycle.due_on - today).days
        if days_left >= 0 and days_left in before_days:
            title = gettext_noop("提醒：“%(task)s”%(label)s进展须在 %(due)s 前报送")
        elif days_left < 0 and -days_left in after_days:
            title = gettext_noop("逾期：“%(task)s”%(label)s进展已过截止日期 %(due)s，请尽快报送")
        else:
            continue
        with transaction.atomic():
            claimed = (
                UnitReport.objects.filter(pk=report.pk).exclude(last_reminded_on=today).update(last_reminded_on=today)
            )
            if not claimed:
                continue
            notify(
                recipients=unit_users(report.unit),
                title=Message(title, task=report.task.title, label=report.cycle.label, due=str(report.cycle.due_on)),
                link=_report_link(report),
            )
        sent += 1
    return sent


# --- 督办单 -------------------------------------------------------------------------------------


@transaction.atomic
def notice_issue(*, actor, report: UnitReport, reason: str, response_due_on: datetime.date) -> SupervisionNotice:
    """An operator issues a 督办单 on a red-lamp report to its unit, with a reason and a response date.

    Side effects: a SupervisionNotice (open); an audit record; a message to the unit's staff."""
    _require_operator(actor)
    report = _locked_report(report)
    if report.lamp != Lamp.RED:
        raise DomainError(_("只有亮红灯的报送可以发督办单。"), code="not_red")
    reason = _clean_text(reason, 1000)
    if not reason:
        raise DomainError(_("请填写督办事由。"), code="reason_required")
    if response_due_on is None or response_due_on < timezone.localdate():
        raise DomainError(_("答复期限不能早于今天。"), code="due_in_past")
    if report.notices.exclude(status=NoticeStatus.CLOSED).exists():
        raise DomainError(_("该报送已有未办结的督办单。"), code="notice_open")
    notice = SupervisionNotice.objects.create(
        report=report, unit=report.unit, reason=reason, response_due_on=response_due_on, issued_by=actor
    )
    audit_record(
        actor=actor,
        action="steering.notice.issue",
        target=notice,
        after={"report": report.pk, "reason": reason, "response_due_on": response_due_on},
    )
    notify(
        recipients=unit_users(report.unit),
        title=Message(
            gettext_noop("督办单：“%(task)s”%(label)s，请于 %(due)s 前答复"),
            task=report.task.title,
            label=report.cycle.label,
            due=response_due_on,
        ),
        body=reason,
        link=_notice_link(notice),
    )
    return notice


@transaction.atomic
def notice_answer(*, actor, notice: SupervisionNotice, response: str) -> SupervisionNotice:
    """The unit's staff answer a 督办单 (may answer again until it is closed).

    Side effects: response, responder, time; status answered; an audit record; message to operators."""
    notice = SupervisionNotice.objects.select_for_update(of=("self",)).select_related("report").get(pk=notice.pk)
    if not may_file_report(actor, notice.report):
        raise PermissionDenied(_("只有被督办单位的人员可以答复。"))
    if notice.status == NoticeStatus.CLOSED:
        raise DomainError(_("督办单已办结。"), code="notice_closed")
    response = _clean_text(response)
    if not response:
        raise DomainError(_("请填写答复内容。"), code="response_required")
    before = snapshot(notice, ["status", "response"])
    notice.response, notice.responded_by, notice.responded_at = response, actor, timezone.now()
    notice.status = NoticeStatus.ANSWERED
    notice.save(update_fields=["response", "responded_by", "responded_at", "status"])
    audit_record(
        actor=actor,
        action="steering.notice.answer",
        target=notice,
        before=before,
        after=snapshot(notice, ["status", "response"]),
    )
    notify(
        recipients=operators_active(),
        title=Message(gettext_noop("%(unit)s 答复了督办单"), unit=notice.unit),
        link=_notice_link(notice),
    )
    return notice


@transaction.atomic
def notice_close(*, actor, notice: SupervisionNotice, note: str = "") -> SupervisionNotice:
    """An operator closes an answered 督办单 (办结) with an optional note.

    Side effects: status closed, closer, time, note; an audit record; a message to the unit."""
    _require_operator(actor)
    notice = SupervisionNotice.objects.select_for_update(of=("self",)).select_related("unit").get(pk=notice.pk)
    if notice.status == NoticeStatus.CLOSED:
        raise DomainError(_("督办单已办结。"), code="notice_closed")
    if notice.status != NoticeStatus.ANSWERED:
        raise DomainError(_("单位答复后才能办结。"), code="not_answered")
    notice.status, notice.closed_by, notice.closed_at = NoticeStatus.CLOSED, actor, timezone.now()
    notice.closing_note = _clean_text(note, 500)
    notice.save(update_fields=["status", "closed_by", "closed_at", "closing_note"])
    audit_record(
        actor=actor,
        action="steering.notice.close",
        target=notice,
        after={"status": notice.status},
        reason=notice.closing_note,
    )
    notify(
        recipients=unit_users(notice.unit),
        title=Message(gettext_noop("督办单已办结")),
        body=notice.closing_note,
        link=_notice_link(notice),
    )
    return notice
