"""Signing in as 等保 level 3 asks: the second factor set up and proved, a locked account unlocked
by an operator, a password someone else chose changed first — walked in Chromium."""

import pytest
from playwright.sync_api import expect

from accounts import totp
from accounts.models import User
from accounts.sign_in import FAILURES_PER_NAME
from tests.browser.conftest import PASSWORD, login, logout, screenshot
from tests.factories.accounts import UserFactory, operator_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _password_step(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/")
    page.get_by_role("link", name="登录").first.click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_an_operator_sets_up_the_second_factor_then_proves_it(page, settings):
    settings.PORTAL_REQUIRE_TOTP = True
    operator = operator_user(username="xu")
    _password_step(page, "xu")
    page.wait_for_url("**/accounts/login/setup/")
    screenshot(page, "sign-in-totp-setup")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(totp.hotp(secret, totp.current_step()))
    page.get_by_role("button", name="完成设置").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    screenshot(page, "sign-in-recovery-codes")
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url("**/home/operator/")
    logout(page)

    _password_step(page, "xu")
    page.wait_for_url("**/accounts/login/verify/")
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url("**/accounts/login/verify/")
    expect(page.get_by_text("验证码不正确。")).to_have_count(1)
    screenshot(page, "sign-in-totp-wrong-code")
    page.get_by_label("验证码").fill(totp.hotp(operator.totp_device.secret, totp.current_step() + 1))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url("**/home/operator/")
    page.get_by_test_id("current-user").click()
    page.wait_for_url("**/accounts/security/")
    expect(page.get_by_text("还剩 10 个恢复码。")).to_have_count(1)
    screenshot(page, "account-security")


def test_an_operator_unlocks_a_judge_who_mistyped_five_times(page):
    operator_user(username="xu")
    UserFactory(username="zhou", display_name="周立新", roles=["judge"])
    for _ in range(FAILURES_PER_NAME):
        _password_step(page, "zhou", "wrong-password")
        page.wait_for_url("**/accounts/login/")
    _password_step(page, "zhou")
    page.wait_for_url("**/accounts/login/")
    expect(page.get_by_text("登录失败次数过多，已暂时锁定")).to_have_count(1)
    screenshot(page, "sign-in-locked")

    login(page, "xu")
    page.get_by_role("link", name="解锁账号").click()
    page.wait_for_url("**/operator/accounts/locked/")
    expect(page.get_by_test_id("locked-account")).to_have_count(1)
    screenshot(page, "operator-locked-accounts")
    page.get_by_label("解锁原因").fill("电话核实为本人")
    page.get_by_role("button", name="解锁", exact=True).click()
    page.wait_for_url("**/operator/accounts/locked/")
    expect(page.get_by_text("已解锁账号 zhou。")).to_have_count(1)
    expect(page.get_by_test_id("locked-account")).to_have_count(0)
    logout(page)

    login(page, "zhou")
    page.wait_for_url("**/home/judge/")


def test_a_password_someone_else_chose_is_changed_first(page):
    UserFactory(username="qian", roles=["judge"], password_change_required=True)
    _password_step(page, "qian")
    page.wait_for_url("**/accounts/password/")
    screenshot(page, "password-change-required")
    page.get_by_label("当前密码").fill(PASSWORD)
    page.locator("#id_new_password1").fill("short")
    page.get_by_label("确认新密码").fill("short")
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_url("**/accounts/password/")
    expect(page.get_by_text("密码至少需要 10 个字符，当前为 5 个。", exact=False)).to_have_count(1)
    screenshot(page, "password-change-refused")
    page.get_by_label("当前密码").fill(PASSWORD)
    page.locator("#id_new_password1").fill("Qian-own-pass-1")
    page.get_by_label("确认新密码").fill("Qian-own-pass-1")
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_url("**/accounts/security/")
    assert not User.objects.get(username="qian").password_change_required
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作台").click()
    page.wait_for_url("**/home/judge/")
