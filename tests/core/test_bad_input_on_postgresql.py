"""A NUL character on PostgreSQL, which refuses it in text ("A string literal cannot contain NUL
(0x00) characters"): wherever a request carries one, the answer is a 400 in Chinese, or the NUL is
dropped where the client cannot help sending it — never a 500 (#18).

SQLite stores NUL, so these run on PostgreSQL only (DATABASE_URL); tests/core/test_bad_input.py
checks the same refusals on either database."""

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from accounts.choices import VerificationStatus
from core.models import AuditRecord
from tests.conftest import TEST_PASSWORD, require
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.refusals import assert_refused_in_chinese, database_state

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _refused_with_nothing_changed(client, send):
    before = database_state()
    response = send(client)
    assert response.status_code == 400
    assert any("空字符" in text for text in assert_refused_in_chinese(response))
    assert database_state() == before


def test_a_nul_in_a_note_is_refused(client, operator):
    pending = OrganisationFactory(verification_status=VerificationStatus.PENDING)
    client.force_login(operator)
    _refused_with_nothing_changed(
        client,
        lambda c: c.post(f"/operator/organisations/{pending.pk}/", {"action": "verify", "note": "材料齐全\x00"}),
    )


def test_a_nul_in_a_title_is_refused_on_the_page_and_in_the_api(client, reference_data):
    from tests.factories.scenarios import publisher_user

    publisher = publisher_user()
    client.force_login(publisher)
    form = {"title": "智慧停车\x00", "track": "mature", "needs-TOTAL_FORMS": "0", "needs-INITIAL_FORMS": "0"}
    _refused_with_nothing_changed(client, lambda c: c.post("/scenarios/new/", form))
    api = APIClient()
    api.force_authenticate(publisher)
    body = '{"title": "\\u667a\\u6167\\u0000", "track": "mature"}'
    _refused_with_nothing_changed(api, lambda c: c.post("/api/v1/scenarios/", body, content_type="application/json"))


def test_a_nul_in_a_filter_or_a_search_is_refused(client, operator):
    client.force_login(operator)
    _refused_with_nothing_changed(client, lambda c: c.get("/operator/organisations/", {"q": "宁波\x00"}))
    _refused_with_nothing_changed(client, lambda c: c.get("/api/v1/organisations/", {"search": "宁波\x00"}))
    _refused_with_nothing_changed(client, lambda c: c.get("/audit/", {"action": "login\x00"}))


def test_a_nul_in_an_address_is_refused():
    _refused_with_nothing_changed(Client(), lambda c: c.get("/accounts/confirm/abcdefgh%00ijkl/"))
    _refused_with_nothing_changed(Client(), lambda c: c.get("/accounts/invitation/abcdefgh%00ijkl/"))


def test_a_session_cookie_carrying_a_nul_is_as_if_signed_out():
    """A cookie value may be quoted with octal escapes ("\\000" is NUL); its session lookup failed."""
    client = Client(HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert client.get("/").status_code == 200
    assert client.get("/home/").status_code == 302  # to the login page


def test_a_user_agent_carrying_a_nul_still_signs_in_and_is_audited_without_it():
    user = UserFactory(username="lihua", roles=["company"])
    user.set_password(TEST_PASSWORD)
    user.save()
    client = Client(HTTP_USER_AGENT="Mozilla/5.0\x00 (X11)")
    response = client.post("/accounts/login/", {"username": "lihua", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert AuditRecord.objects.filter(action="auth.login").latest("pk").user_agent == "Mozilla/5.0 (X11)"
