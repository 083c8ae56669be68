"""The monthly 调度 report as a workbook, and the job (core.jobs) that builds it.

A build reads the frozen data of its month: the DispatchReport row of the closed monthly cycle
(frozen at the close; frozen at this build if the close could not), and the stored 十百千
snapshots of the month's last day. For a cycle still open nothing is frozen: the data is read now
and the cover says "截至 <time>，期次未结束".

Sheets: 封面与口径, 十百千目标, 六项任务, 报送情况, 逾期与督办, 包容期, 国企考核, 附表. Every sheet is
formatted for print like steering/assessment_workbooks.py: a title row, a subtitle, a boxed
header repeated on every printed page, frozen panes, A4 landscape fitted to the page width; lamps
are cell fills with the colour's name as text (for black-and-white print). Text cells are
formula-safe (core.excel.safe_value)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.errors import DomainError
from core.excel import safe_value, workbook_bytes
from core.jobs import register_job
from steering.permissions import may_steer
from steering.selectors.reports import (
    MONTHLY_REPORT_JOB,
    month_bounds,
    monthly_cycle_of,
    monthly_report_data,
    monthly_target_rows,
    parse_month,
)

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
HEADER_ROW = 3  # row 1: title, row 2: subtitle

# Lamp colours: the fill, and the colour's name printed in the cell.
LAMP_FILLS = {
    "green": "C6EFCE",
    "blue": "BDD7EE",
    "yellow": "FFEB9C",
    "red": "FFC7CE",
    "grey": "D9D9D9",
    "none": "D9D9D9",
}
LAMP_NAMES = {
    "green": gettext_lazy("绿灯"),
    "blue": gettext_lazy("蓝灯"),
    "yellow": gettext_lazy("黄灯"),
    "red": gettext_lazy("红灯"),
    "grey": gettext_lazy("未设目标"),
    "none": gettext_lazy("无报送"),
}


class _Sheet:
    """One printable sheet: title, subtitle, a boxed header (repeated when printed), rows."""

    def __init__(self, workbook: Workbook, name: str, *, title: str, subtitle: str, headers: list, widths: list):
        self.sheet = workbook.create_sheet(name[:31])
        self.columns = len(headers)
        last = get_column_letter(self.columns)
        self.sheet["A1"] = safe_value(title)
        self.sheet["A1"].font = Font(size=16, bold=True)
        self.sheet["A1"].alignment = _CENTRE
        self.sheet.merge_cells(f"A1:{last}1")
        self.sheet.row_dimensions[1].height = 30
        self.sheet["A2"] = safe_value(subtitle)
        self.sheet["A2"].alignment = _WRAP
        self.sheet.merge_cells(f"A2:{last}2")
        self.sheet.row_dimensions[2].height = 32
        self.line = HEADER_ROW
        self.header(headers)
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = self.sheet.cell(row=HEADER_ROW + 1, column=1)
        self.sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        setup = self.sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = self.sheet.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.sheet.print_options.horizontalCentered = True
        self.sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")

    def header(self, headers: list) -> None:
        for column, label in enumerate(headers, start=1):
            cell = self.sheet.cell(row=self.line, column=column, value=str(label))
            cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), _HEAD_FILL, _CENTRE, _BOX
        self.line += 1

    def section(self, text: str) -> None:
        """A blank line, then a bold line naming what follows (a second table on the sheet)."""
        self.line += 1
        cell = self.sheet.cell(row=self.line, column=1, value=safe_value(text))
        cell.font = Font(bold=True, size=12)
        self.line += 1

    def row(self, values: list, *, lamp_column: int | None = None, lamp: str = "") -> None:
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.line, column=column, value=safe_value(value))
            cell.border, cell.alignment = _BOX, _WRAP
        if lamp_column is not None:
            cell = self.sheet.cell(row=self.line, column=lamp_column)
            cell.fill = PatternFill("solid", fgColor=LAMP_FILLS.get(lamp, "FFFFFF"))
            cell.alignment = _CENTRE
        self.line += 1

    def note(self, text: str) -> None:
        self.sheet.cell(row=self.line, column=1, value=safe_value(text)).alignment = Alignment(wrap_text=False)
        self.line += 1


def lamp_name(colour: str) -> str:
    return str(LAMP_NAMES.get(colour, colour or ""))


def _number(value):
    """Numbers stay numbers in the workbook; None becomes an empty cell."""
    if value is None or value == "":
        return ""
    return value


def _cover(workbook, *, data: dict, month: datetime.date, status_line: str, frozen, targets: dict, title: str) -> None:
    sheet = _Sheet(
        workbook,
        _("封面与口径"),
        title=title,
        subtitle=status_line,
        headers=[_("项目"), _("内容")],
        widths=[24, 110],
    )
    cycle = data["cycle"]
    snapshot_versions = {}
    for row in targets["rows"]:
        snapshot_versions.setdefault(row["metric"], set()).add(row["rule_version"])
    rows = [
        (_("报告月份"), f"{month.year}年{month.month}月"),
        (_("报送期次"), cycle["label"]),
        (_("报送期间"), f"{cycle['opens_on']} 至 {cycle['due_on']}（截止日）"),
        (_("期次状态"), cycle["status"] + (f"（{cycle['closed_at']} 关闭）" if cycle["closed_at"] else "")),
        (_("数据截至"), status_line),
        (
            _("冻结方式"),
            f"{frozen.get_origin_display()}；{frozen.frozen_by or _('系统')}"
            if frozen
            else _("未冻结（期次未结束，数据为生成时读取）"),
        ),
        (
            _("十百千快照日期"),
            targets["day"].isoformat() if targets["day"] else _("本月尚无快照（每日 01:10 生成前一日快照）"),
        ),
        (_("任务进度计算日"), data["as_of"]),
        (_("附表统计日"), _("%(day)s 24:00（北京时间）") % {"day": data["appendix"]["as_of"]}),
    ]
    for metric in data["appendix"]["metrics"]:
        versions = "、".join(f"v{v}" for v in sorted(snapshot_versions.get(metric["code"], [])))
        rows.append(
            (
                _("口径版本：%(label)s") % {"label": metric["label"]},
                _("附表 v%(version)s；快照 %(snapshots)s")
                % {
                    "version": data["rule_versions"].get(metric["code"], metric["version"]),
                    "snapshots": versions or "—",
                },
            )
        )
    for metric in data["appendix"]["metrics"]:
        rows.append((_("口径：%(label)s") % {"label": metric["label"]}, data["definitions"].get(metric["code"], "")))
    rows += [
        (_("实际值"), _("当日 24:00 按计数规则统计并存储的快照值（TargetSnapshot），不随此后记录或口径变化而改变。")),
        (_("计划值"), _("目标基数（起算日）、计划点与目标值（完成期限）之间按日线性插值，保留一位小数。")),
        (_("完成率"), _("实际值 ÷ 目标值 × 100%，保留一位小数。")),
        (
            _("序时亮灯（十百千）"),
            _("实际值不低于计划值为绿灯；落后不超过目标值的 10% 为黄灯；落后更多为红灯；未设目标为灰色。"),
        ),
        (
            _("任务进度"),
            _(
                "按里程碑权重计算：截至计算日已完成里程碑的权重之和；按牵头单位最近一次已采纳报送：各牵头单位最近一次被采纳的报送百分比的平均值。"
            ),
        ),
        (_("计划进度"), _("截至计算日计划完成的里程碑权重之和。")),
        (_("任务亮灯"), _("该任务本期各单位报送亮灯中最严重的颜色；亮灯规则：") + "；".join(data["lamp_rules"])),
        (
            _("报送情况"),
            _("按时报送：截止日前首次提交；逾期报送：截止日后首次提交；逾期未报：截止日已过仍未提交；待报送；已退回。"),
        ),
        (_("逾期与督办"), _("本期逾期报送、逾期未报或亮红灯的报送，以及本期报送所涉督办单及其状态。")),
        (_("包容期"), _("本月内任一天处于包容期的前瞻性场景（开始不晚于月末，结束或实际结束不早于月初）。")),
        (
            _("国企考核"),
            _("%(year)s 年度国有企业考核计分，截至冻结时的记录；得分 = min(数量 × 每项分值, 分值上限)。")
            % {"year": data["assessment"]["year"]},
        ),
    ]
    for item in data["assessment"]["items"]:
        rows.append((_("考核指标：%(label)s") % {"label": item["label"]}, item["definition"]))
    for label, value in rows:
        sheet.row([str(label), str(value)])


def _targets(workbook, targets: dict) -> None:
    sheet = _Sheet(
        workbook,
        _("十百千目标"),
        title=_("十百千目标完成情况"),
        subtitle=_("快照日期：%(day)s（按各区县及全市存储的每日快照）")
        % {"day": targets["day"].isoformat() if targets["day"] else _("无")},
        headers=[
            _("指标"),
            _("范围"),
            _("实际值"),
            _("计划值"),
            _("目标值"),
            _("完成期限"),
            _("完成率（%）"),
            _("亮灯"),
            _("序时进度"),
            _("口径版本"),
        ],
        widths=[20, 14, 10, 10, 10, 12, 12, 10, 18, 10],
    )
    for row in targets["rows"]:
        sheet.row(
            [
                row["label"],
                row["scope"],
                row["actual"],
                _number(row["planned"]),
                _number(row["target"]),
                row["deadline"].isoformat() if row["deadline"] else "",
                _number(row["ratio"]),
                lamp_name(row["lamp"]),
                row["status"],
                f"v{row['rule_version']}",
            ],
            lamp_column=8,
            lamp=row["lamp"],
        )
    if not targets["rows"]:
        sheet.note(_("本月尚无存储的快照。"))


def _milestone_text(milestone: dict) -> str:
    done = _("已于 %(day)s 完成") % {"day": milestone["done_on"]} if milestone["done_on"] else _("未完成")
    return f"{milestone['due_on']} {milestone['title']}（权重 {milestone['weight']}，{done}）"


def _tasks(workbook, data: dict) -> None:
    sheet = _Sheet(
        workbook,
        _("六项任务"),
        title=_("六项主要任务推进情况"),
        subtitle=_("进度计算日：%(day)s") % {"day": data["as_of"]},
        headers=[
            _("任务"),
            _("牵头单位"),
            _("配合单位"),
            _("实际进度（%）"),
            _("计划进度（%）"),
            _("进度计算方法"),
            _("里程碑"),
            _("亮灯"),
            _("牵头单位本期报送"),
        ],
        widths=[26, 14, 24, 10, 10, 20, 44, 8, 60],
    )
    for task in data["tasks"]:
        narratives = "\n".join(
            f"{item['unit']}（{item['status']}"
            + (f"，{item['percentage']}%" if item["percentage"] is not None else "")
            + f"）：{item['narrative'] or _('未报送')}"
            for item in task["narratives"]
        )
        sheet.row(
            [
                f"任务{task['numeral']}：{task['title']}",
                "、".join(task["leads"]),
                "、".join(task["supports"]),
                task["actual"],
                task["planned"],
                task["method"],
                "\n".join(_milestone_text(m) for m in task["milestones"]),
                lamp_name(task["lamp"]),
                narratives,
            ],
            lamp_column=8,
            lamp=task["lamp"],
        )


def _matrix(workbook, data: dict) -> None:
    matrix = data["matrix"]
    sheet = _Sheet(
        workbook,
        _("报送情况"),
        title=_("各单位报送情况（单位 × 任务）"),
        subtitle=_("报送期次：%(label)s；截止日 %(due)s；空白表示该单位不承担该任务。")
        % {"label": data["cycle"]["label"], "due": data["cycle"]["due_on"]},
        headers=[_("责任单位"), *matrix["tasks"]],
        widths=[16, *[12] * len(matrix["tasks"])],
    )
    for row in matrix["rows"]:
        sheet.row([row["unit"], *row["cells"]])
    sheet.section(_("合计"))
    for total in matrix["totals"]:
        sheet.row([total["label"], total["count"]])


def _overdue(workbook, data: dict) -> None:
    sheet = _Sheet(
        workbook,
        _("逾期与督办"),
        title=_("逾期、红灯报送与督办单"),
        subtitle=_("报送期次：%(label)s") % {"label": data["cycle"]["label"]},
        headers=[_("任务"), _("责任单位"), _("职责"), _("报送情况"), _("报送状态"), _("亮灯"), _("亮灯原因")],
        widths=[30, 16, 10, 12, 10, 8, 40],
    )
    for item in data["overdue"]:
        sheet.row(
            [
                item["task"],
                item["unit"],
                item["role"],
                item["state"],
                item["status"],
                lamp_name(item["lamp"]),
                "；".join(item["reasons"]),
            ],
            lamp_column=6,
            lamp=item["lamp"],
        )
    if not data["overdue"]:
        sheet.note(_("本期无逾期或红灯报送。"))
    sheet.section(_("督办单"))
    sheet.header(
        [_("责任单位"), _("任务"), _("督办事由"), _("签发时间"), _("答复期限"), _("状态"), _("答复时间"), _("答复内容")]
    )
    for notice in data["notices"]:
        sheet.row(
            [
                notice["unit"],
                notice["task"],
                notice["reason"],
                notice["issued_at"],
                notice["response_due_on"],
                notice["status"],
                notice["responded_at"],
                notice["response"],
            ]
        )
    if not data["notices"]:
        sheet.note(_("本期无督办单。"))


def _tolerance(workbook, data: dict, month: datetime.date) -> None:
    sheet = _Sheet(
        workbook,
        _("包容期"),
        title=_("本月处于包容期的场景"),
        subtitle=_("%(year)d年%(month)d月") % {"year": month.year, "month": month.month},
        headers=[_("场景"), _("发榜单位"), _("包容期开始"), _("包容期结束"), _("原定结束"), _("状态"), _("实际结束")],
        widths=[40, 30, 12, 12, 12, 10, 12],
    )
    for period in data["tolerance"]:
        sheet.row(
            [
                period["scenario"],
                period["publisher"],
                period["starts_on"],
                period["ends_on"],
                period["original_ends_on"],
                period["status"],
                period["ended_on"],
            ]
        )
    if not data["tolerance"]:
        sheet.note(_("本月无处于包容期的场景。"))


def _assessment(workbook, data: dict) -> None:
    assessment = data["assessment"]
    item_headers = []
    for item in assessment["items"]:
        item_headers += [f"{item['label']} 数量", f"{item['label']} 得分（每项 {item['points']}，上限 {item['cap']}）"]
    sheet = _Sheet(
        workbook,
        _("国企考核"),
        title=_("%(year)s 年度国有企业应用场景开放考核计分（截至本月）") % {"year": assessment["year"]},
        subtitle=_("计分方案：%(state)s")
        % {"state": _("已报送（%(when)s）") % {"when": assessment["filed"]} if assessment["filed"] else _("未报送")},
        headers=[_("序号"), _("单位名称"), _("统一社会信用代码"), *item_headers, _("合计得分")],
        widths=[6, 36, 22, *[12] * len(item_headers), 10],
    )
    for number, row in enumerate(assessment["rows"], start=1):
        cells = []
        for count, score in row["cells"]:
            cells += [count, score]
        sheet.row([number, row["name"], row["credit_code"], *cells, row["total"]])
    if not assessment["rows"]:
        sheet.note(_("该年度无国有企业记录。"))


def _appendix(workbook, data: dict) -> None:
    appendix = data["appendix"]
    sheet = _Sheet(
        workbook,
        _("附表"),
        title=_("附表：十百千各指标计入的记录"),
        subtitle=_("统计至 %(day)s 24:00（北京时间），全市。") % {"day": appendix["as_of"]},
        headers=[_("指标"), _("序号"), _("名称"), _("单位 / 统一社会信用代码"), _("区域"), _("计入时间")],
        widths=[18, 6, 44, 32, 12, 18],
    )
    for metric in appendix["metrics"]:
        for number, record in enumerate(metric["rows"], start=1):
            sheet.row([metric["label"], number, *record])
        if not metric["rows"]:
            sheet.row([metric["label"], "", _("（无计入记录）"), "", "", ""])


def monthly_report_workbook(*, month: datetime.date, actor=None, report=None, now=None) -> bytes:
    """The monthly report of a month as workbook bytes. Freezes the month's data if its cycle is
    closed and nothing was frozen yet (the close's freeze failed); reads live data for an open
    cycle. DomainError when the month has no monthly cycle."""
    from steering.choices import FreezeOrigin
    from steering.services.reports import dispatch_report_freeze

    report = report or (lambda percent, message="": None)
    now = now or timezone.now()
    first, _last = month_bounds(month)
    cycle = monthly_cycle_of(first)
    if cycle is None:
        raise DomainError(
            _("%(year)d年%(month)d月没有月度报送期次，不能生成月度调度报告。")
            % {"year": first.year, "month": first.month}
        )
    report(5, _("正在读取 %(label)s 的数据") % {"label": cycle.label})
    if cycle.is_open:
        frozen = None
        data = monthly_report_data(cycle=cycle, now=now)
        status_line = _("截至 %(time)s，期次未结束") % {"time": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")}
    else:
        frozen = getattr(cycle, "dispatch_report", None)
        if frozen is None:
            frozen = dispatch_report_freeze(actor=actor, cycle=cycle, origin=FreezeOrigin.BUILD)
        data = frozen.data
        status_line = _("期次已关闭，数据冻结于 %(time)s") % {
            "time": timezone.localtime(frozen.frozen_at).strftime("%Y-%m-%d %H:%M")
        }
    report(20, _("正在读取十百千快照"))
    targets = monthly_target_rows(first, frozen=data.get("targets"))
    title = _("宁波市应用场景开放 %(year)d年%(month)d月 定期调度报告") % {"year": first.year, "month": first.month}
    workbook = Workbook()
    workbook.remove(workbook.active)
    steps = [
        (
            _("封面与口径"),
            lambda: _cover(
                workbook, data=data, month=first, status_line=status_line, frozen=frozen, targets=targets, title=title
            ),
        ),
        (_("十百千目标"), lambda: _targets(workbook, targets)),
        (_("六项任务"), lambda: _tasks(workbook, data)),
        (_("报送情况"), lambda: _matrix(workbook, data)),
        (_("逾期与督办"), lambda: _overdue(workbook, data)),
        (_("包容期"), lambda: _tolerance(workbook, data, first)),
        (_("国企考核"), lambda: _assessment(workbook, data)),
        (_("附表"), lambda: _appendix(workbook, data)),
    ]
    for index, (name, step) in enumerate(steps, start=1):
        step()
        report(20 + index * 75 // len(steps), _("已生成工作表：%(name)s") % {"name": name})
    return workbook_bytes(workbook)


@register_job(MONTHLY_REPORT_JOB, title=gettext_lazy("月度调度报告"), may_start=may_steer)
def monthly_report_job(job, report):
    month = parse_month(job.params.get("month"))
    if month is None:
        raise DomainError(_("报告月份无效。"))
    content = monthly_report_workbook(month=month, actor=job.requested_by, report=report)
    return f"monthly-dispatch-report-{month:%Y-%m}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx", content
