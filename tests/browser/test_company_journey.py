"""A company's contest journey, by clicking: from the home page to 推荐场景, from a recommendation to
the open challenge, 我要揭榜, the entry filled in and submitted; then, as the contest moves on, from
the 消息 page to the entry, its published rank, its award and its 联合攻关任务书, where the company
reports progress on a milestone."""

from datetime import date
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from contests import services
from contests.models import ContestEntry
from contests.services.notices import rankings_announce_due
from matching.engine.rebuild import rebuild
from tests.browser.conftest import PASSWORD, screenshot
from tests.contests.conftest import make_panel, move_to, rounds_starting, sheet_totalling
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory, district, domain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _open_notification(page, title: str) -> None:
    """From any page: the 消息 link in the header, then the message (it opens the entry's page)."""
    page.get_by_test_id("notifications-link").click()
    page.wait_for_url("**/notifications/")
    page.get_by_role("button", name=title).click()
    page.wait_for_url("**/entries/*/")


def test_a_company_goes_from_a_recommendation_to_its_entry_and_follows_it_to_the_task_book(page):
    operator = operator_user(username="kejiju")
    contest = services.contest_create(
        actor=operator,
        name="2026 宁波场景大赛",
        year=2026,
        award_budget="5000000",
        rounds=rounds_starting("challenges"),
    )
    yongshi = OrganisationFactory(kind="company", name="宁波甬视智能科技有限公司", district=district("haishu"))
    company = UserFactory(username="company", organisation=yongshi, roles=["company"], display_name="王敏")
    EntryFactory(
        company=yongshi,
        name="路侧高位视频车位检测系统",
        status="listed",
        technology_fields=["车位检测", "机器视觉"],
        description="高位视频识别泊位占用，检测准确率 99%，同时完成车辆号牌自动识别与视频取证。",
    )
    EntryFactory(
        name="停车场耐磨地坪涂料", status="listed", technology_fields=["高分子材料"], description="环氧树脂地坪。"
    )
    scenario = ScenarioFactory(
        title="鼓楼片区智慧停车改造",
        status="published",
        domain=domain("transport"),
        district=district("haishu"),
        need_description="对鼓楼片区 800 个路侧泊位进行智能化改造：车位状态实时检测、车牌识别、无感移动支付。",
        needs=["车位检测", "车牌识别", "移动支付"],
    )
    challenge = services.challenge_create(
        actor=scenario.created_by,
        contest=contest,
        scenario=scenario,
        award_cap="800000",
        requirements="车位检测准确率不低于 98%，三个月内完成现场测试。",
    )
    rebuild()
    move_to(contest, "registration")
    rival = UserFactory(organisation=OrganisationFactory(name="宁波海智物联网技术有限公司"), roles=["company"])
    rival_entry = services.entry_create(
        actor=rival, challenge=challenge, title="地磁 + 视频双模方案", summary="地磁检测车位，视频补拍车牌。"
    )
    services.entry_submit(actor=rival, entry=rival_entry, commitment_accepted=True)

    # The company signs in from the home page and opens 推荐场景.
    page.goto("/")
    page.get_by_role("link", name="登录", exact=True).first.click()
    page.get_by_label("用户名").fill(company.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/home/**")
    page.get_by_role("link", name="推荐场景", exact=True).first.click()
    page.wait_for_url("**/recommendations/**")
    row = page.get_by_test_id("recommendation-row").filter(has_text="鼓楼片区智慧停车改造")
    expect(row.get_by_test_id(f"enter-challenge-{challenge.pk}")).to_have_count(1)
    screenshot(page, "company-journey-01-recommendations")

    # The recommendation leads to the open challenge; 我要揭榜 leads straight to the entry form.
    row.get_by_role("link", name="鼓楼片区智慧停车改造").click()
    page.wait_for_url(f"**/scenarios/{scenario.pk}/")
    expect(page.get_by_test_id("scenario-challenges")).to_contain_text("2026 宁波场景大赛")
    screenshot(page, "company-journey-02-scenario-open-challenge")
    page.get_by_role("link", name="我要揭榜").click()
    page.wait_for_url(f"**/challenges/{challenge.pk}/enter/")
    page.get_by_label("方案名称").fill("高位视频车位检测与无感支付方案")
    page.get_by_label("方案摘要").fill("高位视频识别泊位与车牌，平台对接无感支付，三个月内完成现场测试。")
    screenshot(page, "company-journey-03-entry-form")
    page.get_by_role("button", name="保存方案").click()
    page.wait_for_url("**/entries/*/")
    entry_path = urlparse(page.url).path
    page.get_by_label("本单位已阅读并签署上述信用承诺").check()
    page.get_by_test_id("submit-entry").click()
    page.wait_for_url("**/entries/*/")
    expect(page.get_by_test_id("entry-status")).to_have_text("已提交")
    screenshot(page, "company-journey-04-entry-submitted")

    # The scenario page now leads to the company's entry instead.
    page.goto(f"/scenarios/{scenario.pk}/")
    expect(page.get_by_role("link", name="查看我的揭榜")).to_have_attribute("href", entry_path)

    # The contest moves on: eligibility, the roadshow's sheets, 公示 (by the calendar), the award,
    # and the cooperation the operator proposes.
    entry = ContestEntry.objects.get(lead=yongshi)
    move_to(contest, "eligibility")
    for each in (entry, rival_entry):
        services.entry_review_eligibility(actor=operator, entry=each, eligible=True)
    judges = make_panel(challenge, operator, 3)
    move_to(contest, "roadshow")
    for judge, (ours, theirs) in zip(judges, [(92, 80), (90, 84), (88, 82)]):
        services.sheet_save(actor=judge, entry=entry, points=sheet_totalling(contest, ours), submit=True)
        services.sheet_save(actor=judge, entry=rival_entry, points=sheet_totalling(contest, theirs), submit=True)
    services.ranking_recompute(challenge, trigger="manual")
    move_to(contest, "notice")
    rankings_announce_due()  # the beat task: 公示 opened by the calendar
    for each in (entry, rival_entry):
        services.entry_record_credit_check(actor=operator, entry=each, passed=True)
    move_to(contest, "results")
    services.award_decide(actor=operator, entry=entry, amount="600000", note="一等奖")
    services.agreement_save(
        actor=operator,
        entry=ContestEntry.objects.get(pk=entry.pk),
        mode="joint",
        title="鼓楼片区智慧停车联合攻关任务书",
        objectives="车位检测准确率 ≥ 98%，车牌识别率 ≥ 99%，支付成功率 ≥ 99.5%。",
        starts_on=date(2026, 7, 1),
        ends_on=date(2027, 6, 30),
        milestones={"design": date(2026, 9, 1), "onsite_test": date(2027, 1, 15), "verification": date(2027, 6, 1)},
    )

    # 消息: every step was told once, newest first.
    page.reload()
    page.get_by_test_id("notifications-link").click()
    page.wait_for_url("**/notifications/")
    rows = page.get_by_test_id("notification-row")
    for title in (
        "已收到揭榜方案：高位视频车位检测与无感支付方案",
        "资格审查通过：高位视频车位检测与无感支付方案",
        "评分已完成：高位视频车位检测与无感支付方案",
        "公示排名：高位视频车位检测与无感支付方案 第 1 名",
        "获得奖励：高位视频车位检测与无感支付方案",
        "合作协议待查看：高位视频车位检测与无感支付方案",
    ):
        expect(rows.filter(has_text=title)).to_have_count(1)
    screenshot(page, "company-journey-05-messages")

    # The rank: message → entry → the published results.
    _open_notification(page, "公示排名：高位视频车位检测与无感支付方案 第 1 名")
    expect(page.get_by_test_id("entry-rank")).to_contain_text("第 1 名（共 2 个方案），总分 90.00")
    screenshot(page, "company-journey-06-entry-results")
    page.get_by_test_id("entry-notice-link").click()
    page.wait_for_url(f"**/contests/{contest.pk}/notice/*")
    expect(page.locator(f"#challenge-{challenge.pk}").get_by_test_id("notice-ranking")).to_contain_text("¥600,000.00")
    screenshot(page, "company-journey-07-notice")

    # The award: message → entry → the cooperation page.
    _open_notification(page, "获得奖励：高位视频车位检测与无感支付方案")
    expect(page.get_by_test_id("entry-award")).to_contain_text("¥600,000.00")
    page.get_by_test_id("entry-cooperation-link").click()
    page.wait_for_url(f"**/entries/{entry.pk}/cooperation/")
    expect(page.locator("main")).to_contain_text("¥600,000.00")

    # The agreement: message → entry → the task book, where the company reports on a milestone.
    _open_notification(page, "合作协议待查看：高位视频车位检测与无感支付方案")
    expect(page.get_by_test_id("entry-agreement")).to_contain_text("鼓楼片区智慧停车联合攻关任务书")
    page.get_by_role("link", name="查看任务书并报送进展").click()
    page.wait_for_url(f"**/entries/{entry.pk}/cooperation/")
    expect(page.get_by_test_id("milestones")).to_contain_text("方案设计")
    page.get_by_label("对应节点").select_option(index=1)
    page.get_by_label("进展情况").fill("完成鼓楼片区 800 个泊位的点位勘察和总体方案设计，通过发榜方评审。")
    page.get_by_test_id("add-report").click()
    page.wait_for_url(f"**/entries/{entry.pk}/cooperation/")
    expect(page.locator("main")).to_contain_text("完成鼓楼片区 800 个泊位的点位勘察")
    screenshot(page, "company-journey-08-task-book-progress")
