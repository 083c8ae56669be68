"""A script's API token is read from the cache after its first request (accounts.api.authentication,
issue #20), and stops working at once when it is revoked or deleted, or its person deactivated; a
change to the person shows on the next request."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.api import authentication
from accounts.models import ApiToken
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ME = reverse("v1:me")
LIST = reverse("v1:scenario-list")
REFUSED = (401, 403)  # 403 where the session authenticator, which names no scheme, answers first


def _script(company_member):
    token, key = services.api_token_issue(actor=company_member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return token, key, api


def _refused(response) -> bool:
    return response.status_code in REFUSED and response.json()["detail"] == "令牌无效或已过期，请重新获取。"


def test_the_second_request_reads_neither_the_token_nor_the_person_from_the_database(
    company_member, django_assert_num_queries
):
    _token, _key, api = _script(company_member)
    assert api.get(LIST).status_code == 200  # the token, its last use written, the list
    # The token and its person from the cache, the public list from the cache: no query at all.
    with django_assert_num_queries(0):
        assert api.get(LIST).status_code == 200


def test_the_stored_copy_holds_no_password_hash(company_member):
    _token, key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    stored_key = authentication._stored_token_key(key.split(".", 1)[0])
    _version, token = cache.get(stored_key)
    assert token.digest == ApiToken.objects.get(user=company_member).digest
    assert "password" not in token.user.__dict__  # deferred: read from the database if ever needed


def test_a_revoked_token_stops_working_at_once(company_member):
    _token, _key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    services.api_tokens_revoke(user=company_member, reason="本人撤销")
    assert _refused(api.get(ME))


def test_a_token_revoked_through_the_api_stops_working_at_once(company_member):
    _token, _key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    assert api.delete(reverse("v1:auth-token")).status_code == 204
    assert _refused(api.get(ME))


def test_a_deleted_token_stops_working_at_once(company_member):
    token, _key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    token.delete()
    assert _refused(api.get(ME))


def test_a_deactivated_person_is_refused_at_once(company_member):
    _token, _key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    company_member.is_active = False
    company_member.save()
    assert _refused(api.get(ME))


def test_a_deleted_person_is_refused_at_once(company_member):
    _token, _key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    company_member.delete()
    assert _refused(api.get(ME))


def test_a_change_to_the_person_shows_on_the_next_request(company_member):
    _token, _key, api = _script(company_member)
    assert api.get(ME).json()["display_name"] == company_member.display_name
    company_member.display_name = "王晓明"
    company_member.save(update_fields=["display_name"])
    assert api.get(ME).json()["display_name"] == "王晓明"


def test_a_new_token_of_the_same_person_works_beside_the_stored_one(company_member, client):
    _first, _key, first_api = _script(company_member)
    assert first_api.get(ME).status_code == 200
    _second, _key, second_api = _script(company_member)
    assert second_api.get(ME).status_code == 200 and first_api.get(ME).status_code == 200


def test_a_stored_token_expires_when_its_time_comes(company_member, monkeypatch):
    token, _key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    later = token.expires_at + timedelta(seconds=1)
    monkeypatch.setattr(authentication.timezone, "now", lambda: later)
    assert _refused(api.get(ME))


def test_a_wrong_secret_with_a_stored_prefix_is_refused(company_member):
    _token, key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION=f"Token {key.split('.', 1)[0]}.not-the-secret")
    assert _refused(forged.get(ME))


def test_the_last_use_is_written_once_a_minute_from_the_stored_copy(company_member, monkeypatch):
    token, _key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    assert api.get(ME).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use
    later = timezone.now() + authentication.LAST_USE_PRECISION + timedelta(seconds=1)
    monkeypatch.setattr(authentication.timezone, "now", lambda: later)
    assert api.get(ME).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later


def test_a_password_change_ends_the_stored_token(company_member):
    _token, _key, api = _script(company_member)
    assert api.get(ME).status_code == 200
    services.password_change(actor=company_member, old_password=TEST_PASSWORD, new_password="Another-pass-2027")
    assert _refused(api.get(ME))


def test_a_sign_in_leaves_the_stored_tokens_and_the_review_queue_but_a_rename_does_not(company_member, client):
    """Every sign-in writes the person's last_login; no page shows it, so the scopes that show
    people keep what they stored (else each sign-in anywhere would empty them for everyone)."""
    from capability_list.selectors import REVIEW_QUEUE_PAGES
    from core.page_cache import scope_version

    scopes = (authentication.API_TOKENS, REVIEW_QUEUE_PAGES)
    before = [scope_version(scope) for scope in scopes]
    assert client.login(username=company_member.username, password=TEST_PASSWORD)
    company_member.refresh_from_db()
    assert company_member.last_login is not None
    assert [scope_version(scope) for scope in scopes] == before
    company_member.display_name = "王晓明"
    company_member.save(update_fields=["display_name", "last_login"])
    assert all(scope_version(scope) != old for scope, old in zip(scopes, before, strict=True))
