"""Issue 15's acceptance journey, every step by clicking from the role's home page or menu: a
department reporter files the month's progress report → the operator returns it with a reason → it
is refiled and accepted; a city leader opens the 驾驶舱, filters it by a district, drills from a
chart to its list, and downloads the monthly 调度 report."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.choices import OrganisationKind
from accounts.models import District
from scenarios.choices import ScenarioStatus
from steering import services
from steering.choices import ReportStatus
from steering.models import ProgrammeUnit, UnitReport
from tests.browser.conftest import login, logout, screenshot
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

NARRATIVE = (
    "市国资委召开市属国企场景开放工作推进会，轨道交通、城建投资、舟山港等8家市属企业报送在建及拟建项目中"
    "对新技术、新产品的应用需求，初步梳理出轨道安检、综合管廊运维、港口智能理货等场景线索41条。"
)
RETURN_REASON = "本月场景线索数量与附件清单不一致（正文41条，附件38条），请核实后重新报送。"
REFILED = "经逐项核对，场景线索为38条（正文原数字有误，已更正），其中轨道交通集团12条、城建投资9条、舟山港8条。"


@pytest.fixture
def programme():
    """市国资委 on the portal with one department reporter; this month's cycle open; last month's
    closed (its report frozen); published scenarios in two districts for the 驾驶舱."""
    operator = operator_user(username="kjj_operator", display_name="徐海燕")
    sasac = OrganisationFactory(kind=OrganisationKind.GOVERNMENT, name="宁波市人民政府国有资产监督管理委员会")
    reporter = UserFactory(username="gzw_reporter", display_name="张卫东", organisation=sasac, roles=["official"])
    UserFactory(username="city_leader", display_name="赵明远", organisation=None, roles=["official"])
    services.unit_link(actor=operator, unit=ProgrammeUnit.objects.get(short_name="市国资委"), organisation=sasac)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    closed, _created = services.cycle_open_monthly(today=last_month)
    services.cycle_close(actor=operator, cycle=closed)
    services.cycle_open_monthly(today=today)
    now = timezone.now()
    for title, district in [
        ("轨道交通隧道结构健康监测与预警", "yinzhou"),
        ("港区桥梁结构智能感知与养护决策", "beilun"),
        ("地铁站台客流视频分析与疏导", "yinzhou"),
    ]:
        ScenarioFactory(
            title=title,
            district=District.objects.get(code=district),
            status=ScenarioStatus.PUBLISHED,
            published_at=now,
        )
    return {"operator": operator, "reporter": reporter, "last_month": last_month}


def _report_of_task_one():
    return UnitReport.objects.get(cycle__status="open", task__code=1, unit__short_name="市国资委")


def test_a_report_is_filed_returned_refiled_accepted_and_the_leader_steers_from_the_cockpit(page, programme):
    # 1. The department reporter files task 一's progress from 我的报送.
    login(page, "gzw_reporter")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的报送").click()
    page.get_by_test_id("my-reports").get_by_role("link", name="任务一").first.click()
    page.get_by_label("工作进展").fill(NARRATIVE)
    page.get_by_label("完成百分比").fill("58")
    page.get_by_label("存在问题").fill("部分企业对考核加分口径仍有疑问。")
    page.get_by_label("下一步计划").fill("印发考核加分口径说明，组织第二批场景专家论证会。")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("已提交").first.wait_for()
    screenshot(page, "steering-1-report-filed")
    assert _report_of_task_one().status == ReportStatus.SUBMITTED
    logout(page)

    # 2. The operator finds it in the review queue (驾驶舱 → 定期调度 → 待审核报送) and returns it.
    login(page, "kjj_operator")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="驾驶舱").click()
    page.get_by_test_id("steering-tabs").get_by_role("link", name="定期调度").click()
    page.get_by_role("link", name="待审核报送").click()
    page.get_by_test_id("review-queue").get_by_role("link", name="任务一").click()
    page.get_by_label("审核结果").select_option("return")
    page.get_by_label("审核意见").fill(RETURN_REASON)
    page.get_by_role("button", name="确定").click()
    # Decided from the queue, the operator lands back on the queue.
    page.wait_for_url("**/steering/programme/review/")
    expect(page.get_by_text("已退回，单位将收到退回理由。")).to_have_count(1)
    screenshot(page, "steering-2-report-returned")
    assert _report_of_task_one().status == ReportStatus.RETURNED
    logout(page)

    # 3. The reporter sees why, corrects the narrative and files it again: version 2.
    login(page, "gzw_reporter")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的报送").click()
    page.get_by_test_id("my-reports").get_by_text(RETURN_REASON).wait_for()
    page.get_by_test_id("my-reports").get_by_role("link", name="任务一").first.click()
    page.get_by_label("工作进展").fill(REFILED)
    page.get_by_role("button", name="提交").click()
    page.get_by_text("已提交").first.wait_for()
    screenshot(page, "steering-3-report-refiled")
    report = _report_of_task_one()
    assert report.status == ReportStatus.SUBMITTED and report.versions.count() == 2
    logout(page)

    # 4. The operator accepts version 2.
    login(page, "kjj_operator")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="驾驶舱").click()
    page.get_by_test_id("steering-tabs").get_by_role("link", name="定期调度").click()
    page.get_by_role("link", name="待审核报送").click()
    page.get_by_test_id("review-queue").get_by_role("link", name="任务一").click()
    page.get_by_label("审核结果").select_option("accept")
    page.get_by_role("button", name="确定").click()
    page.wait_for_url("**/steering/programme/review/")
    page.get_by_text("已采纳").first.wait_for()
    screenshot(page, "steering-4-report-accepted")
    report = _report_of_task_one()
    assert report.status == ReportStatus.ACCEPTED
    assert [v.decision for v in report.versions.order_by("number")] == ["returned", "accepted"]
    logout(page)

    # 5. The city leader opens the 驾驶舱 from the menu and filters it by 鄞州区.
    login(page, "city_leader")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="驾驶舱").click()
    page.get_by_test_id("cockpit-filters").get_by_label("区县（市）").select_option(label="鄞州区")
    page.get_by_test_id("cockpit-filters").get_by_role("button", name="筛选").click()
    page.wait_for_url("**/steering/?*district=*")
    chart = page.get_by_test_id("chart-scenarios-by-status")
    chart.locator("canvas").first.wait_for()
    screenshot(page, "steering-5-cockpit-yinzhou")

    # 6. … drills from the chart's item to its list: exactly the two scenarios of 鄞州区.
    chart.get_by_text("查看数据").click()
    chart.get_by_role("link", name="已发布").click()
    page.wait_for_url("**/steering/drill/**")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "港区桥梁" not in page.locator("table").inner_text()
    screenshot(page, "steering-6-drill-down")

    # … the way back keeps the filter.
    page.get_by_role("navigation", name="位置").get_by_role("link", name="驾驶舱").click()
    page.wait_for_url("**/steering/?district=*")

    # 7. … and downloads last month's 调度 report from the 报表中心.
    page.get_by_test_id("steering-tabs").get_by_role("link", name="报表中心").click()
    last_month = programme["last_month"]
    page.get_by_label("月份").select_option(value=last_month.strftime("%Y-%m"))
    page.get_by_role("button", name="生成报告").click()
    download_link = page.get_by_test_id("download").first
    download_link.wait_for()
    screenshot(page, "steering-7-reports-centre")
    with page.expect_download() as download:
        download_link.click()
    path = download.value.path()
    workbook = load_workbook(io.BytesIO(open(path, "rb").read()))
    assert workbook.sheetnames[:3] == ["封面与口径", "十百千目标", "六项任务"]
    assert f"{last_month.year}年{last_month.month}月" in str(workbook["封面与口径"]["A1"].value)
