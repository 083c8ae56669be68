import pytest

from contests import services
from contests.models import ContestEntry, PanelMembership
from tests.browser.conftest import login, logout, screenshot
from tests.contests.conftest import move_to, rounds_starting
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_challenge_consortium_entry_eligibility_and_panel(page):
    operator = operator_user(username="kejiju")
    contest = services.contest_create(
        actor=operator,
        name="2026 宁波场景大赛",
        year=2026,
        award_budget="5000000",
        rounds=rounds_starting("challenges"),
    )
    scenario = ScenarioFactory(status="published", title="智慧停车管理系统")
    publisher = scenario.created_by
    publisher.username = "gongjiao"
    publisher.save()
    lead = UserFactory(
        username="yongshi", organisation=OrganisationFactory(name="宁波甬视智能科技有限公司"), roles=["company"]
    )
    partner_org = OrganisationFactory(name="宁波海智物联网技术有限公司")
    partner = UserFactory(username="haizhi", organisation=partner_org, roles=["company"])
    judge = UserFactory(
        username="zhoujudge",
        display_name="周立新",
        organisation=OrganisationFactory(kind="institute", name="宁波大学"),
        roles=["judge"],
    )

    login(page, publisher.username)
    page.goto(f"/contests/{contest.pk}/")
    page.get_by_role("link", name="发榜", exact=True).click()
    page.get_by_label("应用场景").select_option(label="智慧停车管理系统")
    page.get_by_label("揭榜要求").fill("车位检测准确率不低于 98%，三个月内完成现场测试。")
    page.get_by_label("奖励上限（元）").fill("1000000.01")
    page.get_by_role("button", name="发布榜单").click()
    assert "不能超过 100 万元" in page.locator("main").inner_text()
    page.get_by_label("奖励上限（元）").fill("800000")
    page.get_by_role("button", name="发布榜单").click()
    assert "¥800,000.00" in page.get_by_test_id("challenges").inner_text()
    logout(page)

    move_to(contest, "registration")
    login(page, lead.username)
    page.goto(f"/contests/{contest.pk}/")
    page.locator("[data-testid^=enter-]").click()
    page.get_by_label("方案名称").fill("高位视频 + 地磁双模停车方案")
    page.get_by_label("方案摘要").fill("高位视频识别车牌，地磁检测车位，平台统一计费。")
    page.get_by_label("联合体成员（统一社会信用代码）").fill(partner_org.credit_code)
    page.get_by_role("button", name="保存方案").click()
    page.wait_for_url("**/entries/*/")
    entry_url = page.url
    assert "待确认" in page.get_by_test_id("members").inner_text()
    logout(page)

    login(page, partner.username)
    page.goto(entry_url)
    page.get_by_test_id("confirm-membership").click()
    assert "已确认" in page.get_by_test_id("members").inner_text()
    logout(page)

    login(page, lead.username)
    page.goto(entry_url)
    page.get_by_test_id("submit-entry").click()
    assert "提交前须签署信用承诺" in page.locator(".messages").inner_text()
    page.get_by_label("本单位已阅读并签署上述信用承诺").check()
    page.get_by_test_id("submit-entry").click()
    assert page.get_by_test_id("entry-status").inner_text() == "已提交"
    logout(page)

    move_to(contest, "eligibility")
    login(page, operator.username)
    page.goto(entry_url)
    page.get_by_test_id("review-eligibility").click()
    assert page.get_by_test_id("entry-status").inner_text() == "资格审查通过"
    entry = ContestEntry.objects.get()
    page.goto(f"/challenges/{entry.challenge_id}/panel/")
    row = page.get_by_test_id("suggestions").locator("tr", has_text="周立新")
    row.get_by_label("组长").check()
    page.get_by_test_id("assign-zhoujudge").click()
    assert "周立新" in page.get_by_test_id("panel-members").inner_text()
    screenshot(page, "contest-panel")
    assert PanelMembership.objects.get().judge == judge and PanelMembership.objects.get().is_chair
