"""A company edits its listed entry; the listed version stays public until the operator, having
looked at the diff, approves the change from the review queue; then the public page shows it."""

import pytest
from playwright.sync_api import expect

from capability_list.models import Credential
from tests.browser.conftest import PASSWORD, logout, screenshot
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.capability_list import EntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

LISTED_TEXT = "采用高位枪球一体摄像机，单台覆盖 6 个路侧泊位，识别准确率 99%。"
NEW_TEXT = "采用高位枪球一体摄像机，单台覆盖 8 个路侧泊位，识别准确率 99.5%，支持无感支付。"


def _sign_in_from_home(page, username):
    page.goto("/")
    page.locator("main").get_by_role("link", name="登录").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/home/**")


def test_company_edits_a_listed_entry_and_the_operator_approves_the_change_after_the_diff(page, browser, live_server):
    company = OrganisationFactory(name="宁波甬视智能科技有限公司")
    member = UserFactory(username="yongshi", display_name="陈晓峰", organisation=company, roles=["company"])
    entry = EntryFactory(
        company=company,
        submitted_by=member,
        name="高位视频车位检测终端",
        description=LISTED_TEXT,
        technology_fields=["机器视觉", "边缘计算"],
        status="listed",
    )
    Credential.objects.create(
        entry=entry, kind="first_set", certificate_number="NB-2024-0088", level="municipal", year=2024
    )
    operator = operator_user(username="kejiju", display_name="王运营")
    visitor = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    public = visitor.new_page()

    # The company signs in from the home page and opens its entry from 我的能力清单.
    _sign_in_from_home(page, member.username)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的能力清单").click()
    page.wait_for_url("**/capabilities/mine/")
    screenshot(page, "capability-edit-1-mine")
    page.get_by_test_id("my-entries").get_by_role("link", name="高位视频车位检测终端").click()
    page.wait_for_url(f"**/capabilities/{entry.pk}/")
    expect(page.get_by_test_id("entry-status")).to_have_text("已入库")
    screenshot(page, "capability-edit-2-entry")

    # It edits the listed entry and sends the change for review.
    page.get_by_test_id("change-start").click()
    page.wait_for_url(f"**/capabilities/{entry.pk}/change/")
    expect(page.get_by_test_id("change-notice")).to_be_visible()
    page.get_by_label("技术（产品）简介").fill(NEW_TEXT)
    page.get_by_label("技术领域").fill("机器视觉、边缘计算、移动支付")
    screenshot(page, "capability-edit-3-editor")
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_url(f"**/capabilities/{entry.pk}/")
    expect(page.get_by_test_id("change-status")).to_have_text("待审核")
    expect(page.get_by_test_id("entry-status")).to_have_text("已入库")
    expect(page.get_by_test_id("diff-changed")).to_have_count(2)  # 简介 and 技术领域
    screenshot(page, "capability-edit-4-pending")

    # Meanwhile the public page still shows the listed version.
    public.goto(f"/capabilities/{entry.pk}/")
    expect(public.locator("main")).to_contain_text(LISTED_TEXT)
    expect(public.locator("main")).not_to_contain_text("无感支付")
    expect(public.get_by_test_id("change")).to_have_count(0)
    screenshot(public, "capability-edit-5-public-before")
    logout(page)

    # The operator opens the change from the review queue, looks at the diff and approves it.
    _sign_in_from_home(page, operator.username)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="清单审核").click()
    page.wait_for_url("**/capabilities/review/")
    screenshot(page, "capability-edit-6-queue")
    page.get_by_test_id("change-queue").get_by_role("link", name="高位视频车位检测终端").click()
    page.wait_for_url("**/capabilities/changes/*/review/")
    diff = page.get_by_test_id("change-diff")
    expect(diff.locator("ins", has_text="移动支付")).to_have_count(1)
    expect(diff.locator("ins", has_text="无感支付")).to_have_count(1)
    screenshot(page, "capability-edit-7-diff")
    page.get_by_label("通过，替换已入库版本").check()
    page.get_by_test_id("change-decide").click()
    page.wait_for_url("**/capabilities/review/")
    expect(page.locator(".messages")).to_contain_text("修改已生效")
    expect(page.get_by_test_id("change-queue").get_by_role("link")).to_have_count(0)
    screenshot(page, "capability-edit-8-approved")

    # The public page now shows the new text.
    public.goto(f"/capabilities/{entry.pk}/")
    expect(public.locator("main")).to_contain_text(NEW_TEXT)
    expect(public.locator("main")).not_to_contain_text(LISTED_TEXT)
    screenshot(public, "capability-edit-9-public-after")
    visitor.close()
