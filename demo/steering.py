"""Demo steering (demo/data/steering.json): the programme as the officials run it.

Everything goes through the steering services, as the person whose step it is:
- the operator links each programme unit to its organisation on the portal, imports the
  高成长性科技企业 list (dry run, then apply), sets the new 2027 horizon of the 十百千 targets and marks
  the milestones the units have reached;
- three reporting cycles (the month before last, last month, this month) run on their own days
  (demo.clock): the units' staff file their progress, the operator accepts or returns it; last
  month three units never file, the hourly lamp job turns them red, the operator issues a 督办单 to
  one of them, which answers it, and the operator closes last month's cycle;
- publishers record the use of contest products that were shortlisted, and the operator verifies
  them (one is left pending);
- the daily snapshot job stores the 十百千 figures of the last 60 days.
"""

import calendar
import datetime
import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Organisation
from contests.models import ContestEntry
from demo.accounts import login
from demo.clock import on_day
from demo.evaluation import demo_pdf
from demo.files import load
from steering import services
from steering.choices import ReportStatus
from steering.models import (
    HighGrowthImport,
    ProductUse,
    ProgrammeUnit,
    ReportingCycle,
    SupervisionNotice,
    Target,
    TargetSnapshot,
    TaskMilestone,
    UnitReport,
)
from steering.services.programme import unit_users

DATA = load("steering.json")


