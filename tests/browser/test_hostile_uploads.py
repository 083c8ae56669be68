"""A browser walk of hostile uploads: an association imports a workbook whose first sheet is hidden
(only the visible sheet, below its title row, is imported), then a workbook with no visible sheet,
one with macros and one with a malformed cell, each refused on the page in Chinese; a company
attaches a Word file with macros and a file named with nothing visible to its contest entry."""

import pytest
from django.urls import reverse
from openpyxl import Workbook

from capability_list.import_checker import HEADERS
from capability_list.models import CapabilityEntry
from contests.models import EntryAttachment
from tests.browser.conftest import login, screenshot
from tests.capability_list.test_import import row
from tests.contests.conftest import challenge, contest_operator, entrant, make_contest, move_to  # noqa: F401
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.hostile_workbooks import (
    docm_as_docx,
    hide_all_sheets,
    replace_cell,
    with_macros,
    workbook_bytes,
    zip_surgery,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _hidden_sheet_first(path) -> None:
    workbook = Workbook()
    hidden = workbook.active
    hidden.title = "内部名单"
    hidden.append(HEADERS)
    hidden.append(row(**{"技术（产品）名称": "隐藏表里的产品", "三首证书编号": "HID-1"}))
    hidden.sheet_state = "hidden"
    visible = workbook.create_sheet("能力清单")
    visible.append(["宁波市能力清单导入"])
    visible.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    visible.append(HEADERS)
    visible.append(row(**{"技术（产品）名称": "可见表里的产品", "三首证书编号": "VIS-1"}))
    workbook.active = 1
    workbook.save(path)


def _upload(page, path) -> None:
    page.goto("/capabilities/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()


def test_association_imports_only_the_visible_sheet_and_sees_hostile_workbooks_refused(page, tmp_path):
    association = UserFactory(
        username="ruanxie",
        organisation=OrganisationFactory(kind="association", name="宁波市软件行业协会"),
        roles=["association"],
    )
    login(page, association.username)

    path = tmp_path / "能力清单（含隐藏表）.xlsx"
    _hidden_sheet_first(path)
    _upload(page, path)
    page.wait_for_url("**/capabilities/import/*/")
    assert page.get_by_test_id("valid-rows").inner_text() == "1"
    assert page.get_by_test_id("error-rows").inner_text() == "0"
    screenshot(page, "hostile-upload-hidden-sheet-dry-run")
    page.get_by_test_id("confirm-import").click()
    assert page.get_by_test_id("batch-state").inner_text() == "已导入"
    assert list(CapabilityEntry.objects.values_list("name", flat=True)) == ["可见表里的产品"]

    good = workbook_bytes(("能力清单", [HEADERS, row(**{"技术（产品）名称": "另一个产品", "三首证书编号": "X-1"})]))
    refusals = [
        ("全部隐藏.xlsx", hide_all_sheets(good, "veryHidden"), "没有可见的工作表", "all-hidden"),
        ("带宏的清单.xlsx", with_macros(good), "含有宏", "macros"),
        (
            "坏单元格.xlsx",
            zip_surgery(good, {"xl/worksheets/sheet1.xml": replace_cell("R2", b'<c r="R2" t="n"><v>x</v></c>')}),
            "第 2 行附近的内容无法读取",
            "bad-cell",
        ),
    ]
    for name, content, message, picture in refusals:
        path = tmp_path / name
        path.write_bytes(content)
        _upload(page, path)
        page.wait_for_load_state()
        field = page.locator("form.stacked")
        assert message in field.inner_text(), (name, field.inner_text())
        assert page.url.endswith("/capabilities/import/")
        screenshot(page, f"hostile-upload-{picture}")
    assert list(CapabilityEntry.objects.values_list("name", flat=True)) == ["可见表里的产品"]


def test_company_attaching_a_macro_document_or_a_blank_name_is_told_why(page, tmp_path, challenge, entrant):  # noqa: F811
    from contests import services

    move_to(challenge.contest, "registration")
    entry = services.entry_create(actor=entrant, challenge=challenge, title="视频桩方案", summary="摘要")
    entrant.username = "yongshi"
    entrant.save()
    login(page, entrant.username)
    for name, content, message, picture in [
        ("实施方案.docx", docm_as_docx(), "含有宏", "company-macro-docx"),
        ("\u3164\u3164.pdf", b"%PDF-1.7 demo", "文件名为空或只有空白、不可见字符", "company-blank-name"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        page.goto(reverse("contests:entry-detail", args=[entry.pk]))
        page.get_by_label("附件", exact=True).set_input_files(str(path))
        page.get_by_role("button", name="上传", exact=True).click()
        page.wait_for_load_state()
        assert message in page.locator("main").inner_text()
        screenshot(page, f"hostile-upload-{picture}")
    assert not EntryAttachment.objects.exists()
