"""Password guessing is slowed down: 50 wrong passwords then the right one used to sign in, on the
login page, the token endpoint and the admin login alike."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.sign_in import FAILURES_PER_ADDRESS, FAILURES_PER_NAME
from core.models import AuditRecord
from tests.admin_checks import system_administrator
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, address="10.1.1.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_repeated_failures_lock_the_name_on_the_login_page_until_the_window_passes(client, operator):
    for _ in range(FAILURES_PER_NAME):
        _sign_in(client, operator.username, "wrong")
    response = _sign_in(client, operator.username, TEST_PASSWORD)
    assert not _signed_in(client)
    assert "登录失败次数过多，请 30 分钟后再试。" in response.content.decode()
    failures = AuditRecord.objects.filter(action="auth.login_failed")
    assert failures.count() == FAILURES_PER_NAME + 1  # the locked attempt is recorded too

    failures.update(created_at=timezone.now() - timedelta(minutes=31))
    _sign_in(client, operator.username, TEST_PASSWORD)
    assert _signed_in(client)


def test_the_lock_covers_the_token_endpoint_and_the_admin_login(client):
    api = APIClient()
    person = system_administrator()
    for _ in range(FAILURES_PER_NAME):
        _sign_in(client, person.username.upper(), "wrong")  # the name in another case counts too
    token = api.post(reverse("v1:auth-token"), {"username": person.username, "password": TEST_PASSWORD})
    assert token.status_code == 400 and "token" not in token.json()
    client.post(reverse("admin:login"), {"username": person.username, "password": TEST_PASSWORD, "next": "/admin/"})
    assert not _signed_in(client)


def test_one_name_failing_does_not_lock_another(client, operator):
    for _ in range(FAILURES_PER_NAME):
        _sign_in(client, "somebody-else", "wrong")
    _sign_in(client, operator.username, TEST_PASSWORD)
    assert _signed_in(client)


def test_many_failures_from_one_address_lock_that_address_only(client, operator):
    for index in range(FAILURES_PER_ADDRESS):
        _sign_in(client, f"guess-{index}", "wrong", address="10.9.9.9")
    _sign_in(client, operator.username, TEST_PASSWORD, address="10.9.9.9")
    assert not _signed_in(client)
    _sign_in(client, operator.username, TEST_PASSWORD, address="10.2.2.2")
    assert _signed_in(client)
