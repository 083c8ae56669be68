import pytest
from django.core.management import call_command

from demo import accounts as demo_accounts
from demo.accounts import DEMO_PASSWORD, DEMO_USERS
from tests.accounts.test_pages import ROLE_HEADINGS
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_each_demo_role_logs_in_and_sees_its_home_page(page):
    call_command("seed_demo")
    for username, display_name, role, _organisation, _admin in DEMO_USERS:
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"**/home/{role}/")
        assert page.get_by_test_id("role-home-title").inner_text() == ROLE_HEADINGS[role]
        assert page.get_by_test_id("current-user").inner_text() == display_name
        screenshot(page, f"home-{role}")
        page.get_by_role("button", name="退出").click()
        page.wait_for_url("**/")


def test_official_dashboard_draws_its_chart_with_the_bundled_echarts(page):
    call_command("seed_demo")
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("official")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/home/official/")
    page.locator("[data-testid=chart-district] canvas").wait_for()
    screenshot(page, "official-dashboard")


def test_wrong_password_shows_a_chinese_message(page):
    demo_accounts.seed()  # the demo logins are all it needs
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("company")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert "请输入一个正确的" in page.locator(".messages").inner_text()
