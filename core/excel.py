"""Excel helpers shared by every export: formula-safe cells and write-only workbooks."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

# Text starting with one of these would be taken as a formula (or DDE) by Excel.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F5FAA")


def safe_value(value):
    """A text that Excel would read as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def text_cell(sheet, value):
    """A write-only cell whose text is stored as a string, never as a formula."""
    cell = WriteOnlyCell(sheet, value=safe_value(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


class SheetWriter:
    """Rows into a write-only worksheet: a styled header, then formula-safe values."""

    def __init__(self, workbook: Workbook, title: str, headers: list[str], widths: list[int] | None = None):
        self.sheet = workbook.create_sheet(title=title[:31])
        for index, width in enumerate(widths or []):
            self.sheet.column_dimensions[_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            header_cells.append(cell)
        self.sheet.append(header_cells)

    def append(self, values) -> None:
        self.sheet.append([text_cell(self.sheet, value) for value in values])


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
