"""The import template offers a drop-down on each coded column, and the checker's messages name the
allowed values (or the 代码表 sheet that lists them)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import District
from capability_list import services
from capability_list.import_checker import HEADERS, Lookups, check_row
from capability_list.models import CapabilityEntry, Industry, StrategicArea
from tests.capability_list.test_import import GOOD, row, workbook_file
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

INLINE = {
    "类型": ["技术", "产品", "解决方案"],
    "成熟度": ["样机/原型", "中试", "示范应用", "规模化应用"],
    "价格区间": ["10 万元以下", "10–50 万元", "50–200 万元", "200–1000 万元", "1000 万元以上"],
    "战略性新兴技术（产品）": ["是", "否"],
    "自主创新产品": ["是", "否"],
    "三首认定类型": ["首台套", "首批次", "首版次"],
    "三首认定级别": ["国家级", "省级", "市级"],
}


@pytest.fixture
def association_member():
    return UserFactory(
        organisation=OrganisationFactory(kind="association", name="宁波市软件行业协会"), roles=["association"]
    )


@pytest.fixture
def template(client, association_member):
    client.force_login(association_member)
    response = client.get(reverse("capability_list:import-template"))
    assert response.status_code == 200
    return response.content


def _validations(workbook) -> dict[str, object]:
    """{column header: its data validation} of the first sheet."""
    sheet = workbook.worksheets[0]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            found[sheet.cell(row=1, column=cells.min_col).value] = validation
    return found


def _column_letter(header: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(HEADERS.index(header) + 1)


def test_each_coded_column_has_a_drop_down_over_every_row_with_an_input_message(template):
    workbook = load_workbook(io.BytesIO(template))
    validations = _validations(workbook)
    coded = {"企业所在区域", "行业大类代码", "战略性新兴产业领域", *INLINE}
    assert coded <= set(validations)
    for header in coded:
        validation = validations[header]
        letter = _column_letter(header)
        assert validation.type == "list", header
        assert str(validation.sqref) == f"{letter}2:{letter}100001", header
        assert validation.showInputMessage and validation.prompt.startswith("请从下拉列表中选择"), header
        assert validation.showErrorMessage and validation.allow_blank, header
    for header, values in INLINE.items():
        assert validations[header].formula1 == '"' + ",".join(values) + '"', header
    districts = [district.name for district in District.objects.all()]
    assert validations["企业所在区域"].formula1 == '"' + ",".join(districts) + '"'
    areas = [area.name for area in StrategicArea.objects.order_by("code")]
    assert validations["战略性新兴产业领域"].formula1 == '"' + ",".join(areas) + '"'
    assert all(len(validation.formula1) <= 255 + 2 for validation in validations.values())  # Excel's inline limit
    assert validations["三首认定年度"].type == "whole" and validations["三首认定年度"].formula1 == "2000"


def test_the_industry_drop_down_refers_to_every_division_on_the_code_sheet(template):
    workbook = load_workbook(io.BytesIO(template))
    industry = _validations(workbook)["行业大类代码"]
    assert workbook.sheetnames == ["能力清单", "填写说明", "代码表"]
    divisions = [f"{industry.code} {industry.name}" for industry in Industry.objects.filter(section__isnull=False)]
    codes = workbook["代码表"]
    column = [cell.value for cell in codes[1]].index("行业大类代码") + 1
    letter = codes.cell(row=1, column=column).column_letter
    assert industry.formula1 == f"'代码表'!${letter}$2:${letter}${len(divisions) + 1}"
    listed = [codes.cell(row=number, column=column).value for number in range(2, len(divisions) + 2)]
    assert listed == divisions and "39 计算机、通信和其他电子设备制造业" in listed
    assert "代码表" in industry.prompt


def test_every_value_a_drop_down_offers_passes_the_checker(template):
    workbook = load_workbook(io.BytesIO(template))
    codes = workbook["代码表"]
    lookups = Lookups()
    for column in codes.iter_cols(values_only=True):
        header, *values = column
        for value in [value for value in values if value is not None]:
            check = check_row(2, row(**{header: value}), lookups)
            assert [error for error in check.errors if error[0] == header] == [], (header, value, check.errors)


@pytest.mark.parametrize(
    ("header", "value", "named"),
    [
        ("企业所在区域", "火星区", "可选值：海曙区、江北区、镇海区"),
        ("战略性新兴产业领域", "元宇宙产业", "可选值：新一代信息技术产业、高端装备制造产业"),
        ("价格区间", "很贵", "可选值：10 万元以下、10–50 万元、50–200 万元、200–1000 万元、1000 万元以上。"),
        ("行业大类代码", "99", "可选值见导入模板“代码表”工作表的“行业大类代码”列。"),
        ("行业大类代码", "39 汽车制造业", "可选值见导入模板“代码表”工作表的“行业大类代码”列。"),
    ],
)
def test_a_value_outside_the_list_is_reported_with_the_allowed_values(association_member, header, value, named):
    batch = services.import_upload(actor=association_member, uploaded=workbook_file([row(**{header: value})]))
    messages = [error["message"] for error in batch.errors if error["column"] == header]
    assert messages and named in messages[0], batch.errors


def test_the_filled_in_template_and_an_older_workbook_of_codes_both_import(template, association_member):
    uploaded = SimpleUploadedFile("能力清单模板.xlsx", template)
    batch = services.import_upload(actor=association_member, uploaded=uploaded)
    assert batch.error_rows == 0 and batch.valid_rows == 1  # the example row, 39 as the drop-down writes it
    rows = [
        GOOD,  # 39 as a code, the way older workbooks have it
        row(**{"技术（产品）名称": "数字代码产品", "三首证书编号": "OLD-1", "行业大类代码": 39}),
        row(
            **{"技术（产品）名称": "下拉选择产品", "三首证书编号": "NEW-1"},
            行业大类代码="39 计算机、通信和其他电子设备制造业",  # as the drop-down writes it
        ),
    ]
    batch = services.import_confirm(
        actor=association_member, batch=services.import_upload(actor=association_member, uploaded=workbook_file(rows))
    )
    assert batch.imported_count == 3
    assert set(CapabilityEntry.objects.values_list("industry__code", flat=True)) == {"39"}


def test_the_template_values_pass_whatever_the_interface_language(template):
    example = next(load_workbook(io.BytesIO(template)).worksheets[0].iter_rows(min_row=2, values_only=True))
    with translation.override("en"):
        check = check_row(2, list(example), Lookups())
    assert check.errors == []
