"""Issue 14's acceptance journey, every step by clicking from the role's home page or menu: an operator
opens a 企业级 round → the publisher SOE writes its self-assessment with evidence → three experts
score on tablets → the lead records a consensus → the result with its radar chart → a finding is
rectified and verified → the typical case is approved → another SOE records a replication, which
is verified and shown on the public case page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contests.models import Challenge, Contest, ContestEntry, CooperationAgreement
from evaluation.models import (
    ConsensusDecision,
    EvaluationRound,
    EvaluationSheet,
    Finding,
    Replication,
    SubjectResult,
    TypicalCase,
)
from tests.browser.conftest import login, logout, screenshot
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.scenarios import ScenarioFactory, soe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The default 企业级 framework (evaluation/reference_data.py): every leaf out of 10 points; a leaf's
# absolute weight is its weight × its parents' weights / 100 (given after each code).
#   1 决策 15     1.1 需求理解 6 · 1.2 方案论证 5.25 · 1.3 资金与要素保障 3.75
#   2 过程 25     2.1.1 进度执行 5 · 2.1.2 大赛产品签约采购 5 (computed) · 2.2.1 包容期节点完成 4.5 ·
#                 2.2.2 未予免责的事件 3 (computed, fewer is better) · 2.3 安全生产与数据安全 7.5 (红线)
#   3 产出 30     3.1 解决方案交付 10.5 · 3.2.1 新技术新产品首次应用 6.3 · 3.2.2 采购合同金额 4.2 (imported) ·
#                 3.3 知识产权与标准 9
#   4 效益 30     4.1 降本增效 12 (imported) · 4.2 服务与社会效益 9 · 4.3 可复制推广性 9
# The three experts' points on the expert-scored leaves (the lead first). Fewer than five experts:
# the plain mean, 2 places half-up (contests.ranking.trimmed_mean).
POINTS = {
    "1.1": ["9", "9.5", "8.5"],  # mean 9.00 → 9.00 / 10 × 6 = 5.4
    "1.2": ["9", "8.5", "9.5"],  # 9.00 → 0.9 × 5.25 = 4.725
    "1.3": ["8.5", "9", "9"],  # 26.5 / 3 = 8.8333… → 8.83 → 0.883 × 3.75 = 3.31125
    "2.1.1": ["9.5", "9.5", "9.5"],  # 9.50 → 0.95 × 5 = 4.75
    "2.2.1": ["9", "9", "9"],  # 9.00 → 0.9 × 4.5 = 4.05
    "2.3": ["10", "10", "10"],  # 10 → 7.5 (nobody marks the red line)
    "3.1": ["9.5", "9", "10"],  # 9.50 → 0.95 × 10.5 = 9.975
    "3.2.1": ["9", "9", "9"],  # 9.00 → 0.9 × 6.3 = 5.67
    "3.3": ["8", "8.5", "9"],  # 8.50 → 0.85 × 9 = 7.65
    "4.2": ["9", "9.5", "8.5"],  # 9.00 → 0.9 × 9 = 8.1
    "4.3": ["9", "9.5", "4"],  # spread 5.5 > 0.40 × 10: 合议; the lead records 9 → 0.9 × 9 = 8.1
}
# The figures: 2.1.2 counts the signed cooperation agreement (1 of target 1 → 10 points → 5);
# 2.2.2 counts no incident held against the scenario (0 of 3, fewer is better → 10 → 3);
# 3.2.2 is 180 万元 of target 200 → 9.0 points → 0.9 × 4.2 = 3.78; 4.1 is 18 % of target 15 → capped
# at 10 → 12.
IMPORTED = {"3.2.2": "180", "4.1": "18"}
# 决策 5.4 + 4.725 + 3.31125 = 13.43625 → 13.44
# 过程 4.75 + 5 + 4.05 + 3 + 7.5 = 24.30
# 产出 9.975 + 5.67 + 3.78 + 7.65 = 27.075 → 27.08
# 效益 12 + 8.1 + 8.1 = 28.20 (≥ 80 % of 30 = 24: the nomination rule's 效益 test holds)
# total 13.43625 + 24.3 + 27.075 + 28.2 = 93.01125 → 93.01 → 优 (≥ 90; ≥ 85 and no red line: proposed
# as a typical case). Without the consensus 4.3 would be 22.5 / 3 = 7.50 → 6.75 and the total 91.66.
EXPECTED_TOTAL = "93.01"
EXPECTED_DIMENSIONS = {"决策": "13.44", "过程": "24.30", "产出": "27.08", "效益": "28.20"}
CONSENSUS_LEAF = "4.3"
# The leaves whose evidence the framework requires, as the self-assessment page names them.
EVIDENCE_LEAVES = [
    "1.2 方案论证",
    "1.3 资金与要素保障",
    "2.1.1 进度执行",
    "3.1 解决方案交付",
    "3.2.1 新技术新产品首次应用",
    "3.2.2 采购合同金额",
    "4.1 降本增效",
]


def _new_page(browser, live_server, viewport, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.on("dialog", lambda dialog: dialog.accept())  # the "确定…？" confirmations
    return context, page, outside


@pytest.fixture
def pages(browser, live_server):
    """A desktop page (operators, the organisations' users, a visitor) and a tablet (the experts)."""
    desktop = _new_page(browser, live_server, DESKTOP)
    tablet = _new_page(browser, live_server, TABLET, has_touch=True, is_mobile=True)
    yield desktop[1], tablet[1]
    for context, _page, outside in (desktop, tablet):
        context.close()
        assert outside == [], f"requests outside the portal: {outside}"


def _main(page) -> str:
    return page.locator("main").inner_text()


def _menu(page, label: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=label, exact=True).click()


class World:
    """The people and records of the journey, set up as they would be before a round opens."""

    def __init__(self, tmp_path):
        self.year = timezone.localdate().year
        self.operator = operator_user(username="kejiju", display_name="市科技局 李娜")
        self.soe = soe(name="宁波市轨道交通集团有限公司")
        self.publisher = UserFactory(
            username="guidao", display_name="轨道集团 陈工", organisation=self.soe, roles=["publisher"]
        )
        self.supplier = OrganisationFactory(name="宁波甬视智能科技有限公司")
        self.company_user = UserFactory(
            username="yongshi", display_name="甬视科技 王敏", organisation=self.supplier, roles=["company"]
        )
        self.scenario = ScenarioFactory(
            title="地铁车站设备智能巡检",
            publisher=self.soe,
            created_by=self.publisher,
            status="in_implementation",
        )
        # The scenario went through the contests: the supplier's entry won a cooperation agreement
        # (so the round finds the supplier itself, and 2.1.2 counts one signed agreement).
        start = timezone.make_aware(timezone.datetime(self.year, 1, 5, 9, 0))
        contest = Contest.objects.create(
            name=f"{self.year} 宁波场景大赛",
            year=self.year,
            award_budget=Decimal("5000000"),
            challenges_open_at=start,
            registration_open_at=start + timedelta(days=1),
            eligibility_open_at=start + timedelta(days=2),
            roadshow_open_at=start + timedelta(days=3),
            review_open_at=start + timedelta(days=4),
            notice_open_at=start + timedelta(days=5),
            results_open_at=start + timedelta(days=6),
            created_by=self.operator,
        )
        challenge = Challenge.objects.create(
            contest=contest,
            scenario=self.scenario,
            title=self.scenario.title,
            requirements="巡检识别准确率不低于 95%。",
            award_cap=Decimal("800000"),
            created_by=self.publisher,
        )
        entry = ContestEntry.objects.create(
            challenge=challenge,
            lead=self.supplier,
            created_by=self.company_user,
            title="轨旁设备视觉巡检方案",
            summary="机器视觉识别设备异常，巡检机器人替代人工夜巡。",
            status="eligible",
            credit_check="passed",
            submitted_at=start + timedelta(days=1),
        )
        CooperationAgreement.objects.create(
            entry=entry, mode="procurement", signed_on=date(self.year, 1, 20), recorded_by=self.operator
        )
        university = OrganisationFactory(kind="institute", name="宁波大学")
        self.experts = [
            UserFactory(username=username, display_name=name, organisation=university, roles=["judge"])
            for username, name in (("zhou", "周立新"), ("wu", "吴海燕"), ("zheng", "郑国强"))
        ]
        self.lead = self.experts[0]
        other_soe = soe(name="宁波市公交集团有限公司")
        self.adopter = UserFactory(
            username="gongjiao", display_name="公交集团 赵工", organisation=other_soe, roles=["publisher"]
        )
        self.evidence = tmp_path / "佐证材料.pdf"
        self.evidence.write_bytes(PDF)


def test_enterprise_round_from_opening_to_a_replicated_typical_case(pages, tmp_path):
    page, tablet = pages
    world = World(tmp_path)

    # 1. The operator opens the round from the menu, adds the subject and the team, starts 自评.
    login(page, world.operator.username)
    _menu(page, "场景评估")
    screenshot(page, "evaluation-00-hub")
    page.get_by_test_id("evaluation-hub").get_by_role("link", name="评估轮次", exact=True).click()
    page.get_by_test_id("round-create").click()
    page.get_by_label("名称").fill(f"{world.year} 年度企业级场景应用评估")
    page.get_by_label("评价层级").select_option(label="企业级")
    page.get_by_label("评价年度").fill(str(world.year))
    page.get_by_label("指标体系（已发布版本）").select_option(label="企业级场景应用评价指标体系 v1")
    page.get_by_test_id("round-open").click()
    assert "已创建评估轮次。" in _main(page)
    assert page.get_by_test_id("round-status").inner_text() == "筹备中"
    page.get_by_label("应用场景（企业级）").select_option(label=world.scenario.title)
    page.get_by_test_id("subject-form").get_by_role("button", name="添加").click()
    assert "已添加评价对象。" in _main(page)
    subjects = page.get_by_test_id("round-subjects").inner_text()
    assert "宁波市轨道交通集团有限公司" in subjects and "宁波甬视智能科技有限公司" in subjects
    for expert in world.experts:
        page.get_by_test_id("expert-form").get_by_role("combobox", name="专家").select_option(label=expert.display_name)
        if expert == world.lead:
            page.get_by_label("设为专家组长").check()
        page.get_by_test_id("expert-form").get_by_role("button", name="分配").click()
        assert "已加入专家组。" in _main(page)
    team = page.get_by_test_id("round-team").inner_text()
    assert all(expert.display_name in team for expert in world.experts) and "专家组长" in team
    screenshot(page, "evaluation-01-round-prepared")
    page.get_by_test_id("round-advance").click()
    assert page.get_by_test_id("round-status").inner_text() == "自评中"
    round_ = EvaluationRound.objects.get()
    subject = round_.subjects.get()
    logout(page)

    # 2. The publisher SOE writes its self-assessment, uploads evidence for each indicator that
    # needs it, and submits.
    login(page, world.publisher.username)
    _menu(page, "本单位评估")
    page.get_by_test_id("my-subjects").get_by_role("link", name=subject.title).click()
    report = "项目按计划完成设备巡检系统建设，巡检效率提升 18%，采购合同 180 万元。"
    page.get_by_role("textbox", name="自评报告").fill(report)
    page.get_by_test_id("submit-self-assessment").click()
    assert "自评报告已保存为草稿；以下指标须上传佐证材料后才能提交：1.2 方案论证、1.3 资金与要素保障" in _main(page)
    screenshot(page, "evaluation-02-self-assessment-needs-evidence")
    for leaf in EVIDENCE_LEAVES:
        page.get_by_test_id("evidence-form").get_by_label("佐证材料").set_input_files(str(world.evidence))
        page.get_by_role("combobox", name="对应指标").select_option(label=leaf)
        page.get_by_test_id("evidence-form").get_by_role("button", name="上传").click()
        assert "已上传佐证材料。" in _main(page)
    assert page.get_by_test_id("evidence-list").locator("li").count() == len(EVIDENCE_LEAVES)
    assert page.get_by_role("textbox", name="自评报告").input_value() == report  # kept through the uploads
    page.get_by_test_id("submit-self-assessment").click()
    assert "自评报告已提交。" in _main(page)
    assert "已提交" in page.get_by_test_id("self-assessment-status").inner_text()
    screenshot(page, "evaluation-03-self-assessment-submitted")
    logout(page)

    # 3. The operator starts scoring (the computed indicators are computed now) and enters the
    # imported figures on the subject's figures page.
    login(page, world.operator.username)
    _open_round(page, round_.title)
    assert "已提交" in page.get_by_test_id("round-subjects").inner_text()
    page.get_by_test_id("round-advance").click()
    assert page.get_by_test_id("round-status").inner_text() == "专家评分中"
    # The experts cannot submit before the imported figures are in: the round page says so.
    assert page.get_by_test_id("imports-missing").inner_text() == "导入数据 2 项待录入"
    screenshot(page, "evaluation-03b-round-scoring")
    page.get_by_test_id("subject-figures-link").click()
    figures = page.get_by_test_id("subject-figures")
    contracted = figures.locator("tr", has_text="2.1.2 大赛产品签约采购")
    contracted.get_by_text("计入 1 条记录").click()  # what the rule counted: the signed agreement
    assert "轨旁设备视觉巡检方案" in contracted.inner_text()
    for code, value in IMPORTED.items():
        form = page.get_by_test_id(f"figure-import-{code}")
        form.get_by_label("数值").fill(value)
        form.get_by_label("来源说明").fill("发榜单位年度统计报表")
        form.get_by_role("button", name="录入").click()
        assert "的数值。" in _main(page)
    rows = {
        code: figures.locator("tr", has_text=f"{code} ").inner_text() for code in ("2.1.2", "2.2.2", "3.2.2", "4.1")
    }
    assert "10.0 / 10" in rows["2.1.2"] and "10.0 / 10" in rows["2.2.2"]
    assert "9.0 / 10" in rows["3.2.2"] and "10.0 / 10" in rows["4.1"]
    screenshot(page, "evaluation-04-figures")
    page.get_by_role("link", name=round_.title).click()
    page.wait_for_url(f"**/evaluation/rounds/{round_.pk}/")
    expect(page.get_by_test_id("imports-missing")).to_have_count(0)
    logout(page)

    # 4. The three experts score on tablets; the third spreads 4.3 widely.
    leaves = {leaf.code: leaf for leaf in round_.framework.indicators.all()}
    for number, expert in enumerate(world.experts):
        login(tablet, expert.username)
        _menu(tablet, "我的评估")
        tablet.get_by_test_id("my-round").get_by_role("link", name=round_.title).click()
        assert "签署后方可查看评价对象的材料并评分。" in _main(tablet)
        assert subject.title not in _main(tablet)  # nothing of the subject before the 回避承诺
        if number == 0:
            screenshot(tablet, "evaluation-05-commitment-tablet")
        tablet.get_by_test_id("sign-commitment").click()
        assert "已签署回避承诺。" in _main(tablet)
        tablet.get_by_test_id("expert-subjects").get_by_role("link", name=subject.title).click()
        assert report in tablet.get_by_test_id("self-assessment").inner_text()
        assert tablet.get_by_test_id("evidence-list").locator("li").count() == len(EVIDENCE_LEAVES)
        if number == 0:
            screenshot(tablet, "evaluation-05b-subject-material-tablet")
        tablet.get_by_role("link", name="填写评价表").click()
        for code, values in POINTS.items():
            leaf = leaves[code]
            tablet.get_by_label(f"{code} {leaf.name}", exact=True).fill(values[number])
            tablet.get_by_label(f"评语：{leaf.name}").fill(f"{leaf.name}：材料充分，{values[number]} 分。")
        for code in ("2.1.2", "2.2.2", *IMPORTED):
            tablet.get_by_label(f"确认该结果：{code} {leaves[code].name}").check()
        if number == 0:
            screenshot(tablet, "evaluation-06-sheet-tablet")
        tablet.get_by_test_id("submit-sheet").click()
        assert "评价表已签名提交。" in _main(tablet)
        sheet = EvaluationSheet.objects.get(subject=subject, expert=expert)
        assert tablet.get_by_test_id("sheet-sha256").inner_text() == sheet.content_sha256
        assert len(sheet.content_sha256) == 64
        if number == 0:
            screenshot(tablet, "evaluation-07-sheet-signed-tablet")
        logout(tablet)

    # 5. The lead records the agreed points of the widely spread leaf, with a reason.
    login(tablet, world.lead.username)
    _menu(tablet, "我的评估")
    screenshot(tablet, "evaluation-07b-my-evaluations-lead-tablet")
    tablet.get_by_test_id("consensus-link").click()
    item = tablet.get_by_test_id("consensus-item")
    assert item.count() == 1 and f"{CONSENSUS_LEAF} 可复制推广性" in item.inner_text()
    assert "极差 5.5" in item.inner_text()
    item.get_by_label("合议得分").fill("9")
    item.get_by_label("合议理由").fill("经专家组合议，该模式已在两条线路推广，可复制性较强。")
    screenshot(tablet, "evaluation-08-consensus-tablet")
    item.get_by_role("button", name="记录合议结果").click()
    assert "合议结果已记录，评估结果已重新计算。" in _main(tablet)
    assert "已合议" in tablet.get_by_test_id("consensus-item").inner_text()
    assert ConsensusDecision.objects.get().points == Decimal("9")
    logout(tablet)

    # 6. The operator closes the round; the result page shows the total, the grade, the dimensions
    # and the radar chart; a finding for the supplier.
    login(page, world.operator.username)
    _open_round(page, round_.title)
    page.get_by_test_id("round-report").click()
    page.get_by_test_id("round-close").click()
    assert "评估轮次已结束，结果已发布，正在生成评估报告。" in _main(page)
    assert EXPECTED_TOTAL in page.get_by_test_id("report-summary").inner_text()
    screenshot(page, "evaluation-09-report")
    page.get_by_test_id("report-summary").get_by_role("link", name=subject.title).click()
    assert page.get_by_test_id("total").inner_text() == EXPECTED_TOTAL
    assert page.get_by_test_id("grade").inner_text() == "优"
    assert SubjectResult.objects.get(subject=subject, is_published=True).total == Decimal(EXPECTED_TOTAL)
    radar = page.get_by_test_id("radar")
    assert radar.get_attribute("role") == "img" and radar.evaluate("node => node.tagName") == "svg"
    assert radar.get_by_test_id("radar-subject").count() == 1 and radar.get_by_test_id("radar-average").count() == 1
    table = page.get_by_test_id("dimensions")
    for name, score in EXPECTED_DIMENSIONS.items():
        assert score in table.locator("tr", has_text=name).inner_text()
    screenshot(page, "evaluation-10-result")
    form = page.get_by_test_id("finding-form")
    form.get_by_label("严重程度").select_option(label="一般")
    form.get_by_label("相关指标").select_option(label=str(leaves["3.3"]))
    form.get_by_label("问题描述").fill("尚未形成专利或标准，技术成果未固化。")
    form.get_by_label("整改建议").fill("半年内申请发明专利并牵头起草团体标准。")
    form.get_by_label("整改单位").select_option(label="宁波甬视智能科技有限公司")
    form.get_by_label("整改期限").fill((timezone.localdate() + timedelta(days=90)).isoformat())
    form.get_by_role("button", name="记录问题").click()
    assert "问题已记录，已通知整改单位。" in _main(page)
    assert "尚未形成专利或标准" in page.get_by_test_id("findings").inner_text()
    logout(page)

    # 6b. The publisher finds the published result and the round's report from its own list.
    login(page, world.publisher.username)
    _menu(page, "本单位评估")
    page.get_by_test_id("my-result").click()
    assert page.get_by_test_id("total").inner_text() == EXPECTED_TOTAL
    page.get_by_test_id("round-report-link").click()
    assert EXPECTED_TOTAL in page.get_by_test_id("report-summary").inner_text()
    assert page.get_by_test_id("report-download").count() == 1
    screenshot(page, "evaluation-10b-publisher-report")
    logout(page)

    # 7. The supplier reports its rectification; the operator verifies it.
    login(page, world.company_user.username)
    _menu(page, "整改清单")
    screenshot(page, "evaluation-11-rectification-list")
    page.get_by_test_id("finding-table").get_by_role("link", name="尚未形成专利或标准").click()
    page.get_by_label("整改情况").fill("已提交两项发明专利申请，团体标准已立项。")
    page.get_by_role("button", name="提交核实").click()
    assert page.get_by_test_id("finding-status").inner_text() == "待核实"
    screenshot(page, "evaluation-12-rectification")
    logout(page)
    login(page, world.operator.username)
    _menu(page, "场景评估")
    page.get_by_test_id("evaluation-hub").get_by_role("link", name="待核实", exact=True).click()
    page.get_by_test_id("finding-table").get_by_role("link", name="尚未形成专利或标准").click()
    page.get_by_role("button", name="核实通过").click()
    assert page.get_by_test_id("finding-status").inner_text() == "已核实"
    assert Finding.objects.get().status == "verified"
    screenshot(page, "evaluation-13-finding-verified")

    # 8. The operator completes the typical case the close proposed, then approves it.
    _menu(page, "场景评估")
    page.get_by_test_id("evaluation-hub").get_by_role("link", name="典型案例审定").click()
    case = TypicalCase.objects.get()
    queue = page.get_by_test_id("case-queue")
    assert EXPECTED_TOTAL in queue.locator("tr", has_text=case.title).inner_text()
    assert "案例页尚缺“解决方案”“应用成效”" in page.get_by_test_id(f"case-incomplete-{case.pk}").inner_text()
    screenshot(page, "evaluation-14-case-queue")
    page.get_by_role("link", name="入选前请先编辑案例").click()
    page.get_by_role("textbox", name="解决方案").fill("轨旁高清相机与巡检机器人结合，机器视觉识别设备异常并自动派单。")
    page.get_by_role("textbox", name="应用成效").fill("夜间巡检人工减少 60%，设备故障发现时间缩短至 10 分钟内。")
    page.get_by_role("button", name="保存", exact=True).click()
    assert "案例已保存。" in _main(page)
    page.get_by_role("link", name="典型案例审定").click()
    queue = page.get_by_test_id("case-queue")
    queue.wait_for()
    expect(page.get_by_test_id(f"case-incomplete-{case.pk}")).to_have_count(0)
    queue.get_by_label("审定结果").select_option(label="入选")
    queue.get_by_label("审定理由").fill("总分 93.01，效益突出，具备推广条件。")
    queue.get_by_role("button", name="提交").click()
    assert f"已审定：{case.title}" in _main(page)
    assert "没有待审定的案例。" in page.get_by_test_id("case-queue").inner_text()
    logout(page)

    # 9. Another SOE records a described adoption with evidence; the operator verifies it; a visitor
    # sees it on the public case page.
    login(page, world.adopter.username)
    _menu(page, "典型案例")
    page.get_by_test_id("case-list").get_by_role("link", name=case.title).click()
    page.get_by_test_id("replicate").click()
    page.get_by_label("推广应用").check()
    page.get_by_label("应用情况").fill("公交集团在 3 个停保场推广设备智能巡检，夜间人工巡检减少 60%。")
    page.get_by_label("佐证材料").set_input_files(str(world.evidence))
    screenshot(page, "evaluation-15-replication-form")
    page.get_by_role("button", name="提交登记").click()
    assert "已登记复制推广，待运营管理人员核实。" in _main(page)
    logout(page)
    login(page, world.operator.username)
    _menu(page, "场景评估")
    page.get_by_test_id("evaluation-hub").get_by_role("link", name="待核实的复制推广").click()
    row = page.get_by_test_id("replication-queue").locator("tr", has_text="宁波市公交集团有限公司")
    row.get_by_label("核实结果").select_option(label="核实通过")
    row.get_by_label("核实意见").fill("佐证材料齐全。")
    row.get_by_role("button", name="提交").click()
    assert "已核实。" in _main(page)
    assert Replication.objects.get().status == "verified"
    logout(page)
    _menu(page, "典型案例")
    page.get_by_test_id("case-list").get_by_role("link", name=case.title).click()
    replications = page.get_by_test_id("case-replications").inner_text()
    assert "宁波市公交集团有限公司" in replications and "推广应用" in replications
    assert page.get_by_test_id("case-total").inner_text() == EXPECTED_TOTAL
    screenshot(page, "evaluation-16-public-case")


def _open_round(page, title: str) -> None:
    _menu(page, "场景评估")
    page.get_by_test_id("evaluation-hub").get_by_role("link", name="评估轮次", exact=True).click()
    page.get_by_test_id("round-list").get_by_role("link", name=title).click()
