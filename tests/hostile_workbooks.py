"""Hostile workbooks and Office files, built in code: openpyxl writes a sound file, then ZIP surgery
changes the parts a careless program or an attacker would change. Used by the tests of every
import (capability list, 高成长性科技企业 list) and of the upload checks."""

import io
import re
import zipfile

from openpyxl import Workbook

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def workbook_bytes(*sheets) -> bytes:
    """A workbook of (title, rows[, state]) sheets, in that order; state is visible, hidden or
    veryHidden (openpyxl refuses to save a workbook with no visible sheet: hide_all_sheets does it)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, *state in sheets:
        sheet = workbook.create_sheet(title)
        sheet.sheet_state = state[0] if state else "visible"
        for values in rows:
            sheet.append(list(values))
    visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    if visible:
        workbook.active = workbook.worksheets.index(visible[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_surgery(content: bytes, changes: dict, *, stored: bool = False) -> bytes:
    """The package with parts changed: a value of None removes the part, bytes replace (or add) it,
    a function turns the old bytes into the new. `stored` writes every part uncompressed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as target:
        for name in source.namelist():
            data = source.read(name)
            if name in changes:
                change = changes[name]
                if change is None:
                    continue
                data = change(data) if callable(change) else change
            target.writestr(name, data)
        for name, change in changes.items():
            if name not in source.namelist() and isinstance(change, bytes):
                target.writestr(name, change)
    return buffer.getvalue()


def replace_cell(reference: str, xml: bytes):
    """A part change: the cell at `reference` of the sheet becomes `xml`."""

    def change(sheet: bytes) -> bytes:
        changed, count = re.subn(rb'<c r="' + reference.encode() + rb'"[^>]*?(/>|>.*?</c>)', xml, sheet, count=1)
        assert count == 1, f"no cell {reference} in the sheet"
        return changed

    return change


def declare_dimension(reference: str):
    """A part change: the sheet declares `reference` as its used range."""

    def change(sheet: bytes) -> bytes:
        changed, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{reference}"/>'.encode(), sheet)
        assert count == 1
        return changed

    return change


def with_shared_strings(content: bytes, shared_strings: bytes, cell: str = "A2", index: int = 0) -> bytes:
    """The workbook with a shared-strings part, and `cell` of the first sheet a reference into it."""
    return zip_surgery(
        content,
        {
            "xl/sharedStrings.xml": shared_strings,
            "xl/_rels/workbook.xml.rels": lambda rels: rels.replace(
                b"</Relationships>",
                f'<Relationship Id="rIdStrings" Type="{SHARED_STRINGS_TYPE}" Target="sharedStrings.xml"/>'
                "</Relationships>".encode(),
            ),
            "[Content_Types].xml": lambda types: types.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            ),
            "xl/worksheets/sheet1.xml": replace_cell(cell, f'<c r="{cell}" t="s"><v>{index}</v></c>'.encode()),
        },
    )


def shared_strings(*texts: str) -> bytes:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return f'<sst xmlns="{MAIN}" count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'.encode()


def hide_all_sheets(content: bytes, state: str = "hidden") -> bytes:
    """Every sheet of workbook.xml hidden (Excel itself never saves such a file)."""

    def change(workbook: bytes) -> bytes:
        workbook = re.sub(rb' state="[^"]*"', b"", workbook)
        return re.sub(rb"<sheet ", f'<sheet state="{state}" '.encode(), workbook)

    return zip_surgery(content, {"xl/workbook.xml": change})


def chartsheet_workbook(*data_sheets, chart_state: str = "visible") -> bytes:
    """A chartsheet (with a bar chart) first, then the given data sheets."""
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook()
    source = workbook.active
    source.title = "数据"
    for values in [["月份", "数量"], ["一月", 3], ["二月", 5]]:
        source.append(values)
    chart = BarChart()
    chart.add_data(Reference(source, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    chartsheet = workbook.create_chartsheet("图表", 0)
    chartsheet.add_chart(chart)
    chartsheet.sheet_state = chart_state
    source.sheet_state = "hidden"
    for title, rows, *state in data_sheets:
        sheet = workbook.create_sheet(title)
        sheet.sheet_state = state[0] if state else "visible"
        for values in rows:
            sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_macros(content: bytes, *, part: str = "xl/vbaProject.bin", content_type: bool = True) -> bytes:
    """An OOXML package carrying a VBA project part (and, by default, declaring it and the
    macro-enabled main part in its content types, as Excel writes an .xlsm)."""
    changes = {part: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "_VBA_PROJECT".encode("utf-16-le")}
    if content_type:
        changes["[Content_Types].xml"] = lambda types: types.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    return zip_surgery(content, changes)


def macro_enabled_types_only(content: bytes) -> bytes:
    """The content types say macro-enabled, though no VBA part is present."""
    return zip_surgery(
        content,
        {
            "[Content_Types].xml": lambda types: types.replace(
                b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
            ).replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
        },
    )


def docx_bytes(text: str = "实施方案") -> bytes:
    """A minimal Word document: content types, the package relationship, the main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def docm_as_docx() -> bytes:
    """A Word document with a VBA project, saved under the .docx name."""
    return zip_surgery(
        docx_bytes(),
        {
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
            "[Content_Types].xml": lambda types: types.replace(
                b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
            ),
        },
    )


def ole_file(*, macros: bool) -> bytes:
    """The start of an old binary Office file (.doc/.xls): the OLE signature and a directory whose
    entry names (UTF-16) include the VBA project's when `macros`."""
    names = ["Root Entry", "WordDocument", "1Table"] + (["Macros", "VBA", "_VBA_PROJECT"] if macros else [])
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in names)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + directory
