"""The operator's journey in Chromium: sign in from the home page, open a contest (one mistake on
the form first), move a round date with a reason and see it in the history; then the 能力清单 review
queue: search it, open an entry from its notification and approve it on the entry's own page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from capability_list import services as capability_services
from contests.models import Contest
from tests.browser.conftest import PASSWORD, screenshot
from tests.factories.accounts import OrganisationFactory, operator_user
from tests.factories.capability_list import EntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

ROUND_LABELS = [
    "发榜开始",
    "揭榜报名开始",
    "资格审查开始（报名截止）",
    "路演评审开始",
    "复议开始",
    "公示开始",
    "结果发布",
]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_operator_opens_a_contest_moves_a_round_and_approves_from_a_notification(page):
    operator = operator_user(username="kejiju", display_name="市科技局 陈晓")
    # A company submits two entries (the operators are told about each), a third waits too.
    camera = EntryFactory(name="高位视频车位检测终端", company=OrganisationFactory(name="宁波甬视智能科技有限公司"))
    capability_services.entry_submit(actor=camera.submitted_by, entry=camera)
    other = EntryFactory(name="智能水表远传系统", company=OrganisationFactory(name="宁波水表科技有限公司"))
    capability_services.entry_submit(actor=other.submitted_by, entry=other)

    # Sign in from the public home page.
    page.goto("/")
    page.locator("main").get_by_role("link", name="登录").click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("用户名").fill(operator.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/home/operator/")
    expect(page.get_by_test_id("capability-review-count")).to_have_text("2")
    screenshot(page, "operator-journey-01-home")

    # 新建大赛 from the contest list; first with a budget of 0.
    page.get_by_role("navigation").get_by_role("link", name="场景大赛").first.click()
    page.wait_for_url("**/contests/")
    page.get_by_test_id("contest-create-link").click()
    page.wait_for_url("**/contests/new/")
    page.get_by_label("名称").fill("2027 宁波城市治理场景大赛")
    page.get_by_label("奖励预算（元）").fill("0")
    page.get_by_label("每家企业限报数").fill("2")
    page.get_by_label("说明").fill("面向交通、水务、城管场景，征集成熟技术解决方案。")
    first = timezone.now() - timedelta(hours=1)
    starts = [first + timedelta(days=index * 7) for index in range(7)]
    for label, start in zip(ROUND_LABELS, starts, strict=True):
        page.get_by_label(label).fill(_local(start))
    page.get_by_test_id("contest-create").click()
    page.wait_for_url("**/contests/new/")
    expect(page.get_by_text("奖励预算应大于 0。")).to_have_count(1)
    assert not Contest.objects.exists()
    screenshot(page, "operator-journey-02-contest-form-error")

    page.get_by_label("奖励预算（元）").fill("3000000")
    page.get_by_test_id("contest-create").click()
    page.wait_for_url("**/contests/*/")
    contest = Contest.objects.get()
    expect(page.get_by_text("大赛已创建")).to_have_count(1)
    expect(page.get_by_test_id("operator-steps").get_by_role("link")).to_have_count(6)
    expect(page.get_by_test_id("rounds")).to_contain_text("发榜")
    screenshot(page, "operator-journey-03-contest-page")

    # 调整日程: put 揭榜报名 off by two days, with the reason.
    page.get_by_test_id("reschedule-link").click()
    page.wait_for_url(f"**/contests/{contest.pk}/schedule/")
    expect(page.get_by_test_id("rounds-now").locator("tr", has_text="进行中")).to_have_count(1)
    later = starts[1] + timedelta(days=2)
    page.get_by_label("揭榜报名开始").fill(_local(later))
    page.get_by_test_id("reschedule-save").click()
    page.wait_for_url(f"**/contests/{contest.pk}/schedule/")
    expect(page.locator(".errorlist")).to_contain_text("该字段是必填项")
    screenshot(page, "operator-journey-04a-reschedule-needs-a-reason")
    page.get_by_label("调整原因").fill("发榜方申请延长发榜期，便于补充榜单")
    page.get_by_test_id("reschedule-save").click()
    page.wait_for_url(f"**/contests/{contest.pk}/")
    history = page.get_by_test_id("schedule-history")
    expect(history).to_contain_text("发榜方申请延长发榜期")
    shown = {moment: _local(moment).replace("T", " ") for moment in (starts[1], later)}
    expect(history).to_contain_text(f"揭榜报名：{shown[starts[1]]} → {shown[later]}")
    expect(history).to_contain_text("陈晓")
    history.scroll_into_view_if_needed()
    screenshot(page, "operator-journey-04b-schedule-history")

    # The 能力清单 review queue: search it.
    page.get_by_role("navigation").get_by_role("link", name="清单审核").click()
    page.wait_for_url("**/capabilities/review/")
    page.get_by_label("搜索（名称、企业）").fill("车位检测")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/capabilities/review/?*")
    new_entries = page.get_by_test_id("entry-queue")
    expect(new_entries.locator("tbody tr")).to_have_count(1)
    expect(new_entries.locator("tbody")).to_contain_text("高位视频车位检测终端")
    screenshot(page, "operator-journey-05-queue-search")

    # The notification names the entry and opens the entry itself, where it is approved.
    page.get_by_test_id("notifications-link").click()
    page.wait_for_url("**/notifications/")
    page.get_by_role("button", name="能力清单待审核：高位视频车位检测终端").click()
    page.wait_for_url(f"**/capabilities/{camera.pk}/")
    expect(page.get_by_test_id("entry-review")).to_have_count(1)
    screenshot(page, "operator-journey-06-entry-from-notification")
    page.get_by_test_id("entry-review-submit").click()
    page.wait_for_url("**/capabilities/review/")
    expect(page.get_by_text("已列入清单：高位视频车位检测终端")).to_have_count(1)
    expect(page.get_by_test_id("entry-queue").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("entry-queue").locator("tbody")).to_contain_text("智能水表远传系统")
    camera.refresh_from_db()
    assert camera.status == "listed"
    screenshot(page, "operator-journey-07-approved-back-in-queue")

    # From a searched queue, return an entry with a reason on its page: back to the same search.
    page.get_by_label("搜索（名称、企业）").fill("水表")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/capabilities/review/?q=*")
    page.get_by_test_id("entry-queue").locator("tbody").get_by_role("link", name="智能水表远传系统").click()
    page.wait_for_url(f"**/capabilities/{other.pk}/?back=**")
    page.get_by_label("审核", exact=True).select_option(label="退回修改")
    page.get_by_test_id("entry-review-submit").click()
    page.wait_for_url(f"**/capabilities/{other.pk}/?back=**")
    expect(page.get_by_text("请填写退回的原因。")).to_have_count(1)
    page.get_by_label("审核", exact=True).select_option(label="退回修改")
    page.get_by_placeholder("审核意见（退回时必填）").fill("请补充远传通信方式和应用案例")
    page.get_by_test_id("entry-review-submit").click()
    page.wait_for_url("**/capabilities/review/?q=*")
    expect(page.get_by_label("搜索（名称、企业）")).to_have_value("水表")
    expect(page.get_by_text("已退回修改：智能水表远传系统")).to_have_count(1)
    expect(page.get_by_text("没有待审核的条目。")).to_have_count(1)
    screenshot(page, "operator-journey-08-returned-back-to-search")
