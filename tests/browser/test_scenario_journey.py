import pytest
from playwright.sync_api import expect

from scenarios.models import Scenario
from tests.browser.conftest import login, logout, screenshot
from tests.factories.accounts import operator_user
from tests.factories.scenarios import publisher_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_publisher_writes_and_submits_operator_approves_visitor_finds_it(page):
    publisher = publisher_user(username="gongjiao")
    operator = operator_user(username="kejiju")

    login(page, publisher.username)
    page.goto("/scenarios/new/")
    page.get_by_label("场景名称").fill("智慧停车管理系统（鼓楼片区）")
    page.get_by_label("场景领域").select_option(label="城市治理 · 智慧城管")
    page.get_by_label("需求描述").fill("对鼓楼片区 1200 个路内泊位进行智能化改造，实现车位检测、车牌识别和无感支付。")
    page.locator("input[name='needs-0-name']").fill("车位检测")
    page.locator("input[name='needs-1-name']").fill("车牌识别")
    page.get_by_role("button", name="增加一行").click()
    page.locator("input[name='needs-3-name']").fill("无感支付")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url("**/edit/")
    assert "草稿已保存" in page.locator(".messages").inner_text()
    assert "提交审核前还需补充" in page.get_by_test_id("submission-problems").inner_text()

    page.get_by_label("成熟技术").check()
    page.get_by_label("待建").check()
    page.get_by_label("区级财政").check()
    page.get_by_label("全额投资").check()
    page.get_by_label("项目投资额（元）").fill("-100")
    # Live validation: the problem shows while typing, before anything is saved.
    page.get_by_test_id("live-errors").wait_for()
    assert "投资额不能为负数" in page.get_by_test_id("live-errors").inner_text()
    page.get_by_label("项目投资额（元）").fill("3600000")
    page.get_by_label("所在区域").select_option(label="海曙区")
    page.get_by_label("计划开始").fill("2026-03-01")
    page.get_by_label("计划完成").fill("2026-12-31")
    page.locator("#id_contact_name").fill("李工")
    page.get_by_label("联系电话").fill("0574-87001234")
    screenshot(page, "scenario-edit")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url("**/scenarios/*/")
    assert page.get_by_test_id("scenario-status").inner_text() == "待审核"
    scenario = Scenario.objects.get()
    assert [item.name for item in scenario.need_items.all()] == ["车位检测", "车牌识别", "无感支付"]
    logout(page)

    login(page, operator.username)
    page.goto("/scenarios/review/")
    page.get_by_role("link", name="智慧停车管理系统（鼓楼片区）").click()
    page.wait_for_url("**/scenarios/*/?back=**")
    page.get_by_test_id("action-approve").click()
    # The decision is taken on the scenario's page; the operator lands back on the queue.
    page.wait_for_url("**/scenarios/review/")
    expect(page.get_by_text("操作成功，场景状态：已发布")).to_have_count(1)
    scenario.refresh_from_db()
    assert scenario.status == "published"
    logout(page)

    page.goto("/scenarios/")
    page.get_by_label("关键词").fill("停车")
    page.get_by_label("区域").select_option(label="海曙区")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**district=haishu**")
    cards = page.get_by_test_id("scenario-card")
    expect(cards).to_have_count(1)
    assert "智慧停车管理系统（鼓楼片区）" in cards.first.inner_text()
    screenshot(page, "scenario-catalogue")
    page.get_by_label("区域").select_option(label="北仑区")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**district=beilun**")
    expect(page.get_by_test_id("scenario-card")).to_have_count(0)
