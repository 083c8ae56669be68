"""TOTP second factor for operators, officials, judges, the administrator and the auditor: the
session is not signed in until the code is proved; recovery codes; the token endpoint asks too."""

import base64
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services, totp
from accounts.models import RecoveryCode, TotpDevice
from accounts.sign_in import FAILURES_PER_NAME
from core.models import AuditRecord
from tests.conftest import TEST_PASSWORD
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.PORTAL_REQUIRE_TOTP = True
    return settings


def _enrol(user) -> tuple[str, list[str]]:
    device = services.totp_enrol_start(actor=user)
    secret = device.pending_secret
    codes = services.totp_enrol_confirm(actor=user, code=totp.hotp(secret, totp.current_step()))
    return secret, codes


def _next_code(secret: str) -> str:
    """A code of the coming step (the current one was used to confirm the app)."""
    return totp.hotp(secret, totp.current_step() + 1)


def _password(client, user, next_url=""):
    data = {"username": user.username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_rfc_6238_test_vectors():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert [totp.hotp(secret, seconds // 30) for seconds in (59, 1111111109, 1234567890, 2000000000)] == [
        "287082",
        "081804",
        "005924",
        "279037",
    ]
    assert totp.matching_step(secret, "287082", now=59) == 1
    assert totp.matching_step(secret, "287082", now=59, after_step=1) is None  # never twice
    assert totp.matching_step(secret, "２８７０８２", now=59) is None


def test_when_required_an_operator_sets_up_the_app_before_being_signed_in(client, required, operator):
    response = _password(client, operator)
    assert response.url == reverse("accounts:login-setup") and not _signed_in(client)
    assert client.get(reverse("accounts:role-home", args=["operator"])).status_code == 302
    page = client.get(reverse("accounts:login-setup")).content.decode()
    secret = TotpDevice.objects.get(user=operator).pending_secret
    assert totp.grouped(secret) in page
    assert "otpauth://totp/" in page and f"secret={secret}" in page

    page = client.post(reverse("accounts:login-setup"), {"code": "000000"}).content.decode()
    assert "验证码不正确" in page and not _signed_in(client)
    page = client.post(reverse("accounts:login-setup"), {"code": totp.hotp(secret, totp.current_step())})
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page.content.decode())
    assert len(codes) == 10 and _signed_in(client)
    assert RecoveryCode.objects.filter(user=operator).count() == 10
    assert not RecoveryCode.objects.filter(digest__in=codes).exists()  # kept as digests
    assert AuditRecord.objects.filter(action="auth.totp_enrol", actor=operator).exists()
    assert client.get(reverse("accounts:role-home", args=["operator"])).status_code == 200


def test_a_judge_with_an_app_proves_a_code_even_when_not_required(client):
    judge = UserFactory(roles=["judge"])
    secret, _codes = _enrol(judge)
    next_url = reverse("accounts:role-home", args=["judge"])
    response = _password(client, judge, next_url)
    assert response.url == reverse("accounts:login-verify") and not _signed_in(client)

    page = client.post(reverse("accounts:login-verify"), {"code": "123456"}).content.decode()
    assert "验证码不正确。" in page and not _signed_in(client)
    failure = AuditRecord.objects.get(action="auth.totp_failed")
    assert failure.after["username"] == judge.username

    response = client.post(reverse("accounts:login-verify"), {"code": _next_code(secret)})
    assert response.url == next_url and _signed_in(client)

    client.logout()
    _password(client, judge)
    page = client.post(reverse("accounts:login-verify"), {"code": _next_code(secret)}).content.decode()
    assert "验证码不正确。" in page and not _signed_in(client)  # the same code is not accepted twice


def test_a_recovery_code_signs_in_once(client, required, operator):
    _secret, codes = _enrol(operator)
    _password(client, operator)
    response = client.post(reverse("accounts:login-verify"), {"code": codes[3].upper()}, follow=True)
    assert _signed_in(client) and "还剩 9 个恢复码" in response.content.decode()
    assert AuditRecord.objects.get(action="auth.recovery_code_use").after == {"left": 9}
    client.logout()
    _password(client, operator)
    client.post(reverse("accounts:login-verify"), {"code": codes[3]})
    assert not _signed_in(client)


def test_wrong_codes_lock_the_name_like_wrong_passwords(client, required, operator):
    secret, _codes = _enrol(operator)
    _password(client, operator)
    for _ in range(FAILURES_PER_NAME):
        client.post(reverse("accounts:login-verify"), {"code": "000000"})
    response = client.post(reverse("accounts:login-verify"), {"code": _next_code(secret)}, follow=True)
    assert not _signed_in(client) and "登录失败次数过多" in response.content.decode()
    page = _password(client, operator).content.decode()
    assert "登录失败次数过多" in page and not _signed_in(client)


def test_other_roles_sign_in_with_their_password_alone(client, required, company_member):
    assert _password(client, company_member).url == reverse("accounts:home")
    assert _signed_in(client)


def test_a_session_that_skipped_the_second_factor_is_ended(client, required, operator):
    client.force_login(operator)  # as the admin's own login form would
    response = client.get(reverse("accounts:role-home", args=["operator"]), follow=True)
    assert not _signed_in(client)
    assert "请在登录页重新登录并完成两步验证。" in response.content.decode()


def test_the_admin_signs_in_on_the_portal_login_page(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_token_endpoint_asks_for_the_code(required, operator, auditor):
    api = APIClient()
    data = {"username": auditor.username, "password": TEST_PASSWORD}
    response = api.post(reverse("v1:auth-token"), data)
    assert response.status_code == 400 and response.json()["detail"] == "请先登录网页设置两步验证，再获取令牌。"
    secret, _codes = _enrol(operator)
    data = {"username": operator.username, "password": TEST_PASSWORD}
    response = api.post(reverse("v1:auth-token"), data)
    assert response.status_code == 400 and response.json()["code"] == ["请填写两步验证码。"]
    response = api.post(reverse("v1:auth-token"), {**data, "code": "999999"})
    assert response.status_code == 400 and response.json()["detail"] == "验证码不正确。"
    response = api.post(reverse("v1:auth-token"), {**data, "code": _next_code(secret)})
    assert response.status_code == 200 and response.json()["token"]


def test_the_security_page_sets_up_replaces_and_renews(client, company_member):
    client.force_login(company_member)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "未启用" in page
    client.get(reverse("accounts:totp-setup"))
    secret = TotpDevice.objects.get(user=company_member).pending_secret
    client.post(reverse("accounts:totp-setup"), {"code": totp.hotp(secret, totp.current_step())})
    page = client.get(reverse("accounts:security")).content.decode()
    assert "已启用" in page and "还剩 10 个恢复码" in page
    old = set(RecoveryCode.objects.values_list("digest", flat=True))
    page = client.post(reverse("accounts:security"), {"action": "recovery_codes"}).content.decode()
    assert len(re.findall(r"<li><code>", page)) == 10
    assert not old & set(RecoveryCode.objects.values_list("digest", flat=True))


def test_production_requires_it_and_local_and_test_settings_do_not(settings):
    from pathlib import Path

    assert settings.PORTAL_REQUIRE_TOTP is False
    production = (Path(settings.BASE_DIR) / "config/settings/production.py").read_text()
    assert 'PORTAL_REQUIRE_TOTP = env_bool("PORTAL_REQUIRE_TOTP", True)' in production


def test_anybody_who_set_up_an_app_proves_it_at_sign_in(client, company_member):
    secret, _codes = _enrol(company_member)
    assert _password(client, company_member).url == reverse("accounts:login-verify")
    assert not _signed_in(client)
    client.post(reverse("accounts:login-verify"), {"code": _next_code(secret)})
    assert _signed_in(client)
