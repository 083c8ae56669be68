"""The Excel import survives any workbook: only visible sheets are read, the header may sit below a
title row, the declared used range is not trusted, and every malformed part, macro or bomb ends in
a Chinese refusal that writes nothing — never a 500, never a batch left 检查中 or 导入中."""

import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from capability_list import import_checker, services
from capability_list.import_checker import HEADERS
from capability_list.models import CapabilityEntry, ImportBatch
from core.errors import DomainError
from tests.capability_list.test_import import GOOD, row
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.hostile_workbooks import (
    chartsheet_workbook,
    declare_dimension,
    hide_all_sheets,
    macro_enabled_types_only,
    replace_cell,
    shared_strings,
    with_macros,
    with_shared_strings,
    workbook_bytes,
    zip_surgery,
)

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


def named(n: int) -> list:
    return row(**{"技术（产品）名称": f"产品{n}", "三首证书编号": f"H-{n}"})


def upload(content: bytes, name: str = "能力清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def member():
    return UserFactory(
        organisation=OrganisationFactory(kind="association", name="宁波市软件行业协会"), roles=["association"]
    )


def imported_names() -> list[str]:
    return sorted(CapabilityEntry.objects.values_list("name", flat=True))


def import_all(member, content: bytes) -> ImportBatch:
    batch = services.import_upload(actor=member, uploaded=upload(content))
    return services.import_confirm(actor=member, batch=batch)


# --- visible sheets only -------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_never_imported(member, state):
    content = workbook_bytes(
        ("隐藏的数据", [HEADERS, named(1), named(2)], state),
        ("能力清单", [HEADERS, named(3)]),
    )
    batch = import_all(member, content)
    assert batch.state == "imported" and batch.total_rows == 1
    assert imported_names() == ["产品3"]


def test_a_hidden_sheet_before_a_sheet_without_header_is_refused_and_says_hidden_sheets_are_not_read(member):
    content = workbook_bytes(("隐藏的数据", [HEADERS, named(1)], "hidden"), ("说明", [["请填写第一张表"]]))
    with pytest.raises(DomainError, match="表头缺少列.*隐藏的工作表不会导入"):
        services.import_upload(actor=member, uploaded=upload(content))
    assert not CapabilityEntry.objects.exists()


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_workbook_without_a_visible_sheet_is_refused(member, state):
    content = hide_all_sheets(workbook_bytes(("能力清单", [HEADERS, named(1)])), state)
    with pytest.raises(DomainError, match="没有可见的工作表"):
        services.import_upload(actor=member, uploaded=upload(content))
    assert not CapabilityEntry.objects.exists()
    assert ImportBatch.objects.get().state == "failed"


def test_a_chartsheet_is_passed_over_and_the_data_sheet_after_it_imported(member):
    batch = import_all(member, chartsheet_workbook(("能力清单", [HEADERS, named(1)])))
    assert batch.state == "imported" and imported_names() == ["产品1"]


def test_a_workbook_of_charts_only_is_refused(member):
    with pytest.raises(DomainError, match="只有图表"):
        services.import_upload(actor=member, uploaded=upload(chartsheet_workbook()))


# --- the header, the rows, the size --------------------------------------------------------------


@pytest.mark.parametrize("blank_rows", [0, 1])
def test_the_header_row_is_found_below_a_merged_title_row(member, blank_rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["宁波市能力清单导入"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    for _blank in range(blank_rows):
        sheet.append([])
    sheet.append(HEADERS)
    sheet.append(named(1))
    sheet.append(row(企业所在区域="火星区"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = services.import_upload(actor=member, uploaded=upload(buffer.getvalue()))
    header_row = 2 + blank_rows
    assert batch.state == "checked" and batch.total_rows == 2 and batch.valid_rows == 1
    # Row numbers are those Excel shows, under the title.
    assert [error["row"] for error in batch.errors] == [header_row + 2]


def test_a_declared_used_range_smaller_than_the_data_is_not_trusted(member):
    content = zip_surgery(
        workbook_bytes(("能力清单", [HEADERS, *[named(n) for n in range(5)]])), {SHEET: declare_dimension("A1:B2")}
    )
    batch = services.import_upload(actor=member, uploaded=upload(content))
    assert batch.state == "checked" and batch.total_rows == 5 and batch.valid_rows == 5


def test_a_declared_used_range_of_the_whole_sheet_costs_nothing(member):
    content = zip_surgery(
        workbook_bytes(("能力清单", [HEADERS, named(1)])), {SHEET: declare_dimension("A1:XFD1048576")}
    )
    batch = services.import_upload(actor=member, uploaded=upload(content))
    assert batch.state == "checked" and batch.total_rows == 1


def test_a_refusal_for_size_says_the_real_number_of_rows(member, monkeypatch):
    monkeypatch.setattr(import_checker, "MAX_ROWS", 5)
    rows = [HEADERS, *[named(n) for n in range(4)], [], [], *[named(n) for n in range(4, 8)]]
    content = zip_surgery(workbook_bytes(("能力清单", rows)), {SHEET: declare_dimension("A1:R3")})
    with pytest.raises(DomainError, match="有 8 行数据，一次最多导入 5 行"):
        services.import_upload(actor=member, uploaded=upload(content))
    assert not CapabilityEntry.objects.exists()


def test_rows_are_counted_not_row_numbers(member, monkeypatch):
    """Three rows, the last numbered 5000: within a limit of five rows."""
    monkeypatch.setattr(import_checker, "MAX_ROWS", 5)
    content = zip_surgery(
        workbook_bytes(("能力清单", [HEADERS, named(1), named(2), named(3)])),
        {SHEET: lambda sheet: re.sub(rb'r="([A-Z]*)4"', rb'r="\g<1>5000"', sheet)},
    )
    batch = services.import_upload(actor=member, uploaded=upload(content))
    assert batch.state == "checked" and batch.total_rows == 3 and batch.valid_rows == 3


def test_a_row_number_beyond_excel_is_refused_at_once(member):
    content = zip_surgery(
        workbook_bytes(("能力清单", [HEADERS, named(1), named(2)])),
        {SHEET: lambda sheet: sheet.replace(b'<row r="3"', b'<row r="2000000000"')},
    )
    with pytest.raises(DomainError, match="行号超出 Excel 的范围"):
        services.import_upload(actor=member, uploaded=upload(content))


# --- malformed parts -------------------------------------------------------------------------------

GOOD_BOOK = workbook_bytes(("能力清单", [HEADERS, named(1), named(2)]))

MALFORMED = {
    "bad XML in a cell (a number that is not)": (
        zip_surgery(GOOD_BOOK, {SHEET: replace_cell("R2", '<c r="R2" t="n"><v>二〇二四</v></c>'.encode())}),
        "第 2 行附近的内容无法读取",
    ),
    "a cell pointing past the shared strings": (
        zip_surgery(GOOD_BOOK, {SHEET: replace_cell("B3", b'<c r="B3" t="s"><v>99</v></c>')}),
        "第 3 行附近的内容无法读取",
    ),
    "bad XML in the shared strings": (
        with_shared_strings(GOOD_BOOK, shared_strings("宁波甬安科技有限公司")[:-12]),
        "文件已损坏",
    ),
    "a shared string index that is not a number": (
        with_shared_strings(GOOD_BOOK, shared_strings("宁波甬安科技有限公司"), index="x"),
        "第 2 行附近的内容无法读取",
    ),
    "bad XML in the sheet": (
        zip_surgery(GOOD_BOOK, {SHEET: lambda sheet: re.sub(rb'(<row r="2".*?)</row>', rb"\1</rwo>", sheet, count=1)}),
        "第 2 行附近的内容无法读取",
    ),
    "a sheet cut short": (zip_surgery(GOOD_BOOK, {SHEET: lambda sheet: sheet[: len(sheet) * 2 // 3]}), "行附近"),
    "a bad cell reference": (
        zip_surgery(GOOD_BOOK, {SHEET: lambda sheet: sheet.replace(b'r="C3"', b'r="3C"')}),
        "第 3 行附近的内容无法读取",
    ),
    "a cell reference past Excel's last column": (
        zip_surgery(GOOD_BOOK, {SHEET: lambda sheet: sheet.replace(b'r="C3"', b'r="ZZZZ3"')}),
        "第 3 行附近的内容无法读取",
    ),
    "the sheet part missing": (zip_surgery(GOOD_BOOK, {SHEET: None}), "工作表“能力清单”的内容缺失"),
    "the workbook's relationships missing": (
        zip_surgery(GOOD_BOOK, {"xl/_rels/workbook.xml.rels": None}),
        "文件已损坏",
    ),
    "bad XML in the workbook part": (
        zip_surgery(GOOD_BOOK, {"xl/workbook.xml": lambda xml: xml[:-20]}),
        "文件已损坏",
    ),
    "bad XML in the styles": (zip_surgery(GOOD_BOOK, {"xl/styles.xml": b"<styleSheet"}), "文件已损坏"),
    "an unknown sheet state": (
        zip_surgery(GOOD_BOOK, {"xl/workbook.xml": lambda xml: xml.replace(b'state="visible"', b'state="gone"')}),
        "文件已损坏",
    ),
    "a ZIP that is not a workbook": (zip_surgery(GOOD_BOOK, {"xl/workbook.xml": None}), "不是有效的 Excel 工作簿"),
    "a sheet part in UTF-16": (
        zip_surgery(GOOD_BOOK, {SHEET: lambda sheet: sheet.decode().encode("utf-16")}),
        "不支持的编码",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_part_is_refused_in_chinese_and_writes_nothing(member, case):
    content, message = MALFORMED[case]
    with pytest.raises(DomainError, match=message):
        services.import_upload(actor=member, uploaded=upload(content))
    assert not CapabilityEntry.objects.exists()
    assert all(
        batch.state == "failed" and message.split("“")[0] in batch.failure for batch in ImportBatch.objects.all()
    )


@pytest.mark.parametrize("case", ["bad XML in the sheet", "a bad cell reference", "the sheet part missing"])
def test_a_malformed_part_found_by_the_job_fails_the_batch_with_its_reason(
    member, case, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services.imports, "SYNC_CHECK_BYTES", 0)
    content, message = MALFORMED[case]
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_upload(actor=member, uploaded=upload(content))
    batch.refresh_from_db()
    assert batch.state == "failed" and message.split("“")[0] in batch.failure
    assert batch.job.state == "failed" and batch.job.error == batch.failure


def test_an_unexpected_error_in_the_job_fails_the_batch_too(member, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services.imports, "SYNC_CHECK_BYTES", 0)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services.imports, "check_rows", broken)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_upload(actor=member, uploaded=upload(GOOD_BOOK))
    batch.refresh_from_db()
    assert batch.state == "failed" and "检查文件时出错" in batch.failure and "bug" not in batch.failure
    assert batch.job.state == "failed"


def test_a_stored_file_unreadable_at_confirmation_fails_the_batch_instead_of_leaving_it_importing(member):
    batch = services.import_upload(actor=member, uploaded=upload(GOOD_BOOK))
    assert batch.state == "checked"
    batch.file.save("import.xlsx", ContentFile(MALFORMED["bad XML in the sheet"][0]))
    with pytest.raises(DomainError, match="无法读取"):
        services.import_confirm(actor=member, batch=batch)
    batch.refresh_from_db()
    assert batch.state == "failed" and "无法读取" in batch.failure
    assert not CapabilityEntry.objects.exists()


# --- macros and bombs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        with_macros(GOOD_BOOK),
        with_macros(GOOD_BOOK, content_type=False),
        with_macros(GOOD_BOOK, part="xl/media/vbaProject.bin", content_type=False),
        macro_enabled_types_only(GOOD_BOOK),
    ],
    ids=["xlsm saved as xlsx", "a VBA part alone", "a VBA part under another folder", "macro-enabled content type"],
)
def test_a_workbook_with_macros_is_refused_before_it_is_stored(member, content):
    with pytest.raises(DomainError, match="含有宏"):
        services.import_upload(actor=member, uploaded=upload(content))
    assert not ImportBatch.objects.exists()


def test_a_row_of_a_million_cells_is_refused_before_it_is_read(member):
    """53 KB on the wire, 20 MB inflated: read, one row would take about 700 MB and half a minute."""
    cells = b'<c r="B3"><v>1</v></c>' * 950_000
    content = zip_surgery(
        GOOD_BOOK, {SHEET: lambda sheet: sheet.replace(b"</sheetData>", b'<row r="4">' + cells + b"</row></sheetData>")}
    )
    assert len(content) < 100_000
    with pytest.raises(DomainError, match="压缩炸弹"):
        services.import_upload(actor=member, uploaded=upload(content))
    assert not ImportBatch.objects.exists()


def test_a_wide_row_that_compresses_poorly_is_refused_too(member):
    import random

    generator = random.Random(18)
    cells = b"".join(b'<c r="B4"><v>%d</v></c>' % generator.randrange(10**9) for _ in range(20_000))
    content = zip_surgery(
        GOOD_BOOK, {SHEET: lambda sheet: sheet.replace(b"</sheetData>", b'<row r="4">' + cells + b"</row></sheetData>")}
    )
    with pytest.raises(DomainError, match="单元格超过 Excel 的列数上限"):
        services.import_upload(actor=member, uploaded=upload(content))


def test_millions_of_stray_elements_are_refused(member):
    content = zip_surgery(
        GOOD_BOOK, {SHEET: lambda sheet: sheet.replace(b"</sheetData>", b"</sheetData>" + b"<x/>" * 5_000_000)}
    )
    with pytest.raises(DomainError, match="压缩炸弹"):
        services.import_upload(actor=member, uploaded=upload(content))


def test_a_small_upload_that_inflates_to_a_large_sheet_is_checked_by_a_job_not_in_the_request(
    member, django_capture_on_commit_callbacks
):
    """The inflated size decides, not the upload's: reading costs about a second per inflated MB."""
    long = "一台相机覆盖 6 个泊位，识别率 99%。" * 120  # 2,400 characters: compresses well
    content = workbook_bytes(
        (
            "能力清单",
            [HEADERS, *[row(**{"技术（产品）名称": f"产品{n}", "技术（产品）简介": long}) for n in range(1_500)]],
        )
    )
    inflated = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert len(content) < 512 * 1024 and inflated > services.imports.SYNC_CHECK_BYTES
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.import_upload(actor=member, uploaded=upload(content))
    assert batch.job is not None and batch.job.kind == "capability_list.import_check" and batch.state == "checking"


# --- the page ------------------------------------------------------------------------------------


def test_the_import_page_shows_each_refusal_on_the_file_field(client, member):
    client.force_login(member)
    for content, message in [
        (with_macros(GOOD_BOOK), "含有宏"),
        (hide_all_sheets(GOOD_BOOK), "没有可见的工作表"),
        (MALFORMED["a bad cell reference"][0], "第 3 行附近的内容无法读取"),
    ]:
        response = client.post(reverse("capability_list:import"), {"file": upload(content)}, follow=True)
        assert response.status_code == 200 and message in response.content.decode()
    assert not CapabilityEntry.objects.exists()


def test_the_good_row_in_a_template_shaped_workbook_still_imports(member):
    batch = import_all(member, workbook_bytes(("能力清单", [HEADERS, GOOD])))
    assert batch.imported_count == 1
