"""The 发榜方's journey after publishing (issue #19): from the home page the publisher signs in,
follows its challenge — the qualified entries, the running order, the published ranking, the
award — opens the 联合攻关任务书 and its milestones; then on 推荐供应商 it accepts a supplier and
asks it about the scenario, and finds the enquiry among its own."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from capability_list.services import event_create
from contests import services
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.test_accessibility import FAILING_IMPACTS, axe_findings, report
from tests.contests.conftest import make_panel, move_to, rounds_starting, sheet_totalling
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.capability_list import EntryFactory
from tests.factories.matching import match_for
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def company(name: str, username: str):
    organisation = OrganisationFactory(kind="company", name=name)
    return UserFactory(username=username, organisation=organisation, roles=["company"])


def contest_with_results(publisher, scenario, operator):
    """The publisher's challenge taken through every round, as each person would: three entries
    (one by a consortium), the running order drawn, the panel's sheets, 公示, the award and the
    联合攻关任务书 with its first milestone completed."""
    contest = services.contest_create(
        actor=operator,
        name="2026 宁波场景大赛",
        year=2026,
        award_budget="5000000",
        rounds=rounds_starting("challenges"),
    )
    challenge = services.challenge_create(
        actor=publisher,
        contest=contest,
        scenario=scenario,
        award_cap="800000",
        requirements="方案须覆盖全部技术需求，并给出现场测试计划。",
    )
    move_to(contest, "registration")
    partner = company("余姚光电智造有限公司", "guangdian")
    entries = []
    for name, username, title in [
        ("宁波甬视智能科技有限公司", "yongshi", "高位视频 + 地磁双模诱导方案"),
        ("宁波海智物联网技术有限公司", "haizhi", "物联网余位发布与无感支付方案"),
        ("宁波三江泊车信息技术有限公司", "sanjiang", "城际P+R一体化停车诱导方案"),
    ]:
        lead = company(name, username)
        members = [partner.organisation] if username == "yongshi" else []
        entry = services.entry_create(
            actor=lead, challenge=challenge, title=title, summary="以成熟产品为基础定制集成。", members=members
        )
        for membership in entry.members.all():
            services.consortium_respond(actor=partner, membership=membership, accept=True)
        entries.append((lead, services.entry_submit(actor=lead, entry=entry, commitment_accepted=True)))
    move_to(contest, "eligibility")
    entries = [
        services.entry_review_eligibility(actor=operator, entry=entry, eligible=True) for _lead, entry in entries
    ]
    services.running_order_draw(
        actor=operator,
        challenge=challenge,
        first_slot_at=timezone.now() + timedelta(hours=2),
        room="宁波国际会议中心 2 号厅",
    )
    judges = make_panel(challenge, operator, 3)
    move_to(contest, "roadshow")
    for entry, total in zip(entries, [82, 91, 76]):
        for judge in judges:
            services.sheet_save(actor=judge, entry=entry, points=sheet_totalling(contest, total), submit=True)
    move_to(contest, "notice")
    for entry in entries:
        services.entry_record_credit_check(actor=operator, entry=entry, passed=True)
    move_to(contest, "results")
    award = services.award_decide(actor=operator, entry=entries[1], amount="800000", note="第一名")
    today = timezone.localdate()
    agreement = services.agreement_save(
        actor=operator,
        entry=award.entry,
        mode="joint",
        title="地铁站点P+R停车场智慧停车诱导系统联合攻关任务书",
        objectives="完成方案设计、现场测试与验证评价，关键指标达到揭榜要求。",
        contract_amount="1500000",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=300),
        signed_on=today - timedelta(days=61),
        milestones={
            "design": today - timedelta(days=20),
            "onsite_test": today + timedelta(days=90),
            "verification": today + timedelta(days=250),
        },
    )
    services.milestone_complete(
        actor=operator,
        milestone=agreement.milestones.get(kind="design"),
        completed_on=today - timedelta(days=25),
        note="方案设计通过发榜方评审",
    )
    return challenge, award


def test_publisher_follows_its_challenge_to_the_agreement_then_asks_an_accepted_supplier(page):
    operator = operator_user(username="kejiju")
    scenario = ScenarioFactory(
        title="地铁站点P+R停车场智慧停车诱导系统",
        status="published",
        publisher=OrganisationFactory(kind="soe", name="宁波市轨道交通集团有限公司"),
        needs=["车位检测", "无感支付", "余位发布"],
    )
    publisher = scenario.created_by
    publisher.username, publisher.display_name = "guijiao", "王建国"
    publisher.save()
    challenge, award = contest_with_results(publisher, scenario, operator)
    supplier = company("宁波甬安智慧交通科技有限公司", "yongan")
    entry = EntryFactory(
        company=supplier.organisation, submitted_by=supplier, name="停车诱导信息发布屏", status="listed"
    )
    match = match_for(scenario, entry)
    event_create(
        actor=operator,
        title="轨道交通新产品论证会",
        kind="argumentation",
        starts_at=timezone.now() + timedelta(days=17),
        venue="宁波市科技大厦 3 楼报告厅",
    )

    # Signs in from the home page.
    page.goto("/")
    screenshot(page, "publisher-journey-01-portal")
    page.get_by_role("link", name="登录").first.click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("用户名").fill("guijiao")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/home/publisher/")
    panel = page.get_by_test_id("panel-publisher-challenges")
    expect(panel.get_by_test_id("followed-challenge")).to_have_count(1)
    screenshot(page, "publisher-journey-02-home")

    # Follows the challenge: entries, running order, ranking, award, agreement.
    panel.get_by_test_id(f"follow-{challenge.pk}").click()
    page.wait_for_url(f"**/challenges/{challenge.pk}/follow/")
    expect(page.get_by_test_id("follow-entry")).to_have_count(3)
    expect(page.get_by_test_id("follow-entries")).to_contain_text("余姚光电智造有限公司")
    expect(page.get_by_test_id("follow-slot")).to_have_count(3)
    expect(page.get_by_test_id("follow-running-order")).to_contain_text("宁波国际会议中心 2 号厅")
    expect(page.get_by_test_id("follow-rank")).to_have_count(3)
    expect(page.get_by_test_id("follow-rank").first).to_contain_text("物联网余位发布与无感支付方案")
    expect(page.get_by_test_id("follow-award")).to_have_count(1)
    expect(page.get_by_test_id("follow-award")).to_contain_text("¥800,000.00")
    expect(page.get_by_test_id("follow-milestone")).to_have_count(3)
    expect(page.get_by_test_id("follow-milestone").first).to_contain_text("已完成")
    screenshot(page, "publisher-journey-03-challenge")
    findings = axe_findings(page, "publisher-challenge-follow")

    # Opens the agreement and its milestones.
    page.get_by_test_id(f"agreement-link-{award.entry_id}").click()
    page.wait_for_url(f"**/entries/{award.entry_id}/cooperation/")
    expect(page.get_by_test_id("agreement")).to_contain_text("地铁站点P+R停车场智慧停车诱导系统联合攻关任务书")
    expect(page.get_by_test_id("milestones").locator("tbody tr")).to_have_count(3)
    screenshot(page, "publisher-journey-04-agreement")

    # Back to the challenge, then to its scenario's recommended suppliers.
    page.go_back()
    page.wait_for_url(f"**/challenges/{challenge.pk}/follow/")
    page.get_by_role("link", name=scenario.title).first.click()
    page.wait_for_url(f"**/scenarios/{scenario.pk}/")
    expect(page.get_by_role("link", name="跟踪榜单")).to_have_count(1)
    page.get_by_role("link", name="推荐供应商").click()
    page.wait_for_url(f"**/scenarios/{scenario.pk}/suppliers/")
    row = page.get_by_test_id("supplier-row").filter(has_text="停车诱导信息发布屏")
    row.get_by_test_id(f"accept-{match.pk}").click()
    page.wait_for_url(f"**/scenarios/{scenario.pk}/suppliers/**")
    expect(page.locator("main")).to_contain_text("已接受。下一步")
    expect(row.get_by_test_id(f"enquire-{match.pk}")).to_have_count(1)
    expect(row.get_by_test_id(f"invite-{match.pk}")).to_have_count(1)  # the other next step
    screenshot(page, "publisher-journey-05-accepted")
    findings += axe_findings(page, "publisher-suppliers-next-step")

    # The next step: an enquiry to the supplier, pre-filled.
    row.get_by_test_id(f"enquire-{match.pk}").click()
    page.wait_for_url(f"**/suppliers/{match.pk}/enquiry/")
    expect(page.get_by_label("主题")).to_have_value("关于“地铁站点P+R停车场智慧停车诱导系统”的合作询问")
    expect(page.get_by_label("问题")).to_contain_text("停车诱导信息发布屏")
    screenshot(page, "publisher-journey-06-enquiry")
    findings += axe_findings(page, "publisher-supplier-enquiry")
    page.get_by_test_id("send-enquiry").click()
    page.wait_for_url(f"**/scenarios/{scenario.pk}/suppliers/**")
    expect(page.locator("main")).to_contain_text("询问已发送")
    expect(row.get_by_test_id(f"next-step-{match.pk}")).to_contain_text("已发起询问")
    screenshot(page, "publisher-journey-07-enquiry-sent")

    # The enquiry is among the publisher's own.
    page.get_by_role("link", name="咨询对接").first.click()
    page.wait_for_url("**/enquiries/")
    enquiries = page.get_by_test_id("enquiries").locator("tbody tr")
    expect(enquiries).to_have_count(1)
    expect(enquiries.first).to_contain_text("宁波甬安智慧交通科技有限公司")
    screenshot(page, "publisher-journey-08-enquiries")
    serious = [finding for finding in findings if finding["impact"] in FAILING_IMPACTS]
    assert not serious, report(serious)
