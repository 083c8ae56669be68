import io

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from capability_list.import_checker import HEADERS
from capability_list.models import CapabilityEntry, Enquiry
from tests.browser.conftest import login, logout, screenshot
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user, valid_credit_code
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_company_adds_an_entry_and_an_operator_lists_it(page):
    company = UserFactory(
        username="yongshi", organisation=OrganisationFactory(name="宁波甬视智能科技有限公司"), roles=["company"]
    )
    operator = operator_user(username="kejiju")
    login(page, company.username)
    page.goto("/capabilities/new/")
    page.get_by_label("技术（产品）名称").fill("高位视频车位检测终端")
    page.get_by_label("产品", exact=True).check()
    page.get_by_label("技术（产品）简介").fill("一台相机覆盖 6 个泊位，识别率 99%。")
    page.get_by_label("技术领域").fill("机器视觉、边缘计算")
    page.get_by_label("所属行业（国民经济行业分类大类）").select_option(label="C · 39 计算机、通信和其他电子设备制造业")
    page.get_by_label("战略性新兴产业领域").select_option(label="新一代信息技术产业")
    page.get_by_label("成熟度").select_option(label="规模化应用")
    page.locator("select[name='credentials-0-kind']").select_option(label="首台套")
    page.locator("input[name='credentials-0-certificate_number']").fill("NB-2024-0088")
    page.locator("select[name='credentials-0-level']").select_option(label="市级")
    page.locator("input[name='credentials-0-year']").fill("2024")
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_url("**/capabilities/*/")
    assert page.get_by_test_id("entry-status").inner_text() == "待审核"
    logout(page)

    login(page, operator.username)
    page.goto("/capabilities/review/")
    page.get_by_label("高位视频车位检测终端").check()
    page.get_by_test_id("review-submit").click()
    assert "已审核 1 个条目" in page.locator(".messages").inner_text()
    logout(page)

    page.goto("/capabilities/")
    page.get_by_label("三首认定").select_option(label="首台套")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/capabilities/?**")
    rows = page.get_by_test_id("entry-row")
    expect(rows).to_have_count(1)
    assert "高位视频车位检测终端" in rows.first.inner_text() and "首台套" in rows.first.inner_text()
    screenshot(page, "capability-list")


def _workbook(path):
    good = [
        "宁波甬安科技有限公司",
        valid_credit_code(9001),
        "鄞州区",
        "毫米波人体安检仪",
        "产品",
        "非接触式安检。",
        "",
        "毫米波成像",
        "40",
        "高端装备制造产业",
        "示范应用",
        "",
        "是",
        "否",
        "",
        "",
        "",
        "",
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(good)
    sheet.append(
        [
            *good[:3],
            "电子印章管理系统",
            "产品",
            "国密算法电子印章。",
            "",
            "电子签章",
            "65",
            "新一代信息技术产业",
            "规模化应用",
            "",
            "是",
            "是",
            "首版次",
            "RJ-1",
            "市级",
            2023,
        ]
    )
    sheet.append([*good[:1], "91330212MA2BAD", *good[2:3], "坏行一", *good[4:]])
    sheet.append([*good[:2], "火星区", "坏行二", *good[4:]])
    workbook.save(path)


def test_association_imports_a_workbook_sees_each_error_imports_the_good_rows_and_downloads_the_rejects(page, tmp_path):
    association = UserFactory(
        username="ruanxie",
        organisation=OrganisationFactory(kind="association", name="宁波市软件行业协会"),
        roles=["association"],
    )
    path = tmp_path / "能力清单导入.xlsx"
    _workbook(path)
    login(page, association.username)
    page.goto("/capabilities/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/capabilities/import/*/")
    assert (
        page.get_by_test_id("valid-rows").inner_text() == "2" and page.get_by_test_id("error-rows").inner_text() == "2"
    )
    errors = page.get_by_test_id("import-errors").inner_text()
    assert "统一社会信用代码应为 18 位" in errors and "未知区域“火星区”" in errors
    screenshot(page, "import-dry-run")
    page.get_by_test_id("confirm-import").click()
    assert page.get_by_test_id("batch-state").inner_text() == "已导入"
    assert sorted(CapabilityEntry.objects.values_list("name", flat=True)) == ["毫米波人体安检仪", "电子印章管理系统"]
    with page.expect_download() as download:
        page.get_by_test_id("download-rejects").click()
    rejects = list(
        load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert [row[4] for row in rejects[1:]] == ["坏行一", "坏行二"]


def test_company_asks_publisher_answers_company_rates(page):
    scenario = ScenarioFactory(status="published", title="智慧停车管理系统")
    publisher = scenario.created_by
    publisher.username = "gongjiao"
    publisher.save()
    company = UserFactory(username="yongshi", organisation=OrganisationFactory(), roles=["company"])
    login(page, company.username)
    page.goto(f"/scenarios/{scenario.pk}/")
    page.get_by_role("link", name="咨询发榜方").click()
    page.get_by_label("主题").fill("接口标准")
    page.get_by_label("问题").fill("车位数据接口采用什么标准？")
    page.get_by_role("button", name="发送咨询").click()
    page.wait_for_url("**/enquiries/*/")
    assert "答复期限" in page.locator("main").inner_text()
    enquiry_url = page.url
    logout(page)

    login(page, publisher.username)
    page.goto(enquiry_url)
    page.get_by_label("答复").fill("采用 GB/T 32842 标准，可提供接口样例。")
    page.get_by_role("button", name="提交答复").click()
    assert page.get_by_test_id("enquiry-status").inner_text() == "已答复"
    logout(page)

    login(page, company.username)
    page.goto(enquiry_url)
    page.get_by_label("★★★★★", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    assert "满意度：5/5" in page.get_by_test_id("rating").inner_text()
    assert Enquiry.objects.get().rating == 5
