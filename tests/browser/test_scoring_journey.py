"""Five judges score a panel on tablets; the ranking uses the trimmed mean; an operator decides
the awards; the 公示 shows ranks and totals and nothing per judge."""

import pytest
from playwright.sync_api import expect

from contests import services
from contests.models import Award, ScoreSheet
from tests.browser.conftest import ARTIFACTS, login, logout, screenshot
from tests.contests.conftest import make_eligible_entries, make_panel, move_to, rounds_starting
from tests.factories.accounts import operator_user
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

TABLET = {"width": 820, "height": 1180}
# 整体技术解决方案 (max 25) is lowered by these points per judge; every other criterion at its maximum.
DEDUCTIONS = {"方案1": [0, 5, 10, 15, 20], "方案2": [1, 2, 3, 4, 24]}  # totals 100…80 → 90.00; 99…76 → 97.00


@pytest.fixture
def tablet(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=TABLET, has_touch=True, is_mobile=True
    )
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
    page.on("dialog", lambda dialog: dialog.accept())  # "提交后将签名并锁定" confirmation
    yield page
    context.close()
    assert outside == [], f"requests outside the portal: {outside}"


def _score(page, entry_title: str, deduction: int) -> None:
    page.goto("/judging/")
    row = page.get_by_test_id("judge-entries").locator("tr", has_text=entry_title)
    row.get_by_role("link", name="评分").click()
    maxima = {
        "场景需求理解": 15,
        "整体技术解决方案": 25,
        "方案可实施性": 20,
        "结果评价/预期成效": 15,
        "首创性": 15,
        "先进性": 10,
    }
    for name, maximum in maxima.items():
        page.get_by_label(name, exact=True).fill(str(maximum - deduction if name == "整体技术解决方案" else maximum))
    assert page.get_by_test_id("running-total").inner_text() == str(100 - deduction)
    page.get_by_test_id("submit-sheet").click()
    assert "评分表已签名提交" in page.locator("main").inner_text()


def test_five_judges_score_on_tablets_then_ranking_awards_and_notice(tablet):
    page = tablet
    operator = operator_user(username="kejiju")
    contest = services.contest_create(
        actor=operator,
        name="2026 宁波场景大赛",
        year=2026,
        award_budget="5000000",
        rounds=rounds_starting("challenges"),
    )
    scenario = ScenarioFactory(status="published", title="智慧停车管理系统")
    challenge = services.challenge_create(
        actor=scenario.created_by,
        contest=contest,
        scenario=scenario,
        award_cap="800000",
        requirements="车位检测准确率 ≥ 98%",
    )
    entries = make_eligible_entries(challenge, operator, 2)
    judges = make_panel(challenge, operator, 5)
    for number, judge in enumerate(judges):
        judge.username = f"judge{number + 1}"
        judge.save()
    move_to(challenge.contest, "roadshow")

    # The first judge types an out-of-range value: the page flags it as typed and the server refuses it.
    login(page, judges[0].username)
    page.goto("/judging/")
    page.get_by_test_id("judge-entries").locator("tr", has_text="方案1").get_by_role("link", name="评分").click()
    # The entry's material is open on the same page as the criteria: the challenge's requirements and
    # the entry itself, above the criteria on a tablet.
    material = page.get_by_test_id("entry-material")
    expect(material).to_be_visible()
    expect(material).to_contain_text("车位检测准确率 ≥ 98%")
    expect(material).to_contain_text("以成熟产品为基础定制集成")
    assert material.bounding_box()["y"] < page.get_by_label("先进性", exact=True).bounding_box()["y"]
    page.get_by_label("先进性", exact=True).fill("12")
    assert page.get_by_label("先进性", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_text("应在 0–10 分之间，最小单位 0.5 分").is_visible()
    assert page.get_by_test_id("running-total").inner_text() == "0"
    page.get_by_test_id("save-draft").click()
    assert "“先进性”的得分应在 0–10 分之间。" in page.get_by_test_id("sheet-error").inner_text()
    assert not ScoreSheet.objects.exists()
    screenshot(page, "scoring-tablet-bounds")
    logout(page)

    for number, judge in enumerate(judges):
        login(page, judge.username)
        for entry in entries:
            _score(page, entry.title, DEDUCTIONS[entry.title][number])
        if number == 1:
            # Before the whole panel has submitted, a judge sees no aggregate.
            page.goto(f"/challenges/{challenge.pk}/ranking/")
            assert page.get_by_test_id("ranking-hidden").is_visible()
            assert "90.00" not in page.locator("main").inner_text()
        logout(page)
    assert ScoreSheet.objects.filter(status="submitted").count() == 10

    login(page, judges[0].username)  # the chair
    page.goto(f"/challenges/{challenge.pk}/ranking/")
    rows = page.get_by_test_id("ranking-row")
    cells = [cell.strip() for cell in rows.nth(0).locator("td").all_inner_texts()]
    assert cells[:3] == ["1", "方案2\n" + entries[1].lead.name, "97.00"]
    assert "90.00" in rows.nth(1).inner_text() and "个别专家评分偏离" in rows.nth(0).inner_text()
    screenshot(page, "scoring-ranking")
    logout(page)

    move_to(challenge.contest, "notice")
    page.goto(f"/contests/{challenge.contest_id}/notice/")
    notice = page.locator("main").inner_text()
    assert "97.00" in notice and "90.00" in notice
    for judge in judges:
        assert judge.display_name not in notice
    assert "76" not in notice and "80\t" not in notice  # no judge's own total

    for entry in entries:
        services.entry_record_credit_check(actor=operator, entry=entry, passed=True)
    move_to(challenge.contest, "results")
    login(page, operator.username)
    page.goto(f"/contests/{challenge.contest_id}/awards/")
    page.get_by_test_id("award-amount-1").fill("800000.01")
    page.get_by_test_id("decide-award-1").click()
    assert "超过该榜单的奖励上限 ¥800,000.00" in page.locator("main").inner_text()
    assert not Award.objects.exists()
    page.get_by_test_id("award-amount-1").fill("800000")
    page.get_by_test_id("decide-award-1").click()
    assert page.get_by_test_id("awarded-total").inner_text() == "¥800,000.00"
    screenshot(page, "scoring-awards")
    page.goto(f"/contests/{challenge.contest_id}/notice/")
    assert "¥800,000.00" in page.get_by_test_id("notice-ranking").inner_text()
    assert Award.objects.get().entry == entries[1]
    assert (ARTIFACTS / "scoring-ranking.png").exists()
