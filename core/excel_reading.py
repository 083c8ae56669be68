"""Reading an uploaded workbook for an import, whatever was uploaded.

Shared by every Excel import (the capability list, the 高成长性科技企业 list); core/excel.py is the
writing side.

1. check_workbook_upload, when a person uploads: the file's name, then check_workbook_file, then the
   virus scanner. check_workbook_file alone when a stored file is read again (a job, a confirmation):
   size, format, encryption, macros, a ZIP that inflates to gigabytes or lies about its sizes, XML
   that declares entities, the parts a workbook cannot lack — before openpyxl opens anything,
   reading at most a bounded number of bytes.
2. read_table: the rows under the header row of the first visible worksheet. What the file says
   about itself is checked, not trusted: hidden and very hidden sheets are never read, chartsheets
   are passed over unparsed, the declared used range (<dimension ref>) is ignored and the rows are
   counted as they are read, and the header row may sit below a title row. Any malformed part met
   on the way (bad XML in a cell, the shared strings or a sheet; a cell whose value is not of its
   type; a bad reference; a missing part) ends in WorkbookRefused with a Chinese message — never in
   another exception, so a page shows the reason and a job marks its batch failed.
"""

import logging
import os
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import check_file_name, macros_refused, office_package_has_macros
from core.virus_scan import scan_upload

logger = logging.getLogger(__name__)

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENTITY_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
# Apache POI's ZipSecureFile refuses a part that inflates more than 100 times (its default
# minimum inflate ratio, 0.01); real sheets stay near 15. Small parts are exempt.
MAX_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024

HEADER_SEARCH_ROWS = 10  # the header row is looked for in these, below any title rows
HEADER_SEARCH_COLUMNS = 200
EXCEL_MAX_ROW = 1_048_576  # a row number beyond Excel's last row is a forged reference
EXCEL_MAX_COLUMN = 16_384


class WorkbookRefused(Exception):
    """The file as a whole is unusable; the message says why, in Chinese."""


def check_workbook_upload(uploaded) -> int:
    """Everything an uploaded workbook must pass before it is stored: a name that shows what it is,
    check_workbook_file, and the virus scanner. Returns the bytes its parts inflate to."""
    name = os.path.basename(uploaded.name or "")
    try:
        check_file_name(name)
        unpacked = check_workbook_file(uploaded)
        scan_upload(uploaded, name=name)
    except ValidationError as refused:
        raise WorkbookRefused(refused.messages[0]) from None
    return unpacked


