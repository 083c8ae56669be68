"""A scenario is approved and published; within the request that publishes it, its suppliers are
matched: the publisher sees them with reasons and the supplier's company sees the scenario."""

import pytest
from playwright.sync_api import expect

from matching.engine.rebuild import rebuild
from tests.browser.conftest import login, logout, screenshot
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory, district, domain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_publisher_sees_suppliers_with_reasons_and_the_company_sees_the_scenario(page):
    yongshi = OrganisationFactory(kind="company", name="宁波甬视智能科技有限公司", district=district("haishu"))
    company_user = UserFactory(username="yongshi", organisation=yongshi, roles=["company"])
    EntryFactory(
        company=yongshi,
        name="路侧高位视频车位检测系统",
        status="listed",
        technology_fields=["车位检测", "机器视觉"],
        description="高位视频识别泊位占用，检测准确率 99%，同时完成车辆号牌自动识别与视频取证。",
    )
    EntryFactory(
        name="纺织面料瑕疵识别系统",
        status="listed",
        technology_fields=["缺陷检测"],
        description="基于深度学习识别坯布表面瑕疵，检出率 98%。",
    )
    EntryFactory(
        name="停车场耐磨地坪涂料",
        status="listed",
        technology_fields=["高分子材料"],
        description="环氧树脂停车场地坪，耐磨防滑。",
    )
    rebuild()  # the nightly model exists; the new scenario is matched on publication

    scenario = ScenarioFactory(
        title="鼓楼片区智慧停车改造",
        status="submitted",
        domain=domain("transport"),
        district=district("haishu"),
        need_description="对鼓楼片区 800 个路侧泊位进行智能化改造：车位状态实时检测、车牌识别、无感移动支付。",
        needs=["车位检测", "车牌识别", "移动支付"],
    )
    publisher = scenario.created_by
    publisher.username = "gongjiao"
    publisher.save()
    operator = operator_user(username="kejiju")

    login(page, operator.username)
    page.goto(f"/scenarios/{scenario.pk}/")
    page.get_by_test_id("action-approve").click()
    assert page.get_by_test_id("scenario-status").inner_text() == "已发布"
    logout(page)

    login(page, publisher.username)
    page.goto(f"/scenarios/{scenario.pk}/")
    page.get_by_role("link", name="推荐供应商").click()
    first = page.get_by_test_id("supplier-row").first
    assert "路侧高位视频车位检测系统" in first.inner_text()
    assert "覆盖需求 2/3：车位检测、车牌识别；缺口：移动支付" in first.inner_text()
    assert "宁波甬视智能科技有限公司" in first.inner_text()
    screenshot(page, "matching-suppliers")
    logout(page)

    login(page, company_user.username)
    page.get_by_role("link", name="推荐场景", exact=True).click()  # the menu (the home panel has 全部推荐场景)
    row = page.get_by_test_id("recommendation-row").filter(has_text="鼓楼片区智慧停车改造")
    assert "路侧高位视频车位检测系统" in row.inner_text() and "覆盖需求" in row.inner_text()
    row.get_by_role("button", name="接受", exact=True).click()
    assert "已记录您的反馈" in page.locator("main").inner_text()
    screenshot(page, "matching-recommendations")


def test_operator_adds_a_technology_field_to_a_domain_and_removes_it_again(page):
    """From the home page: 匹配结果 → 领域关联度 → 交通 → add 路侧感知 at 0.6 → it is listed →
    a bad weight is refused with a message → removed."""
    operator = operator_user(username="kejiju")
    login(page, operator.username)
    page.get_by_role("navigation").get_by_role("link", name="匹配结果").first.click()
    page.get_by_test_id("affinities-link").click()
    page.get_by_label("场景领域").select_option(label="交通")
    page.wait_for_url("**/matches/affinities/?domain=*")
    fields = page.get_by_test_id("field-affinities")
    expect(fields).to_contain_text("车路协同")

    adding = page.get_by_test_id("field-affinity-add")
    adding.get_by_label("新增技术领域").fill("路侧感知")
    adding.get_by_label("关联度").fill("0.6")
    adding.get_by_role("button", name="新增").click()
    expect(page.locator(".messages")).to_contain_text("已保存，下次重建匹配时生效。")
    row = page.get_by_test_id("field-affinity-row").filter(has_text="路侧感知")
    expect(row).to_contain_text("0.60")
    screenshot(page, "matching-field-affinities")

    adding = page.get_by_test_id("field-affinity-add")
    adding.get_by_label("新增技术领域").fill("车路 协同")
    adding.get_by_role("button", name="新增").click()
    expect(page.locator(".messages")).to_contain_text("该场景领域已有技术领域“车路 协同”。")

    page.get_by_test_id("field-affinity-row").filter(has_text="路侧感知").get_by_role(
        "button", name="删除路侧感知"
    ).click()
    expect(page.get_by_test_id("field-affinity-row").filter(has_text="路侧感知")).to_have_count(0)
    logout(page)
