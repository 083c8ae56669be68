"""The portal on a phone (390 × 844): the main menu folds behind 菜单, the catalogues' filters fold
behind 筛选 so the first result is on the first screen, and no page is wider than the screen — a
wide table scrolls inside its own box (<div class="table-scroll">)."""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from contests import services
from tests.browser.conftest import login, screenshot
from tests.contests.conftest import make_eligible_entries, make_panel, move_to, rounds_starting, sheet_totalling
from tests.factories.accounts import OrganisationFactory, operator_user
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory

PHONE = {"width": 390, "height": 844}
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

in_chromium = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def chromium_test(test):
    for mark in in_chromium:
        test = mark(test)
    return test


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
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
    yield page
    context.close()
    assert outside == [], f"requests outside the portal: {outside}"


def page_width(page) -> int:
    """How wide the page is. On a phone a page wider than the screen also widens the layout
    viewport (window.innerWidth), so both are measured against the phone's own width."""
    return page.evaluate("Math.max(document.documentElement.scrollWidth, window.innerWidth)")


def assert_fits(page) -> None:
    assert page_width(page) <= PHONE["width"], f"{page.url} is {page_width(page)}px wide on a 390px phone"


def menu_link(page, name: str):
    return page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True)


def published_scenarios(count: int) -> list:
    publisher = OrganisationFactory(kind="soe", name="宁波市轨道交通集团有限公司")
    return [
        ScenarioFactory(
            status="published",
            publisher=publisher,
            title=f"地铁站点P+R停车场智慧停车诱导系统（第{number + 1}期）",
            summary="在地铁3号线、5号线部分车站试点车位检测与诱导，提升换乘停车效率。",
            needs=["高位视频车位检测", "停车诱导信息发布屏", "无感支付"],
        )
        for number in range(count)
    ]


def new_contest(operator):
    return services.contest_create(
        actor=operator,
        name="2026 宁波场景大赛",
        year=2026,
        award_budget="5000000",
        rounds=rounds_starting("challenges"),
    )


@chromium_test
def test_catalogue_on_a_phone_folds_its_filters_so_the_first_result_is_on_the_first_screen(phone):
    published_scenarios(3)
    page = phone
    page.goto("/scenarios/")

    fold = page.get_by_test_id("catalogue-filter-fold")
    expect(fold).not_to_have_attribute("open", re.compile(".*"))
    expect(page.get_by_label("关键词")).to_be_hidden()
    expect(page.get_by_test_id("scenario-card")).to_have_count(3)
    first = page.get_by_test_id("scenario-card").first.bounding_box()
    assert first["y"] + 60 < PHONE["height"], f"the first result starts at {first['y']}px"
    assert_fits(page)
    screenshot(page, "phone-catalogue")

    # 筛选 unfolds the form; after a search the summary names the filter in use.
    page.locator("summary", has_text="筛选").click()
    page.get_by_label("关键词").fill("第2期")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/scenarios/?*q=*")
    expect(page.get_by_test_id("scenario-card")).to_have_count(1)
    expect(fold.locator("summary")).to_contain_text("关键词")
    assert_fits(page)


@chromium_test
def test_scenario_page_on_a_phone_fits_the_screen_and_its_menu_unfolds(phone):
    scenario = published_scenarios(1)[0]
    scenario.need_description = (
        "申报指南见 https://kjj.ningbo.gov.cn/art/2026/3/15/art_1229051234_58912345_open_scenarios_guide.pdf ，"
        "接口文档 GB/T-37668-2019-accessibility-requirements-for-web-content-ningbo-portal-v2.docx。"
    )
    scenario.save()
    page = phone
    page.goto(f"/scenarios/{scenario.pk}/")
    expect(page.get_by_test_id("scenario-title")).to_have_text(scenario.title)
    assert_fits(page)
    screenshot(page, "phone-scenario")

    # The main menu is folded behind 菜单 and still leads everywhere.
    expect(menu_link(page, "能力清单")).to_be_hidden()
    page.locator("summary", has_text="菜单").click()
    expect(menu_link(page, "能力清单")).to_be_visible()
    assert_fits(page)
    screenshot(page, "phone-menu")
    menu_link(page, "能力清单").click()
    page.wait_for_url("**/capabilities/")
    expect(menu_link(page, "能力清单")).to_be_hidden()


@chromium_test
def test_capability_list_on_a_phone_scrolls_its_table_inside_its_own_box(phone):
    for name, company in [
        ("污染源自动监测设备比对检测服务（轻量版）", "宁波海曙智校教育科技有限公司"),
        ("大气颗粒物微型监测站（轻量版）", "宁波甬视智能科技有限公司"),
    ]:
        EntryFactory(name=name, company=OrganisationFactory(name=company), status="listed")
    page = phone
    page.goto("/capabilities/")
    expect(page.get_by_test_id("entry-row")).to_have_count(2)
    expect(page.get_by_test_id("capability-filter-fold")).not_to_have_attribute("open", re.compile(".*"))
    assert_fits(page)
    # The table is wider than the phone; it scrolls within its box instead of widening the page.
    box = page.locator(".table-scroll", has=page.get_by_test_id("entry-list"))
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    screenshot(page, "phone-capabilities")


