"""Excel import: the dry run reports every bad cell, the good rows go in at once, nothing half-done."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Organisation
from capability_list import services
from capability_list.import_checker import HEADERS
from capability_list.models import CapabilityEntry, Credential, ImportBatch
from core.errors import DomainError
from tests.factories.accounts import OrganisationFactory, UserFactory, valid_credit_code
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db

GOOD = [
    "宁波甬安科技有限公司",
    valid_credit_code(9001),
    "鄞州区",
    "高位视频车位检测终端",
    "产品",
    "一台相机覆盖 6 个泊位。",
    "",
    "机器视觉、边缘计算",
    "39",
    "新一代信息技术产业",
    "规模化应用",
    "10–50 万元",
    "是",
    "否",
    "首台套",
    "NB-2024-0001",
    "市级",
    2024,
]


def row(**changes):
    values = list(GOOD)
    for header, value in changes.items():
        values[HEADERS.index(header)] = value
    return values


def workbook_file(rows, name="能力清单.xlsx", headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def association_member():
    return UserFactory(
        organisation=OrganisationFactory(kind="association", name="宁波市软件行业协会"), roles=["association"]
    )


# Each bad row, and a piece of the message the user sees for it.
BAD_ROWS = [
    (row(企业名称=""), "企业名称", "必填"),
    (row(统一社会信用代码=""), "统一社会信用代码", "必填"),
    (row(统一社会信用代码="91330212MA2AB"), "统一社会信用代码", "应为 18 位"),
    (row(统一社会信用代码=GOOD[1][:-1] + ("0" if GOOD[1][-1] != "0" else "1")), "统一社会信用代码", "校验位不正确"),
    (row(统一社会信用代码=GOOD[1].lower()), "统一社会信用代码", "大写"),
    (row(统一社会信用代码=GOOD[1][:9] + " " + GOOD[1][10:]), "统一社会信用代码", "空格"),
    (row(企业所在区域="火星区"), "企业所在区域", "未知区域"),
    (row(**{"技术（产品）名称": ""}), "技术（产品）名称", "必填"),
    (row(**{"技术（产品）名称": "长" * 101}), "技术（产品）名称", "超过 100 个字"),
    (row(类型="服务"), "类型", "技术、产品或解决方案"),
    (row(**{"技术（产品）简介": ""}), "技术（产品）简介", "必填"),
    (row(**{"技术（产品）简介": "长" * 3001}), "技术（产品）简介", "超过 3000 个字"),
    (row(技术领域="、".join(f"词{n}" for n in range(11))), "技术领域", "最多 10 个"),
    (row(技术领域="机器视觉、" + "长" * 21), "技术领域", "不能超过 20 个字"),
    (row(行业大类代码=""), "行业大类代码", "必填"),
    (row(行业大类代码="99"), "行业大类代码", "未知行业代码"),
    (row(行业大类代码="C"), "行业大类代码", "是门类"),
    (row(战略性新兴产业领域="元宇宙产业"), "战略性新兴产业领域", "未知领域"),
    (row(成熟度="概念"), "成熟度", "规模化应用"),
    (row(价格区间="很贵"), "价格区间", "未知价格区间"),
    (row(**{"战略性新兴技术（产品）": "也许"}), "战略性新兴技术（产品）", "应填“是”或“否”"),
    (row(三首认定类型="首发"), "三首认定类型", "首台套、首批次或首版次"),
    (row(三首认定类型=""), "三首认定类型", "缺少认定类型"),
    (row(三首证书编号=""), "三首证书编号", "缺少证书编号"),
    (row(三首认定级别="县级"), "三首认定级别", "国家级、省级或市级"),
    (row(三首认定年度="二〇二四"), "三首认定年度", "四位数字"),
    (row(三首认定年度="²⁰²⁴"), "三首认定年度", "四位数字"),  # str.isdigit() says yes, int() refuses
    (row(三首认定年度=2099), "三首认定年度", "年度应在"),
    (row(三首认定年度=1990), "三首认定年度", "年度应在"),
    (row(**{"技术（产品）简介": '=HYPERLINK("http://x")'}), "技术（产品）简介", "公式符号"),
]


def test_dry_run_reports_every_kind_of_bad_row_and_imports_none_of_them(association_member):
    good_rows = [row(**{"技术（产品）名称": f"好产品{n}", "三首证书编号": f"OK-{n}"}) for n in range(3)]
    bad = [values for values, _column, _message in BAD_ROWS]
    batch = services.import_upload(actor=association_member, uploaded=workbook_file(good_rows + bad))
    assert batch.state == "checked" and batch.total_rows == 3 + len(BAD_ROWS)
    assert batch.valid_rows == 3 and batch.error_rows == len(BAD_ROWS)
    for index, (_values, column, message) in enumerate(BAD_ROWS):
        sheet_row = 2 + len(good_rows) + index
        found = [error for error in batch.errors if error["row"] == sheet_row and error["column"] == column]
        assert found and any(message in error["message"] for error in found), (sheet_row, column, message, batch.errors)
    assert not CapabilityEntry.objects.exists()  # a dry run writes nothing

    batch = services.import_confirm(actor=association_member, batch=batch)
    assert batch.state == "imported" and batch.imported_count == 3
    assert sorted(CapabilityEntry.objects.values_list("name", flat=True)) == ["好产品0", "好产品1", "好产品2"]
    entry = CapabilityEntry.objects.get(name="好产品0")
    assert entry.status == "submitted" and entry.submitted_via == association_member.organisation
    assert entry.credentials.get().certificate_number == "OK-0"
    rejects = list(load_workbook(batch.rejects_file.open("rb"), read_only=True).active.iter_rows(values_only=True))
    assert len(rejects) == 1 + len(BAD_ROWS) and rejects[0][-1] == "错误原因"


def test_rules_across_rows_and_against_the_list(association_member):
    other = OrganisationFactory(name="宁波已有企业有限公司")
    EntryFactory(
        name="已登记产品", company=OrganisationFactory(name="宁波证书企业", credit_code=valid_credit_code(9100))
    )
    Credential.objects.create(
        entry=CapabilityEntry.objects.get(), kind="first_set", certificate_number="TAKEN-1", level="national", year=2023
    )
    government = OrganisationFactory(kind="government", name="宁波市某局")
    rows = [
        row(**{"技术（产品）名称": "重复产品", "三首证书编号": "D-1"}),
        row(**{"技术（产品）名称": "重复产品", "三首证书编号": "D-2"}),
        row(**{"技术（产品）名称": "证书重复甲", "三首证书编号": "SAME"}),
        row(**{"技术（产品）名称": "证书重复乙", "三首证书编号": "SAME"}),
        row(**{"技术（产品）名称": "证书被占用", "三首证书编号": "TAKEN-1"}),
        row(
            统一社会信用代码=other.credit_code,
            企业名称="宁波冒名有限公司",
            **{"三首认定类型": "", "三首证书编号": "", "三首认定级别": "", "三首认定年度": ""},
        ),
        row(
            统一社会信用代码=government.credit_code,
            企业名称=government.name,
            **{"三首认定类型": "", "三首证书编号": "", "三首认定级别": "", "三首认定年度": ""},
        ),
    ]
    batch = services.import_upload(actor=association_member, uploaded=workbook_file(rows))
    messages = {(error["row"], error["message"]) for error in batch.errors}
    assert any(row_number == 3 and "与第 2 行重复" in message for row_number, message in messages)
    assert any(row_number == 5 and "证书编号与第 4 行重复" in message for row_number, message in messages)
    assert any(row_number == 6 and "已被其他条目登记" in message for row_number, message in messages)
    assert any(row_number == 7 and "名称不一致" in message for row_number, message in messages)
    assert any(row_number == 8 and "非企业机构" in message for row_number, message in messages)
    assert batch.valid_rows == 2  # the first of the duplicates and 证书重复甲


def test_reimporting_the_same_file_creates_no_duplicates(association_member):
    def upload():
        return workbook_file([row(**{"技术（产品）名称": f"产品{n}", "三首证书编号": f"R-{n}"}) for n in range(5)])

    first = services.import_confirm(
        actor=association_member, batch=services.import_upload(actor=association_member, uploaded=upload())
    )
    assert first.imported_count == 5
    again = services.import_upload(actor=association_member, uploaded=upload())
    assert again.valid_rows == 0 and again.existing_rows == 5 and again.error_rows == 0
    with pytest.raises(DomainError):  # nothing changes, and confirming twice is refused
        services.import_confirm(
            actor=association_member, batch=services.import_confirm(actor=association_member, batch=again)
        )
    assert (
        CapabilityEntry.objects.count() == 5 and Organisation.objects.filter(name="宁波甬安科技有限公司").count() == 1
    )


def test_operator_imports_straight_into_the_list(operator):
    batch = services.import_confirm(
        actor=operator, batch=services.import_upload(actor=operator, uploaded=workbook_file([row()]))
    )
    assert batch.imported_count == 1 and CapabilityEntry.objects.get().status == "listed"


def test_a_failure_part_way_leaves_nothing_written(association_member, monkeypatch):
    batch = services.import_upload(
        actor=association_member,
        uploaded=workbook_file([row(**{"技术（产品）名称": f"产品{n}", "三首证书编号": f"F-{n}"}) for n in range(20)]),
    )
    original = Credential.objects.bulk_create

    def fail_after_entries(*args, **kwargs):  # entries and companies are written by now
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(Credential.objects, "bulk_create", fail_after_entries)
    with pytest.raises(RuntimeError):
        services.import_confirm(actor=association_member, batch=batch)
    monkeypatch.setattr(Credential.objects, "bulk_create", original)
    assert (
        not CapabilityEntry.objects.exists() and not Organisation.objects.filter(name="宁波甬安科技有限公司").exists()
    )
    batch.refresh_from_db()
    assert batch.state == "failed" and "未写入任何数据" in batch.failure


def _zip(parts: dict[str, bytes], name="文件.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return SimpleUploadedFile(name, buffer.getvalue())


MINIMAL = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda: SimpleUploadedFile("清单.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512), "文件已加密"),
        (lambda: SimpleUploadedFile("清单.csv", "企业名称,信用代码\n".encode()), "请上传 Excel 工作簿"),
        (lambda: SimpleUploadedFile("清单.xlsx", b"PK\x03\x04 truncated garbage"), "文件已损坏"),
        (lambda: SimpleUploadedFile("清单.xlsx", b"PK\x03\x04" + b"\x00" * (11 * 1024 * 1024)), "超过 10 MB"),
        (lambda: _zip({**MINIMAL, "xl/worksheets/sheet1.xml": b"\x00" * (300 * 1024 * 1024)}), "压缩炸弹"),
        (
            lambda: _zip(
                {
                    **MINIMAL,
                    "xl/sharedStrings.xml": (
                        b'<?xml version="1.0"?>'
                        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><sst>&lol2;</sst>'
                    ),
                }
            ),
            "XML 实体",
        ),
        (lambda: _zip({"hello.txt": b"not a workbook"}), "不是有效的 Excel 工作簿"),
        (lambda: workbook_file([GOOD], headers=["名称", "代码"]), "表头缺少列"),
    ],
)
def test_unusable_files_get_a_clear_message_and_change_nothing(association_member, make_file, message):
    with pytest.raises(DomainError, match=message):
        batch = services.import_upload(actor=association_member, uploaded=make_file())
        if batch.state == "failed":
            raise DomainError(batch.failure)
    assert not CapabilityEntry.objects.exists()


def test_companies_and_publishers_cannot_import(company_member):
    with pytest.raises(Exception, match="只有行业协会和运营管理人员"):
        services.import_upload(actor=company_member, uploaded=workbook_file([GOOD]))
    assert not ImportBatch.objects.exists()


def test_import_pages(client, association_member):
    client.force_login(association_member)
    template = client.get(reverse("capability_list:import-template"))
    assert list(load_workbook(io.BytesIO(template.content), read_only=True).active.iter_rows(values_only=True))[
        0
    ] == tuple(HEADERS)
    response = client.post(
        reverse("capability_list:import"), {"file": workbook_file([GOOD, row(企业所在区域="火星区")])}
    )
    batch = ImportBatch.objects.get()
    assert response.url == reverse("capability_list:import-detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "未知区域“火星区”" in page
    client.post(response.url)
    assert CapabilityEntry.objects.count() == 1
    rejects = client.get(reverse("capability_list:import-rejects", args=[batch.pk]))
    assert rejects.status_code == 200
    client.force_login(UserFactory(organisation=association_member.organisation, roles=["association"]))
    assert client.get(reverse("capability_list:import-detail", args=[batch.pk])).status_code == 404


def test_large_files_are_checked_and_imported_by_jobs(
    association_member, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services.imports, "SYNC_CHECK_BYTES", 0)
    monkeypatch.setattr(services.imports, "SYNC_IMPORT_ROWS", 0)
    rows = [row(**{"技术（产品）名称": f"产品{n}", "三首证书编号": f"J-{n}"}) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_upload(actor=association_member, uploaded=workbook_file(rows))
    batch.refresh_from_db()
    assert batch.job.state == "succeeded" and batch.state == "checked" and batch.valid_rows == 3
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_confirm(actor=association_member, batch=batch)
    batch.refresh_from_db()
    assert batch.job.kind == "capability_list.import_apply" and batch.job.state == "succeeded"
    assert batch.state == "imported" and CapabilityEntry.objects.count() == 3
