"""The 高成长性科技企业 list import reads workbooks as the capability import does (core.excel_reading):
a hidden sheet is never read, the header may sit below a title row, a malformed part, macros or too
many rows end in a Chinese refusal that stores nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from steering import services
from steering.models import HighGrowthImport
from steering.services import high_growth_import_check
from tests.factories.accounts import OrganisationFactory, operator_user
from tests.hostile_workbooks import declare_dimension, hide_all_sheets, with_macros, workbook_bytes, zip_surgery

pytestmark = pytest.mark.django_db

HEADERS = ["统一社会信用代码", "企业名称"]
SHEET = "xl/worksheets/sheet1.xml"


def check(content: bytes):
    return high_growth_import_check(actor=operator_user(), uploaded=SimpleUploadedFile("名单.xlsx", content))


@pytest.fixture
def companies(reference_data):
    return [OrganisationFactory(name=f"宁波高成长科技有限公司{n}") for n in range(3)]


def test_a_hidden_sheet_is_not_read_the_visible_one_is(companies):
    hidden, shown = companies[0], companies[1]
    content = workbook_bytes(
        ("全部企业", [HEADERS, [hidden.credit_code, hidden.name]], "veryHidden"),
        ("名单", [["高成长性科技企业名单（2026年第一批）"], HEADERS, [shown.credit_code, shown.name]]),
    )
    upload = check(content)
    assert [entry["name"] for entry in upload.diff["added"]] == [shown.name]
    assert upload.diff["errors"] == []


def test_a_workbook_of_hidden_sheets_is_refused(companies):
    content = hide_all_sheets(workbook_bytes(("名单", [HEADERS, [companies[0].credit_code, ""]])))
    with pytest.raises(DomainError, match="没有可见的工作表"):
        check(content)
    assert not HighGrowthImport.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda sheet: sheet.replace(b'r="A2"', b'r="2A"'), "第 2 行附近的内容无法读取"),
        (lambda sheet: re.sub(rb'(<row r="2".*?)</row>', rb"\1</rwo>", sheet, count=1), "第 2 行附近的内容无法读取"),
        (None, "内容缺失"),
    ],
    ids=["bad reference", "bad XML", "missing sheet part"],
)
def test_a_malformed_part_is_refused_in_chinese(companies, change, message):
    content = zip_surgery(workbook_bytes(("名单", [HEADERS, [companies[0].credit_code, ""]])), {SHEET: change})
    with pytest.raises(DomainError, match=message):
        check(content)
    assert not HighGrowthImport.objects.exists()


def test_macros_are_refused(companies):
    with pytest.raises(DomainError, match="含有宏"):
        check(with_macros(workbook_bytes(("名单", [HEADERS, [companies[0].credit_code, ""]]))))


def test_too_many_rows_are_refused_with_the_real_count_whatever_the_declared_range(companies, monkeypatch):
    monkeypatch.setattr(services.targets, "MAX_HIGH_GROWTH_ROWS", 2)
    rows = [HEADERS, *[[company.credit_code, company.name] for company in companies]]
    content = zip_surgery(workbook_bytes(("名单", rows)), {SHEET: declare_dimension("A1:B2")})
    with pytest.raises(DomainError, match="有 3 行数据，一次最多导入 2 行"):
        check(content)
