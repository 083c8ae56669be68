"""Password guessing is slowed down: 50 wrong passwords then the right one used to sign in, on the
login page, the token endpoint and the admin login alike."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.sign_in import FAILURES_PER_ADDRESS, FAILURES_PER_NAME
from core.errors import DomainError
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
    assert "登录失败次数过多，已暂时锁定，请于" in response.content.decode()
    failures = AuditRecord.objects.filter(action="auth.login_failed")
    assert failures.count() == FAILURES_PER_NAME + 1  # the locked attempt is recorded too

    # 31 minutes later (the audit records that count the failures cannot be rewritten: #18).
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=31)):
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


def test_a_locked_visitor_reads_until_when_the_same_for_a_name_that_exists_or_not(client, operator):
    frozen = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=frozen):  # every failure at one moment
        for name in (operator.username, "nobody-at-all"):
            for _ in range(FAILURES_PER_NAME):
                _sign_in(client, name, "wrong")
        pages = [
            _sign_in(client, name, TEST_PASSWORD).content.decode() for name in (operator.username, "nobody-at-all")
        ]
    until = timezone.localtime(frozen + timedelta(minutes=30)).strftime("%H:%M")
    expected = f"登录失败次数过多，已暂时锁定，请于 {until} 之后再试。如需提前解锁，请联系运营方。"
    assert all(expected in page for page in pages)
    assert not _signed_in(client)


def test_an_operator_unlocks_a_locked_account_with_a_reason_and_it_is_audited(client, operator, company_member):
    for _ in range(FAILURES_PER_NAME):
        _sign_in(client, company_member.username, "wrong")
    officer = Client()
    officer.force_login(operator)
    listing = officer.get(reverse("accounts:operator-locked-accounts")).content.decode()
    assert listing.count('data-testid="locked-account"') == 1 and company_member.username in listing
    detail = officer.get(reverse("accounts:operator-organisation-detail", args=[company_member.organisation_id]))
    assert 'data-testid="locked"' in detail.content.decode()

    unlock = reverse("accounts:operator-account-unlock", args=[company_member.pk])
    officer.post(unlock, {"reason": "", "back": "list"})
    assert not AuditRecord.objects.filter(action="auth.unlock").exists()  # a reason is required
    response = officer.post(unlock, {"reason": "电话核实为本人", "back": "organisation"})
    assert response.url == reverse("accounts:operator-organisation-detail", args=[company_member.organisation_id])
    record = AuditRecord.objects.get(action="auth.unlock")
    assert record.actor == operator and record.reason == "电话核实为本人" and record.object_id == str(company_member.pk)

    _sign_in(client, company_member.username, TEST_PASSWORD)
    assert _signed_in(client)


def test_only_operators_unlock_and_an_unlocked_account_cannot_be_unlocked(client, operator, company_member):
    for _ in range(FAILURES_PER_NAME):
        _sign_in(client, operator.username, "wrong")
    client.force_login(company_member)
    assert client.get(reverse("accounts:operator-locked-accounts")).status_code == 404
    unlock = reverse("accounts:operator-account-unlock", args=[operator.pk])
    assert client.post(unlock, {"reason": "x"}).status_code == 404
    with pytest.raises(DomainError):
        services.account_unlock(actor=company_member, user=operator, reason="x")
    with pytest.raises(DomainError, match="当前未被锁定"):
        services.account_unlock(actor=operator, user=company_member, reason="x")
    assert not AuditRecord.objects.filter(action="auth.unlock").exists()


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0"])
def test_unlocking_an_id_nobody_has_is_a_404(client, operator, pk):
    client.force_login(operator)
    assert client.post(f"/operator/accounts/{pk}/unlock/", {"reason": "x"}).status_code == 404


def test_the_locked_accounts_list_costs_the_same_for_one_or_many(client, operator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.accounts import UserFactory

    def lock(person):
        for _ in range(FAILURES_PER_NAME):
            _sign_in(client, person.username, "wrong", address=f"10.3.3.{person.pk % 250}")

    officer = Client()
    officer.force_login(operator)
    lock(UserFactory())
    with CaptureQueriesContext(connection) as one:
        assert officer.get(reverse("accounts:operator-locked-accounts")).content.decode().count("locked-account") == 1
    for person in UserFactory.create_batch(3):
        lock(person)
    # session, user, roles, unlocks, failures, the locked accounts with their organisations
    with CaptureQueriesContext(connection) as four:
        assert officer.get(reverse("accounts:operator-locked-accounts")).content.decode().count("locked-account") == 4
    assert len(one) == len(four)