@chromium_test
def test_contest_results_on_a_phone_fit_the_screen(phone):
    operator = operator_user(username="kejiju")
    contest = new_contest(operator)
    scenario = published_scenarios(1)[0]
    challenge = services.challenge_create(
        actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="800000", requirements="准确率 ≥ 98%"
    )
    entries = make_eligible_entries(challenge, operator, 3)
    judges = make_panel(challenge, operator, 5)
    move_to(contest, "roadshow")
    totals = [[80, 82, 84, 86, 99], [70, 75, 80, 85, 90], [60, 90, 90, 90, 95]]
    for entry, entry_totals in zip(entries, totals):
        for judge, total in zip(judges, entry_totals):
            services.sheet_save(actor=judge, entry=entry, points=sheet_totalling(contest, total), submit=True)
    for entry in entries:
        services.entry_record_credit_check(actor=operator, entry=entry, passed=True)
    move_to(contest, "results")
    services.award_decide(actor=operator, entry=entries[2], amount="800000")  # ranked first, 90.00
    page = phone

    page.goto(f"/contests/{contest.pk}/notice/")  # 公示 and then the results, open to everyone
    expect(page.get_by_test_id("notice-ranking").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("notice-ranking")).to_contain_text("¥800,000.00")
    assert_fits(page)
    screenshot(page, "phone-contest-notice")

    login(page, operator.username)
    page.goto(f"/challenges/{challenge.pk}/ranking/")
    expect(page.get_by_test_id("ranking-row")).to_have_count(3)
    assert_fits(page)
    screenshot(page, "phone-contest-ranking")


@chromium_test
def test_catalogue_filters_and_menu_stay_open_on_a_wide_screen(page):
    published_scenarios(1)
    page.goto("/scenarios/")  # the shared fixture's 1280 × 900 window
    expect(page.get_by_test_id("catalogue-filter-fold")).to_have_attribute("open", "")
    expect(page.get_by_label("关键词")).to_be_visible()
    expect(page.locator("summary", has_text="筛选")).to_be_hidden()
    expect(page.locator("summary", has_text="菜单")).to_be_hidden()
    expect(menu_link(page, "能力清单")).to_be_visible()
    screenshot(page, "wide-catalogue")


@chromium_test
def test_no_main_page_of_an_operator_is_wider_than_a_phone(phone):
    """A safety net: every page in an operator's menu, and the pages they open most, fit a phone."""
    scenario = published_scenarios(1)[0]
    supplier = OrganisationFactory(name="宁波甬视智能科技有限公司")
    EntryFactory(name="高位视频车位检测终端", company=supplier, status="listed")
    EntryFactory(name="毫米波人体安检仪", status="submitted")
    operator = operator_user(username="kejiju")
    contest = new_contest(operator)
    services.challenge_create(
        actor=scenario.created_by, contest=contest, scenario=scenario, award_cap="800000", requirements="准确率 ≥ 98%"
    )
    page = phone
    login(page, operator.username)
    page.locator("summary", has_text="菜单").click()
    menu = page.get_by_role("navigation", name="主导航").get_by_role("link")
    paths = [urlparse(href).path for href in menu.evaluate_all("links => links.map(link => link.href)")]
    assert len(paths) >= 10, paths
    paths += [
        f"/scenarios/{scenario.pk}/",
        f"/contests/{contest.pk}/",
        "/challenges/",
        "/notifications/",
        "/organisation/",
    ]
    too_wide = {}
    for path in dict.fromkeys(paths):
        response = page.goto(path)
        assert response.status == 200, path
        if page_width(page) > PHONE["width"]:
            too_wide[path] = page_width(page)
    assert too_wide == {}
    screenshot(page, "phone-operator-last-page")


def test_every_table_in_the_templates_sits_in_a_scroll_box():
    """The shared pattern: a template's <table> is the first thing inside <div class="table-scroll">."""
    unwrapped = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for table in re.finditer(r"<table\b", text):
            before = re.sub(r"\{%.*?%\}|\{#.*?#\}", "", text[: table.start()]).rstrip()
            if not re.search(r'<div\s[^>]*\bclass="[^"]*\btable-scroll\b[^"]*"[^>]*>$', before):
                unwrapped.append(f"{path.relative_to(TEMPLATES)}:{text[: table.start()].count(chr(10)) + 1}")
    assert unwrapped == []
