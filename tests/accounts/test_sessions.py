"""Sessions end after 30 idle minutes and 12 hours after signing in (accounts.middleware)."""

import pytest
from django.urls import reverse

from accounts.middleware import SEEN_AT_KEY, SIGNED_IN_AT_KEY
from core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _age(client, *, signed_in_minutes_ago: float, seen_minutes_ago: float) -> None:
    session = client.session
    now = session[SIGNED_IN_AT_KEY]
    session[SIGNED_IN_AT_KEY] = now - signed_in_minutes_ago * 60
    session[SEEN_AT_KEY] = now - seen_minutes_ago * 60
    session.save()


def test_defaults_are_thirty_idle_minutes_and_twelve_hours(settings):
    assert settings.PORTAL_SESSION_IDLE_MINUTES == 30 and settings.PORTAL_SESSION_HOURS == 12


def test_thirty_idle_minutes_end_the_session(client, operator):
    client.force_login(operator)
    _age(client, signed_in_minutes_ago=40, seen_minutes_ago=31)
    response = client.get(reverse("accounts:role-home", args=["operator"]), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "您已 30 分钟没有操作，为安全起见已退出登录，请重新登录。" in response.content.decode()
    assert "_auth_user_id" not in client.session
    record = AuditRecord.objects.get(action="auth.logout")
    assert "30 分钟没有操作" in record.reason


def test_activity_keeps_the_session_and_is_written_at_most_once_a_minute(client, operator):
    client.force_login(operator)
    _age(client, signed_in_minutes_ago=60, seen_minutes_ago=29)
    assert client.get(reverse("accounts:role-home", args=["operator"])).status_code == 200
    seen = client.session[SEEN_AT_KEY]
    assert seen > client.session[SIGNED_IN_AT_KEY] + 59 * 60  # refreshed
    assert client.get(reverse("accounts:role-home", args=["operator"])).status_code == 200
    assert client.session[SEEN_AT_KEY] == seen  # within the minute: not written again


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(client, operator):
    client.force_login(operator)
    _age(client, signed_in_minutes_ago=12 * 60 + 1, seen_minutes_ago=0)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401 and response.json() == {"detail": "登录已超过 12 小时，请重新登录。"}
    assert "_auth_user_id" not in client.session


def test_the_limits_come_from_settings(client, operator, settings):
    settings.PORTAL_SESSION_IDLE_MINUTES = 5
    client.force_login(operator)
    _age(client, signed_in_minutes_ago=6, seen_minutes_ago=6)
    assert client.get(reverse("accounts:role-home", args=["operator"])).status_code == 302


@pytest.mark.parametrize("signed_in", [False, True])
def test_signing_out_is_an_action_a_get_is_not_found(client, operator, signed_in):
    """The access matrix found Django's 405 here; every other action address answers 404."""
    if signed_in:
        client.force_login(operator)
    assert client.get(reverse("accounts:logout")).status_code == 404
    assert ("_auth_user_id" in client.session) is signed_in
