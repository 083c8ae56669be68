"""The SOE scorecard and the company credit list as workbooks an assessment office can file:
title, 年度, 口径, one row per organisation, totals, the 填报单位 / 日期 / 审核人 lines; A4 landscape,
frozen header, header rows repeated on every printed page. Text cells are formula-safe
(core.excel.safe_value)."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.excel import safe_value, workbook_bytes
from steering.selectors.assessment import ITEM_DEFINITIONS

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FIRST_ROW = 5  # rows 1-4: title, 年度, 口径, blank


def _scorecard_sheet(workbook: Workbook, *, title: str, year: int, scheme, rows: list[dict], items: list) -> None:
    sheet = workbook.active
    sheet.title = str(year)
    fixed = [_("序号"), _("单位名称"), _("统一社会信用代码")]
    last_column = len(fixed) + 2 * len(items) + 1
    last_letter = get_column_letter(last_column)

    sheet["A1"] = title
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = _CENTRE
    sheet.merge_cells(f"A1:{last_letter}1")
    sheet.row_dimensions[1].height = 30
    filed = (
        _("已报送（%(when)s）") % {"when": timezone.localtime(scheme.filed_at).strftime("%Y-%m-%d")}
        if scheme and scheme.filed_at
        else _("未报送")
    )
    sheet["A2"] = _("年度：%(year)s　　计分方案：%(year)s 年度（%(filed)s）　　生成时间：%(now)s") % {
        "year": year,
        "filed": filed,
        "now": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    sheet.merge_cells(f"A2:{last_letter}2")
    notes = "；".join(f"{item.label}：{ITEM_DEFINITIONS.get(item.code, '')}" for item in items)
    sheet["A3"] = safe_value(
        _("口径：得分 = min(数量 × 每项分值, 分值上限)，合计为各项得分之和；年度按北京时间计。%(notes)s")
        % {"notes": notes}
    )
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A3:{last_letter}3")
    sheet.row_dimensions[3].height = 90

    top, sub = HEADER_FIRST_ROW, HEADER_FIRST_ROW + 1
    for index, label in enumerate(fixed, start=1):
        sheet.cell(row=top, column=index, value=label)
        sheet.merge_cells(start_row=top, start_column=index, end_row=sub, end_column=index)
    for position, item in enumerate(items):
        column = len(fixed) + 1 + 2 * position
        sheet.cell(
            row=top,
            column=column,
            value=_("%(label)s（每项 %(points)s 分，上限 %(cap)s 分）")
            % {"label": item.label, "points": _plain(item.points), "cap": _plain(item.cap)},
        )
        sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + 1)
        sheet.cell(row=sub, column=column, value=_("数量"))
        sheet.cell(row=sub, column=column + 1, value=_("得分"))
    sheet.cell(row=top, column=last_column, value=_("合计得分"))
    sheet.merge_cells(start_row=top, start_column=last_column, end_row=sub, end_column=last_column)
    for row in sheet.iter_rows(min_row=top, max_row=sub, max_col=last_column):
        for cell in row:
            cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), _HEAD_FILL, _CENTRE, _BOX
    sheet.row_dimensions[top].height = 45

    line = sub + 1
    totals = [0] * (2 * len(items))
    grand = Decimal("0")
    for number, row in enumerate(rows, start=1):
        values = [number, safe_value(row["organisation"].name), row["organisation"].credit_code]
        for position, cell in enumerate(row["items"]):
            values += [cell["count"], cell["score"]]
            totals[2 * position] += cell["count"]
            totals[2 * position + 1] += cell["score"]
        values.append(row["total"])
        grand += row["total"]
        for column, value in enumerate(values, start=1):
            target = sheet.cell(row=line, column=column, value=value)
            target.border = _BOX
            if isinstance(value, Decimal):
                target.number_format = "0.00"
        line += 1
    total_values = [_("合计"), "", ""] + totals + [grand]
    for column, value in enumerate(total_values, start=1):
        target = sheet.cell(row=line, column=column, value=value)
        target.font, target.border = Font(bold=True), _BOX
        if isinstance(value, Decimal):
            target.number_format = "0.00"
    line += 2
    sheet.cell(row=line, column=1, value=_("填报单位（盖章）：____________________"))
    sheet.cell(row=line, column=len(fixed) + 1, value=_("填报日期：______年____月____日"))
    sheet.cell(row=line + 1, column=1, value=_("审核人：____________________"))
    sheet.cell(row=line + 1, column=len(fixed) + 1, value=_("联系电话：____________________"))

    widths = [6, 36, 22] + [10, 10] * len(items) + [12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=sub + 1, column=len(fixed) + 1)
    sheet.print_title_rows = f"{top}:{sub}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def scorecard_workbook(*, year: int, scheme, rows: list[dict], items: list) -> bytes:
    """The SOE scorecard of a year (国有企业应用场景开放考核计分表)."""
    workbook = Workbook()
    _scorecard_sheet(
        workbook,
        title=_("%(year)s 年度国有企业应用场景开放考核计分表") % {"year": year},
        year=year,
        scheme=scheme,
        rows=rows,
        items=items,
    )
    return workbook_bytes(workbook)


def credit_workbook(*, year: int, scheme, rows: list[dict], items: list) -> bytes:
    """The companies' credit plus-points of a year (场景大赛入围产品信用评价加分表)."""
    workbook = Workbook()
    _scorecard_sheet(
        workbook,
        title=_("%(year)s 年度场景大赛入围产品信用评价加分表") % {"year": year},
        year=year,
        scheme=scheme,
        rows=rows,
        items=items,
    )
    return workbook_bytes(workbook)
