"""The workbooks the Excel import hands out: the template to fill in, and the rejected rows.

The template's coded columns carry Excel drop-down lists (data validation of type "list") with an
input message, over every row an import may have; their values are import_codes.py's, the ones the
checker accepts. A short list is written inline; a long one refers to the 代码表 sheet, which lists
every coded column's values for reading.
"""

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from capability_list.entry_rules import credential_years
from capability_list.import_checker import COLUMNS, EXAMPLE_CREDIT_CODE, HEADERS, MAX_ROWS, RowCheck, cell_text
from capability_list.import_codes import CODE_SHEET, CodeList, code_lists
from core.excel import SheetWriter, new_workbook, workbook_bytes

LAST_ROW = MAX_ROWS + 1  # the validations cover every row an import accepts, below the header
EXCEL_MESSAGE_LIMIT = 255  # an input or error message longer than this makes Excel repair the file
EXCEL_TITLE_LIMIT = 32
EXAMPLE_INDUSTRY = "39"


def rejects_workbook(checks: list[RowCheck]) -> bytes | None:
    """The rejected rows, as they were, with a last column saying what is wrong in each."""
    rejected = [check for check in checks if check.errors]
    if not rejected:
        return None
    workbook = new_workbook()
    writer = SheetWriter(
        workbook, "未导入的行", ["原行号", *HEADERS, "错误原因"], widths=[8] + [16] * len(HEADERS) + [60]
    )
    for check in rejected:
        reasons = "；".join(f"{column}：{message}" for column, message in check.errors)
        writer.append([check.number, *[cell_text(value) for value in check.values], reasons])
    return workbook_bytes(workbook)


def template_workbook() -> bytes:
    """The import template: the header row, one example row and a drop-down list on each coded
    column; a sheet explaining each column; the 代码表 sheet of allowed values."""
    codes = code_lists()
    coded = [column for column in COLUMNS if column.key in codes]
    workbook = new_workbook()
    writer = SheetWriter(
        workbook, "能力清单", HEADERS, widths=[30, 22, 12, 28, 10, 40, 30, 24, 12, 20, 12, 14, 12, 10, 12, 18, 12, 10]
    )
    for index, column in enumerate(COLUMNS):
        cells = f"{get_column_letter(index + 1)}2:{get_column_letter(index + 1)}{LAST_ROW}"
        if column.key in codes:
            validation = _list_validation(codes[column.key], get_column_letter(coded.index(column) + 1))
        elif column.key == "credential_year":
            validation = _year_validation()
        else:
            continue
        validation.promptTitle = column.header[:EXCEL_TITLE_LIMIT]
        validation.add(cells)
        writer.sheet.data_validations.append(validation)
    industry = next(
        (value for value in codes["industry"].values if value.split(" ")[0] == EXAMPLE_INDUSTRY), EXAMPLE_INDUSTRY
    )
    writer.append(
        [
            "宁波示例科技有限公司",
            EXAMPLE_CREDIT_CODE,
            "鄞州区",
            "高位视频车位检测终端",
            "产品",
            "一台相机覆盖 6 个泊位，识别率 99%。",
            "已在鄞州区 3 个停车场应用",
            "机器视觉、边缘计算",
            industry,
            "新一代信息技术产业",
            "规模化应用",
            "10–50 万元",
            "是",
            "否",
            "首台套",
            "NB-2024-0088",
            "市级",
            2024,
        ]
    )
    help_sheet = SheetWriter(workbook, "填写说明", ["列", "是否必填", "说明", "可选值"], widths=[24, 10, 48, 60])
    for column in COLUMNS:
        code_list = codes.get(column.key)
        allowed = ""
        if code_list is not None:
            allowed = "、".join(code_list.values) if code_list.inline else f"见“{CODE_SHEET}”工作表"
        help_sheet.append([column.header, "是" if column.required else "否", column.help, allowed])
    code_sheet = SheetWriter(workbook, CODE_SHEET, [column.header for column in coded], widths=[18] * len(coded))
    lists = [codes[column.key].values for column in coded]
    for position in range(max(len(values) for values in lists)):
        code_sheet.append([values[position] if position < len(values) else None for values in lists])
    return workbook_bytes(workbook)


def _list_validation(code_list: CodeList, code_sheet_column: str) -> DataValidation:
    """A drop-down of the column's values: inline when Excel allows it, else the 代码表 sheet's column."""
    if code_list.inline:
        source = '"' + ",".join(code_list.values) + '"'
        prompt = _("请从下拉列表中选择：%(values)s") % {"values": "、".join(code_list.values)}
    else:
        last = len(code_list.values) + 1
        source = f"'{CODE_SHEET}'!${code_sheet_column}$2:${code_sheet_column}${last}"
        prompt = _("请从下拉列表中选择，可选值另见“%(sheet)s”工作表。") % {"sheet": CODE_SHEET}
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showDropDown=False,  # sic: False shows the in-cell arrow (the file format names it the other way)
        showInputMessage=True,
        prompt=prompt[:EXCEL_MESSAGE_LIMIT],
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=_("不在可选范围内")[:EXCEL_TITLE_LIMIT],
        error=_("请从下拉列表中选择。")[:EXCEL_MESSAGE_LIMIT],
    )


def _year_validation() -> DataValidation:
    years = credential_years()
    first, last = years[0], years[-1]
    return DataValidation(
        type="whole",
        operator="between",
        formula1=str(first),
        formula2=str(last),
        allow_blank=True,
        showInputMessage=True,
        prompt=_("填写 %(first)d–%(last)d 之间的四位年份。") % {"first": first, "last": last},
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=_("年度不正确")[:EXCEL_TITLE_LIMIT],
        error=_("填写 %(first)d–%(last)d 之间的四位年份。") % {"first": first, "last": last},
    )