def _month_shift(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _day_of(month: datetime.date, day: int, *, not_after: datetime.date) -> datetime.date:
    last = calendar.monthrange(month.year, month.month)[1]
    return min(month.replace(day=min(day, last)), not_after)


def _reporter(report):
    return unit_users(report.unit).order_by("pk").first()


def link_units(operator) -> int:
    """The operator links every unit whose organisation is on the portal (by its full name)."""
    linked = 0
    organisations = {o.name: o for o in Organisation.objects.filter(kind="government")}
    for unit in ProgrammeUnit.objects.filter(organisation__isnull=True).order_by("sort_order"):
        organisation = organisations.get(unit.full_name)
        if organisation is not None:
            services.unit_link(actor=operator, unit=unit, organisation=organisation)
            linked += 1
    return linked


def import_high_growth(operator) -> None:
    """The list as the 科技局 publishes it: the companies flagged 高成长性 and two more; the dry
    run shows the difference, then the operator applies it."""
    if HighGrowthImport.objects.exists():
        return
    names = set(DATA["high_growth_extra"])
    companies = Organisation.objects.filter(kind="company", verification_status="verified")
    listed = [o for o in companies.order_by("name") if o.is_high_growth or o.name in names]
    workbook = load_workbook(io.BytesIO(services.high_growth_template_workbook()))
    sheet = workbook.active
    start = 2  # over the template's example row
    for offset, organisation in enumerate(listed):
        sheet.cell(row=start + offset, column=1, value=organisation.credit_code)
        sheet.cell(row=start + offset, column=2, value=organisation.name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = SimpleUploadedFile(
        "2026年第四季度高成长性科技企业名单.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    upload = services.high_growth_import_check(actor=operator, uploaded=uploaded)
    services.high_growth_import_apply(actor=operator, upload=upload)


def set_horizon_targets(operator) -> None:
    for row in DATA["horizon_targets"]:
        if Target.objects.filter(metric=row["metric"], title=row["title"]).exists():
            continue
        services.target_create(
            actor=operator,
            metric=row["metric"],
            district=None,
            title=row["title"],
            target_value=row["target_value"],
            baseline=row["baseline"],
            starts_on=datetime.date.fromisoformat(row["starts_on"]),
            deadline=datetime.date.fromisoformat(row["deadline"]),
            note=row["note"],
            plan=[(datetime.date.fromisoformat(day), value) for day, value in row["plan"]],
        )


def mark_milestones(operator, today: datetime.date) -> None:
    """Milestones due before today are done a few days early, except the late ones of the data
    (done on their date, or not yet)."""
    late = DATA["milestones_late"]
    for milestone in TaskMilestone.objects.select_related("task").filter(due_on__lt=today, done_on__isnull=True):
        special = late.get(str(milestone.task.code), {})
        if milestone.title in special:
            done_on = special[milestone.title] and datetime.date.fromisoformat(special[milestone.title])
        else:
            done_on = milestone.due_on - datetime.timedelta(days=3 + zlib.crc32(milestone.title.encode()) % 9)
        if not done_on or done_on > today:
            continue
        with on_day(done_on):
            services.milestone_update(
                actor=operator,
                milestone=milestone,
                title=milestone.title,
                due_on=milestone.due_on,
                weight=milestone.weight,
                done_on=done_on,
                note=milestone.note,
            )


def _draft_of(report, month_index: int) -> dict:
    task = DATA["tasks"][str(report.task.code)]
    index = min(month_index, len(task["narratives"]) - 1)
    if report.role == "lead":
        narrative = task["narratives"][index]
    else:
        narrative = f"{report.unit.short_name}：{DATA['support_narrative']}"
    return {
        "narrative": narrative,
        "percentage": task["percent"][index],
        "problems": task["problems"],
        "next_steps": task["next_steps"],
    }


def _reports(cycle):
    return (
        UnitReport.objects.filter(cycle=cycle, unit__organisation__isnull=False)
        .select_related("task", "unit", "cycle")
        .order_by("task__code", "unit__sort_order", "pk")
    )


def run_past_cycle(operator, plan: dict, month: datetime.date, month_index: int, *, today, last: bool) -> None:
    """A past month: open on the 1st, the units file, the operator decides, a return is refiled;
    last month: three units never file, the lamp job turns them red, a 督办单, then the close."""
    with on_day(month):
        cycle, _created = services.cycle_open_monthly(today=month)
    if not cycle.is_open:
        return
    missing = set(DATA["last_month_missing"]) if last else set()
    returned = DATA["last_month_returned"] if last else None
    file_on = _day_of(month, plan["file_day"], not_after=today)
    decide_on = _day_of(month, plan["decide_day"], not_after=today)
    with on_day(file_on):
        for report in _reports(cycle):
            reporter = _reporter(report)
            if reporter is None or report.unit.short_name in missing:
                continue
            services.report_submit(actor=reporter, report=report, **_draft_of(report, month_index))
    with on_day(decide_on):
        services.lamps_refresh()
        for report in _reports(cycle).filter(status=ReportStatus.SUBMITTED):
            if returned and report.task.code == returned["task"] and report.unit.short_name == returned["unit"]:
                services.report_return(actor=operator, report=report, reason=returned["reason"])
            else:
                services.report_accept(actor=operator, report=report)
    if returned:
        report = _reports(cycle).get(task__code=returned["task"], unit__short_name=returned["unit"])
        with on_day(_day_of(month, plan["decide_day"] + 2, not_after=today)):
            draft = {**_draft_of(report, month_index), "narrative": returned["refile"]}
            services.report_submit(actor=_reporter(report), report=report, **draft)
        with on_day(_day_of(month, plan["decide_day"] + 3, not_after=today)):
            services.report_accept(actor=operator, report=report, reason="已核实，数字一致。")
    if last:
        notice_plan = DATA["notice"]
        issue_on = _day_of(month, notice_plan["issue_day"], not_after=today)
        with on_day(issue_on):
            services.lamps_refresh()
            report = _reports(cycle).get(task__code=notice_plan["task"], unit__short_name=notice_plan["unit"])
            response_due_on = _day_of(_month_shift(month, 1), notice_plan["due_day"], not_after=datetime.date.max)
            notice = services.notice_issue(
                actor=operator,
                report=report,
                reason=notice_plan["reason"].format(
                    label=cycle.label,
                    due=f"{cycle.due_on.month}月{cycle.due_on.day}日",
                    response_due=f"{response_due_on.month}月{response_due_on.day}日",
                ),
                response_due_on=response_due_on,
            )
        answer_on = min(_day_of(_month_shift(month, 1), notice_plan["answer_day"], not_after=today), today)
        with on_day(max(answer_on, issue_on)):
            next_label = f"{_month_shift(month, 1).month}月"
            services.notice_answer(
                actor=_reporter(report), notice=notice, response=notice_plan["response"].format(next_label=next_label)
            )
    close_on = _day_of(month, 31, not_after=today)
    with on_day(close_on, hour=18):
        services.cycle_close(actor=operator, cycle=cycle)


def run_current_cycle(operator, today: datetime.date) -> None:
    """This month: a few units have filed (one already accepted), two have a draft."""
    plan = DATA["current_cycle"]
    month = today.replace(day=1)
    with on_day(month):
        cycle, _created = services.cycle_open_monthly(today=month)
    if UnitReport.objects.filter(cycle=cycle).exclude(status=ReportStatus.NOT_STARTED).exists():
        return
    month_index = 2
    with on_day(_day_of(month, plan["file_day"], not_after=today)):
        for report in _reports(cycle).filter(role="lead"):
            reporter = _reporter(report)
            if reporter is None:
                continue
            if report.unit.short_name in plan["filed_units"]:
                services.report_submit(actor=reporter, report=report, **_draft_of(report, month_index))
            elif report.unit.short_name in plan["draft_units"]:
                services.report_save_draft(actor=reporter, report=report, **_draft_of(report, month_index))
        for report in _reports(cycle).filter(
            status=ReportStatus.SUBMITTED, unit__short_name__in=plan["accepted_units"]
        ):
            services.report_accept(actor=operator, report=report)


def record_product_uses(operator, today: datetime.date) -> None:
    if ProductUse.objects.exists():
        return
    for row in DATA["product_uses"]:
        entry = ContestEntry.objects.select_related("challenge__contest").get(
            lead__name=row["entry_lead"], title=row["entry_title"], status="eligible"
        )
        recorder = login(row["recorder"])
        use = services.product_use_record(
            actor=recorder,
            entry=entry,
            kind=row["kind"],
            contract_number=row["contract_number"],
            amount=row["amount"],
            used_on=today,
            description=row["description"],
            evidence=demo_pdf(f"Contract {row['contract_number']}"),
        )
        if row["verify"]:
            services.product_use_verify(actor=operator, use=use, approve=True)


def take_snapshots(today: datetime.date) -> int:
    """The daily job's snapshots of the last 60 days (up to yesterday: today is not over)."""
    return services.targets_snapshot_backfill(
        start=today - datetime.timedelta(days=60), end=today - datetime.timedelta(days=1)
    )


def seed(stdout=None) -> None:
    operator = login("operator")
    today = timezone.localdate()
    linked = link_units(operator)
    import_high_growth(operator)
    set_horizon_targets(operator)
    mark_milestones(operator, today)
    plans = DATA["cycles"]
    for back, plan in zip((2, 1), plans, strict=True):
        run_past_cycle(operator, plan, _month_shift(today, -back), 2 - back, today=today, last=back == 1)
    run_current_cycle(operator, today)
    services.lamps_refresh()
    record_product_uses(operator, today)
    snapshots = take_snapshots(today)
    if stdout:
        stdout.write(
            f"统筹调度：{linked} 个责任单位关联机构，{ReportingCycle.objects.count()} 个报送期次，"
            f"{UnitReport.objects.exclude(status=ReportStatus.NOT_STARTED).count()} 份报送，"
            f"督办单 {SupervisionNotice.objects.count()} 份，入围产品使用 {ProductUse.objects.count()} 项，"
            f"目标快照 {snapshots} 条（{TargetSnapshot.objects.values('day').distinct().count()} 天）。"
        )