def check_workbook_file(uploaded, *, max_bytes: int = MAX_WORKBOOK_BYTES) -> int:
    """Refuse an unusable file within bounded time and memory, before any parser sees it.
    Returns the bytes its parts inflate to (what reading it will cost)."""
    name = (uploaded.name or "").lower()
    if uploaded.size > max_bytes:
        raise WorkbookRefused(_("文件超过 %(limit)d MB，请拆分后分批导入。") % {"limit": max_bytes // (1024 * 1024)})
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(OLE_MAGIC):
        raise WorkbookRefused(_("文件已加密，或是旧版 .xls 格式：请取消密码并另存为 .xlsx 后再上传。"))
    if not name.endswith(".xlsx") or not head.startswith(ZIP_MAGIC):
        raise WorkbookRefused(_("请上传 Excel 工作簿（.xlsx）。可先下载导入模板填写。"))
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise WorkbookRefused(_("文件结构异常（包含过多部件），无法导入。"))
            names = {member.filename for member in members}
            if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
                raise WorkbookRefused(_("文件不是有效的 Excel 工作簿，可能已损坏。"))
            if office_package_has_macros(archive):
                raise WorkbookRefused(macros_refused(os.path.basename(uploaded.name or "")).messages[0])
            # Python's zipfile stops a part at its declared size (and checks its CRC there), so the
            # declared sizes bound what any reader inflates.
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES or any(
                member.file_size > RATIO_GRACE_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1)
                for member in members
            ):
                raise WorkbookRefused(_("文件解压后过大（可能是压缩炸弹），已拒绝。"))
            return _read_every_part(archive, members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError):
        raise WorkbookRefused(_("文件已损坏，无法读取。请用 Excel 打开确认后重新保存。")) from None
    finally:
        uploaded.seek(0)


def _read_every_part(archive: zipfile.ZipFile, members) -> int:
    """Inflate every part once, counting real bytes, and look at what a parser would build from it:
    no entity declarations, no UTF-16 (Excel writes UTF-8; the scan below reads bytes), and no row
    of more cells than Excel has columns (openpyxl holds a whole row in memory: one row of a
    million cells costs gigabytes). Every part, not only those named .xml: a workbook may name its
    sheet parts anything. Returns the bytes inflated."""
    unpacked = 0
    for member in members:
        cells = _CellsPerRow()
        with archive.open(member) as stream:
            first = True
            while chunk := stream.read(64 * 1024):
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED_BYTES:
                    raise WorkbookRefused(_("文件解压后过大（可能是压缩炸弹），已拒绝。"))
                if first and any(marker in chunk for marker in ENTITY_MARKERS):
                    raise WorkbookRefused(_("文件包含不允许的 XML 实体声明，已拒绝。"))
                if first and chunk.startswith(UTF16_STARTS):
                    raise WorkbookRefused(
                        _("文件的部件使用了不支持的编码（UTF-16）。请用 Excel 另存为 .xlsx 后再上传。")
                    )
                first = False
                cells.feed(chunk)
        cells.feed(b"", last=True)
    return unpacked


class _CellsPerRow:
    """Counts the cell elements (<c>, under any prefix) after each row element's start, over a
    part read in chunks; refuses a row of more than Excel's columns. A chunk is scanned up to its
    last "<" (no tag contains one), the rest is kept for the next."""

    TAG = re.compile(rb"<(?:[^\s<>/!?:]+:)?(row|c)[\s/>]")

    def __init__(self):
        self.kept = b""
        self.in_row = 0

    def feed(self, chunk: bytes, *, last: bool = False) -> None:
        data = self.kept + chunk
        cut = len(data) if last else data.rfind(b"<")
        if cut <= 0:
            cut = len(data) if len(data) > 64 * 1024 else 0
        self.kept = data[cut:]
        for match in self.TAG.finditer(data, 0, cut):
            if match.group(1) == b"row":
                self.in_row = 0
                continue
            self.in_row += 1
            if self.in_row > EXCEL_MAX_COLUMN:
                raise WorkbookRefused(_("工作表中有一行的单元格超过 Excel 的列数上限，文件可能被篡改，已拒绝。"))


def read_table(uploaded, headers: list[str], *, max_rows: int):
    """Yield (row number as Excel shows it, [the values under `headers`, in that order]) for each
    row below the header row of the first visible worksheet that is not blank in those columns.

    Raises WorkbookRefused (at the first row asked for, or on the way) when the workbook has no
    visible worksheet, no header row with every column in its first rows, more than `max_rows`
    rows (the message gives the real count), or a part that cannot be read (the message names
    the row after the last one read)."""
    last_read = [0]  # the last row read whole: a malformed part is met just after it
    workbook = None
    try:
        workbook, chartsheets = _open_read_only(uploaded)
        sheet = _data_sheet(workbook, chartsheets)
        sheet.reset_dimensions()  # the declared used range may hide rows or columns: read what is there
        hidden_sheets = any(other.sheet_state != "visible" for other in workbook.worksheets)
        header_row, positions = _header(sheet, headers, hidden_sheets, last_read)
        count = 0
        rows = sheet.iter_rows(min_row=header_row + 1, max_col=max(positions) + 1, values_only=True)
        for row_number, row in enumerate(rows, start=header_row + 1):
            if row_number > EXCEL_MAX_ROW:
                raise WorkbookRefused(
                    _("工作表的行号超出 Excel 的范围，文件可能已损坏。请用 Excel 打开确认后重新保存。")
                )
            last_read[0] = row_number
            values = [row[position] if position < len(row) else None for position in positions]
            if all(value is None or str(value).strip() == "" for value in values):
                continue
            count += 1
            if count <= max_rows:  # past the limit, only count: the refusal says how many there are
                yield row_number, values
        if count > max_rows:
            raise WorkbookRefused(
                _("工作表“%(sheet)s”有 %(count)d 行数据，一次最多导入 %(max)d 行，请拆分后分批导入。")
                % {"sheet": sheet.title, "count": count, "max": max_rows}
            )
    except WorkbookRefused:
        raise
    except Exception:  # noqa: BLE001 — openpyxl fails on a malformed part in many ways; each is the file's fault
        logger.warning(
            "workbook %r refused: unreadable after row %d", getattr(uploaded, "name", ""), last_read[0], exc_info=True
        )
        if last_read[0]:
            raise WorkbookRefused(
                _("第 %(row)d 行附近的内容无法读取，文件可能已损坏。请用 Excel 打开确认后重新保存。")
                % {"row": last_read[0] + 1}
            ) from None
        raise WorkbookRefused(_("文件已损坏，无法读取。请用 Excel 打开确认后重新保存。")) from None
    finally:
        if workbook is not None:
            workbook.close()


def _open_read_only(uploaded):
    """(the workbook, read-only, formulas as written; the chartsheets' entries in workbook.xml).

    A sheet that workbook.xml lists but the file lacks is refused here: openpyxl would pass over it
    silently, and the next sheet would be imported in its place."""
    from openpyxl.reader.excel import ExcelReader

    class ImportReader(ExcelReader):
        # A chartsheet is never imported, so it is noted, not parsed (openpyxl fails on some).
        def read_chartsheet(self, sheet, rel):
            self.chartsheets.append(sheet)

    uploaded.seek(0)
    reader = ImportReader(uploaded, read_only=True, keep_vba=False, data_only=False, keep_links=False)
    reader.chartsheets = []
    reader.read()
    for sheet, rel in reader.parser.find_sheets():
        if rel.target not in reader.valid_files:
            reader.wb.close()
            raise WorkbookRefused(
                _("工作表“%(sheet)s”的内容缺失，文件可能已损坏。请用 Excel 打开确认后重新保存。")
                % {"sheet": sheet.name}
            )
    return reader.wb, reader.chartsheets


def _data_sheet(workbook, chartsheets):
    """The first visible worksheet: a hidden or very hidden one is never read."""
    visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    if visible:
        return visible[0]
    if any(sheet.state == "visible" for sheet in chartsheets):
        raise WorkbookRefused(_("工作簿中只有图表，没有可以导入的数据工作表。"))
    raise WorkbookRefused(_("工作簿中没有可见的工作表（隐藏的工作表不会导入）。请取消隐藏要导入的工作表后重新上传。"))


def _header(sheet, headers: list[str], hidden_sheets: bool, last_read: list[int]) -> tuple[int, list[int]]:
    """(the header row's number, each header's column index): the first of the top rows that has
    every header, so that a title row (say a merged 宁波市能力清单导入) may stand above it. Rows
    are read one at a time and no further than the header row."""
    best_cells: list[str] = []
    rows = sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, max_col=HEADER_SEARCH_COLUMNS, values_only=True)
    for number, row in enumerate(rows, start=1):
        last_read[0] = number
        cells = ["" if value is None else str(value).strip() for value in row]
        if all(header in cells for header in headers):
            rows.close()
            return number, [cells.index(header) for header in headers]
        if sum(header in cells for header in headers) > sum(header in best_cells for header in headers):
            best_cells = cells
    missing = "、".join(header for header in headers if header not in best_cells)
    message = _("表头缺少列：%(columns)s。请使用导入模板。") % {"columns": missing}
    if hidden_sheets:
        message += _("隐藏的工作表不会导入。")
    raise WorkbookRefused(message)
