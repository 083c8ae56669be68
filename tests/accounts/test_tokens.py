"""API tokens that die: stored hashed, expiring, revoked by logout, password change or reset and
deactivation; no token screen in the admin; the token endpoint and the API are throttled."""

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken
from core.models import AuditRecord
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _issue(api, user, password=TEST_PASSWORD):
    return api.post(reverse("v1:auth-token"), {"username": user.username, "password": password})


REFUSED = (401, 403)  # 403 where the session authenticator, which names no scheme, answers first


def _with_key(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_key_is_answered_once_and_only_its_digest_is_stored(company_member):
    response = _issue(APIClient(), company_member)
    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get(user=company_member)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest() and key not in (token.digest, token.prefix)
    assert token.expires_at - timezone.now() > timedelta(days=29, hours=23)
    assert _with_key(key).get(reverse("v1:me")).json()["username"] == company_member.username
    assert AuditRecord.objects.filter(action="auth.token_issue", actor=company_member).exists()


def test_a_wrong_password_gets_no_token_and_a_chinese_message(company_member):
    response = _issue(APIClient(), company_member, password="wrong")
    assert response.status_code == 400 and response.json() == {"detail": "用户名或密码不正确。"}
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("key", ["nonsense", "abc.def", "", "a b"])
def test_a_forged_key_is_refused_in_chinese(key, company_member):
    services.api_token_issue(actor=company_member)
    response = _with_key(key).get(reverse("v1:me"))
    assert response.status_code in REFUSED and response.json()["detail"] in (
        "令牌无效或已过期，请重新获取。",
        "令牌格式不正确：请发送“Authorization: Token <令牌>”。",
        "身份认证信息未提供。",
    )


def test_a_token_expires(company_member, settings):
    settings.PORTAL_API_TOKEN_DAYS = 7
    token, key = services.api_token_issue(actor=company_member)
    assert token.expires_at - timezone.now() < timedelta(days=7, minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _with_key(key).get(reverse("v1:me"))
    assert response.status_code in REFUSED and response.json()["detail"] == "令牌无效或已过期，请重新获取。"


def test_logging_out_revokes_the_tokens(client, company_member):
    _token, key = services.api_token_issue(actor=company_member)
    client.force_login(company_member)
    client.post(reverse("accounts:logout"))
    assert _with_key(key).get(reverse("v1:me")).status_code in REFUSED
    assert AuditRecord.objects.filter(action="auth.token_revoke", reason="退出登录").exists()


def test_a_password_change_revokes_the_tokens(company_member):
    _token, key = services.api_token_issue(actor=company_member)
    services.password_change(actor=company_member, old_password=TEST_PASSWORD, new_password="Another-pass-2027")
    assert _with_key(key).get(reverse("v1:me")).status_code in REFUSED


def test_deactivating_the_account_revokes_the_tokens(company_member):
    _token, key = services.api_token_issue(actor=company_member)
    company_member.is_active = False
    company_member.save(update_fields=["is_active"])
    assert not ApiToken.objects.filter(user=company_member).exists()
    assert _with_key(key).get(reverse("v1:me")).status_code in REFUSED


def test_the_caller_revokes_their_tokens_through_the_api(company_member):
    _token, key = services.api_token_issue(actor=company_member)
    api = _with_key(key)
    assert api.delete(reverse("v1:auth-token")).status_code == 204
    assert api.get(reverse("v1:me")).status_code in REFUSED


def test_no_token_screen_in_the_admin_and_drf_authtoken_is_gone():
    assert not apps.is_installed("rest_framework.authtoken")
    assert ApiToken not in admin.site._registry
    assert not [model for model in admin.site._registry if "token" in model._meta.model_name.lower()]


@pytest.fixture
def fresh_rates(settings):
    cache.clear()
    yield settings
    cache.clear()


def test_the_token_endpoint_answers_429_in_chinese_beyond_its_rate(fresh_rates, company_member):
    fresh_rates.PORTAL_API_THROTTLE_RATES = {"anon": "1000/min", "user": "1000/min", "token": "3/min"}
    api = APIClient()
    answers = [_issue(api, company_member, password="wrong").status_code for _ in range(3)]
    assert answers == [400, 400, 400]
    response = _issue(api, company_member)
    assert response.status_code == 429 and "请求已被限流" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_the_api_answers_429_beyond_the_rate_of_a_person_and_of_a_visitor(fresh_rates, company_member):
    fresh_rates.PORTAL_API_THROTTLE_RATES = {"anon": "2/min", "user": "3/min", "token": "100/min"}
    api = APIClient()
    api.force_authenticate(company_member)
    assert [api.get(reverse("v1:me")).status_code for _ in range(4)] == [200, 200, 200, 429]
    visitor = APIClient()
    assert [visitor.get(reverse("v1:scenario-list")).status_code for _ in range(3)] == [200, 200, 429]


def test_the_default_rates_leave_a_normal_person_alone():
    from config.settings import base

    rates = base.PORTAL_API_THROTTLE_RATES
    assert rates == {"anon": "120/min", "user": "600/min", "token": "10/min"}
